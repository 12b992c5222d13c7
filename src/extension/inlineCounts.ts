// Inline counts: a muted "· 312 tok" after the first line of each message or section.
import * as vscode from 'vscode';
import { firstNonBlankLine } from './documentRanges';
import { formatTokens } from '../core/catalog/format';
import { COMMAND } from './commandIds';
import { registerCommand } from './log';
import type { DocumentAnalysis, PromptDocuments } from './promptDocuments';
import { onDidChangeSettings, readSettings, SETTINGS_SECTION } from './settings';

/** "Prompt Budget: Toggle Inline Token Counts" and the decorations it shows or hides. */
export function registerInlineCounts(context: vscode.ExtensionContext, documents: PromptDocuments): InlineCounts {
  const inlineCounts = new InlineCounts(documents);
  context.subscriptions.push(inlineCounts, registerCommand(COMMAND.toggleInlineCounts, () => inlineCounts.toggle()));
  return inlineCounts;
}

/**
 * Decorates visible prompt editors from the shared analysis (never recounts).
 * The toggle command is a session override of `promptBudget.inlineCounts.enabled`: it flips the
 * counts in this window without writing the user's settings; changing the setting ends the override.
 */
export class InlineCounts implements vscode.Disposable {
  private readonly decorationType = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('promptBudget.inlineCountForeground'), margin: '0 0 0 1.5em' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly disposables: vscode.Disposable[] = [];
  /** The decorations last applied per document uri; VS Code has no API to read them back (tests do). */
  readonly applied = new Map<string, readonly vscode.DecorationOptions[]>();
  private sessionOverride: boolean | undefined;

  constructor(private readonly documents: PromptDocuments) {
    this.disposables.push(
      this.decorationType,
      documents.onDidAnalyze((analysis) => {
        for (const editor of vscode.window.visibleTextEditors) {
          if (editor.document.uri.toString() === analysis.uri.toString()) this.decorate(editor, analysis);
        }
      }),
      documents.onDidForget((uri) => this.applied.delete(uri.toString())),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) this.decorate(editor);
      }),
      onDidChangeSettings((event) => {
        if (!event.affectsConfiguration(`${SETTINGS_SECTION}.inlineCounts.enabled`)) return;
        this.sessionOverride = undefined;
        this.refreshAll();
      }),
    );
    this.refreshAll();
  }

  /** Whether counts show for a document: the session toggle if used, else the setting. */
  enabledFor(uri: vscode.Uri): boolean {
    return this.sessionOverride ?? readSettings(uri).inlineCounts;
  }

  /** Flips the counts for this window, starting from what the active editor shows. */
  toggle(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    this.sessionOverride = !(this.sessionOverride ?? readSettings(uri).inlineCounts);
    this.refreshAll();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.applied.clear();
  }

  private refreshAll(): void {
    for (const editor of vscode.window.visibleTextEditors) this.decorate(editor);
  }

  private decorate(editor: vscode.TextEditor, analysis = this.documents.get(editor.document.uri)): void {
    const document = editor.document;
    // A result for an older version would put counts on lines that have moved; the next one comes.
    if (!analysis || analysis.version !== document.version) return;
    const options = this.enabledFor(document.uri) ? inlineCountDecorations(document, analysis) : [];
    editor.setDecorations(this.decorationType, options);
    this.applied.set(document.uri.toString(), options);
  }
}

/**
 * One decoration per segment, at the end of its first non-blank line. A file with one segment that
 * is not chat gets none: its only count is the status bar's total, so repeating it would be noise.
 */
export function inlineCountDecorations(document: vscode.TextDocument, analysis: DocumentAnalysis): vscode.DecorationOptions[] {
  const { segments } = analysis.parsed;
  if (segments.length < 2 && !analysis.parsed.isChat) return [];
  const approx = analysis.count.exact ? '' : '≈';
  const decorations: vscode.DecorationOptions[] = [];
  segments.forEach((segment, index) => {
    const tokens = analysis.count.segmentTokens[index];
    const line = firstNonBlankLine(document, segment.range.start, segment.range.end);
    if (tokens === undefined || line === undefined) return;
    const end = line.range.end;
    decorations.push({
      range: new vscode.Range(end, end),
      hoverMessage: `${segment.label}: ${approx}${formatTokens(tokens)} tokens`,
      renderOptions: { after: { contentText: `· ${approx}${formatTokens(tokens)} tok` } },
    });
  });
  return decorations;
}

