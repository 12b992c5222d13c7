// What the Compare Models panel shows for its subject: the models to compare, counted in the prompt
// service's worker and priced by the core, as the one message the webview renders.
import * as vscode from 'vscode';
import { compareCountedModels, describeOutputBasis, describeSources, formatComparisonRow, sortComparisonRows, type ModelComparisonRow } from '../core/count/compareModels';
import { defaultCompareSet } from '../core/catalog/compareDefaults';
import { formatInteger } from '../core/report/formatNumbers';
import type { ModelInfo } from '../core/types';
import type { ComparisonSort, RowsMessage } from './compareMessages';
import { clampSelection, type CompareSubject } from './compareSubject';
import type { PromptSettingsResolver } from './promptSettingsResolver';
import type { PromptDocuments } from './promptDocuments';
import { readSettings } from './settings';

/** What one comparison produced: the rows (for the exports) and the message the webview shows. */
export interface ComparisonResult {
  rows: ModelComparisonRow[];
  message: RowsMessage;
}

/** The `promptBudget.compareModels` models, else a current set of one or two per major provider. */
export function comparedModels(uri: vscode.Uri | undefined, contexts: PromptSettingsResolver): { models: ModelInfo[]; unknown: string[] } {
  const catalog = contexts.catalogFor(uri);
  const ids = readSettings(uri).compareModels.map((id) => id.trim()).filter(Boolean);
  if (ids.length === 0) return { models: defaultCompareSet(catalog), unknown: [] };
  const models = new Map<string, ModelInfo>();
  const unknown: string[] = [];
  for (const id of ids) {
    const resolution = catalog.resolve(id);
    if ('model' in resolution) models.set(resolution.model.id, resolution.model);
    else unknown.push(id);
  }
  return { models: [...models.values()], unknown };
}

/** Counts the subject (a document, or its selection) for each compared model, rows in `sort` order. */
export async function countComparison(subject: CompareSubject | undefined, sort: ComparisonSort, documents: PromptDocuments, contexts: PromptSettingsResolver): Promise<ComparisonResult> {
  if (!subject) return emptyComparison('No prompt', 'Open a prompt file and run Prompt Budget: Compare Models.', subject, sort);
  // An untitled document exists only while it is open: opening its URI again would make a new, empty one.
  const open = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === subject.uri.toString());
  if (!open && subject.uri.scheme === 'untitled') return emptyComparison('The prompt was closed', 'Open a prompt file and run Prompt Budget: Compare Models.', subject, sort);
  const document = open ?? (await vscode.workspace.openTextDocument(subject.uri));
  const { models, unknown } = comparedModels(document.uri, contexts);
  const tokenizers = [...new Set(models.map((model) => model.tokenizer))];
  const selection = subject.selection && clampSelection(subject.selection, document.getText().length);
  const text = selection ? document.getText().slice(selection.start, selection.end) : document.getText();
  // A selection is counted as the plain text it is; its frontmatter (if any) is the document's.
  const fileName = selection ? 'selection.txt' : parseName(document);
  const counted = tokenizers.length > 0 ? await documents.countText(fileName, text, tokenizers) : undefined;
  const declared = counted?.parsed.maxOutputTokens ?? (selection ? documents.get(document.uri)?.parsed.maxOutputTokens : undefined);
  const parsed = counted ? { ...counted.parsed, maxOutputTokens: declared } : undefined;
  const countedModels = models.filter((model) => counted?.byTokenizer[model.tokenizer]);
  // The expected output of the prompt's budget (or the setting), as the status bar uses it.
  const expectedOutputTokens = documents.get(document.uri)?.context.expectedOutputTokens;
  const counts = parsed && counted ? compareCountedModels(parsed, countedModels, (tokenizer) => counted.byTokenizer[tokenizer]!, expectedOutputTokens) : [];
  const rows = sortComparisonRows(counts, sort.key, sort.direction);
  const message: RowsMessage = {
    command: 'rows',
    subject: describeSubject(document, selection),
    // Sources go out once, as notes: the rows need only their figures.
    rows: rows.map(({ sources: _sources, ...row }, index) => ({ row, shown: formatComparisonRow(rows[index], 'editor') })),
    notes: {
      output: describeOutputBasis(rows, declared?.value),
      sources: describeSources(rows),
      estimates: rows.some((row) => !row.exact),
      unknownModels: unknown,
    },
    state: { uri: subject.uri.toString(), selection, sort },
  };
  return { rows: counts, message };
}

/** No rows, a title and the problem that says why. */
export function emptyComparison(title: string, problem: string, subject: CompareSubject | undefined, sort: ComparisonSort): ComparisonResult {
  return {
    rows: [],
    message: {
      command: 'rows',
      subject: { title, detail: '' },
      rows: [],
      notes: { output: '', sources: [], estimates: false, unknownModels: [], problem },
      state: { uri: subject?.uri.toString(), selection: subject?.selection, sort },
    },
  };
}

/** The name the worker parses the document as; untitled documents get one for their language. */
function parseName(document: vscode.TextDocument): string {
  if (document.uri.scheme !== 'untitled') return document.fileName;
  return document.languageId === 'markdown' ? 'untitled.md' : 'untitled.txt';
}

function describeSubject(document: vscode.TextDocument, selection: { start: number; end: number } | undefined): RowsMessage['subject'] {
  const name = document.uri.scheme === 'untitled' ? document.uri.path : vscode.workspace.asRelativePath(document.uri);
  if (!selection) return { title: name, detail: 'The whole prompt, updated as you edit.' };
  const first = document.positionAt(selection.start).line + 1;
  const last = document.positionAt(selection.end).line + 1;
  const lines = first === last ? `line ${first}` : `lines ${first}–${last}`;
  const characters = formatInteger(selection.end - selection.start);
  return { title: name, detail: `Selection: ${lines} (${characters} characters), counted as plain text.` };
}
