// "Prompt Budget: Compare with HEAD": the table `prompt-budget diff --format md` prints, for the
// workspace folder, in VS Code's Markdown preview (which runs no scripts and loads nothing remote).
import * as vscode from 'vscode';
import { promptDiffMarkdown } from '../core/promptDiff/promptDiffMarkdown';
import { COMMAND } from './commandIds';
import { HeadDiffs } from './headDiffs';
import { registerCommand } from './log';
import type { PromptDocuments } from './promptDocuments';

/** Registers the command and the shared diffs against HEAD that the status bar and the budgets view show. */
export function registerCompareWithHead(context: vscode.ExtensionContext, documents: PromptDocuments): HeadDiffs {
  const headDiffs = new HeadDiffs((base, head, renames) => documents.diffSnapshots(base, head, renames));
  context.subscriptions.push(
    headDiffs,
    registerCommand(COMMAND.compareWithHead, async () => {
      // The active prompt's repository, else the first folder's.
      const target = [vscode.window.activeTextEditor?.document.uri, vscode.workspace.workspaceFolders?.[0]?.uri].find((uri) => uri && vscode.workspace.getWorkspaceFolder(uri));
      if (!target) {
        void vscode.window.showInformationMessage('Prompt Budget: open a folder in a git repository to compare its prompts with HEAD.');
        return undefined;
      }
      const diff = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Comparing prompts with HEAD' }, () => headDiffs.compare(target));
      if ('error' in diff) {
        void vscode.window.showWarningMessage(`Prompt Budget: ${diff.error}`);
        return undefined;
      }
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: promptDiffMarkdown(diff) });
      await vscode.commands.executeCommand('markdown.showPreview', document.uri);
      return document;
    }),
  );
  return headDiffs;
}
