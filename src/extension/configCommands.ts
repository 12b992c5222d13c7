// The budgets view's config actions: create, open, and export a report (the CLI's `report`).
import * as vscode from 'vscode';
import { CONFIG_FILE_NAMES, findConfigFile } from '../core/config/findConfigFile';
import { starterConfig } from '../core/config/starterConfig';
import { renderReport, type ReportFormat } from '../core/report/renderReport';
import { checkUnderFolder, combineChecks } from '../core/check/checkUnderFolder';
import type { WorkspaceCheck } from '../core/check/checkWorkspace';
import { COMMAND } from './commandIds';
import { log, registerCommand } from './log';
import type { WorkspaceBudgets } from './workspaceBudgets';
import type { WorkspaceScan } from './workspaceScan';

interface FormatPick extends vscode.QuickPickItem {
  format: ReportFormat;
}

const FORMAT_PICKS: FormatPick[] = [
  { label: 'CSV', description: 'raw numbers, for spreadsheets', format: 'csv' },
  { label: 'JSON', description: 'versioned shape for scripts', format: 'json' },
  { label: 'Markdown', description: 'a table for pull requests and wikis', format: 'md' },
];

const SAVE_FILTERS: Record<ReportFormat, Record<string, string[]>> = {
  csv: { CSV: ['csv'] },
  json: { JSON: ['json'] },
  md: { Markdown: ['md'] },
};

export function registerConfigCommands(context: vscode.ExtensionContext, budgets: WorkspaceBudgets, scan: WorkspaceScan): void {
  // The JSON report names the tool's version: the extension's own, the same as the CLI's it ships with.
  const toolVersion = String((context.extension.packageJSON as { version?: unknown }).version ?? '');
  context.subscriptions.push(
    registerCommand(COMMAND.createConfig, (folderUri?: vscode.Uri) => createConfig(folderUri)),
    registerCommand(COMMAND.openConfig, () => openConfig(budgets)),
    // Arguments let tests and keybindings skip the pickers: (format, target file, folder).
    registerCommand(COMMAND.exportReport, (format?: ReportFormat, target?: vscode.Uri, folderUri?: vscode.Uri) =>
      exportReport(budgets, scan, toolVersion, format, target, folderUri),
    ),
  );
}

async function createConfig(folderUri?: vscode.Uri): Promise<void> {
  const folder = folderUri ? vscode.workspace.getWorkspaceFolder(folderUri) : await pickFolder('Create prompt-budget.yaml in');
  if (!folder) {
    if (!vscode.workspace.workspaceFolders?.length) void vscode.window.showInformationMessage('Open a folder to create a budget config in it.');
    return;
  }
  const existing = await existingConfig(folder);
  if (existing) {
    await vscode.window.showTextDocument(existing);
    void vscode.window.showInformationMessage(`${vscode.workspace.asRelativePath(existing)} already exists; opened it.`);
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE_NAMES[0]);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(starterConfig()));
  log().info(`Created ${uri.toString()}`);
  await vscode.window.showTextDocument(uri);
}

async function openConfig(budgets: WorkspaceBudgets): Promise<void> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const withConfig = budgets.all().filter((state) => state.configUri);
  const state = (active && budgets.folderOf(active)?.configUri ? budgets.folderOf(active) : undefined) ?? (withConfig.length === 1 ? withConfig[0] : undefined);
  if (state?.configUri) {
    await vscode.window.showTextDocument(state.configUri);
    return;
  }
  if (withConfig.length > 1) {
    // Workspace folders' and packages' configs alike.
    const picked = await vscode.window.showQuickPick(
      withConfig.map((candidate) => ({ label: vscode.workspace.asRelativePath(candidate.configUri!, true), uri: candidate.configUri! })),
      { placeHolder: 'Open the budget config' },
    );
    if (picked) await vscode.window.showTextDocument(picked.uri);
    return;
  }
  const create = 'Create Budget Config';
  const answer = await vscode.window.showInformationMessage('This workspace has no prompt-budget.yaml.', create);
  if (answer === create) await vscode.commands.executeCommand(COMMAND.createConfig);
}

async function exportReport(
  budgets: WorkspaceBudgets,
  scan: WorkspaceScan,
  toolVersion: string,
  format?: ReportFormat,
  target?: vscode.Uri,
  folderUri?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const folder = folderUri ? vscode.workspace.getWorkspaceFolder(folderUri) : await pickFolder('Export the budget report of');
  if (!folder) return undefined;
  const chosen = format ?? (await vscode.window.showQuickPick(FORMAT_PICKS, { title: 'Prompt Budget: Export Budget Report', placeHolder: 'Format' }))?.format;
  if (!chosen) return undefined;
  const file =
    target ??
    (await vscode.window.showSaveDialog({
      title: 'Export Budget Report',
      defaultUri: vscode.Uri.joinPath(folder.uri, `prompt-budget-report.${chosen}`),
      filters: SAVE_FILTERS[chosen],
    }));
  if (!file) return undefined;
  await scan.whenIdle();
  // The folder's own config and its packages', as `prompt-budget report` from the folder shows them.
  const scans = scan.folders().filter((candidate) => candidate.folder.workspaceFolder.uri.toString() === folder.uri.toString() && candidate.check);
  if (scans.length === 0) throw new Error(`No prompt files scanned in ${folder.name}.`);
  const check = combineChecks(
    scans.map((each) => {
      // Each config's own problems first, then its files', as `prompt-budget report` lists them.
      const configProblems = budgets.folderOf(each.folder.uri)?.problems ?? [];
      const named = namedFromFolder(each.check!, each.folder.relativeRoot, each.config?.file);
      return { ...named, problems: [...configProblems, ...named.problems] };
    }),
  );
  // The same text as `prompt-budget report --format <format>` prints for the folder.
  const text = renderReport(check, chosen, toolVersion);
  await vscode.workspace.fs.writeFile(file, new TextEncoder().encode(text));
  log().info(`Exported the budget report of ${folder.name} to ${file.toString()}`);
  if (!target) {
    const open = 'Open';
    void vscode.window.showInformationMessage(`Budget report saved to ${vscode.workspace.asRelativePath(file)}.`, open).then((answer) => {
      if (answer === open) void vscode.window.showTextDocument(file);
    });
  }
  return file;
}

async function existingConfig(folder: vscode.WorkspaceFolder): Promise<vscode.Uri | undefined> {
  const found = await findConfigFile(async (name) => {
    const uri = vscode.Uri.joinPath(folder.uri, name);
    await vscode.workspace.fs.stat(uri);
    return uri;
  });
  return found?.found;
}

async function pickFolder(placeHolder: string): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length <= 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder });
}

/** A config folder's check named from its workspace folder: files and problems get the folder's path in front (its config is named so already). */
function namedFromFolder(check: WorkspaceCheck, relativeRoot: string, configFile: string | undefined): WorkspaceCheck {
  if (relativeRoot === '') return check;
  const under = checkUnderFolder(check, relativeRoot);
  return { ...under, problems: check.problems.map((problem) => (problem.file === configFile ? problem : { ...problem, file: `${relativeRoot}/${problem.file}` })) };
}
