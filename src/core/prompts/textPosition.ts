// Offset <-> line/column conversion for turning TextRanges into Problems and back.
import type { TextRange } from '../types';

/** A 1-based line and column, as editors and CLIs print them. Columns count UTF-16 code units. */
export interface LinePosition {
  line: number;
  column: number;
}

const BOM = 0xfeff;

/**
 * Line starts of one text, built once; lookups are a binary search.
 * Line breaks are `\n`, `\r\n` and a lone `\r`, as in VS Code. A leading BOM takes no column:
 * offsets 0 and 1 of a text that starts with one both map to line 1, column 1, so positions match
 * what an editor shows whether or not the caller dropped the BOM.
 */
export class LineIndex {
  private readonly lineStarts: number[];
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
    const starts = [text.charCodeAt(0) === BOM ? 1 : 0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        starts.push(i + 1);
      } else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /** Number of lines (a text ending with a line break has an empty last line). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The 1-based line and column of a UTF-16 offset, clamped to the text. */
  positionAt(offset: number): LinePosition {
    const clamped = Math.max(0, Math.min(Number.isFinite(offset) ? Math.floor(offset) : 0, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: Math.max(0, clamped - this.lineStarts[low]) + 1 };
  }

  /** The UTF-16 offset of a 1-based line and column, clamped to the line and the text. */
  offsetAt(line: number, column: number): number {
    const lineIndex = Math.max(0, Math.min(Math.floor(line) - 1, this.lineStarts.length - 1));
    const start = this.lineStarts[lineIndex];
    let end = this.text.length;
    if (lineIndex + 1 < this.lineStarts.length) {
      // Stop before the line break, whichever of \n, \r\n or \r it is.
      end = this.lineStarts[lineIndex + 1] - 1;
      if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13 && end - 1 >= start) end--;
    }
    return Math.max(start, Math.min(start + Math.floor(column) - 1, end));
  }

  /** The UTF-16 offset where a 1-based line starts. */
  lineStart(line: number): number {
    return this.lineStarts[Math.max(0, Math.min(Math.floor(line) - 1, this.lineStarts.length - 1))];
  }
}

/**
 * Where findings about a whole prompt body are shown: its first non-blank line, without the
 * indentation or trailing blanks; the line the body starts on when it is all blank.
 */
export function bodyAnchor(text: string, body: TextRange): TextRange {
  const lineStart = (offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = (offset: number) => {
    const end = text.indexOf('\n', offset);
    const stop = end === -1 ? text.length : end;
    return stop > offset && text[stop - 1] === '\r' ? stop - 1 : stop;
  };
  const first = /\S/g;
  first.lastIndex = body.start;
  const found = first.exec(text);
  if (!found || found.index >= body.end) return { start: lineStart(body.start), end: lineEnd(body.start) };
  const end = lineEnd(found.index);
  let trimmed = end;
  while (trimmed > found.index && /\s/.test(text[trimmed - 1])) trimmed--;
  return { start: found.index, end: trimmed };
}
