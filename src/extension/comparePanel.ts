// One Compare Models panel: recounts its subject when the prompt, its selection or the settings
// change, and answers the webview's buttons. Counting happens in the prompt service's worker.
import * as vscode from 'vscode';
import type { ModelComparisonRow } from '../core/count/compareModels';
import { formatUsd } from '../core/report/formatNumbers';
import { comparedModels, countComparison, emptyComparison, type ComparisonResult } from './compareCounting';
import { comparisonCsv, comparisonMarkdown, copyComparisonMarkdown, saveComparisonCsv } from './compareExport';
import { incomingMessage, type ComparisonSort, type RowsMessage } from './compareMessages';
import { renderCompareHtml } from './comparePanelHtml';
import { shiftSelection, type CompareSubject } from './compareSubject';
import { log } from './log';
import type { PromptSettingsResolver } from './promptSettingsResolver';
import type { PromptDocuments } from './promptDocuments';

const UPDATE_DELAY_MS = 300;

/** One compare panel: recounts its subject when it changes and answers the webview's buttons. */
export class ComparePanel implements vscode.Disposable {
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
    private readonly contexts: PromptSettingsResolver,
    private readonly onPosted: (message: RowsMessage) => void,
  ) {
    this.html = renderCompareHtml(panel.webview, extensionUri);
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
    return comparisonMarkdown(this.rows, sort, this.last?.subject.title ?? 'prompt', this.last?.notes.output);
  }

  /** The comparison as CSV with raw numbers; cells that could run as formulas are defused. */
  csv(sort: ComparisonSort = this.sort): string {
    return comparisonCsv(this.rows, sort);
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
    const result = await countComparison(this.subject, this.sort, this.documents, this.contexts).catch((error: unknown): ComparisonResult => {
      log().error('Compare Models: counting failed', error);
      return emptyComparison('Could not count this prompt', error instanceof Error ? error.message : String(error), this.subject, this.sort);
    });
    // A newer update started while this one counted: its result wins, for the view and the exports.
    if (generation !== this.generation || this.disposed) return;
    this.rows = result.rows;
    this.last = result.message;
    this.post();
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
    const shown = new Set(comparedModels(uri, this.contexts).models.map((model) => model.id));
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

  private copyMarkdown(): Promise<void> {
    return copyComparisonMarkdown(this.markdown());
  }

  private saveCsv(): Promise<void> {
    return saveComparisonCsv(this.subject?.uri, (target) => this.saveCsvTo(target));
  }
}
