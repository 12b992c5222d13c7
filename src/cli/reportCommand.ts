import { renderReport, REPORT_FORMATS, type ReportFormat } from '../core';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { checkDirectory } from './checkDirectory';
import type { CliOptions } from './cliOptions';
import { CLI_VERSION } from './version';

/** `prompt-budget report [DIR] [--config FILE] [--format csv|json|md]` */
export async function runReport(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  const format = options.format ?? (options.json ? 'json' : 'md');
  if (args.length > 1 || !isReportFormat(format)) {
    io.stderr(`prompt-budget report: ${args.length > 1 ? 'name at most one folder' : `--format must be one of ${REPORT_FORMATS.join(', ')}`}.\nRun 'prompt-budget --help' for usage.`);
    return EXIT_USAGE;
  }
  const result = await checkDirectory(args[0] ?? '.', options, io, true);
  if (typeof result === 'number') return result;
  const { check, context } = result;
  io.stdout(renderReport(check, format, CLI_VERSION).trimEnd());
  // A report is information: being over a budget is not a failure here (that is `check`).
  return context.failed ? EXIT_USAGE : EXIT_OK;
}

function isReportFormat(format: string): format is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(format);
}
