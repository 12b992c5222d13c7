// `prompt-budget diff`: what a change does to the prompts' tokens, cost and budgets, between two git
// revisions (by default HEAD and the working tree), each checked under its own config.
import { basename, dirname, join, relative, resolve } from 'node:path';
import { formatTokens, formatUsd, ModelCatalog, catalogWithOverrides, diffPromptChecks, type PromptDiff, beforeAfter, callNotes, describeFileDelta, ledgerCallsPerDay, promptDiffAnnotations, promptDiffMarkdown, checkSnapshot, type FolderSnapshot, type SnapshotCheckOptions, withCustomTokenizers, type BudgetConfig, collectUsage, selectUsageFiles, type UsageLedger, escapeTerminalText } from '../core';
import { EXIT_OK, EXIT_OVER, EXIT_USAGE, type CliIo } from './cliIo';
import { findRepository, renamesBetween, resolveCommit, revisionSnapshot, workingTreeFiles, type RevisionSnapshot } from './gitRevisions';
import { formatProblem } from './printProblems';
import type { CliOptions } from './cliOptions';
import { nodeUsageOpener } from './usageLogSources';
import { cliVocabularySources } from './cliVocabularySources';

const DIFF_FORMATS = ['text', 'json', 'md', 'github'];
const WORKING_TREE = 'working tree';

/** `prompt-budget diff [--base REV] [--head REV] [DIR] [--format text|json|md|github] [--config FILE]` */
export async function runDiff(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  const fail = (message: string) => {
    io.stderr(`prompt-budget diff: ${message}`);
    return EXIT_USAGE;
  };
  const format = options.format ?? (options.json ? 'json' : 'text');
  if (args.length > 1) return fail("name at most one folder.\nRun 'prompt-budget --help' for usage.");
  if (!DIFF_FORMATS.includes(format)) return fail(`--format must be one of ${DIFF_FORMATS.join(', ')}.\nRun 'prompt-budget --help' for usage.`);

  // As in `check`: --config names the config, and its folder is the one compared.
  const root = options.config ? dirname(resolve(io.cwd, options.config)) : resolve(io.cwd, args[0] ?? '.');
  const configFile = options.config ? basename(options.config) : undefined;
  const repository = await findRepository(root).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
  if ('error' in repository) return fail(repository.error);
  const baseName = options.base ?? 'HEAD';
  const baseCommit = await resolveCommit(repository.top, baseName);
  if (!baseCommit) return fail(`unknown revision '${baseName}' (--base): not a commit in ${repository.top}`);
  let headCommit: string | undefined;
  if (options.head !== undefined) {
    headCommit = await resolveCommit(repository.top, options.head);
    if (!headCommit) return fail(`unknown revision '${options.head}' (--head): not a commit in ${repository.top}`);
  }

  const base = revisionSnapshot(repository.top, baseCommit, repository.prefix, baseName);
  const head: FolderSnapshot | RevisionSnapshot = headCommit
    ? revisionSnapshot(repository.top, headCommit, repository.prefix, options.head!)
    : {
        revision: WORKING_TREE,
        // The files on disk that git would commit: ignored copies (build output) are not prompts of the change.
        listFiles: async () => {
          const [onDisk, committable] = await Promise.all([io.listFiles(root), workingTreeFiles(repository.top, repository.prefix)]);
          return onDisk.filter((path) => committable.has(path));
        },
        readFile: (path) => io.readFile(resolve(root, path)),
      };
  const builtIn = ModelCatalog.builtIn();
  const vocabularies = cliVocabularySources(options, io);
  const checkOptions: SnapshotCheckOptions = {
    builtIn,
    configFile,
    pick: options.model ? { model: options.model, source: 'cli' } : undefined,
    // As `check` and `count` do. A custom tokenizer file is read from disk, for both revisions: git's copy is not a file to read.
    resolveConfig: (read) => withCustomTokenizers(read, root, vocabularies),
  };
  let checks;
  try {
    checks = await Promise.all([checkSnapshot(base, checkOptions), checkSnapshot(head, checkOptions), renamesBetween(repository.top, baseCommit, headCommit, repository.prefix)]);
  } finally {
    base.dispose();
    if ('dispose' in head) head.dispose();
  }
  const [baseCheck, headCheck, renames] = checks;

  const shown = (path: string) => relative(io.cwd, join(root, path)) || path;
  for (const problem of headCheck.configProblems) io.stderr(formatProblem({ ...problem, file: shown(problem.file) }));
  if (headCheck.configFailed) return EXIT_USAGE;
  if (options.model) {
    // As in `check`: a --model the catalog (with the config's models) does not know is bad usage.
    const resolution = catalogWithOverrides([], headCheck.config, builtIn).resolve(options.model);
    if (!('model' in resolution)) return fail(`--model: ${resolution.error}`);
  }
  if (baseCheck.configFailed) io.stderr(`prompt-budget diff: the config at ${baseName} has errors; its budgets are left out of the "before" figures.`);

  const ledger = await readLedger(headCheck.config ?? baseCheck.config, root, io);
  const diff = withShownPaths(diffPromptChecks(baseCheck, headCheck, { renames, callRate: ledger && ((tags) => ledgerCallsPerDay(ledger.buckets.values(), tags)) }), shown);

  if (format === 'json') io.stdout(JSON.stringify(diff, null, 2));
  else if (format === 'md') io.stdout(promptDiffMarkdown(diff).trimEnd());
  else if (format === 'github') for (const line of promptDiffAnnotations(diff)) io.stdout(line);
  else printDiff(io, diff);
  return diff.problems.some((problem) => problem.severity === 'error') ? EXIT_OVER : EXIT_OK;
}

/** The usage logs the config names (read from the working tree: logs are rarely committed), if any. */
async function readLedger(config: BudgetConfig | undefined, root: string, io: CliIo): Promise<UsageLedger | undefined> {
  if (!config?.usage || config.usage.files.length === 0 || !config.budgets.some((budget) => budget.usageTags?.length)) return undefined;
  const below = await io.listFiles(root).catch(() => [] as string[]);
  const files = selectUsageFiles(below, config.usage.files).map((path) => join(root, path));
  if (files.length === 0) return undefined;
  const collected = await collectUsage(files, nodeUsageOpener(io.cwd));
  return collected.ledger.records > 0 ? collected.ledger : undefined;
}

/** File names as the rest of the CLI shows them: relative to where it runs. */
function withShownPaths(diff: PromptDiff, shown: (path: string) => string): PromptDiff {
  const side = <T extends { file: string } | null>(value: T): T => (value ? { ...value, file: shown(value.file) } : value);
  return {
    ...diff,
    files: diff.files.map((change) => ({
      ...change,
      file: shown(change.file),
      ...(change.previousFile !== undefined ? { previousFile: shown(change.previousFile) } : {}),
      before: side(change.before),
      after: side(change.after),
    })),
    problems: diff.problems.map((problem) => ({ ...problem, file: shown(problem.file) })),
  };
}

function printDiff(io: CliIo, diff: PromptDiff): void {
  io.stdout(`${diff.base} → ${diff.head}: ${diff.files.length === 1 ? '1 prompt file changed' : `${diff.files.length} prompt files changed`}`);
  for (const change of diff.files) {
    const name = escapeTerminalText(change.previousFile ? `${change.previousFile} → ${change.file}` : change.file);
    const { before, after } = change;
    const model = escapeTerminalText(before && after && before.model !== after.model ? `${before.model} → ${after.model}` : (after ?? before)!.model);
    const tokens = beforeAfter(before, after, (figures) => figures.tokens, (value) => formatTokens(value));
    const cost = beforeAfter(before, after, (figures) => figures.cost, formatUsd);
    io.stdout(`  ${change.status.padEnd(14)} ${name} · ${model} · ${tokens} tok · ${cost}/call · ${describeFileDelta(change)}`);
  }
  const { tokens, monthly } = diff.totals;
  const monthText = monthly ? `; ${formatUsd(monthly.before)} → ${formatUsd(monthly.after)} a month` : '';
  io.stdout(`All prompts: ${formatTokens(tokens.before)} → ${formatTokens(tokens.after)} tok${monthText}`);
  for (const budget of diff.budgets) {
    const figure = (value: number | null | undefined, show: (value: number) => string) => (value === null || value === undefined ? '—' : show(value));
    const month = `${figure(budget.before?.monthlyCost, formatUsd)} → ${figure(budget.after?.monthlyCost, formatUsd)} a month`;
    io.stdout(`  budget ${escapeTerminalText(budget.name)}: largest prompt ${figure(budget.before?.tokens, formatTokens)} → ${figure(budget.after?.tokens, formatTokens)} tok · ${month} · ${budget.before?.status ?? '—'} → ${budget.after?.status ?? '—'}`);
  }
  if (diff.problems.length > 0) {
    io.stdout('New problems:');
    for (const problem of diff.problems) io.stdout(`  ${formatProblem(problem)} [${problem.rule}]`);
  }
  for (const note of callNotes(diff)) io.stdout(`Calls: ${note}`);
}
