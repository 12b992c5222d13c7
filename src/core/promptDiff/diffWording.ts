// Changes in words and signed figures, one wording for the CLI, the PR comment and the editor.
import { approxMark, formatTokens, formatUsd } from '../report/formatNumbers';
import type { PromptDiff, PromptFileDiff, PromptSide } from './diffPromptChecks';

/** '+312', '-40', '0'. */
export function signedTokens(delta: number): string {
  return delta > 0 ? `+${formatTokens(delta)}` : formatTokens(delta);
}

/** '+$0.0031', '-$41.00', '$0.00'. */
export function signedUsd(delta: number): string {
  return delta > 0 ? `+${formatUsd(delta)}` : formatUsd(delta);
}

/** '≈' when a side's count is an estimate. */
export function diffApprox(change: Pick<PromptFileDiff, 'before' | 'after'>): string {
  return approxMark((change.before?.exact ?? true) && (change.after?.exact ?? true));
}

/** A file's change in one line: '+312 tok (+$41.00/month)', or per call where it has no call volume. */
export function describeFileDelta(change: PromptFileDiff): string {
  const approx = diffApprox(change);
  const tokens = `${approx}${signedTokens(change.delta.tokens)} tok`;
  if (change.monthly) return `${tokens} (${approx}${signedUsd(change.monthly.delta)}/month)`;
  if (change.delta.cost !== null && change.delta.cost !== 0) return `${tokens} (${approx}${signedUsd(change.delta.cost)}/call)`;
  return tokens;
}

/** 'before → after' of one figure; '—' stands for a side without the file or without a price. */
export function beforeAfter<T>(before: PromptSide | null, after: PromptSide | null, pick: (side: PromptSide) => T | null, show: (value: T) => string): string {
  const shown = (side: PromptSide | null) => {
    const value = side ? pick(side) : null;
    return value === null ? '—' : `${approxMark(side!.exact)}${show(value)}`;
  };
  return `${shown(before)} → ${shown(after)}`;
}

/** Where the monthly figures' calls come from, once each. */
export function callNotes(diff: Pick<PromptDiff, 'files'>): string[] {
  return [...new Set(diff.files.flatMap((change) => (change.monthly ? [change.monthly.note] : [])))];
}
