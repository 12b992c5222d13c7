// `prompt-budget usage`: what calls actually cost, from the logs teams already have.
import { dirname, join, relative, resolve } from 'node:path';
import { type BudgetConfig, ModelCatalog, readBudgetConfig, toCsv, escapeTerminalText, formatPercent, toMarkdownTable, type Problem, AGENT_IDS, type AgentId, collectAgentUsage, type CollectedAgentUsage, blockLabel, projectBlock, usageBlocks, collectUsage, type OpenUsageFile, formatUsageCost, formatUsageCount, selectUsageFiles, USAGE_FILE_PATTERN, type UsageLedger, usageReport, type UsageReport, USAGE_GROUP_KEYS, type UsageGroupKey, parseUsageDate, activePriceData } from '../core';
import { postgresLedgerUrl } from '../library/postgresLedger';
import { EXIT_OK, EXIT_OVER, EXIT_USAGE, type CliIo } from './cliIo';
import { fitTable } from './fitTable';
import { formatLineProblem, formatProblem } from './printProblems';
import type { CliOptions } from './cliOptions';
import { agentEnvironment, nodeUsageOpener, withPostgresLedger } from './usageLogSources';

const USAGE_FORMATS = ['table', 'json', 'csv', 'md'] as const;

/** `prompt-budget usage [PATH...] [--agents] [--config FILE] [--by …] [--since DATE] [--until DATE] [--format table|json|csv|md]` */
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
  const since = options.since === undefined ? undefined : parseUsageDate(options.since, false);
  const until = options.until === undefined ? undefined : parseUsageDate(options.until, true);
  if (typeof since === 'string') return fail(`--since: ${since}`);
  if (typeof until === 'string') return fail(`--until: ${until}`);
  if (since !== undefined && until !== undefined && since >= until) return fail(`--since (${options.since}) must be before --until (${escapeTerminalText(options.until!)}); no record could fall between them.`);

  const loaded = await loadUsageConfig(io, options);
  for (const problem of loaded.problems) io.stderr(formatProblem(problem));
  if (loaded.failed) return EXIT_USAGE;
  const config = loaded.config;

  // --agents reads every agent we know; otherwise the config's `usage.agents`, if any.
  const agents: readonly AgentId[] = options.agents ? AGENT_IDS : (config?.usage?.agents ?? []);
  let files: string[];
  if (args.length > 0) {
    files = [];
    for (const arg of args) files.push(...(await expandPath(io, arg)));
  } else if (config?.usage && (config.usage.files.length > 0 || postgresLedgerUrl(config.usage.ledger, io.env ?? process.env))) {
    const root = loaded.root;
    let below: string[] = [];
    try {
      below = await io.listFiles(root);
    } catch {
      below = [];
    }
    files = selectUsageFiles(below, config.usage.files).map((path) => relative(io.cwd, join(root, path)) || path);
  } else if (agents.length > 0) {
    files = [];
  } else {
    return fail('name usage logs (files or folders), pass --agents, or list them under usage.files (or usage.agents) in prompt-budget.yaml.');
  }
  // A PostgreSQL ledger (usage.ledger: postgres://… or env:VARIABLE) is read as one more log.
  if (args.length === 0) ({ files, open } = withPostgresLedger(config, files, open, io, since));
  if (files.length === 0 && agents.length === 0) return fail('no usage logs found.');

  const collected = await collectUsage(files, open, { since, until });
  const agentUsage = agents.length > 0 ? await collectAgentUsage(agents, agentEnvironment(io), io.listFiles, nodeUsageOpener(io.cwd), { ledger: collected.ledger }) : undefined;
  if (agentUsage) {
    for (const line of missingAgentLines(agents, agentUsage)) io.stderr(line);
    if (files.length === 0 && agentUsage.files.length === 0) return EXIT_USAGE;
  }
  const reference = until !== undefined ? Math.min(now, until - 1) : now;
  const report = usageReport(collected.ledger, {
    by: by as UsageGroupKey[],
    budgets: (config?.budgets ?? []).filter((budget) => budget.usageTags).map((budget) => ({ name: budget.name, usageTags: budget.usageTags ?? [] })),
    quotas: config?.usage?.quotas ?? [],
    now: reference,
  });

  if (files.length > 0 && collected.unreadable.length === files.length && !agentUsage?.files.length) {
    for (const problem of report.problems) io.stderr(formatLineProblem(problem));
    return EXIT_USAGE;
  }
  const blocks = by.includes('block') ? activeBlocks(collected.ledger, reference) : undefined;
  if (format === 'json') io.stdout(JSON.stringify(blocks ? { ...report, activeBlocks: blocks } : report, null, 2));
  else if (format === 'csv') io.stdout(toCsv(usageRows(report, by as UsageGroupKey[], true)).trimEnd());
  else if (format === 'md') io.stdout(usageMarkdown(report, by as UsageGroupKey[]));
  else printTable(io, report, by as UsageGroupKey[]);
  if (format === 'table') {
    for (const block of blocks ?? []) io.stdout(activeBlockLine(block));
    io.stdout(costSourceLine(collected.ledger));
  }
  // `--format md` is the table alone, to paste; what the table line says goes to stderr.
  if (format === 'md') for (const line of [summaryLine(report), ...report.quotas.map(quotaLine), ...(blocks ?? []).map(activeBlockLine), costSourceLine(collected.ledger)]) io.stderr(line);
  if (format !== 'json') for (const problem of report.problems) io.stderr(formatLineProblem(problem));

  if (report.records === 0 && report.problems.length > 0) return EXIT_USAGE;
  return report.quotas.some((quota) => quota.status === 'over') ? EXIT_OVER : EXIT_OK;
}

/** A line for each agent with no data folder, naming where it looked. */
function missingAgentLines(agents: readonly AgentId[], collected: CollectedAgentUsage): string[] {
  return agents
    .filter((agent) => !collected.folders.some((folder) => folder.agent === agent && folder.found))
    .map((agent) => `prompt-budget usage: no ${agent} data found (looked in ${collected.folders.filter((folder) => folder.agent === agent).map((folder) => folder.folder).join(', ')}).`);
}

/** Each agent's block that holds `now`, with its burn rate and projection, as JSON shows it. */
function activeBlocks(ledger: UsageLedger, now: number) {
  return usageBlocks(ledger.buckets.values(), now)
    .filter((block) => block.active)
    .map((block) => {
      const projection = projectBlock(block, now);
      return {
        agent: block.agent ?? null,
        block: blockLabel(block),
        start: new Date(block.start).toISOString(),
        end: new Date(block.end).toISOString(),
        calls: block.calls,
        tokens: block.tokens,
        cost: Math.round(block.cost * 1e8) / 1e8,
        remainingMinutes: Math.round((block.end - now) / 60_000),
        costPerHour: projection ? Math.round(projection.costPerHour * 1e6) / 1e6 : null,
        projectedCost: projection ? Math.round(projection.projectedCost * 1e6) / 1e6 : null,
      };
    });
}

function activeBlockLine(block: ReturnType<typeof activeBlocks>[number]): string {
  const left = `${Math.floor(block.remainingMinutes / 60)}h ${String(block.remainingMinutes % 60).padStart(2, '0')}m left`;
  const pace = block.costPerHour === null || block.projectedCost === null ? 'too few calls for a rate' : `${formatUsageCost(block.costPerHour)}/h, projected ${formatUsageCost(block.projectedCost)} by ${block.end.slice(11, 16)}Z at that pace`;
  return `Active block ${block.block} (to ${block.end.slice(11, 16)}Z, ${left}): ${formatUsageCost(block.cost)} so far, ${formatUsageCount(block.tokens)} tokens; ${pace}.`;
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
  const builtIn = ModelCatalog.builtIn();
  // The same reader as every other command: model names are checked against the catalog too.
  const read = await readBudgetConfig((path) => io.readFile(path), join, root, () => builtIn, explicit);
  const problems = (read?.parsed.problems ?? []).map((problem) => ({ ...problem, file: explicit ? options.config! : relative(io.cwd, join(root, problem.file)) || problem.file }));
  return { config: read?.parsed.config, root, problems, failed: read !== undefined && read.parsed.config === undefined };
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

const COLUMNS = ['calls', 'inputTokens', 'cachedInputTokens', 'outputTokens', 'cost'] as const;
/** Column headers people read (table and Markdown); CSV keeps the JSON keys, for scripts. */
const COLUMN_WORDS: Record<(typeof COLUMNS)[number], string> = {
  calls: 'calls',
  inputTokens: 'input tokens',
  cachedInputTokens: 'cached input',
  outputTokens: 'output tokens',
  cost: 'cost',
};

/** Group rows with a header; raw numbers and keys for CSV, formatted text and words otherwise. */
function usageRows(report: UsageReport, by: readonly UsageGroupKey[], raw: boolean): (string | number | null)[][] {
  const header = [...by, ...COLUMNS.map((column) => (raw ? column : COLUMN_WORDS[column]))];
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
  return toMarkdownTable(header.map(String), rows, header.map((_, index) => (index < by.length ? 'left' : 'right'))).trimEnd();
}

function printTable(io: CliIo, report: UsageReport, by: readonly UsageGroupKey[]): void {
  const [header, ...rows] = usageRows(report, by, false);
  const cells = [header, ...rows].map((row) => row.map((cell) => (cell === null ? '—' : escapeTerminalText(String(cell)))));
  // Keys left-aligned, figures right-aligned.
  for (const line of fitTable(cells[0], cells.slice(1), { alignRight: true, keyColumns: by.length }).lines) io.stdout(line);
  io.stdout('');
  io.stdout(summaryLine(report));
  for (const quota of report.quotas) io.stdout(escapeTerminalText(quotaLine(quota)));
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
  return `Costs: ${own} record(s) carry their own; ${looked} priced at each call's date with ${escapeTerminalText(activePriceData().label)}; ${none} without a price. Times are UTC.`;
}

function quotaLine(quota: UsageReport['quotas'][number]): string {
  const icon = quota.status === 'over' ? '✗' : quota.status === 'warning' ? '!' : '✓';
  const amount = (value: number) => (quota.metric === 'cost' ? formatUsageCost(value) : `${formatUsageCount(value)} ${quota.metric}`);
  return `  ${icon} quota ${quota.name} (${quota.period} from ${quota.periodStart}): ${amount(quota.used)} of ${amount(quota.limit)} (${formatPercent(quota.share)}), forecast ${amount(quota.forecast)} — ${quota.status}`;
}
