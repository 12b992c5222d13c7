// The usage ledger's surfaces: the logs read once for all of them, the Prompt Usage view, the
// dashboard and the quota diagnostics. Logs are read when a surface is first shown, never here.
import * as vscode from 'vscode';
import type { BudgetTreeProvider } from './budgetTree';
import { registerUsageDashboard, type UsageDashboard } from './usageDashboard';
import { registerUsageDiagnostics } from './usageDiagnostics';
import { UsageLogs } from './usageLogs';
import { registerUsageTree, type UsageTreeProvider } from './usageTree';

export interface UsageSurfaces {
  logs: UsageLogs;
  tree: UsageTreeProvider;
  dashboard: UsageDashboard;
}

/** Registers the usage view, dashboard and diagnostics; a budget's prompt count comes from the budgets view. */
export function registerUsageLedger(context: vscode.ExtensionContext, budgetTree: BudgetTreeProvider): UsageSurfaces {
  const logs = new UsageLogs();
  context.subscriptions.push(logs);
  const promptTokensOf = (name: string) => {
    const node = budgetTree.getChildren().find((candidate) => candidate.kind === 'budget' && candidate.evaluation.name === name);
    return node?.kind === 'budget' ? { tokens: node.evaluation.tokens, exact: node.evaluation.exact } : undefined;
  };
  const tree = registerUsageTree(context, logs, promptTokensOf);
  // A budget's own count appears in the usage view once the budgets view has counted it.
  context.subscriptions.push(budgetTree.onDidChangeTreeData(() => tree.refresh()));
  const dashboard = registerUsageDashboard(context, logs);
  registerUsageDiagnostics(context, logs);
  return { logs, tree, dashboard };
}
