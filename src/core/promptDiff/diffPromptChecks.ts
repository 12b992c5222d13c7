// What a change does to prompts: two checks of the same folder (base and head revision, each under
// its own config) compared file by file and budget by budget. The figures are the engine's
// (`prompt-budget check`); this only pairs them up, prices the month and finds what newly breaks.
import { fileUsage, type WorkspaceFileResult } from '../check/checkWorkspace';
import { DAYS_PER_MONTH, type Budget } from '../config/budgetConfig';
import type { BudgetEvaluation, BudgetStatus } from '../check/evaluateBudget';
import type { Problem } from '../types';
import type { LedgerCallRate } from './ledgerCallsPerDay';
import type { SnapshotCheck } from './snapshotCheck';

/** How a prompt file changed; figures alike on both sides means unchanged, and the file is left out. */
export type PromptChangeStatus = 'grown' | 'shrunk' | 'added' | 'deleted' | 'renamed' | 'model changed' | 'budget changed';

/** What one call means in `cost`: input plus the budget's expected output, or the input alone. */
export type CostBasis = 'input + expected output' | 'input only';

/** A prompt file's figures at one revision, as `check` computes them. */
export interface PromptSide {
  file: string;
  model: string;
  tokens: number;
  /** False when the count is an estimate (≈). */
  exact: boolean;
  /** USD of one call (see costBasis); null when the model has no known price. */
  cost: number | null;
  costBasis: CostBasis;
  inputCost: number | null;
  /** Output tokens included in `cost`: the budget's expectedOutputTokens, or 0. */
  outputTokens: number;
  /** USD of one call with the worst-case output (the declared max output, else the model's cap). */
  worstCaseCost: number | null;
  /** The first budget the file belongs to at this revision. */
  budget: string | null;
}

/** Where a month's calls come from. */
export type CallVolumeBasis = 'callsPerDay' | 'ledger';

/** Calls a day of one prompt at one revision, and where that figure comes from. */
export interface CallVolume {
  callsPerDay: number;
  basis: CallVolumeBasis;
  /** In words: "1,000 calls/day (callsPerDay of budget 'support')". */
  note: string;
}

/** The cost of 30 days at the prompt's call volume, before and after. */
export interface MonthlyDiff {
  before: number | null;
  after: number | null;
  delta: number;
  basis: CallVolumeBasis;
  note: string;
}

export interface PromptFileDiff {
  /** The path at the head, or at the base for a deleted file. */
  file: string;
  /** The path at the base, for a renamed file. */
  previousFile?: string;
  status: PromptChangeStatus;
  before: PromptSide | null;
  after: PromptSide | null;
  /** After minus before; a missing side counts as 0. Cost is null when a present side has no price. */
  delta: { tokens: number; cost: number | null };
  /** Null when the prompt has no call volume on either side (no callsPerDay, no ledger calls). */
  monthly: MonthlyDiff | null;
  /** The budget at the head (else at the base). */
  budget: string | null;
}

/** A budget's totals at one revision. */
export interface BudgetSide {
  files: number;
  /** Input tokens of its largest prompt (per-call limits compare one call). */
  tokens: number;
  exact: boolean;
  /** USD of its dearest call. */
  costPerCall: number | null;
  /** USD of 30 days of all its prompts at their call volume. */
  monthlyCost: number | null;
  status: BudgetStatus;
}

export interface BudgetDiff {
  name: string;
  before: BudgetSide | null;
  after: BudgetSide | null;
  delta: { tokens: number; costPerCall: number | null; monthlyCost: number | null };
}

export interface PromptDiff {
  base: string;
  head: string;
  /** Changed prompt files, biggest change first. */
  files: PromptFileDiff[];
  /** Budgets whose totals or status changed. */
  budgets: BudgetDiff[];
  /** Problems at the head that the base did not have: the change broke these. */
  problems: Problem[];
  /** Every prompt file's tokens and monthly cost, summed. */
  totals: { tokens: { before: number; after: number; delta: number }; monthly: { before: number; after: number; delta: number } | null };
}

export interface DiffOptions {
  /** Files git saw renamed: base path -> head path, relative to the folder. */
  renames?: ReadonlyMap<string, string>;
  /** The ledger's actual calls a day for a budget's usageTags; it wins over the budget's callsPerDay. */
  callRate?: (usageTags: readonly string[]) => LedgerCallRate | undefined;
}

/** Pairs the base's and the head's prompt files and budgets, and finds the problems the change introduced. */
export function diffPromptChecks(base: SnapshotCheck, head: SnapshotCheck, options: DiffOptions = {}): PromptDiff {
  const renames = options.renames ?? new Map<string, string>();
  const baseOf = new Map([...renames].map(([from, to]) => [to, from]));
  const volumeBefore = callVolumes(base, options.callRate);
  const volumeAfter = callVolumes(head, options.callRate);
  const beforeFiles = new Map(base.check.files.filter((file) => file.analysis).map((file) => [file.relativePath, file]));
  const afterFiles = new Map(head.check.files.filter((file) => file.analysis).map((file) => [file.relativePath, file]));

  const files: PromptFileDiff[] = [];
  const paired = new Set<string>();
  for (const [path, result] of afterFiles) {
    const renamedFrom = baseOf.get(path);
    const basePath = renamedFrom !== undefined && beforeFiles.has(renamedFrom) ? renamedFrom : path;
    const before = beforeFiles.get(basePath);
    if (before) paired.add(basePath);
    const change = fileDiff(before, result, volumeBefore, volumeAfter, basePath !== path);
    if (change) files.push(change);
  }
  for (const [path, result] of beforeFiles) {
    if (paired.has(path)) continue;
    const change = fileDiff(result, undefined, volumeBefore, volumeAfter, false);
    if (change) files.push(change);
  }
  files.sort(biggestFirst);

  return {
    base: base.revision,
    head: head.revision,
    files,
    budgets: budgetDiffs(base, head, volumeBefore, volumeAfter),
    problems: newProblems(base, head, baseOf),
    totals: totals(files, beforeFiles, afterFiles, volumeBefore, volumeAfter),
  };
}

/** Each prompt file's call volume at one revision: the ledger's rate for its budget, shared by the budget's prompts, else the budget's callsPerDay. */
function callVolumes(side: SnapshotCheck, callRate: DiffOptions['callRate']): Map<string, CallVolume> {
  const volumes = new Map<string, CallVolume>();
  for (const evaluation of side.check.budgets) {
    const budget = side.config?.budgets.find((candidate) => candidate.name === evaluation.name);
    const volume = budget && budgetVolume(budget, evaluation, callRate);
    if (!volume) continue;
    for (const file of evaluation.files) if (!volumes.has(file.file)) volumes.set(file.file, volume);
  }
  return volumes;
}

function budgetVolume(budget: Budget, evaluation: BudgetEvaluation, callRate: DiffOptions['callRate']): CallVolume | undefined {
  const rate = budget.usageTags && callRate?.(budget.usageTags);
  if (rate && evaluation.files.length > 0) {
    const shared = evaluation.files.length > 1 ? `, shared by its ${evaluation.files.length} prompts` : '';
    return {
      callsPerDay: rate.callsPerDay / evaluation.files.length,
      basis: 'ledger',
      note: `${roundCalls(rate.callsPerDay)} calls/day of budget '${budget.name}' in the usage logs (${rate.days} ${rate.days === 1 ? 'day' : 'days'})${shared}`,
    };
  }
  if (budget.callsPerDay === undefined) return undefined;
  return { callsPerDay: budget.callsPerDay, basis: 'callsPerDay', note: `${roundCalls(budget.callsPerDay)} calls/day (callsPerDay of budget '${budget.name}')` };
}

function roundCalls(calls: number): string {
  return calls >= 10 ? String(Math.round(calls)) : String(Math.round(calls * 10) / 10);
}

function side(result: WorkspaceFileResult): PromptSide {
  const analysis = result.analysis!;
  const usage = fileUsage(result.relativePath, analysis);
  // No known max output: the worst case is unknown (null), not the input alone.
  const worstCase = analysis.priced && analysis.worstCase && analysis.worstCase.outputBasis !== 'none' ? analysis.worstCase.total : null;
  return {
    file: result.relativePath,
    model: usage.model,
    tokens: usage.tokens,
    exact: usage.exact,
    cost: usage.costPerCall ?? null,
    costBasis: analysis.expected ? 'input + expected output' : 'input only',
    inputCost: usage.inputCost ?? null,
    outputTokens: usage.outputTokens ?? 0,
    worstCaseCost: worstCase,
    budget: result.budgets[0] ?? null,
  };
}

function monthlyOf(figures: PromptSide | null, volume: CallVolume | undefined): number | null {
  if (!figures || figures.cost === null || !volume) return null;
  return figures.cost * volume.callsPerDay * DAYS_PER_MONTH;
}

function fileDiff(
  beforeResult: WorkspaceFileResult | undefined,
  afterResult: WorkspaceFileResult | undefined,
  volumeBefore: ReadonlyMap<string, CallVolume>,
  volumeAfter: ReadonlyMap<string, CallVolume>,
  renamed: boolean,
): PromptFileDiff | undefined {
  const before = beforeResult ? side(beforeResult) : null;
  const after = afterResult ? side(afterResult) : null;
  const beforeVolume = before ? volumeBefore.get(before.file) : undefined;
  const afterVolume = after ? volumeAfter.get(after.file) : undefined;
  const monthlyBefore = monthlyOf(before, beforeVolume);
  const monthlyAfter = monthlyOf(after, afterVolume);
  const volume = afterVolume ?? beforeVolume;
  const monthly: MonthlyDiff | null =
    volume && (monthlyBefore !== null || monthlyAfter !== null)
      ? {
          before: monthlyBefore,
          after: monthlyAfter,
          delta: (monthlyAfter ?? 0) - (monthlyBefore ?? 0),
          basis: beforeVolume?.basis === 'ledger' || afterVolume?.basis === 'ledger' ? 'ledger' : 'callsPerDay',
          note: beforeVolume && afterVolume && beforeVolume.note !== afterVolume.note ? `${beforeVolume.note} before; ${afterVolume.note} after` : volume.note,
        }
      : null;
  const status = statusOf(before, after, renamed, monthlyBefore, monthlyAfter);
  if (!status) return undefined;
  const costKnown = (before === null || before.cost !== null) && (after === null || after.cost !== null);
  const file = (after ?? before)!.file;
  return {
    file,
    ...(renamed && before ? { previousFile: before.file } : {}),
    status,
    before,
    after,
    delta: { tokens: (after?.tokens ?? 0) - (before?.tokens ?? 0), cost: costKnown ? (after?.cost ?? 0) - (before?.cost ?? 0) : null },
    monthly,
    budget: after?.budget ?? before?.budget ?? null,
  };
}

function statusOf(before: PromptSide | null, after: PromptSide | null, renamed: boolean, monthlyBefore: number | null, monthlyAfter: number | null): PromptChangeStatus | undefined {
  if (!before) return 'added';
  if (!after) return 'deleted';
  if (renamed) return 'renamed';
  if (before.model !== after.model) return 'model changed';
  if (after.tokens > before.tokens) return 'grown';
  if (after.tokens < before.tokens) return 'shrunk';
  if (before.budget !== after.budget || before.cost !== after.cost || monthlyBefore !== monthlyAfter || before.worstCaseCost !== after.worstCaseCost) return 'budget changed';
  return undefined;
}

/** Largest monthly change first, then cost per call, then tokens. */
function biggestFirst(a: PromptFileDiff, b: PromptFileDiff): number {
  return (
    Math.abs(b.monthly?.delta ?? 0) - Math.abs(a.monthly?.delta ?? 0) ||
    Math.abs(b.delta.cost ?? 0) - Math.abs(a.delta.cost ?? 0) ||
    Math.abs(b.delta.tokens) - Math.abs(a.delta.tokens) ||
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)
  );
}

function budgetSide(evaluation: BudgetEvaluation, volumes: ReadonlyMap<string, CallVolume>): BudgetSide {
  let monthlyCost: number | null = null;
  for (const file of evaluation.files) {
    const volume = volumes.get(file.file);
    if (file.costPerCall !== undefined && volume) monthlyCost = (monthlyCost ?? 0) + file.costPerCall * volume.callsPerDay * DAYS_PER_MONTH;
  }
  return {
    files: evaluation.files.length,
    tokens: evaluation.tokens,
    exact: evaluation.exact,
    costPerCall: evaluation.costPerCall ?? null,
    monthlyCost,
    status: evaluation.status,
  };
}

function budgetDiffs(base: SnapshotCheck, head: SnapshotCheck, volumeBefore: ReadonlyMap<string, CallVolume>, volumeAfter: ReadonlyMap<string, CallVolume>): BudgetDiff[] {
  const names = [...new Set([...base.check.budgets, ...head.check.budgets].map((budget) => budget.name))];
  const diffs: BudgetDiff[] = [];
  for (const name of names) {
    const beforeEvaluation = base.check.budgets.find((budget) => budget.name === name);
    const afterEvaluation = head.check.budgets.find((budget) => budget.name === name);
    const before = beforeEvaluation ? budgetSide(beforeEvaluation, volumeBefore) : null;
    const after = afterEvaluation ? budgetSide(afterEvaluation, volumeAfter) : null;
    if (JSON.stringify(before) === JSON.stringify(after)) continue;
    const difference = (a: number | null | undefined, b: number | null | undefined) => (a === null || b === null ? null : (b ?? 0) - (a ?? 0));
    diffs.push({
      name,
      before,
      after,
      delta: {
        tokens: (after?.tokens ?? 0) - (before?.tokens ?? 0),
        costPerCall: difference(before?.costPerCall, after?.costPerCall),
        monthlyCost: before?.monthlyCost === null && after?.monthlyCost === null ? null : (after?.monthlyCost ?? 0) - (before?.monthlyCost ?? 0),
      },
    });
  }
  return diffs;
}

/** A problem's identity across revisions: its file (as at the base), its rule, and its message without figures or file names. */
function problemKey(problem: Problem, file: string): string {
  const words = (problem.file ? problem.message.split(problem.file).join('') : problem.message).replace(/[≈$]?[\d][\d,.]*[%kM]?/g, '#');
  return `${file}\u0000${problem.rule}\u0000${words}`;
}

function newProblems(base: SnapshotCheck, head: SnapshotCheck, baseOf: ReadonlyMap<string, string>): Problem[] {
  const configFile = (side: SnapshotCheck) => side.config?.file;
  const baseKeys = new Set(
    base.check.problems.map((problem) => problemKey(problem, problem.file === configFile(base) ? '(config)' : problem.file)),
  );
  return head.check.problems.filter((problem) => {
    const file = problem.file === configFile(head) ? '(config)' : (baseOf.get(problem.file) ?? problem.file);
    return (problem.severity === 'error' || problem.severity === 'warning') && !baseKeys.has(problemKey(problem, file));
  });
}

function totals(
  files: readonly PromptFileDiff[],
  beforeFiles: ReadonlyMap<string, WorkspaceFileResult>,
  afterFiles: ReadonlyMap<string, WorkspaceFileResult>,
  volumeBefore: ReadonlyMap<string, CallVolume>,
  volumeAfter: ReadonlyMap<string, CallVolume>,
): PromptDiff['totals'] {
  const sum = (results: ReadonlyMap<string, WorkspaceFileResult>, volumes: ReadonlyMap<string, CallVolume>) => {
    let tokens = 0;
    let monthly = 0;
    for (const result of results.values()) {
      const figures = side(result);
      tokens += figures.tokens;
      monthly += monthlyOf(figures, volumes.get(figures.file)) ?? 0;
    }
    return { tokens, monthly };
  };
  const before = sum(beforeFiles, volumeBefore);
  const after = sum(afterFiles, volumeAfter);
  const hasVolume = volumeBefore.size > 0 || volumeAfter.size > 0 || files.some((file) => file.monthly);
  return {
    tokens: { before: before.tokens, after: after.tokens, delta: after.tokens - before.tokens },
    monthly: hasVolume ? { before: before.monthly, after: after.monthly, delta: after.monthly - before.monthly } : null,
  };
}
