// What one prompt file earns against the budgets that match it, on its own: the per-call limits and
// a model declared over the budget's. The editor's diagnostics show these; `prompt-budget check`
// reaches the same findings through the whole budget's evaluation.
import type { PromptAnalysis, PromptFinding } from '../count/analyzePrompt';
import type { Budget } from '../config/budgetConfig';
import { evaluateBudget } from './evaluateBudget';
import type { ModelCatalog } from '../catalog/modelCatalog';
import { fileUsage } from './checkWorkspace';
import { modelMismatchFinding } from './modelMismatch';

/** Per-file budget findings (ranged over the prompt's body, shown at bodyAnchor) and model mismatches (at the declared model). */
export function fileBudgetFindings(relativePath: string, analysis: PromptAnalysis, budgets: readonly Budget[], catalog: ModelCatalog): PromptFinding[] {
  const findings: PromptFinding[] = [];
  for (const budget of budgets) {
    const evaluation = evaluateBudget(budget, [fileUsage(relativePath, analysis)]);
    // Only the per-file limits: the monthly cost belongs to the whole budget (tree and config file).
    for (const finding of evaluation.findings) {
      if (finding.file !== undefined) findings.push({ rule: finding.rule, severity: finding.severity, message: finding.message, range: analysis.parsed.bodyRange });
    }
    const mismatch = modelMismatchFinding(analysis, budget, catalog);
    if (mismatch) findings.push(mismatch);
  }
  return findings;
}
