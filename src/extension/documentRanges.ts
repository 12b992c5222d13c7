import * as vscode from 'vscode';
import type { TextRange } from '../core/types';

/** A core offset range as an editor range. */
export function toRange(document: vscode.TextDocument, range: TextRange): vscode.Range {
  return new vscode.Range(document.positionAt(range.start), document.positionAt(range.end));
}

/** The first line with text between two offsets (where a segment's count or a body's finding goes). */
export function firstNonBlankLine(document: vscode.TextDocument, start: number, end: number): vscode.TextLine | undefined {
  const first = document.positionAt(start).line;
  const last = document.positionAt(Math.max(start, end - 1)).line;
  for (let line = first; line <= last; line++) {
    const textLine = document.lineAt(line);
    if (!textLine.isEmptyOrWhitespace) return textLine;
  }
  return undefined;
}
