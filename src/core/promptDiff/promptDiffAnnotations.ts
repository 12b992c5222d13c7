// `prompt-budget diff --format github`: workflow commands that GitHub Actions shows on the pull
// request's files. New problems are errors or warnings; each changed prompt gets a notice with its delta.
import type { PromptDiff } from './diffPromptChecks';
import { describeFileDelta } from './diffWording';

/** Workflow command lines, one per new problem and one per changed prompt file. */
export function promptDiffAnnotations(diff: PromptDiff): string[] {
  const lines: string[] = [];
  for (const problem of diff.problems) {
    const level = problem.severity === 'error' ? 'error' : 'warning';
    lines.push(`::${level} ${properties({ file: problem.file, line: problem.line, col: problem.column, title: `Prompt Budget: ${problem.rule}` })}::${data(problem.message)}`);
  }
  for (const change of diff.files) {
    if (change.status === 'deleted') continue;
    const from = change.previousFile ? `, renamed from ${change.previousFile}` : '';
    const message = `${describeFileDelta(change)} against ${diff.base} (${change.status}${from})`;
    lines.push(`::notice ${properties({ file: change.file, line: 1, title: 'Prompt Budget: prompt changed' })}::${data(message)}`);
  }
  return lines;
}

/** A workflow command's message: %, CR and LF are encoded, as the runner decodes them. */
function data(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's properties: their values also encode ':' and ','. */
function properties(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([key, value]) => `${key}=${data(String(value)).replace(/:/g, '%3A').replace(/,/g, '%2C')}`)
    .join(',');
}
