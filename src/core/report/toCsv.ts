import { escapeTerminalText } from './escapeTerminalText';
import type { Cell } from './reportTable';

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection, OWASP).
const FORMULA_START = /^[=+\-@\t\r]/;

/** CSV per RFC 4180 (CRLF, quoted where needed), with text cells that could run as formulas prefixed by `'` and control characters escaped. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

function csvCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return numberText(cell);
  let text = String(cell);
  if (typeof cell === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  // Line breaks and tabs are quoted; other control characters (escape sequences from a log) are written visibly.
  text = text.replace(/[^\t\r\n]+/g, escapeTerminalText);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Plain decimal notation: spreadsheets and scripts misread "1e-7", and float noise is dropped. */
function numberText(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
}
