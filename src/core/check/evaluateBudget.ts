// A budget against the prompts it matched. The caller counts tokens and prices calls (the engine
// does that once per document); this only compares figures with the budget's limits.
//
// What the figures mean:
// - Per-call limits (maxInputTokens, maxTotalTokens, maxCostPerCall) apply to each prompt file on
//   its own: each file is one call. The budget's `tokens` and `costPerCall` are the largest file's.
// - `callsPerDay` is the traffic of each prompt in the budget: every matched file is called that
//   many times a day. `monthlyCost` is the budget's total, the sum over its files of
//   costPerCall x callsPerDay x 30. With one prompt per budget (the usual case) the readings agree;
//   with several, adding a prompt to the budget adds its calls to the bill, which is what a cap is for.

import type { Severity } from '../types';
import type { Budget } from '../config/budgetConfig';
import { DAYS_PER_MONTH } from '../config/budgetConfig';
import { dropUndefined } from '../config/dropUndefined';
import { severityOf } from './evaluateLimits';
import { limitShare } from './limitShare';
import { approxMark, formatPercent, formatTokens, formatUsd } from '../report/formatNumbers';

export type BudgetRule = 'budget-input-tokens' | 'budget-total-tokens' | 'budget-cost-per-call' | 'budget-monthly-cost';

export type BudgetStatus = 'ok' | 'warning' | 'over';

/** The figures of one prompt file, as counted and priced by the caller. */
export interface FileUsage {
  /** Path relative to the config's folder, as shown to the user. */
  file: string;
  /** Input tokens of one call. */
  tokens: number;
  /** False when the tokens are an estimate (no public tokenizer, or its file not on this machine). */
  exact: boolean;
  /** The model the prompt was counted and priced for. */
  model: string;
  /** USD for one call including the expected output; undefined when the model has no price. */
  costPerCall?: number;
  inputCost?: number;
  outputCost?: number;
  /** Output tokens assumed in `costPerCall`; the budget's `expectedOutputTokens` (or 0) when absent. */
  outputTokens?: number;
  /** For an estimate, the most input tokens it allows (its count plus its measured spread). */
  inputUpperBound?: number;
  /** `costPerCall` at `inputUpperBound`. */
  costUpperBound?: number;
}

/** What a budget needs for evaluation: its name, limits and warning threshold. */
export type BudgetLimits = Pick<
  Budget,
  'name' | 'warnAt' | 'maxInputTokens' | 'maxTotalTokens' | 'expectedOutputTokens' | 'maxCostPerCall' | 'callsPerDay' | 'maxMonthlyCost'
>;

export interface BudgetFinding {
  rule: BudgetRule;
  severity: 'error' | 'warning';
  /** The prompt file for per-call rules; absent for `budget-monthly-cost`, which belongs to the budget. */
  file?: string;
  used: number;
  limit: number;
  message: string;
}

/** How much of one limit is used; for per-call limits, by the largest file. */
export interface LimitUsage {
  used: number;
  limit: number;
  /** used / limit. */
  ratio: number;
  status: BudgetStatus;
}

export interface FileEvaluation {
  file: string;
  model: string;
  tokens: number;
  exact: boolean;
  outputTokens: number;
  /** Input plus output tokens of one call. */
  totalTokens: number;
  costPerCall?: number;
  inputCost?: number;
  outputCost?: number;
  /** costPerCall x callsPerDay x 30, when both are known. */
  monthlyCost?: number;
  status: BudgetStatus;
  findings: BudgetFinding[];
}

export interface BudgetEvaluation {
  name: string;
  /** The limits this evaluation compared against. */
  budget: BudgetLimits;
  status: BudgetStatus;
  files: FileEvaluation[];
  /** Input tokens of the largest prompt (per-call limits compare one call). */
  tokens: number;
  /** True when every file's count is exact. */
  exact: boolean;
  /** USD of the dearest call. Undefined when no file is priced. */
  costPerCall?: number;
  /** USD for 30 days of every prompt at `callsPerDay`. Undefined without `callsPerDay` or prices. */
  monthlyCost?: number;
  callsPerDay?: number;
  /** Files whose model has no price: left out of costs (so `monthlyCost` is then a lower bound). */
  unpricedFiles: string[];
  limits: {
    inputTokens?: LimitUsage;
    totalTokens?: LimitUsage;
    costPerCall?: LimitUsage;
    monthlyCost?: LimitUsage;
  };
  findings: BudgetFinding[];
}

/** Compares the usage of a budget's prompt files with its limits; over is an error, at `warnAt` or more a warning. */
export function evaluateBudget(budget: BudgetLimits, usage: readonly FileUsage[], nameFile: (file: string) => string = (file) => file): BudgetEvaluation {
  const label = `budget '${budget.name}'`;
  const callsPerDay = budget.callsPerDay;
  const findings: BudgetFinding[] = [];

  const files = usage.map((use): FileEvaluation => {
    // Messages name the file as the location does (from where the command runs), not relative to the config.
    const shownFile = nameFile(use.file);
    const outputTokens = use.outputTokens ?? budget.expectedOutputTokens ?? 0;
    const totalTokens = use.tokens + outputTokens;
    const fileFindings: BudgetFinding[] = [];
    // Figures from an estimated count carry ≈; the budget's limits and the expected output are stated numbers.
    const approx = approxMark(use.exact);
    const tokens = `${approx}${formatTokens(use.tokens)}`;
    // An estimate within a limit whose upper bound is over it may exceed it: a warning, whatever warnAt says.
    const check = (
      rule: BudgetRule,
      used: number,
      upper: number | undefined,
      limit: number | undefined,
      say: (severity: 'error' | 'warning', limit: number) => string,
      sayMayExceed: (limit: number, upper: number) => string,
    ): void => {
      if (limit === undefined) return;
      const severity = severityOf(used, limit, budget.warnAt);
      if (severity !== 'error' && upper !== undefined && upper > limit) {
        fileFindings.push({ rule, severity: 'warning', file: use.file, used, limit, message: sayMayExceed(limit, upper) });
      } else if (severity) {
        fileFindings.push({ rule, severity, file: use.file, used, limit, message: say(severity, limit) });
      }
    };
    const upperTokens = use.exact ? undefined : use.inputUpperBound;
    const mayExceed = (what: string, limit: string, upper: string): string =>
      `${what} and may exceed the ${limit} ${label} allows: the estimate allows up to ${upper}.`;

    check(
      'budget-input-tokens',
      use.tokens,
      upperTokens,
      budget.maxInputTokens,
      (severity, limit) =>
        severity === 'error'
          ? `${shownFile} is ${tokens} tokens; ${label} allows ${formatTokens(limit)}.`
          : `${shownFile} is ${tokens} tokens, ${approx}${formatPercent(use.tokens / limit)} of the ${formatTokens(limit)} ${label} allows.`,
      (limit, upper) => mayExceed(`${shownFile} is ${tokens} tokens`, formatTokens(limit), formatTokens(upper)),
    );
    const sum = `${shownFile} with ${formatTokens(outputTokens)} output tokens is ${approx}${formatTokens(totalTokens)} tokens`;
    check(
      'budget-total-tokens',
      totalTokens,
      upperTokens === undefined ? undefined : upperTokens + outputTokens,
      budget.maxTotalTokens,
      (severity, limit) =>
        severity === 'error'
          ? `${sum}; ${label} allows ${formatTokens(limit)} in total.`
          : `${sum}, ${approx}${formatPercent(totalTokens / limit)} of the ${formatTokens(limit)} ${label} allows in total.`,
      (limit, upper) => mayExceed(sum, `${formatTokens(limit)} tokens in total`, formatTokens(upper)),
    );
    if (use.costPerCall !== undefined) {
      const cost = use.costPerCall;
      check(
        'budget-cost-per-call',
        cost,
        use.exact ? undefined : use.costUpperBound,
        budget.maxCostPerCall,
        (severity, limit) =>
          severity === 'error'
            ? `A call with ${shownFile} costs ${approx}${formatUsd(cost)}; ${label} allows ${formatUsd(limit)}.`
            : `A call with ${shownFile} costs ${approx}${formatUsd(cost)}, ${approx}${formatPercent(cost / limit)} of the ${formatUsd(limit)} ${label} allows.`,
        (limit, upper) => mayExceed(`A call with ${shownFile} costs ${approx}${formatUsd(cost)}`, `${formatUsd(limit)} a call`, formatUsd(upper)),
      );
    }
    findings.push(...fileFindings);

    const monthlyCost = use.costPerCall !== undefined && callsPerDay !== undefined ? use.costPerCall * callsPerDay * DAYS_PER_MONTH : undefined;
    return dropUndefined({
      file: use.file,
      model: use.model,
      tokens: use.tokens,
      exact: use.exact,
      outputTokens,
      totalTokens,
      costPerCall: use.costPerCall,
      inputCost: use.inputCost,
      outputCost: use.outputCost,
      monthlyCost,
      status: statusOf(fileFindings),
      findings: fileFindings,
    });
  });

  const priced = files.filter((file) => file.costPerCall !== undefined);
  const unpricedFiles = files.filter((file) => file.costPerCall === undefined).map((file) => file.file);
  const monthlyCost = callsPerDay !== undefined && priced.length > 0 ? sum(priced.map((file) => file.monthlyCost ?? 0)) : undefined;

  if (monthlyCost !== undefined && budget.maxMonthlyCost !== undefined && callsPerDay !== undefined) {
    const limit = budget.maxMonthlyCost;
    const severity = severityOf(monthlyCost, limit, budget.warnAt);
    if (severity) {
      const prompts = `${priced.length} ${priced.length === 1 ? 'prompt' : 'prompts'}`;
      const basis = `(${prompts} x ${formatTokens(callsPerDay)} calls a day x ${DAYS_PER_MONTH} days)`;
      const approx = approxMark(priced.every((file) => file.exact));
      const head = `Budget '${budget.name}' costs ${approx}${formatUsd(monthlyCost)} a month ${basis}`;
      const unpriced = unpricedFiles.length > 0 ? ` Not counted, no price: ${unpricedFiles.map(nameFile).join(', ')}.` : '';
      const message =
        severity === 'error'
          ? `${head}; its limit is ${formatUsd(limit)}.${unpriced}`
          : `${head}, ${approx}${formatPercent(monthlyCost / limit)} of its ${formatUsd(limit)} limit.${unpriced}`;
      findings.push({ rule: 'budget-monthly-cost', severity, used: monthlyCost, limit, message });
    }
  }

  const tokens = max(files.map((file) => file.tokens)) ?? 0;
  const totalTokens = max(files.map((file) => file.totalTokens)) ?? 0;
  const costPerCall = max(priced.map((file) => file.costPerCall ?? 0));
  return dropUndefined({
    name: budget.name,
    budget: limitsOf(budget),
    status: statusOf(findings),
    files,
    tokens,
    exact: files.every((file) => file.exact),
    costPerCall,
    monthlyCost,
    callsPerDay,
    unpricedFiles,
    limits: dropUndefined({
      inputTokens: usageOf(tokens, budget.maxInputTokens, budget.warnAt, files.length > 0),
      totalTokens: usageOf(totalTokens, budget.maxTotalTokens, budget.warnAt, files.length > 0),
      costPerCall: usageOf(costPerCall, budget.maxCostPerCall, budget.warnAt, true),
      monthlyCost: usageOf(monthlyCost, budget.maxMonthlyCost, budget.warnAt, true),
    }),
    findings,
  });
}

/** Only the evaluated fields, so a full Budget (with positions) does not leak into JSON reports. */
function limitsOf(budget: BudgetLimits): BudgetLimits {
  const { name, warnAt, maxInputTokens, maxTotalTokens, expectedOutputTokens, maxCostPerCall, callsPerDay, maxMonthlyCost } = budget;
  return dropUndefined({ name, warnAt, maxInputTokens, maxTotalTokens, expectedOutputTokens, maxCostPerCall, callsPerDay, maxMonthlyCost });
}

function usageOf(used: number | undefined, limit: number | undefined, warnAt: number, known: boolean): LimitUsage | undefined {
  if (limit === undefined || used === undefined || !known) return undefined;
  const severity = severityOf(used, limit, warnAt);
  const ratio = limitShare(used, limit);
  return { used, limit, ratio, status: severity === 'error' ? 'over' : severity === 'warning' ? 'warning' : 'ok' };
}

function statusOf(findings: readonly { severity: Severity }[]): BudgetStatus {
  if (findings.some((finding) => finding.severity === 'error')) return 'over';
  return findings.some((finding) => finding.severity === 'warning') ? 'warning' : 'ok';
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function max(values: number[]): number | undefined {
  return values.length === 0 ? undefined : Math.max(...values);
}
