import { approxMark, formatTokens, formatUsd } from './formatNumbers';
import type { ReportRow } from './reportRows';

/** A table cell; null and undefined print as empty. */
export type Cell = string | number | boolean | null | undefined;

export interface Table {
  headers: string[];
  rows: Cell[][];
}

/** The report columns, in order: keys of ReportRow. */
export const REPORT_COLUMNS = [
  'level',
  'budget',
  'file',
  'model',
  'tokens',
  'exact',
  'outputTokens',
  'costPerCall',
  'monthlyCost',
  'maxInputTokens',
  'maxTotalTokens',
  'maxCostPerCall',
  'maxMonthlyCost',
  'status',
] as const satisfies readonly (keyof ReportRow)[];

/** Headers people read, for the Markdown report; CSV and JSON keep the keys. */
const REPORT_COLUMN_WORDS: Record<(typeof REPORT_COLUMNS)[number], string> = {
  level: 'level',
  budget: 'budget',
  file: 'file',
  model: 'model',
  tokens: 'tokens',
  exact: 'exact',
  outputTokens: 'expected output tokens',
  costPerCall: 'expected per call',
  monthlyCost: 'per month',
  maxInputTokens: 'max input tokens',
  maxTotalTokens: 'max total tokens',
  maxCostPerCall: 'max per call',
  maxMonthlyCost: 'max per month',
  status: 'status',
};

const USD_COLUMNS: ReadonlySet<string> = new Set(['costPerCall', 'monthlyCost', 'maxCostPerCall', 'maxMonthlyCost']);
/** Columns whose figures come from the count, so an estimated count makes them estimates; the rest are limits or stated output. */
const COUNTED_COLUMNS: ReadonlySet<string> = new Set(['tokens', 'costPerCall', 'monthlyCost']);

/**
 * Report rows as a table: raw numbers for CSV and JSON consumers, or formatted for people ("2,310",
 * "$0.0123", "≈2,772" for an estimate, `exact` as "yes" or "estimate").
 */
export function reportTable(rows: readonly ReportRow[], style: 'raw' | 'display' = 'raw'): Table {
  return {
    headers: REPORT_COLUMNS.map((column) => (style === 'raw' ? column : REPORT_COLUMN_WORDS[column])),
    rows: rows.map((row) =>
      REPORT_COLUMNS.map((column): Cell => {
        const value = row[column];
        if (style === 'raw') return value;
        if (column === 'exact') return row.exact ? 'yes' : 'estimate';
        if (typeof value !== 'number') return value;
        const approx = COUNTED_COLUMNS.has(column) ? approxMark(row.exact) : '';
        return approx + (USD_COLUMNS.has(column) ? formatUsd(value) : formatTokens(value));
      }),
    ),
  };
}
