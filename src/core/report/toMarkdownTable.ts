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
  // Text from logs and file names is data: `<script>` or `<img onerror>` in a model id must show as written.
  return String(cell)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n|\r/g, '<br>')
    // eslint-disable-next-line no-control-regex -- control characters are what this finds
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `&#${c.charCodeAt(0)};`);
}
