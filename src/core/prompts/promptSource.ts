// What every format parser gets: the file name, its text (its BOM already dropped) and a line index.
import type { Problem, TextRange } from '../types';
import { LineIndex } from './textPosition';

/** The text of one prompt file and what is needed to position problems in it. */
export interface PromptSource {
  file: string;
  text: string;
  lines: LineIndex;
}

/** Builds a PromptSource for `text`, the file's text without its BOM. */
export function createPromptSource(file: string, text: string): PromptSource {
  return { file, text, lines: new LineIndex(text) };
}

/** An error Problem covering `range` of the source, with a one-line message. */
export function problemAt(source: PromptSource, range: TextRange, rule: string, message: string): Problem {
  const start = source.lines.positionAt(range.start);
  const end = source.lines.positionAt(Math.max(range.start, range.end));
  return {
    file: source.file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    severity: 'error',
    rule,
    message: firstLine(message),
  };
}

function firstLine(message: string): string {
  const line = message.split(/\r?\n|\r/, 1)[0].trim();
  return line.length > 0 ? line : 'Syntax error';
}
