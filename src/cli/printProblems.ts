import type { Problem } from '../core/types';

/** `file:line:column: severity: message`, the shape editors and CI logs link. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}`;
}
