export interface TableLayout {
  /** Right-align the figures: every column after the key columns. */
  alignRight?: boolean;
  /** How many leading columns are keys (names), left-aligned; 1 unless set. */
  keyColumns?: number;
  /** The terminal's width in characters; the table is fitted to it. */
  width?: number;
  /** Columns that may be left out to fit, least needed first. */
  optional?: readonly number[];
}

export interface FittedTable {
  lines: string[];
  /** Headers of the columns left out to fit the width. */
  omitted: string[];
}

const GAP = '  ';
/** The first column is cut with an ellipsis rather than below this many characters. */
const MIN_FIRST_COLUMN = 16;

/**
 * Lays out rows in aligned columns no wider than `layout.width`: optional columns are left out,
 * least needed first, then the first column (names) is cut with `…`.
 */
export function fitTable(header: string[], rows: string[][], layout: TableLayout = {}): FittedTable {
  const natural = header.map((title, column) => Math.max(title.length, ...rows.map((cells) => cells[column].length)));
  const kept = header.map((_, column) => column);
  const total = () => kept.reduce((sum, column) => sum + natural[column], 0) + GAP.length * (kept.length - 1);
  const omitted: string[] = [];
  if (layout.width !== undefined) {
    for (const column of layout.optional ?? []) {
      if (total() <= layout.width) break;
      const at = kept.indexOf(column);
      if (at <= 0) continue;
      kept.splice(at, 1);
      omitted.push(header[column]);
    }
  }
  const keyColumns = layout.keyColumns ?? 1;
  const widths = [...natural];
  if (layout.width !== undefined && total() > layout.width) {
    widths[0] = Math.max(MIN_FIRST_COLUMN, Math.min(natural[0], natural[0] - (total() - layout.width)));
  }
  const lines = [header, ...rows].map((cells) =>
    kept
      .map((column) => {
        const cell = cells[column].length > widths[column] ? `${cells[column].slice(0, widths[column] - 1)}…` : cells[column];
        return column >= keyColumns && layout.alignRight ? cell.padStart(widths[column]) : cell.padEnd(widths[column]);
      })
      .join(GAP)
      .trimEnd(),
  );
  return { lines, omitted };
}

/** The note that says which columns a fitted table left out, and where to find them. */
export function omittedNote(omitted: readonly string[], width: number): string | undefined {
  if (omitted.length === 0) return undefined;
  return `(left out to fit ${width} columns: ${omitted.join(', ')}; a wider terminal, COLUMNS=200 or --json shows them)`;
}
