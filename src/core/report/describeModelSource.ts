import type { ModelSource } from '../count/analyzePrompt';

/** Where the model a prompt is counted for came from, in a few plain words ("declared in file", "its budget 'Support'"). */
export function describeModelSource(source: ModelSource, budgetName?: string): string {
  switch (source) {
    case 'file':
      return 'declared in file';
    case 'budget':
      return budgetName === undefined ? 'its budget' : `its budget '${budgetName}'`;
    case 'picker':
      return 'picked for this workspace';
    case 'cli':
      return '--model';
    case 'config':
      return 'defaultModel of prompt-budget.yaml';
    case 'setting':
      return 'the promptBudget.defaultModel setting';
    case 'default':
      return 'default';
  }
}
