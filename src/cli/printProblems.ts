import { escapeTerminalText, type Problem } from '../core';

/** `file:line: message` for a problem found in a log line (no column); a file that could not be opened has no line. Control characters escaped. */
export function formatLineProblem(problem: { file: string; line: number; message: string }): string {
  const file = escapeTerminalText(problem.file);
  const message = escapeTerminalText(problem.message);
  return problem.line > 0 ? `${file}:${problem.line}: ${message}` : `${file}: ${message}`;
}

/** `file:line:column: severity: message`, the shape editors and CI logs link; control characters escaped so no name forges a line. */
export function formatProblem(problem: Problem): string {
  return `${escapeTerminalText(problem.file)}:${problem.line}:${problem.column}: ${problem.severity}: ${escapeTerminalText(problem.message)}`;
}
