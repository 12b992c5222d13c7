// What the Compare Models panel describes, and its selection kept on the text it covered while the
// document is edited.
import type * as vscode from 'vscode';

/** What the panel describes: a document, or a range of it (UTF-16 offsets, kept in step with edits). */
export interface CompareSubject {
  uri: vscode.Uri;
  selection?: { start: number; end: number };
}

/** Moves a selection's offsets with edits before it, and stretches it with edits inside it. */
export function shiftSelection(selection: { start: number; end: number }, changes: readonly vscode.TextDocumentContentChangeEvent[]) {
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

/** The selection within a text of `length`, or undefined when nothing of it is left. */
export function clampSelection(selection: { start: number; end: number }, length: number): { start: number; end: number } | undefined {
  const start = Math.min(selection.start, length);
  const end = Math.min(selection.end, length);
  return end > start ? { start, end } : undefined;
}
