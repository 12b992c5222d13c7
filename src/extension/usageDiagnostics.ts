// Quota diagnostics on prompt-budget.yaml: a warning at a quota's limit once it passes `warnAt`, an
// error once it is over. The folder's owner (WorkspaceBudgets) shows them in the one diagnostic
// collection, beside the config's own problems.
import * as vscode from 'vscode';
import { CONFIG_FILE_NAMES } from '../core/config/findConfigFile';
import { quotaProblems } from '../core/usage/quotaProblems';
import type { UsageLogs } from './usageLogs';
import type { WorkspaceBudgets } from './workspaceBudgets';

/** Keeps the quota diagnostics current; reading starts once a config file is open (or the view or dashboard is shown). */
export function registerUsageDiagnostics(context: vscode.ExtensionContext, logs: UsageLogs, budgets: WorkspaceBudgets): void {
  let shownOn: vscode.Uri[] = [];
  const update = () => {
    const snapshots = logs.snapshots;
    for (const folder of shownOn) if (!snapshots.some((snapshot) => snapshot.folder.toString() === folder.toString())) budgets.setUsageProblems(folder, []);
    for (const snapshot of snapshots) {
      if (!snapshot.config.usage) continue;
      budgets.setUsageProblems(snapshot.folder, quotaProblems(snapshot.configUri.fsPath, snapshot.config.usage.quotas, snapshot.report.quotas));
    }
    shownOn = snapshots.map((snapshot) => snapshot.folder);
  };
  const isConfig = (document: vscode.TextDocument) => CONFIG_FILE_NAMES.some((name) => document.uri.path.endsWith(`/${name}`));
  context.subscriptions.push(
    logs.onDidChange(update),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isConfig(document)) void logs.start();
    }),
  );
  if (vscode.workspace.textDocuments.some(isConfig)) void logs.start();
}
