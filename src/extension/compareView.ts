// "Prompt Budget: Compare Models": one webview panel with the current prompt (or selection)
// priced across models. Counting happens in the service's worker; the webview only renders.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  COMPARISON_RIGHT_ALIGNED,
  COMPARISON_SORT_KEYS,
  compareCountedModels,
  comparisonTable,
  describeOutputBasis,
  describeSources,
  formatComparisonRow,
  sortComparisonRows,
  type ComparisonDisplayRow,
  type ComparisonSortKey,
  type ModelComparisonRow,
  type SortDirection,
} from '../core/count/compareModels';
import { defaultCompareSet } from '../core/catalog/compareDefaults';
import { formatInteger, formatUsd } from '../core/report/formatNumbers';
import { toCsv } from '../core/report/toCsv';
import { toMarkdownTable } from '../core/report/toMarkdownTable';
import type { ModelInfo } from '../core/types';
import { COMMAND } from './commandIds';
import { log, registerCommand } from './log';
import type { PromptContexts } from './promptContexts';
import type { PromptDocuments } from './promptDocuments';
import { readSettings } from './settings';
import { webviewOptions, webviewPage } from './webviewPage';

/** The webview panel type; the serializer and the `onWebviewPanel:` activation event use it. */
export const COMPARE_VIEW_TYPE = 'promptBudget.compare';

const UPDATE_DELAY_MS = 300;

/** The sort the webview shows; copies and saves follow it. */
export interface ComparisonSort {
  key: ComparisonSortKey;
  direction: SortDirection;
}

/** What the panel describes: a document, or a range of it (UTF-16 offsets, kept in step with edits). */
export interface CompareSubject {
  uri: vscode.Uri;
  selection?: { start: number; end: number };
}

/** What one comparison produced: the rows (for the exports) and the message the webview shows. */
interface ComparisonResult {
  rows: ModelComparisonRow[];
  message: RowsMessage;
}

/** The one message the extension posts: everything the webview shows. */
export interface RowsMessage {
  command: 'rows';
  subject: { title: string; detail: string };
  rows: { row: Omit<ModelComparisonRow, 'sources'>; shown: ComparisonDisplayRow }[];
  notes: { output: string; sources: string[]; estimates: boolean; unknownModels: string[]; problem?: string };
  /** Persisted by the webview (`setState`) so the serializer can restore the panel after a reload. */
  state: PersistedState;
}

interface PersistedState {
  uri?: string;
  selection?: { start: number; end: number };
  sort?: ComparisonSort;
}

type IncomingMessage = { command: 'ready' | 'addModel' } | { command: 'copyMarkdown' | 'saveCsv'; sort?: ComparisonSort };

const DEFAULT_SORT: ComparisonSort = { key: 'costPerCall', direction: 'ascending' };

/** Registers the command and the serializer; returns the views so tests can look at the open panel. */
export function registerCompareView(context: vscode.ExtensionContext, documents: PromptDocuments, contexts: PromptContexts): CompareViews {
  const views = new CompareViews(context.extensionUri, documents, contexts);
  context.subscriptions.push(
    views,
    registerCommand(COMMAND.compareModels, (resource?: unknown) => views.showForEditor(resource instanceof vscode.Uri ? resource : undefined)),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: unknown) => views.restore(panel, persistedState(state)),
    }),
  );
  return views;
}

/** Keeps the one compare panel: creates it, reveals it, restores it after a reload. */
export class CompareViews implements vscode.Disposable {
  private view: CompareView | undefined;
  private readonly posted = new vscode.EventEmitter<RowsMessage>();
  /** Fires after each update is posted to the webview. */
  readonly onDidPostRows = this.posted.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly documents: PromptDocuments,
    private readonly contexts: PromptContexts,
  ) {}

  /** The open panel, if any. */
  get current(): CompareView | undefined {
    return this.view;
  }

  /** Shows the comparison for the active editor's prompt, or its selection if one is made. */
  showForEditor(resource?: vscode.Uri): void {
    const editor = vscode.window.activeTextEditor;
    let subject: CompareSubject | undefined;
    if (editor && (!resource || resource.toString() === editor.document.uri.toString())) {
      const { selection, document } = editor;
      subject = selection.isEmpty
        ? { uri: document.uri }
        : { uri: document.uri, selection: { start: document.offsetAt(selection.start), end: document.offsetAt(selection.end) } };
    } else if (resource) {
      subject = { uri: resource };
    }
    if (!subject) {
      // Run from the panel itself (no text editor is active): just bring it forward.
      if (this.view) this.view.reveal();
      else void vscode.window.showInformationMessage('Open a prompt file to compare models.');
      return;
    }
    if (this.view) {
      this.view.setSubject(subject);
      this.view.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Compare Models', vscode.ViewColumn.Beside, webviewOptions(this.extensionUri));
    this.adopt(panel, subject, DEFAULT_SORT);
  }

  /** Brings back a panel VS Code kept across a reload. */
  restore(panel: vscode.WebviewPanel, state: PersistedState): void {
    this.view?.dispose();
    panel.webview.options = webviewOptions(this.extensionUri);
    const subject = state.uri ? { uri: vscode.Uri.parse(state.uri), selection: state.selection } : undefined;
    this.adopt(panel, subject, state.sort ?? DEFAULT_SORT);
  }

  dispose(): void {
    this.view?.dispose();
    this.posted.dispose();
  }

  private adopt(panel: vscode.WebviewPanel, subject: CompareSubject | undefined, sort: ComparisonSort): void {
    const view = new CompareView(panel, this.extensionUri, subject, sort, this.documents, this.contexts, (message) => this.posted.fire(message));
    this.view = view;
    panel.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }
}

/** One compare panel: recounts its subject when it changes and answers the webview's buttons. */
export class CompareView implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private ready = false;
  private disposed = false;
  private rows: ModelComparisonRow[] = [];
  private last: RowsMessage | undefined;
  /** The HTML last rendered (with that render's nonce). */
  readonly html: string;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private subject: CompareSubject | undefined,
    private sort: ComparisonSort,
    private readonly documents: PromptDocuments,
    private readonly contexts: PromptContexts,
    private readonly onPosted: (message: RowsMessage) => void,
  ) {
    this.html = renderHtml(panel.webview, extensionUri);
    panel.webview.html = this.html;
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview is torn down; when shown again its script starts afresh and says 'ready'.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.webview.onDidReceiveMessage((message: unknown) =>
        this.handleMessage(message).catch((error: unknown) => {
          log().error('Compare Models: answering the webview failed', error);
          void vscode.window.showErrorMessage(`Prompt Budget: ${error instanceof Error ? error.message : String(error)}`);
        }),
      ),
      documents.onDidAnalyze((analysis) => {
        if (this.isSubject(analysis.uri)) this.schedule();
      }),
      // Text edits also cover documents the service does not count (a selection in any file),
      // and keep a selection's offsets on the text that was selected.
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (!this.isSubject(event.document.uri) || event.contentChanges.length === 0) return;
        if (this.subject?.selection) this.subject.selection = shiftSelection(this.subject.selection, event.contentChanges);
        this.schedule();
      }),
      contexts.onDidChange(() => this.schedule()),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (this.isSubject(document.uri) && document.uri.scheme === 'untitled') this.schedule();
      }),
    );
    void this.update();
  }

  /** The latest message posted to the webview (what it shows). */
  get lastMessage(): RowsMessage | undefined {
    return this.last;
  }

  /** Whether the webview's script has started and asked for rows. */
  get isReady(): boolean {
    return this.ready;
  }

  reveal(): void {
    this.panel.reveal(undefined, false);
  }

  setSubject(subject: CompareSubject): void {
    this.subject = subject;
    void this.update();
  }

  /** The comparison as Markdown: a one-line caption, then the table, in the webview's order. */
  markdown(sort: ComparisonSort = this.sort): string {
    const { title } = this.last?.subject ?? { title: 'prompt' };
    const rows = sortComparisonRows(this.rows, sort.key, sort.direction);
    const table = comparisonTable(rows, 'display');
    const notes = [this.last?.notes.output, this.rows.some((row) => !row.exact) ? '≈ = estimate (no public tokenizer).' : undefined];
    return `Worst-case cost per call by model for ${title}. ${notes.filter(Boolean).join(' ')}\n\n${toMarkdownTable(table.headers, table.rows, COMPARISON_RIGHT_ALIGNED)}`;
  }

  /** The comparison as CSV with raw numbers; cells that could run as formulas are defused. */
  csv(sort: ComparisonSort = this.sort): string {
    const table = comparisonTable(sortComparisonRows(this.rows, sort.key, sort.direction), 'raw');
    return toCsv([table.headers, ...table.rows]);
  }

  /** Writes the CSV to `target` (the save dialog's choice). */
  async saveCsvTo(target: vscode.Uri, sort: ComparisonSort = this.sort): Promise<void> {
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(this.csv(sort)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    for (const disposable of this.disposables) disposable.dispose();
    this.panel.dispose();
  }

  private isSubject(uri: vscode.Uri): boolean {
    return this.subject !== undefined && uri.toString() === this.subject.uri.toString();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), UPDATE_DELAY_MS);
  }

  private async update(): Promise<void> {
    clearTimeout(this.timer);
    const generation = ++this.generation;
    const result = await this.compare().catch((error: unknown): ComparisonResult => {
      log().error('Compare Models: counting failed', error);
      return this.emptyResult('Could not count this prompt', error instanceof Error ? error.message : String(error));
    });
    // A newer update started while this one counted: its result wins, for the view and the exports.
    if (generation !== this.generation || this.disposed) return;
    this.rows = result.rows;
    this.last = result.message;
    this.post();
  }

  private async compare(): Promise<ComparisonResult> {
    const subject = this.subject;
    if (!subject) return this.emptyResult('No prompt', 'Open a prompt file and run Prompt Budget: Compare Models.');
    // An untitled document exists only while it is open: opening its URI again would make a new, empty one.
    const open = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === subject.uri.toString());
    if (!open && subject.uri.scheme === 'untitled') return this.emptyResult('The prompt was closed', 'Open a prompt file and run Prompt Budget: Compare Models.');
    const document = open ?? (await vscode.workspace.openTextDocument(subject.uri));
    const { models, unknown } = this.modelsFor(document.uri);
    const tokenizers = [...new Set(models.map((model) => model.tokenizer))];
    const selection = subject.selection && clampSelection(subject.selection, document.getText().length);
    const text = selection ? document.getText().slice(selection.start, selection.end) : document.getText();
    // A selection is counted as the plain text it is; its frontmatter (if any) is the document's.
    const fileName = selection ? 'selection.txt' : parseName(document);
    const counted = tokenizers.length > 0 ? await this.documents.countText(fileName, text, tokenizers) : undefined;
    const declared = counted?.parsed.maxOutputTokens ?? (selection ? this.documents.get(document.uri)?.parsed.maxOutputTokens : undefined);
    const parsed = counted ? { ...counted.parsed, maxOutputTokens: declared } : undefined;
    const countedModels = models.filter((model) => counted?.byTokenizer[model.tokenizer]);
    // The expected output of the prompt's budget (or the setting), as the status bar uses it.
    const expectedOutputTokens = this.documents.get(document.uri)?.context.expectedOutputTokens;
    const counts = parsed && counted ? compareCountedModels(parsed, countedModels, (tokenizer) => counted.byTokenizer[tokenizer]!, expectedOutputTokens) : [];
    const rows = sortComparisonRows(counts, this.sort.key, this.sort.direction);
    const message: RowsMessage = {
      command: 'rows',
      subject: describeSubject(document, selection),
      // Sources go out once, as notes: the rows need only their figures.
      rows: rows.map(({ sources: _sources, ...row }, index) => ({ row, shown: formatComparisonRow(rows[index]) })),
      notes: {
        output: describeOutputBasis(rows, declared?.value),
        sources: describeSources(rows),
        estimates: rows.some((row) => !row.exact),
        unknownModels: unknown,
      },
      state: { uri: subject.uri.toString(), selection, sort: this.sort },
    };
    return { rows: counts, message };
  }

  /** The `promptBudget.compareModels` models, else a current set of one or two per major provider. */
  private modelsFor(uri: vscode.Uri | undefined): { models: ModelInfo[]; unknown: string[] } {
    const catalog = this.contexts.catalogFor(uri);
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

  private emptyResult(title: string, problem: string): ComparisonResult {
    return { rows: [], message: this.emptyMessage(title, problem) };
  }

  private emptyMessage(title: string, problem: string): RowsMessage {
    return {
      command: 'rows',
      subject: { title, detail: '' },
      rows: [],
      notes: { output: '', sources: [], estimates: false, unknownModels: [], problem },
      state: { uri: this.subject?.uri.toString(), selection: this.subject?.selection, sort: this.sort },
    };
  }

  private post(): void {
    if (!this.ready || !this.last || this.disposed) return;
    const message = this.last;
    void this.panel.webview.postMessage(message).then((delivered) => {
      if (delivered) this.onPosted(message);
    });
  }

  /** Answers a message from the webview; anything but the known commands is logged and dropped. */
  async handleMessage(raw: unknown): Promise<void> {
    const message = incomingMessage(raw);
    if (!message) {
      log().warn(`Compare Models: ignored an unexpected message from the webview: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.command) {
      case 'ready':
        // Also after the webview reloads (hidden and shown again): send it what it shows.
        this.ready = true;
        this.post();
        return;
      case 'copyMarkdown':
        this.sort = message.sort ?? this.sort;
        return this.copyMarkdown();
      case 'saveCsv':
        this.sort = message.sort ?? this.sort;
        return this.saveCsv();
      case 'addModel':
        return this.addModel();
    }
  }

  /** "Add model…": any model of the catalog joins promptBudget.compareModels (the default set first, when the setting is empty). */
  private async addModel(): Promise<void> {
    const uri = this.subject?.uri;
    const catalog = this.contexts.catalogFor(uri);
    const shown = new Set(this.modelsFor(uri).models.map((model) => model.id));
    const picks = catalog
      .list()
      .filter((model) => !shown.has(model.id) && model.maxOutputTokens !== 0)
      .map((model) => ({
        label: `${model.name}${model.deprecated ? ' (deprecated)' : ''}`,
        description: `${model.id} · ${model.providerName ?? model.provider}`,
        detail: model.pricing ? `${formatUsd(model.pricing.inputPerMillion)} in / ${formatUsd(model.pricing.outputPerMillion)} out per 1M tokens` : 'price unknown',
        id: model.id,
      }));
    const picked = await vscode.window.showQuickPick(picks, {
      title: 'Prompt Budget: Add Model to Comparison',
      placeHolder: 'Type a model id, provider or name',
      matchOnDescription: true,
    });
    if (!picked) return;
    const config = vscode.workspace.getConfiguration('promptBudget', uri);
    const ids = [...shown, picked.id];
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await config.update('compareModels', ids, target);
  }

  private async copyMarkdown(): Promise<void> {
    await vscode.env.clipboard.writeText(this.markdown());
    void vscode.window.setStatusBarMessage('$(check) Comparison copied as Markdown', 3000);
  }

  private async saveCsv(): Promise<void> {
    const folder = this.subject ? vscode.workspace.getWorkspaceFolder(this.subject.uri)?.uri : undefined;
    const base = this.subject ? path.posix.basename(this.subject.uri.path).replace(/\.[^.]*$/, '') : 'prompt';
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, `${base}-models.csv`) : undefined,
      filters: { CSV: ['csv'] },
      title: 'Save Model Comparison as CSV',
    });
    if (!target) return;
    try {
      await this.saveCsvTo(target);
      void vscode.window.showInformationMessage(`Saved the model comparison to ${vscode.workspace.asRelativePath(target)}.`);
    } catch (error) {
      log().error('Compare Models: saving the CSV failed', error);
      void vscode.window.showErrorMessage(`Prompt Budget: could not save ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** The page: static structure only; the script fills it from the `rows` message. */
export function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const header = (label: string, key?: ComparisonSortKey, numeric = false, extraClass = '') =>
    key
      ? `<th scope="col" data-sort="${key}" class="${numeric ? 'numeric' : ''} ${extraClass}" aria-sort="none"><button type="button" class="sort">${label}<span class="sort-mark" aria-hidden="true"></span></button></th>`
      : `<th scope="col" class="${numeric ? 'numeric' : ''} ${extraClass}">${label}</th>`;
  return webviewPage(webview, extensionUri, {
    name: 'compareView',
    title: 'Compare Models',
    body: `  <header class="top">
    <div>
      <h1 id="subject-title">Compare Models</h1>
      <p id="subject-detail" class="muted">Counting…</p>
    </div>
    <div class="actions">
      <button type="button" id="copy-markdown">Copy as Markdown</button>
      <button type="button" id="save-csv" class="secondary">Save as CSV</button>
      <button type="button" id="add-model" class="secondary">Add model…</button>
    </div>
  </header>
  <p id="problem" class="problem" role="alert" hidden></p>
  <p id="output-note" class="note"></p>
  <p id="unknown-models" class="note warning" hidden></p>
  <div class="table-wrap">
    <table id="comparison">
      <caption class="visually-hidden">Tokens and cost per call by model; column headers sort the table</caption>
      <thead>
        <tr>
          ${header('Model', 'model')}
          ${header('Tokens', 'tokens', true)}
          ${header('Input', 'inputCost', true, 'input-cost')}
          ${header('Expected per call', 'expectedCostPerCall', true)}
          ${header('Worst-case output', 'outputCost', true)}
          ${header('Worst case per call', 'costPerCall', true)}
          ${header('Worst case per 1,000 calls', undefined, true, 'per-thousand')}
          ${header('Context used <span class="block muted sub">input; with worst-case output below</span>', 'contextShare')}
        </tr>
      </thead>
      <tbody id="rows"></tbody>
    </table>
  </div>
  <p id="empty" class="muted" hidden>No models to compare. Check the <code>promptBudget.compareModels</code> setting.</p>
  <section class="chart-section" aria-labelledby="chart-title">
    <h2 id="chart-title">Worst-case cost per call</h2>
    <ol id="chart" class="chart"></ol>
  </section>
  <footer>
    <p id="estimate-note" class="muted" hidden>≈ marks estimates: these models have no public tokenizer, so their tokens and input cost are approximate (purple bars in the chart).</p>
    <ul id="sources" class="sources muted"></ul>
  </footer>`,
  });
}

/** Checks a message from the webview: only the known commands, with a well-formed sort. */
function incomingMessage(raw: unknown): IncomingMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { command, sort } = raw as { command?: unknown; sort?: unknown };
  if (command === 'ready' || command === 'addModel') return { command };
  if (command !== 'copyMarkdown' && command !== 'saveCsv') return undefined;
  if (sort === undefined) return { command };
  const parsed = comparisonSort(sort);
  return parsed ? { command, sort: parsed } : undefined;
}

function comparisonSort(raw: unknown): ComparisonSort | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const { key, direction } = raw as { key?: unknown; direction?: unknown };
  const knownKey = COMPARISON_SORT_KEYS.find((candidate) => candidate === key);
  if (!knownKey || (direction !== 'ascending' && direction !== 'descending')) return undefined;
  return { key: knownKey, direction };
}

/** The webview's saved state, checked: it comes back from storage after a reload. */
function persistedState(raw: unknown): PersistedState {
  if (!raw || typeof raw !== 'object') return {};
  const { uri, selection, sort } = raw as Record<string, unknown>;
  const state: PersistedState = {};
  if (typeof uri === 'string' && uri !== '') state.uri = uri;
  if (selection && typeof selection === 'object') {
    const { start, end } = selection as Record<string, unknown>;
    if (Number.isInteger(start) && Number.isInteger(end) && (start as number) >= 0 && (end as number) > (start as number)) {
      state.selection = { start: start as number, end: end as number };
    }
  }
  state.sort = comparisonSort(sort);
  return state;
}

/** Moves a selection's offsets with edits before it, and stretches it with edits inside it. */
function shiftSelection(selection: { start: number; end: number }, changes: readonly vscode.TextDocumentContentChangeEvent[]) {
  let { start, end } = selection;
  // Changes are reported with offsets into the text before the event, last change first.
  for (const change of changes) {
    const changeEnd = change.rangeOffset + change.rangeLength;
    const delta = change.text.length - change.rangeLength;
    if (changeEnd <= start) {
      start += delta;
      end += delta;
    } else if (change.rangeOffset < end) {
      end = Math.max(start, end + delta);
    }
  }
  return { start, end };
}

function clampSelection(selection: { start: number; end: number }, length: number): { start: number; end: number } | undefined {
  const start = Math.min(selection.start, length);
  const end = Math.min(selection.end, length);
  return end > start ? { start, end } : undefined;
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
