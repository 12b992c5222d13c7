// The comparison as a user takes it away: Markdown on the clipboard, CSV in a file, both in the
// order the webview shows.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sortComparisonRows, type ModelComparisonRow } from '../core/count/compareModels';
import { comparisonTable } from '../core/count/comparisonTable';
import { toCsv } from '../core/report/toCsv';
import { toMarkdownTable } from '../core/report/toMarkdownTable';
import type { ComparisonSort } from './compareMessages';
import { log } from './log';

/** The comparison as Markdown: a one-line caption, then the table. */
export function comparisonMarkdown(rows: readonly ModelComparisonRow[], sort: ComparisonSort, title: string, outputNote: string | undefined): string {
  const table = comparisonTable(sortComparisonRows(rows, sort.key, sort.direction), 'display');
  const notes = [outputNote, rows.some((row) => !row.exact) ? '≈ = estimate (no public tokenizer, or its file not on this machine yet).' : undefined];
  return `Worst-case cost per call by model for ${title}. ${notes.filter(Boolean).join(' ')}\n\n${toMarkdownTable(table.headers, table.rows, table.align)}`;
}

/** The comparison as CSV with raw numbers; cells that could run as formulas are defused. */
export function comparisonCsv(rows: readonly ModelComparisonRow[], sort: ComparisonSort): string {
  const table = comparisonTable(sortComparisonRows(rows, sort.key, sort.direction), 'raw');
  return toCsv([table.headers, ...table.rows]);
}

/** "Copy as Markdown". */
export async function copyComparisonMarkdown(markdown: string): Promise<void> {
  await vscode.env.clipboard.writeText(markdown);
  void vscode.window.setStatusBarMessage('$(check) Comparison copied as Markdown', 3000);
}

/** "Save as CSV": asks where (beside the prompt, named after it), then writes with `write`. */
export async function saveComparisonCsv(subject: vscode.Uri | undefined, write: (target: vscode.Uri) => Promise<void>): Promise<void> {
  const folder = subject ? vscode.workspace.getWorkspaceFolder(subject)?.uri : undefined;
  const base = subject ? path.posix.basename(subject.path).replace(/\.[^.]*$/, '') : 'prompt';
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}-models.csv`) : undefined,
    filters: { CSV: ['csv'] },
    title: 'Save Model Comparison as CSV',
  });
  if (!target) return;
  try {
    await write(target);
    void vscode.window.showInformationMessage(`Saved the model comparison to ${vscode.workspace.asRelativePath(target)}.`);
  } catch (error) {
    log().error('Compare Models: saving the CSV failed', error);
    void vscode.window.showErrorMessage(`Prompt Budget: could not save ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
