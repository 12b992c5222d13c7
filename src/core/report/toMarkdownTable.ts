import { escapeMarkdownText } from './escapeMarkdownText';
import type { Cell } from './reportTable';

/** A GitHub-flavoured Markdown table; `|`, raw HTML and control characters in cells are escaped, line breaks become `<br>`. */
export function toMarkdownTable(headers: readonly string[], rows: readonly (readonly Cell[])[], align: readonly ('left' | 'right')[] = []): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  const separator = headers.map((_, index) => (align[index] === 'right' ? '---:' : '---'));
  const body = rows.map((row) => line(headers.map((_, index) => markdownCell(row[index]))));
  return [line(headers.map(markdownCell)), line(separator), ...body].join('\n') + '\n';
}

function markdownCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  return escapeMarkdownText(String(cell));
}
