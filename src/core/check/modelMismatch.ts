// A file that declares its model wins over its budget's model; say so where the model is declared,
// so the budget's owner is not surprised. The workspace check and the editor's diagnostics share it.
import type { PromptAnalysis, PromptFinding } from '../count/analyzePrompt';
import type { Budget } from '../config/budgetConfig';
import type { ModelCatalog } from '../catalog/modelCatalog';

/** A 'model-mismatch' warning at the declared model when it differs from the budget's model; else undefined. */
export function modelMismatchFinding(
  analysis: PromptAnalysis,
  budget: Pick<Budget, 'name' | 'model'>,
  catalog: ModelCatalog,
): PromptFinding | undefined {
  const declared = analysis.parsed.model;
  if (!budget.model || !declared || analysis.resolved.source !== 'file') return undefined;
  const budgetModel = catalog.find(budget.model);
  if (!budgetModel || budgetModel.id === analysis.resolved.model?.id) return undefined;
  return {
    rule: 'model-mismatch',
    severity: 'warning',
    message: `This file declares ${declared.value}, which wins over ${budget.model}, the model of budget '${budget.name}'; it is counted and priced for ${declared.value}.`,
    range: declared.range,
  };
}
