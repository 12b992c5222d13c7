// Inline counts: a muted "· 312 tok" after the first line of each message or section.
// A long document gets them only around the lines in view, re-laid as it scrolls: sending 700
// decorations to the renderer took 10-50 ms of the extension host on every edit of a 1 MB prompt.
import * as vscode from 'vscode';
import { firstNonBlankLine } from './documentRanges';
import { formatTokens } from '../core/report/formatNumbers';
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
  /** The decorations last applied per document uri, with the version they show; VS Code has no API to read them back (tests do). */
  readonly applied = new Map<string, AppliedCounts>();
  // The lines each long document's editor has counts on: a scroll past them lays them out again.
  private readonly windows = new WeakMap<vscode.TextEditor, LineWindow>();
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
      vscode.window.onDidChangeTextEditorVisibleRanges(({ textEditor, visibleRanges }) => {
        const window = this.windows.get(textEditor);
        if (window && !coversView(window, visibleRanges)) this.decorate(textEditor);
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
    const segments = analysis.parsed.segments;
    // Short documents are decorated whole: no re-layout on scrolling.
    const window = segments.length > WHOLE_DOCUMENT_SEGMENTS ? lineWindow(editor.visibleRanges, document.lineCount) : undefined;
    if (window) this.windows.set(editor, window);
    else this.windows.delete(editor);
    const options = this.enabledFor(document.uri) ? inlineCountDecorations(document, analysis, window) : [];
    editor.setDecorations(this.decorationType, options);
    this.applied.set(document.uri.toString(), { version: analysis.version, decorations: options });
  }
}

/** What a document's editor shows: the decorations and the version they describe. */
export interface AppliedCounts {
  version: number;
  decorations: readonly vscode.DecorationOptions[];
}

/** Lines `first` to `last`, inclusive, of a document of `lineCount` lines. */
export interface LineWindow {
  first: number;
  last: number;
  lineCount: number;
}

// Up to this many sections, every one is decorated; a longer document, around the view only.
const WHOLE_DOCUMENT_SEGMENTS = 200;
// Lines decorated beyond each side of the view, at least: a short scroll needs no re-layout.
const WINDOW_MARGIN_LINES = 200;

/** The lines in view, and a margin of the larger of WINDOW_MARGIN_LINES and the view's height on each side. */
function lineWindow(visibleRanges: readonly vscode.Range[], lineCount: number): LineWindow {
  // An editor not laid out yet has no visible ranges: its view will open at the top (a scroll event follows if not).
  const first = visibleRanges.length > 0 ? Math.min(...visibleRanges.map((range) => range.start.line)) : 0;
  const last = visibleRanges.length > 0 ? Math.max(...visibleRanges.map((range) => range.end.line)) : 0;
  const margin = Math.max(WINDOW_MARGIN_LINES, last - first + 1);
  return { first: Math.max(0, first - margin), last: Math.min(lineCount - 1, last + margin), lineCount };
}

/** Whether the lines in view, and half a margin around them, lie inside the decorated window (or it reaches the document's edge). */
function coversView(window: LineWindow, visibleRanges: readonly vscode.Range[]): boolean {
  const slack = WINDOW_MARGIN_LINES / 2;
  return visibleRanges.every(
    (range) =>
      (window.first === 0 || range.start.line - slack >= window.first) &&
      (window.last >= window.lineCount - 1 || range.end.line + slack <= window.last),
  );
}

/**
 * One decoration per segment, at the end of its first non-blank line; given a window, for the
 * segments that overlap its lines only. A file with one segment that is not chat gets none: its
 * only count is the status bar's total, so repeating it would be noise.
 */
export function inlineCountDecorations(document: vscode.TextDocument, analysis: DocumentAnalysis, window?: LineWindow): vscode.DecorationOptions[] {
  const { segments } = analysis.parsed;
  if (segments.length < 2 && !analysis.parsed.isChat) return [];
  const approx = analysis.count.exact ? '' : '≈';
  const decorations: vscode.DecorationOptions[] = [];
  const from = window ? document.offsetAt(new vscode.Position(window.first, 0)) : 0;
  const to = window ? document.offsetAt(document.lineAt(window.last).range.end) : Number.POSITIVE_INFINITY;
  // Segments are in document order: the first one ending after the window's start, by bisection.
  let low = 0;
  for (let high = segments.length; low < high; ) {
    const middle = (low + high) >> 1;
    if (segments[middle].range.end <= from) low = middle + 1;
    else high = middle;
  }
  for (let index = low; index < segments.length && segments[index].range.start <= to; index++) {
    const segment = segments[index];
    const tokens = analysis.count.segmentTokens[index];
    const line = firstNonBlankLine(document, segment.range.start, segment.range.end);
    if (tokens === undefined || line === undefined) continue;
    const end = line.range.end;
    decorations.push({
      range: new vscode.Range(end, end),
      hoverMessage: `${segment.label}: ${approx}${formatTokens(tokens)} tokens`,
      renderOptions: { after: { contentText: `· ${approx}${formatTokens(tokens)} tok` } },
    });
  }
  return decorations;
}

