// The comparison's columns, defined once: the Markdown and CSV exports show them all, the CLI's
// terminal table a subset, with the same labels (exports add the unit where a cell is a bare number).
import type { Cell, Table } from '../report/reportTable';
import { formatComparisonRow, perThousandCalls, type ComparisonDisplayRow, type ModelComparisonRow } from './compareModels';

/** How a comparison is laid out: raw numbers (CSV), the text people read (Markdown), or that text for a terminal. */
export type ComparisonTableStyle = 'raw' | 'display' | 'terminal';

interface ComparisonColumn {
  label: string;
  /** Cells of this column are amounts in USD: the raw and Markdown headers say so; shown cells carry `$`. */
  usd?: true;
  /** Text columns are left-aligned, figures right-aligned. */
  text?: true;
  raw(row: ModelComparisonRow): Cell;
  shown(row: ModelComparisonRow, shown: ComparisonDisplayRow): string;
}

const COLUMNS = {
  model: { label: 'model', text: true, raw: (row) => row.modelName, shown: (_, shown) => shown.model },
  modelId: { label: 'model id', text: true, raw: (row) => row.modelId, shown: (_, shown) => shown.modelId },
  provider: { label: 'provider', text: true, raw: (row) => row.provider, shown: (_, shown) => shown.provider },
  tokens: { label: 'tokens', raw: (row) => row.tokens, shown: (_, shown) => shown.tokens },
  exact: { label: 'exact', text: true, raw: (row) => row.exact, shown: (row) => (row.exact ? 'yes' : 'estimate') },
  input: { label: 'input', usd: true, raw: (row) => row.inputCost, shown: (_, shown) => shown.inputCost },
  expectedOutputTokens: { label: 'expected output tokens', raw: (row) => row.expectedOutputTokens, shown: (_, shown) => shown.expectedOutputTokens },
  expectedPerCall: { label: 'expected per call', usd: true, raw: (row) => row.expectedCostPerCall, shown: (_, shown) => shown.expectedCostPerCall },
  worstCaseOutputTokens: { label: 'worst-case output tokens', raw: (row) => row.outputTokens, shown: (_, shown) => shown.outputTokens },
  outputBasis: { label: 'output basis', text: true, raw: (row) => row.outputBasis, shown: (row) => row.outputBasis },
  worstCaseOutputCost: { label: 'worst-case output cost', usd: true, raw: (row) => row.outputCost, shown: (_, shown) => shown.outputCost },
  worstCasePerCall: { label: 'worst case', usd: true, raw: (row) => row.costPerCall, shown: (_, shown) => shown.costPerCall },
  worstCasePerThousand: { label: 'worst case per 1,000 calls', usd: true, raw: perThousandCalls, shown: (_, shown) => shown.perThousandCalls },
  contextWindow: { label: 'context window', raw: (row) => row.contextWindow, shown: (_, shown) => shown.contextWindow },
  contextUsed: { label: 'context used', raw: (row) => row.contextShare, shown: (_, shown) => shown.context },
} satisfies Record<string, ComparisonColumn>;

type ColumnId = keyof typeof COLUMNS;

const EXPORT_COLUMNS: readonly ColumnId[] = [
  'model',
  'modelId',
  'provider',
  'tokens',
  'exact',
  'input',
  'expectedOutputTokens',
  'expectedPerCall',
  'worstCaseOutputTokens',
  'outputBasis',
  'worstCaseOutputCost',
  'worstCasePerCall',
  'worstCasePerThousand',
  'contextWindow',
  'contextUsed',
];
// The three figures of every surface (input, expected per call, worst case), then context used.
const TERMINAL_COLUMNS: readonly ColumnId[] = ['modelId', 'tokens', 'input', 'expectedPerCall', 'worstCasePerCall', 'worstCaseOutputTokens', 'worstCasePerThousand', 'contextUsed'];
// Least needed first: per 1,000 follows from per call; the worst-case output is said above the table.
const TERMINAL_OPTIONAL: readonly ColumnId[] = ['worstCasePerThousand', 'worstCaseOutputTokens', 'expectedPerCall'];

export interface ComparisonTable extends Table {
  /** Each column's alignment: text left, figures right. */
  align: ('left' | 'right')[];
  /** Columns a narrow terminal may leave out, the first to go first. */
  optional: number[];
}

/**
 * The comparison as a table: raw numbers (CSV: empty cells for unknowns, shares as fractions), the
 * display text of every column (Markdown: "≈1,234", "$0.0031", "n/a"), or the terminal's columns.
 */
export function comparisonTable(rows: readonly ModelComparisonRow[], style: ComparisonTableStyle): ComparisonTable {
  const ids = style === 'terminal' ? TERMINAL_COLUMNS : EXPORT_COLUMNS;
  const columns: ComparisonColumn[] = ids.map((id) => COLUMNS[id]);
  return {
    headers: columns.map((column) => (column.usd && style !== 'terminal' ? `${column.label} (USD)` : column.label)),
    rows: rows.map((row) => {
      if (style === 'raw') return columns.map((column) => column.raw(row));
      const shown = formatComparisonRow(row);
      return columns.map((column) => column.shown(row, shown));
    }),
    align: columns.map((column) => (column.text ? 'left' : 'right')),
    optional: style === 'terminal' ? TERMINAL_OPTIONAL.map((id) => ids.indexOf(id)) : [],
  };
}
