import { reportRows } from '../core/report/reportRows';
import { reportTable } from '../core/report/reportTable';
import { toCsv } from '../core/report/toCsv';
import { toJson } from '../core/report/toJson';
import { toMarkdownTable } from '../core/report/toMarkdownTable';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { checkFolder } from './checkCommand';
import type { CliOptions } from './runCli';
import { CLI_VERSION } from './version';

const REPORT_FORMATS = ['csv', 'json', 'md'];

/** `prompt-budget report [DIR] [--config FILE] [--format csv|json|md]` */
export async function runReport(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  const format = options.format ?? (options.json ? 'json' : 'md');
  if (args.length > 1 || !REPORT_FORMATS.includes(format)) {
    io.stderr(`prompt-budget report: ${args.length > 1 ? 'name at most one folder' : `--format must be one of ${REPORT_FORMATS.join(', ')}`}.\nRun 'prompt-budget --help' for usage.`);
    return EXIT_USAGE;
  }
  const result = await checkFolder(args[0] ?? '.', options, io, true);
  if (typeof result === 'number') return result;
  const { check, context } = result;
  const rows = reportRows(check.budgets, check.unbudgeted);
  if (format === 'json') {
    io.stdout(toJson({ budgets: check.budgets, unbudgeted: check.unbudgeted, problems: check.problems }, { toolVersion: CLI_VERSION }).trimEnd());
  } else if (format === 'csv') {
    const table = reportTable(rows, 'raw');
    io.stdout(toCsv([table.headers, ...table.rows]).trimEnd());
  } else {
    const table = reportTable(rows, 'display');
    io.stdout(toMarkdownTable(table.headers, table.rows).trimEnd());
  }
  // A report is information: being over a budget is not a failure here (that is `check`).
  return context.failed ? EXIT_USAGE : EXIT_OK;
}
