// `prompt-budget usage`: what calls actually cost, from the logs teams already have.
import { createReadStream } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { BudgetConfig } from '../core/budgets/budgetConfig';
import { findConfigFile } from '../core/budgets/findConfigFile';
import { parseBudgetConfig } from '../core/budgets/parseBudgetConfig';
import { decodePromptText } from '../core/decodePromptText';
import { toCsv } from '../core/report/toCsv';
import { toMarkdownTable } from '../core/report/toMarkdownTable';
import type { Problem } from '../core/types';
import { collectUsage, type OpenUsageFile } from '../core/usage/collectUsage';
import { formatUsageCost, formatUsageCount } from '../core/usage/formatUsage';
import { quotaProblems } from '../core/usage/quotaProblems';
import { selectUsageFiles, USAGE_FILE_PATTERN } from '../core/usage/selectUsageFiles';
import type { UsageLedger } from '../core/usage/usageLedger';
import { usageReport, type UsageReport } from '../core/usage/usageReport';
import { USAGE_GROUP_KEYS, type UsageGroupKey } from '../core/usage/usageRecord';
import { EXIT_OK, EXIT_OVER, EXIT_USAGE, type CliIo } from './cliIo';
import { formatProblem } from './printProblems';
import type { CliOptions } from './runCli';

const USAGE_FORMATS = ['table', 'json', 'csv', 'md'] as const;
const DAY_MS = 86_400_000;

/** Streams a file from `offset` with Node's fs; paths are relative to `cwd`. */
export function nodeUsageOpener(cwd: string): OpenUsageFile {
  return (file, offset) => createReadStream(resolve(cwd, file), { start: offset, highWaterMark: 1 << 20 });
}

/** `prompt-budget usage [PATH...] [--config FILE] [--by …] [--since DATE] [--until DATE] [--format table|json|csv|md]` */
export async function runUsage(args: string[], options: CliOptions, io: CliIo, open: OpenUsageFile = nodeUsageOpener(io.cwd), now = Date.now()): Promise<number> {
  const fail = (message: string) => {
    io.stderr(`prompt-budget usage: ${message}\nRun 'prompt-budget --help' for usage.`);
    return EXIT_USAGE;
  };
  const format = options.format ?? (options.json ? 'json' : 'table');
  if (!(USAGE_FORMATS as readonly string[]).includes(format)) return fail(`--format must be one of ${USAGE_FORMATS.join(', ')}.`);
  const by = (options.by ?? 'day').split(',').map((key) => key.trim());
  const unknownKey = by.find((key) => !(USAGE_GROUP_KEYS as readonly string[]).includes(key));
  if (unknownKey !== undefined || by.length === 0) return fail(`--by takes ${USAGE_GROUP_KEYS.join(', ')} (comma-separated), not '${unknownKey}'.`);
  const since = options.since === undefined ? undefined : parseDate(options.since, false);
  const until = options.until === undefined ? undefined : parseDate(options.until, true);
  if (since === null) return fail(`--since '${options.since}' is not a date (YYYY-MM-DD or an ISO time).`);
  if (until === null) return fail(`--until '${options.until}' is not a date (YYYY-MM-DD or an ISO time).`);

  const loaded = await loadUsageConfig(io, options);
  for (const problem of loaded.problems) io.stderr(formatProblem(problem));
  if (loaded.failed) return EXIT_USAGE;
  const config = loaded.config;

  let files: string[];
  if (args.length > 0) {
    files = [];
    for (const arg of args) files.push(...(await expandPath(io, arg)));
  } else if (config?.usage && config.usage.files.length > 0) {
    const root = loaded.root;
    let below: string[] = [];
    try {
      below = await io.listFiles(root);
    } catch {
      below = [];
    }
    files = selectUsageFiles(below, config.usage.files).map((path) => relative(io.cwd, join(root, path)) || path);
  } else {
    return fail('name usage logs (files or folders), or list them under usage.files in prompt-budget.yaml.');
  }
  if (files.length === 0) return fail('no usage logs found.');

  const collected = await collectUsage(files, open, { since, until });
  const reference = until !== undefined ? Math.min(now, until - 1) : now;
  const report = usageReport(collected.ledger, {
    by: by as UsageGroupKey[],
    budgets: (config?.budgets ?? []).filter((budget) => budget.usageTags).map((budget) => ({ name: budget.name, usageTags: budget.usageTags ?? [] })),
    quotas: config?.usage?.quotas ?? [],
    now: reference,
  });

  if (collected.unreadable.length === files.length) {
    for (const problem of report.problems) io.stderr(problemLine(problem));
    return EXIT_USAGE;
  }
  if (format === 'json') io.stdout(JSON.stringify(report, null, 2));
  else if (format === 'csv') io.stdout(toCsv(usageRows(report, by as UsageGroupKey[], true)).trimEnd());
  else if (format === 'md') io.stdout(usageMarkdown(report, by as UsageGroupKey[]));
  else printTable(io, report, by as UsageGroupKey[]);
  if (format === 'table' || format === 'md') io.stdout(costSourceLine(collected.ledger));
  if (format !== 'json') for (const problem of report.problems) io.stderr(problemLine(problem));

  if (report.records === 0 && report.problems.length > 0) return EXIT_USAGE;
  return report.quotas.some((quota) => quota.status === 'over') ? EXIT_OVER : EXIT_OK;
}

/**
 * Quota problems for `check`: reads the logs named by the config's `usage.files` (paths relative to
 * `root`) and evaluates its quotas for the period holding `now`. Empty without quotas.
 */
export async function usageQuotaProblems(config: BudgetConfig | undefined, root: string, configFile: string, io: CliIo, now = Date.now()): Promise<Problem[]> {
  if (!config?.usage || config.usage.quotas.length === 0 || config.usage.files.length === 0) return [];
  const below = await io.listFiles(root).catch(() => [] as string[]);
  const files = selectUsageFiles(below, config.usage.files).map((path) => join(root, path));
  const collected = await collectUsage(files, nodeUsageOpener(io.cwd));
  const report = usageReport(collected.ledger, { by: [], quotas: config.usage.quotas, now });
  return quotaProblems(configFile, config.usage.quotas, report.quotas);
}

/** `file:line: message`; a file that could not be opened has no line. */
function problemLine(problem: { file: string; line: number; message: string }): string {
  return problem.line > 0 ? `${problem.file}:${problem.line}: ${problem.message}` : `${problem.file}: ${problem.message}`;
}

interface LoadedUsageConfig {
  config?: BudgetConfig;
  /** Folder the config's globs are relative to. */
  root: string;
  problems: Problem[];
  failed: boolean;
}

/** The config named by --config, or prompt-budget.yaml in the current folder; none is fine. */
async function loadUsageConfig(io: CliIo, options: CliOptions): Promise<LoadedUsageConfig> {
  const explicit = options.config ? resolve(io.cwd, options.config) : undefined;
  const root = explicit ? dirname(explicit) : io.cwd;
  let found: { name: string; bytes: Uint8Array } | undefined;
  if (explicit) {
    try {
      found = { name: options.config!, bytes: await io.readFile(explicit) };
    } catch {
      const problem: Problem = { file: options.config!, line: 1, column: 1, severity: 'error', rule: 'config-unreadable', message: `${options.config}: cannot be read` };
      return { root, problems: [problem], failed: true };
    }
  } else {
    const first = await findConfigFile((name) => io.readFile(join(root, name)));
    found = first && { name: relative(io.cwd, join(root, first.name)) || first.name, bytes: first.found };
  }
  if (!found) return { root, problems: [], failed: false };
  const decoded = decodePromptText(found.name, found.bytes);
  if ('problem' in decoded) return { root, problems: [decoded.problem], failed: true };
  const parsed = parseBudgetConfig(found.name, decoded.text);
  return { config: parsed.config, root, problems: parsed.problems, failed: parsed.config === undefined };
}

/** A file as is; a folder as every JSONL, JSON, CSV and .log file below it. */
async function expandPath(io: CliIo, path: string): Promise<string[]> {
  try {
    const below = await io.listFiles(resolve(io.cwd, path));
    return below.filter((file) => USAGE_FILE_PATTERN.test(file)).map((file) => join(path, file));
  } catch {
    return [path];
  }
}

/** Epoch ms of a date or ISO time; a bare `--until` date includes that whole day. Null when unreadable. */
function parseDate(text: string, endOfDay: boolean): number | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const day = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(day) ? null : endOfDay ? day + DAY_MS : day;
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? null : time;
}

const COLUMNS = ['calls', 'inputTokens', 'cachedInputTokens', 'outputTokens', 'cost'] as const;

/** Group rows with a header; raw numbers for CSV, formatted text otherwise. */
function usageRows(report: UsageReport, by: readonly UsageGroupKey[], raw: boolean): (string | number | null)[][] {
  const header = [...by, ...COLUMNS];
  const rows = report.groups.map((group) => [
    ...by.map((key) => (group[key] as string | undefined) ?? ''),
    ...COLUMNS.map((column) => {
      const value = group[column];
      if (raw || value === null) return value;
      return column === 'cost' ? formatUsageCost(value) : formatUsageCount(value);
    }),
  ]);
  return [header, ...rows];
}

function usageMarkdown(report: UsageReport, by: readonly UsageGroupKey[]): string {
  const [header, ...rows] = usageRows(report, by, false);
  const table = toMarkdownTable(header.map(String), rows, header.map((_, index) => (index < by.length ? 'left' : 'right')));
  return [table.trimEnd(), '', summaryLine(report), ...report.quotas.map(quotaLine)].join('\n');
}

function printTable(io: CliIo, report: UsageReport, by: readonly UsageGroupKey[]): void {
  const [header, ...rows] = usageRows(report, by, false);
  const cells = [header, ...rows].map((row) => row.map((cell) => (cell === null ? '—' : String(cell))));
  // Keys left-aligned, figures right-aligned.
  const widths = cells[0].map((_, column) => Math.max(...cells.map((row) => row[column].length)));
  for (const row of cells) io.stdout(row.map((cell, column) => (column < by.length ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd());
  io.stdout('');
  io.stdout(summaryLine(report));
  for (const quota of report.quotas) io.stdout(quotaLine(quota));
}

function summaryLine(report: UsageReport): string {
  const totals = report.totals;
  const range = report.from && report.to ? ` from ${report.from.slice(0, 10)} to ${report.to.slice(0, 10)}` : '';
  const cost = totals.cost === null ? 'no cost known' : `${formatUsageCost(totals.cost)}`;
  const unpriced = totals.unpricedRecords > 0 ? ` (${totals.unpricedRecords} record(s) without a price: tokens counted, cost left out)` : '';
  return `${report.records} record(s)${range}: ${formatUsageCount(totals.calls)} calls, ${formatUsageCount(totals.inputTokens)} input tokens (${formatUsageCount(totals.cachedInputTokens)} cached), ${formatUsageCount(totals.outputTokens)} output tokens, ${cost}${unpriced}; ${report.skipped} skipped`;
}

/** Where the costs came from, so a reader can tell a log's own figure from a price lookup. */
function costSourceLine(ledger: UsageLedger): string {
  let own = 0;
  let looked = 0;
  let none = 0;
  for (const bucket of ledger.buckets.values()) {
    own += bucket.recordCostRecords;
    none += bucket.unpricedRecords;
    looked += bucket.records - bucket.recordCostRecords - bucket.unpricedRecords;
  }
  return `Costs: ${own} record(s) carry their own; ${looked} priced by @pydantic/genai-prices at each call's date; ${none} without a price. Times are UTC.`;
}

function quotaLine(quota: UsageReport['quotas'][number]): string {
  const icon = quota.status === 'over' ? '✗' : quota.status === 'warning' ? '!' : '✓';
  const amount = (value: number) => (quota.metric === 'cost' ? formatUsageCost(value) : `${formatUsageCount(value)} ${quota.metric}`);
  return `  ${icon} quota ${quota.name} (${quota.period} from ${quota.periodStart}): ${amount(quota.used)} of ${amount(quota.limit)} (${Math.round(quota.share * 100)}%), forecast ${amount(quota.forecast)} — ${quota.status}`;
}
