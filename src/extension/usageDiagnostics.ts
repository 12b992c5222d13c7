// Quota diagnostics on prompt-budget.yaml: a warning at a quota's limit once it passes `warnAt`, an
// error once it is over. They have their own collection because the config's other diagnostics
// are replaced wholesale by the config reader whenever the file changes.
import * as vscode from 'vscode';
import { CONFIG_FILE_NAMES } from '../core/config/findConfigFile';
import { quotaProblems } from '../core/usage/quotaProblems';
import { toDiagnostic } from './problemDiagnostics';
import type { UsageLogs, UsageSnapshot } from './usageLogs';

/** Keeps the quota diagnostics current; reading starts once a config file is open (or the view or dashboard is shown). */
export function registerUsageDiagnostics(context: vscode.ExtensionContext, logs: UsageLogs): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('promptBudgetUsage');
  let shownOn: vscode.Uri | undefined;
  const update = (snapshot: UsageSnapshot | undefined) => {
    if (shownOn) collection.delete(shownOn);
    shownOn = undefined;
    if (!snapshot?.config.usage) return;
    const problems = quotaProblems(snapshot.configUri.fsPath, snapshot.config.usage.quotas, snapshot.report.quotas);
    collection.set(snapshot.configUri, problems.map(toDiagnostic));
    shownOn = snapshot.configUri;
  };
  const isConfig = (document: vscode.TextDocument) => CONFIG_FILE_NAMES.some((name) => document.uri.path.endsWith(`/${name}`));
  context.subscriptions.push(
    collection,
    logs.onDidChange(update),
    vscode.workspace.onDidOpenTextDocument((document) => {
      if (isConfig(document)) void logs.start();
    }),
  );
  if (vscode.workspace.textDocuments.some(isConfig)) void logs.start();
  return collection;
}
