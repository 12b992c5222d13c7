import type { BudgetEvaluation, BudgetStatus, FileUsage } from '../check/evaluateBudget';

/** 'no-budget' marks a prompt file that no budget matched. */
export type ReportStatus = BudgetStatus | 'no-budget';

/** One line of a report: a budget's totals, or one prompt file within a budget (or within none). */
export interface ReportRow {
  level: 'budget' | 'file';
  /** Empty for files in no budget. */
  budget: string;
  /** Empty on budget rows. */
  file: string;
  /** On budget rows, the distinct models of its files. */
  model: string;
  /** Input tokens of one call; on budget rows, the largest file's. */
  tokens: number;
  exact: boolean;
  outputTokens?: number;
  /** USD per call; on budget rows, the dearest file's. */
  costPerCall?: number;
  /** USD for 30 days at callsPerDay; on budget rows, the sum over its files. */
  monthlyCost?: number;
  maxInputTokens?: number;
  maxTotalTokens?: number;
  maxCostPerCall?: number;
  maxMonthlyCost?: number;
  status: ReportStatus;
}

/** Rows for a report: each budget's totals followed by its files, then the files in no budget. */
export function reportRows(evaluations: readonly BudgetEvaluation[], unbudgeted: readonly FileUsage[] = []): ReportRow[] {
  const rows: ReportRow[] = [];
  for (const evaluation of evaluations) {
    const { maxInputTokens, maxTotalTokens, maxCostPerCall, maxMonthlyCost } = evaluation.budget;
    const limits = { maxInputTokens, maxTotalTokens, maxCostPerCall, maxMonthlyCost };
    rows.push({
      level: 'budget',
      budget: evaluation.name,
      file: '',
      model: [...new Set(evaluation.files.map((file) => file.model))].join(', '),
      tokens: evaluation.tokens,
      exact: evaluation.exact,
      costPerCall: evaluation.costPerCall,
      monthlyCost: evaluation.monthlyCost,
      ...limits,
      status: evaluation.status,
    });
    for (const file of evaluation.files) {
      rows.push({
        level: 'file',
        budget: evaluation.name,
        file: file.file,
        model: file.model,
        tokens: file.tokens,
        exact: file.exact,
        outputTokens: file.outputTokens,
        costPerCall: file.costPerCall,
        monthlyCost: file.monthlyCost,
        // The monthly cap belongs to the budget; a file row shows the per-call caps it is held to.
        ...limits,
        maxMonthlyCost: undefined,
        status: file.status,
      });
    }
  }
  for (const use of unbudgeted) {
    rows.push({
      level: 'file',
      budget: '',
      file: use.file,
      model: use.model,
      tokens: use.tokens,
      exact: use.exact,
      outputTokens: use.outputTokens,
      costPerCall: use.costPerCall,
      status: 'no-budget',
    });
  }
  return rows;
}
