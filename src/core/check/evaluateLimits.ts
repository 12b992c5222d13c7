// The model's hard limits for one prompt: context window, max input and max output. Shared by the editor's
// diagnostics, the workspace check and the CLI, so they all say the same thing.

import type { Severity } from '../types';
import { approxMark, formatPercent, formatTokens } from '../report/formatNumbers';

export type LimitRule = 'context-window' | 'max-input' | 'context-with-output' | 'max-output' | 'unknown-limit';

export interface LimitInput {
  /** Input tokens of the prompt as it will be sent. */
  inputTokens: number;
  /** Max output declared by the prompt (e.g. frontmatter `max_tokens`). */
  maxOutputTokens?: number;
  contextWindow?: number;
  /** The model's cap on input where it is below the context window (GPT-5: 272,000 of 400,000). */
  modelMaxInputTokens?: number;
  /** The model's own cap on output tokens. */
  modelMaxOutputTokens?: number;
  /** Fraction of a limit at which a warning starts, in (0, 1]. */
  warnAt: number;
  /** Named in messages ("gpt-4o's context window"); "the model" when absent. */
  modelId?: string;
  /** False when `inputTokens` is an estimate: messages then mark the prompt's figures with ≈. Exact when absent. */
  exact?: boolean;
  /** The most input tokens an estimate allows (its count plus its spread): over a limit only here, the prompt "may exceed" it. */
  inputUpperBound?: number;
}

export interface LimitFinding {
  rule: LimitRule;
  severity: Severity;
  /** Where the finding belongs in the prompt: its body, or its declared max output. */
  at: 'body' | 'maxOutput';
  used: number;
  /** The limit held to; undefined for 'unknown-limit', where no source gives one. */
  limit?: number;
  message: string;
}

/** Checks a prompt against its model's context window, input cap and max output; over is an error, at `warnAt` or more a warning. */
export function evaluateLimits(input: LimitInput): LimitFinding[] {
  const { inputTokens, maxOutputTokens, contextWindow, modelMaxInputTokens, modelMaxOutputTokens, warnAt } = input;
  const model = input.modelId ? `${input.modelId}'s` : "the model's";
  const findings: LimitFinding[] = [];
  // Only figures that come from the count are estimates; the limits and the declared max output are stated numbers.
  const approx = approxMark(input.exact ?? true);
  const prompt = `${approx}${formatTokens(inputTokens)}`;
  const id = input.modelId ?? 'the-model-id';

  // No source gives a limit: say so and how to declare it, rather than check against a guess.
  if (!isLimit(contextWindow) && !isLimit(modelMaxInputTokens)) {
    findings.push({
      rule: 'unknown-limit',
      severity: 'info',
      at: 'body',
      used: inputTokens,
      message: `Context window of ${input.modelId ?? 'the model'} is unknown (no source gives it), so the context-window check is skipped. Declare it in prompt-budget.yaml: models: { ${id}: { contextWindow: <tokens> } }.`,
    });
  }
  if (maxOutputTokens !== undefined && modelMaxOutputTokens === undefined) {
    findings.push({
      rule: 'unknown-limit',
      severity: 'info',
      at: 'maxOutput',
      used: maxOutputTokens,
      message: `Max output of ${input.modelId ?? 'the model'} is unknown (no source gives it), so the max-output check is skipped. Declare it in prompt-budget.yaml: models: { ${id}: { maxOutputTokens: <tokens> } }.`,
    });
  }

  // The prompt alone is held to the input cap where the model has one below its window (GPT-5 rejects
  // more than 272,000 input tokens of its 400,000), else to the window.
  const inputCap = isLimit(modelMaxInputTokens) && (!isLimit(contextWindow) || modelMaxInputTokens < contextWindow) ? modelMaxInputTokens : undefined;
  const inputLimit = inputCap ?? (isLimit(contextWindow) ? contextWindow : undefined);
  // An estimate within a limit whose upper bound is over it may exceed it: a warning, whatever warnAt says.
  const upper = input.inputUpperBound ?? inputTokens;
  const countedSeverity = inputLimit !== undefined ? severityOf(inputTokens, inputLimit, warnAt) : undefined;
  const mayExceed = inputLimit !== undefined && countedSeverity !== 'error' && upper > inputLimit;
  const inputSeverity = mayExceed ? 'warning' : countedSeverity;
  if (inputLimit !== undefined && inputSeverity) {
    const rule = inputCap !== undefined ? 'max-input' : 'context-window';
    const what = rule === 'max-input' ? `${model} input limit` : `${model} context window`;
    const reserved = rule === 'max-input' && isLimit(contextWindow) ? ` (its ${formatTokens(contextWindow)}-token context window keeps the rest for output)` : '';
    const message =
      inputSeverity === 'error'
        ? `Prompt is ${prompt} tokens; ${what} is ${formatTokens(inputLimit)}${reserved}.`
        : mayExceed
          ? `Prompt is ${prompt} tokens and may exceed ${what} of ${formatTokens(inputLimit)}${reserved}: the estimate allows up to ${formatTokens(upper)}.`
          : `Prompt is ${prompt} tokens, ${approx}${formatPercent(inputTokens / inputLimit)} of ${what} of ${formatTokens(inputLimit)}${reserved}.`;
    findings.push({ rule, severity: inputSeverity, at: 'body', used: inputTokens, limit: inputLimit, message });
  }

  // Only when it says more than the prompt's own finding: a prompt that alone overflows needs no second error.
  if (isLimit(contextWindow) && maxOutputTokens !== undefined && maxOutputTokens > 0) {
    const total = inputTokens + maxOutputTokens;
    const severity = severityOf(total, contextWindow, warnAt);
    if (severity && rank(severity) > rank(inputSeverity)) {
      const sum = `Prompt (${prompt} tokens) plus max output (${formatTokens(maxOutputTokens)}) is ${approx}${formatTokens(total)} tokens`;
      const message =
        severity === 'error'
          ? `${sum}; ${model} context window is ${formatTokens(contextWindow)}.`
          : `${sum}, ${approx}${formatPercent(total / contextWindow)} of ${model} context window of ${formatTokens(contextWindow)}.`;
      findings.push({ rule: 'context-with-output', severity, at: 'maxOutput', used: total, limit: contextWindow, message });
    }
  }

  // Declared max output is a cap the author chose, not usage that grows, so it is an error when
  // over the model's cap but never a warning when close to it (asking for the full 16,384 is fine).
  if (maxOutputTokens !== undefined && isLimit(modelMaxOutputTokens) && maxOutputTokens > modelMaxOutputTokens) {
    findings.push({
      rule: 'max-output',
      severity: 'error',
      at: 'maxOutput',
      used: maxOutputTokens,
      limit: modelMaxOutputTokens,
      message: `Max output of ${formatTokens(maxOutputTokens)} tokens is over ${model} limit of ${formatTokens(modelMaxOutputTokens)}.`,
    });
  }
  return findings;
}

/** 'error' over the limit, 'warning' at `warnAt` of it or more (exactly at the limit still fits), else undefined. */
export function severityOf(used: number, limit: number, warnAt: number): 'error' | 'warning' | undefined {
  if (used > limit) return 'error';
  // A limit of 0 (e.g. maxCostPerCall for free local models) has no "close to it".
  if (limit <= 0) return undefined;
  // A small tolerance: 0.8 * 10,000 is 8,000.000000000001 in floating point, and 8,000 must warn.
  if (used >= limit * warnAt - 1e-9 * Math.max(1, limit)) return 'warning';
  return undefined;
}

function isLimit(value: number | undefined): value is number {
  return value !== undefined && Number.isFinite(value) && value > 0;
}

function rank(severity: Severity | undefined): number {
  return severity === 'error' ? 2 : severity === 'warning' ? 1 : 0;
}
