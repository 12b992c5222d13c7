// "Prompt Budget: Compare Models": one webview panel with the current prompt (or selection) priced
// across models. This file keeps that one panel; the panel itself is comparePanel.ts.
import * as vscode from 'vscode';
import { DEFAULT_SORT, persistedState, type ComparisonSort, type PersistedState, type RowsMessage } from './compareMessages';
import { ComparePanel } from './comparePanel';
import type { CompareSubject } from './compareSubject';
import { COMMAND } from './commandIds';
import { registerCommand } from './log';
import type { PromptSettingsResolver } from './promptSettingsResolver';
import type { PromptDocuments } from './promptDocuments';
import { webviewOptions } from './webviewPage';

/** The webview panel type; the serializer and the `onWebviewPanel:` activation event use it. */
export const COMPARE_VIEW_TYPE = 'promptBudget.compare';

/** Registers the command and the serializer; returns the views so tests can look at the open panel. */
export function registerCompareView(context: vscode.ExtensionContext, documents: PromptDocuments, contexts: PromptSettingsResolver): CompareViews {
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
  private view: ComparePanel | undefined;
  private readonly posted = new vscode.EventEmitter<RowsMessage>();
  /** Fires after each update is posted to the webview. */
  readonly onDidPostRows = this.posted.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly documents: PromptDocuments,
    private readonly contexts: PromptSettingsResolver,
  ) {}

  /** The open panel, if any. */
  get current(): ComparePanel | undefined {
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
    const view = new ComparePanel(panel, this.extensionUri, subject, sort, this.documents, this.contexts, (message) => this.posted.fire(message));
    this.view = view;
    panel.onDidDispose(() => {
      if (this.view === view) this.view = undefined;
    });
  }
}
