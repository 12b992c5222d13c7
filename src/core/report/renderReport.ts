import type { WorkspaceCheck } from '../check/checkWorkspace';
import { reportRows } from './reportRows';
import { reportTable } from './reportTable';
import { toCsv } from './toCsv';
import { toJson } from './toJson';
import { toMarkdownTable } from './toMarkdownTable';

export type ReportFormat = 'csv' | 'json' | 'md';

export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'json', 'md'];

/** The budget report of a checked folder, ending in a newline: what `prompt-budget report` prints and the editor exports. */
export function renderReport(check: Pick<WorkspaceCheck, 'budgets' | 'unbudgeted' | 'problems'>, format: ReportFormat, toolVersion: string): string {
  if (format === 'json') return toJson({ budgets: check.budgets, unbudgeted: check.unbudgeted, problems: check.problems }, { toolVersion });
  const rows = reportRows(check.budgets, check.unbudgeted);
  if (format === 'csv') {
    const table = reportTable(rows, 'raw');
    return toCsv([table.headers, ...table.rows]);
  }
  const table = reportTable(rows, 'display');
  return toMarkdownTable(table.headers, table.rows);
}
