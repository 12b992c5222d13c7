// The usage ledger's surfaces: the logs read once for all of them, the Prompt Usage view, the
// dashboard and the quota diagnostics. Logs are read when a surface is first shown, never here.
import * as vscode from 'vscode';
import { registerAgentStatusBar, type AgentStatusBar } from './agentStatusBar';
import { AgentUsage } from './agentUsage';
import type { BudgetTreeProvider } from './budgetTree';
import { registerUsageDashboard, type UsageDashboard } from './usageDashboard';
import { registerUsageDiagnostics } from './usageDiagnostics';
import { UsageLogs } from './usageLogs';
import { registerUsageTree, type UsageTreeProvider } from './usageTree';

export interface UsageSurfaces {
  logs: UsageLogs;
  tree: UsageTreeProvider;
  dashboard: UsageDashboard;
  /** The coding agents' usage, read only when the user lists agents. */
  agents: AgentUsage;
  agentStatusBar: AgentStatusBar;
}

/** Registers the usage view, dashboard and diagnostics; a budget's prompt count comes from the budgets view. */
export function registerUsageLedger(context: vscode.ExtensionContext, budgetTree: BudgetTreeProvider): UsageSurfaces {
  const agents = new AgentUsage();
  const logs = new UsageLogs(agents);
  context.subscriptions.push(logs, agents);
  const promptTokensOf = (name: string) => {
    const node = budgetTree.getChildren().find((candidate) => candidate.kind === 'budget' && candidate.evaluation.name === name);
    return node?.kind === 'budget' ? { tokens: node.evaluation.tokens, exact: node.evaluation.exact } : undefined;
  };
  const tree = registerUsageTree(context, logs, promptTokensOf, agents);
  // A budget's own count appears in the usage view once the budgets view has counted it.
  context.subscriptions.push(budgetTree.onDidChangeTreeData(() => tree.refresh()));
  const dashboard = registerUsageDashboard(context, logs, agents);
  registerUsageDiagnostics(context, logs);
  const agentStatusBar = registerAgentStatusBar(context, agents);
  return { logs, tree, dashboard, agents, agentStatusBar };
}
