// The usage ledger's surfaces: the logs read once for all of them, the Prompt Usage view, the
// dashboard and the quota diagnostics. Logs are read when a surface is first shown, never here.
import * as vscode from 'vscode';
import { registerAgentStatusBar, type AgentStatusBar } from './agentStatusBar';
import { AgentUsage } from './agentUsage';
import { registerUsageDashboard, type UsageDashboard } from './usageDashboard';
import { registerUsageDiagnostics } from './usageDiagnostics';
import { UsageLogs } from './usageLogs';
import { registerUsageTree, type UsageTreeProvider } from './usageTree';
import type { WorkspaceBudgets } from './workspaceBudgets';
import type { WorkspaceScan } from './workspaceScan';

export interface UsageSurfaces {
  logs: UsageLogs;
  tree: UsageTreeProvider;
  dashboard: UsageDashboard;
  /** The coding agents' usage, read only when the user lists agents. */
  agents: AgentUsage;
  agentStatusBar: AgentStatusBar;
}

/** Registers the usage view, dashboard and diagnostics over the folders' configs; a budget's prompt count comes from the workspace scan. */
export function registerUsageLedger(context: vscode.ExtensionContext, budgets: WorkspaceBudgets, scan: WorkspaceScan): UsageSurfaces {
  const agents = new AgentUsage();
  const logs = new UsageLogs(budgets, agents);
  context.subscriptions.push(logs, agents);
  const promptTokensOf = (name: string) => {
    const evaluation = scan
      .folders()
      .flatMap((folder) => folder.check?.budgets ?? [])
      .find((candidate) => candidate.name === name);
    return evaluation ? { tokens: evaluation.tokens, exact: evaluation.exact } : undefined;
  };
  const tree = registerUsageTree(context, logs, promptTokensOf, agents);
  // A budget's own count appears in the usage view once the scan has counted it.
  context.subscriptions.push(scan.onDidChange(() => tree.refresh()));
  const dashboard = registerUsageDashboard(context, logs, agents);
  registerUsageDiagnostics(context, logs, budgets);
  const agentStatusBar = registerAgentStatusBar(context, agents);
  return { logs, tree, dashboard, agents, agentStatusBar };
}
