import { formatTokens, formatUsd, checkFolder as checkCoreFolder, describeReadError, toSarif, type BudgetEvaluation, type WorkspaceCheck } from '../core';
import { join, relative, resolve } from 'node:path';
import { EXIT_OK, EXIT_OVER, EXIT_USAGE, type CliIo } from './cliIo';
import { loadCliContext, type CliContext } from './cliContext';
import { formatProblem } from './printProblems';
import { providerCountingFor } from './providerCounting';
import type { CliOptions } from './runCli';
import { usageQuotaProblems } from './usageCommand';
import { CLI_VERSION } from './version';

const CHECK_FORMATS = ['text', 'json', 'sarif'];

/** `prompt-budget check [DIR] [--config FILE] [--format text|json|sarif]` */
export async function runCheck(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  const format = options.format ?? (options.json ? 'json' : 'text');
  if (args.length > 1 || !CHECK_FORMATS.includes(format)) {
    io.stderr(`prompt-budget check: ${args.length > 1 ? 'name at most one folder' : `--format must be one of ${CHECK_FORMATS.join(', ')}`}.\nRun 'prompt-budget --help' for usage.`);
    return EXIT_USAGE;
  }
  // Config problems are part of the check's own output (each printed once, with the other problems).
  const result = await checkFolder(args[0] ?? '.', options, io, false);
  if (typeof result === 'number') return result;
  const { check, context } = result;
  // Usage quotas (issue 8): logs named by usage.files, held to usage.quotas for the current period.
  if (context.config) {
    const configFile = relative(io.cwd, resolve(context.root, context.config.file)) || context.config.file;
    check.problems.push(...(await usageQuotaProblems(context.config, context.root, configFile, io)));
  }
  if (format === 'json') io.stdout(JSON.stringify(checkJson(check), null, 2));
  else if (format === 'sarif') io.stdout(toSarif(check.problems, { toolVersion: CLI_VERSION, root: context.root }).trimEnd());
  else printCheck(io, check);
  // On stderr: JSON and SARIF on stdout stay machine-readable.
  for (const line of providerCountingFor(io, options)?.summary() ?? []) io.stderr(line);
  if (context.failed) return EXIT_USAGE;
  return check.problems.some((problem) => problem.severity === 'error') ? EXIT_OVER : EXIT_OK;
}

/** Reads the config and every prompt file under `dir`, and evaluates them. A number is an exit code. */
export async function checkFolder(
  dir: string,
  options: CliOptions,
  io: CliIo,
  printConfigProblems: boolean,
): Promise<{ check: WorkspaceCheck; context: CliContext } | number> {
  const context = await loadCliContext(io, options, dir, printConfigProblems);
  if (context.usageError) return EXIT_USAGE;
  // Problems name files relative to where the command runs, so terminals and CI link them.
  const shown = (path: string) => relative(io.cwd, join(context.root, path)) || path;
  let relativePaths: string[];
  try {
    relativePaths = await io.listFiles(context.root);
  } catch (error) {
    io.stderr(describeReadError(dir, error));
    return EXIT_USAGE;
  }
  const folderIo = { listFiles: async () => relativePaths, readFile: (relativePath: string) => io.readFile(resolve(context.root, relativePath)), label: shown };
  const check = await checkCoreFolder(folderIo, context.config, context.sources);
  const configFile = context.config ? shown(context.config.file) : undefined;
  // Engine problems name paths relative to the config's folder; show them relative to the cwd.
  check.problems = [
    ...context.configProblems,
    ...check.problems.map((problem) => ({ ...problem, file: problem.file === context.config?.file ? (configFile ?? problem.file) : shown(problem.file) })),
  ];
  return { check, context };
}

/** The `--format json` shape documented in the README. */
export function checkJson(check: WorkspaceCheck) {
  return {
    budgets: check.budgets.map((budget) => ({
      name: budget.name,
      files: budget.files.map((file) => file.file),
      tokens: budget.tokens,
      exact: budget.exact,
      costPerCall: budget.costPerCall ?? null,
      monthlyCost: budget.monthlyCost ?? null,
      status: budget.status,
    })),
    unbudgeted: check.unbudgeted.map((file) => file.file),
    problems: check.problems.map((problem) => ({
      file: problem.file,
      line: problem.line,
      column: problem.column,
      severity: problem.severity,
      rule: problem.rule,
      message: problem.message,
    })),
  };
}

function printCheck(io: CliIo, check: WorkspaceCheck): void {
  for (const problem of check.problems) io.stdout(formatProblem(problem));
  if (check.problems.length > 0) io.stdout('');
  for (const budget of check.budgets) io.stdout(budgetLine(budget));
  if (check.unbudgeted.length > 0) io.stdout(`  ${count(check.unbudgeted.length, 'prompt file')} in no budget (checked against their model's limits only)`);
  const errors = check.problems.filter((problem) => problem.severity === 'error').length;
  const warnings = check.problems.filter((problem) => problem.severity === 'warning').length;
  const over = check.budgets.filter((budget) => budget.status === 'over').length;
  io.stdout(`${count(check.files.length, 'prompt file')}, ${count(check.budgets.length, 'budget')}: ${over} over, ${count(errors, 'error')}, ${count(warnings, 'warning')}`);
}

function budgetLine(budget: BudgetEvaluation): string {
  const icon = budget.status === 'over' ? '✗' : budget.status === 'warning' ? '!' : '✓';
  const approx = budget.exact ? '' : '≈';
  const parts = [`${approx}${formatTokens(budget.tokens)} tok`];
  if (budget.budget.maxInputTokens !== undefined) parts[0] += ` / ${formatTokens(budget.budget.maxInputTokens)}`;
  if (budget.costPerCall !== undefined) parts.push(`${approx}${formatUsd(budget.costPerCall)}/call`);
  if (budget.monthlyCost !== undefined) {
    parts.push(`${approx}${formatUsd(budget.monthlyCost)}/mo${budget.budget.maxMonthlyCost !== undefined ? ` of ${formatUsd(budget.budget.maxMonthlyCost)}` : ''}`);
  }
  return `  ${icon} ${budget.name} (${count(budget.files.length, 'file')}): ${parts.join(' · ')} — ${budget.status}`;
}

/** '1 file', '6 files'. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
