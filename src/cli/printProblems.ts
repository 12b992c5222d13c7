import { escapeTerminalText } from '../core/report/escapeTerminalText';
import type { Problem } from '../core/types';

/** `file:line:column: severity: message`, the shape editors and CI logs link; control characters escaped so no name forges a line. */
export function formatProblem(problem: Problem): string {
  return `${escapeTerminalText(problem.file)}:${problem.line}:${problem.column}: ${problem.severity}: ${escapeTerminalText(problem.message)}`;
}
