import type { BudgetEvaluation, FileUsage } from '../check/evaluateBudget';
import type { Problem } from '../types';

export interface JsonReportInput {
  budgets: readonly BudgetEvaluation[];
  /** Prompt files no budget matched. */
  unbudgeted?: readonly FileUsage[];
  problems: readonly Problem[];
}

/** The JSON report: a versioned shape that scripts can rely on. */
export interface JsonReport {
  reportVersion: 1;
  tool: { name: 'prompt-budget'; version: string };
  summary: { budgets: number; over: number; warning: number; ok: number; errors: number; warnings: number };
  budgets: readonly BudgetEvaluation[];
  unbudgeted: readonly FileUsage[];
  problems: readonly Problem[];
}

/** The report as pretty-printed JSON with a summary, ending in a newline. */
export function toJson(input: JsonReportInput, options: { toolVersion: string }): string {
  const count = (status: BudgetEvaluation['status']): number => input.budgets.filter((budget) => budget.status === status).length;
  const report: JsonReport = {
    reportVersion: 1,
    tool: { name: 'prompt-budget', version: options.toolVersion },
    summary: {
      budgets: input.budgets.length,
      over: count('over'),
      warning: count('warning'),
      ok: count('ok'),
      errors: input.problems.filter((problem) => problem.severity === 'error').length,
      warnings: input.problems.filter((problem) => problem.severity === 'warning').length,
    },
    budgets: input.budgets,
    unbudgeted: input.unbudgeted ?? [],
    problems: input.problems,
  };
  // Infinity (a ratio against a zero limit) has no JSON form; null says "no finite value".
  return JSON.stringify(report, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2) + '\n';
}
