// "Show Token Boundaries": the tokens of the selection (or of a small document) in alternating
// backgrounds, as tokenizer playgrounds show them. They stay until hidden or the document is edited.
import * as vscode from 'vscode';
import { formatInteger } from '../core/report/formatNumbers';
import { isEstimate } from '../core/tokenize/estimateProfiles';
import type { TokenizerId } from '../core/types';
import { COMMAND } from './commandIds';
import { registerCommand } from './log';
import type { PromptDocuments } from './promptDocuments';

/** Above this many characters the whole document is not coloured: the user selects a part. */
export const WHOLE_DOCUMENT_LIMIT = 20_000;
const CONTEXT_KEY = 'promptBudget.boundariesShown';

/** The tokens shown in one document: every other token in each of the two colours. */
export interface ShownBoundaries {
  version: number;
  tokenizer: TokenizerId;
  first: vscode.Range[];
  second: vscode.Range[];
}

export function registerTokenBoundaries(context: vscode.ExtensionContext, documents: PromptDocuments): TokenBoundaries {
  const boundaries = new TokenBoundaries(documents);
  context.subscriptions.push(
    boundaries,
    registerCommand(COMMAND.showTokenBoundaries, () => boundaries.showInActiveEditor()),
    registerCommand(COMMAND.hideTokenBoundaries, () => boundaries.hide(vscode.window.activeTextEditor?.document.uri)),
  );
  return boundaries;
}

export class TokenBoundaries implements vscode.Disposable {
  private readonly firstType = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('promptBudget.tokenBoundaryBackground1'),
  });
  private readonly secondType = vscode.window.createTextEditorDecorationType({
    backgroundColor: new vscode.ThemeColor('promptBudget.tokenBoundaryBackground2'),
  });
  /** Boundaries shown per document uri (tests read them: decorations cannot be read back). */
  readonly shown = new Map<string, ShownBoundaries>();
  private readonly disposables: vscode.Disposable[] = [];
  private generation = 0;

  constructor(
    private readonly documents: PromptDocuments,
  ) {
    this.disposables.push(
      this.firstType,
      this.secondType,
      // Offsets are only true for the text they were computed on.
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0 && this.shown.has(event.document.uri.toString())) this.hide(event.document.uri);
      }),
      vscode.workspace.onDidCloseTextDocument((document) => this.shown.delete(document.uri.toString())),
      // An editor that is shown again (reopened tab, split) gets its colours back.
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.apply(editor);
      }),
      vscode.window.onDidChangeActiveTextEditor(() => this.updateContextKey()),
    );
  }

  /** Colours the active editor's selections, or its whole text when small; returns what was shown. */
  async showInActiveEditor(): Promise<ShownBoundaries | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const document = editor.document;
    const selections = editor.selections.filter((selection) => !selection.isEmpty);
    let ranges: vscode.Range[] = selections;
    if (ranges.length === 0) {
      if (document.getText().length > WHOLE_DOCUMENT_LIMIT) {
        void vscode.window.showInformationMessage(
          `This document is over ${formatInteger(WHOLE_DOCUMENT_LIMIT)} characters: select the text whose token boundaries you want to see.`,
        );
        return undefined;
      }
      ranges = [new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length))];
    }
    // One decoration per token: a select-all of a large file would be millions of them.
    const selectedLength = ranges.reduce((sum, range) => sum + document.offsetAt(range.end) - document.offsetAt(range.start), 0);
    if (selectedLength > WHOLE_DOCUMENT_LIMIT) {
      void vscode.window.showInformationMessage(
        `The selection is over ${formatInteger(WHOLE_DOCUMENT_LIMIT)} characters: select less text to see its token boundaries.`,
      );
      return undefined;
    }
    const tokenizer = this.documents.tokenizerFor(document.uri);
    const version = document.version;
    const generation = ++this.generation;
    const shown: ShownBoundaries = { version, tokenizer, first: [], second: [] };
    for (const range of [...ranges].sort((a, b) => a.start.compareTo(b.start))) {
      const start = document.offsetAt(range.start);
      const ends = await this.documents.tokenBoundaries(document.getText(range), tokenizer);
      let previous = 0;
      ends.forEach((end, index) => {
        const token = new vscode.Range(document.positionAt(start + previous), document.positionAt(start + end));
        (index % 2 === 0 ? shown.first : shown.second).push(token);
        previous = end;
      });
    }
    // Typed over or asked again while the worker was busy: this result no longer applies.
    if (generation !== this.generation || document.version !== version) return undefined;
    this.shown.set(document.uri.toString(), shown);
    for (const visible of vscode.window.visibleTextEditors) this.apply(visible);
    this.updateContextKey();
    if (isEstimate(tokenizer)) {
      void vscode.window.showInformationMessage('Token boundaries are approximate: the count is an estimate for this model (its tokenizer is not public, or its file is not on this machine yet; the status bar tooltip says which).');
    }
    return shown;
  }

  /** Clears the boundaries of a document. */
  hide(uri: vscode.Uri | undefined): void {
    if (!uri) return;
    this.shown.delete(uri.toString());
    for (const editor of vscode.window.visibleTextEditors) {
      if (editor.document.uri.toString() === uri.toString()) this.apply(editor);
    }
    this.updateContextKey();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.shown.clear();
  }

  private apply(editor: vscode.TextEditor): void {
    const shown = this.shown.get(editor.document.uri.toString());
    editor.setDecorations(this.firstType, shown?.first ?? []);
    editor.setDecorations(this.secondType, shown?.second ?? []);
  }

  private updateContextKey(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    void vscode.commands.executeCommand('setContext', CONTEXT_KEY, uri !== undefined && this.shown.has(uri.toString()));
  }

  // The prompt's own tokenizer; for any other file, the one of the model it would be counted for.

}
