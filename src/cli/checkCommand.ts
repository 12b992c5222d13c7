import { formatTokens, formatUsd, toSarif, type BudgetEvaluation, type WorkspaceCheck, type WorkspaceFileResult } from '../core';
import { relative, resolve } from 'node:path';
import { EXIT_OK, EXIT_OVER, EXIT_USAGE, type CliIo } from './cliIo';
import { checkDirectory, checkJson } from './checkDirectory';
import { formatProblem } from './printProblems';
import { providerCountingFor } from './providerCounting';
import type { CliOptions } from './cliOptions';
import { usageQuotaProblems } from './usageQuotaProblems';
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
  const result = await checkDirectory(args[0] ?? '.', options, io, false);
  if (typeof result === 'number') return result;
  const { check, context, contexts } = result;
  // Usage quotas: logs named by each config's usage.files, held to its usage.quotas for the current period.
  for (const each of contexts) {
    if (!each.config) continue;
    const configFile = relative(io.cwd, resolve(each.root, each.config.file)) || each.config.file;
    check.problems.push(...(await usageQuotaProblems(each.config, each.root, configFile, io)));
  }
  if (format === 'json') io.stdout(JSON.stringify(checkJson(check), null, 2));
  else if (format === 'sarif') io.stdout(toSarif(check.problems, { toolVersion: CLI_VERSION, root: context.root }).trimEnd());
  else printCheck(io, check);
  // On stderr: JSON and SARIF on stdout stay machine-readable.
  for (const line of providerCountingFor(io, options)?.summary() ?? []) io.stderr(line);
  if (contexts.some((each) => each.failed) || check.files.some(hasUnusableInput)) return EXIT_USAGE;
  return check.problems.some((problem) => problem.severity === 'error') ? EXIT_OVER : EXIT_OK;
}

/** A prompt file that could not be read, decoded or parsed: exit 2 ("could not read/parse input"), not 1 ("over a limit"). */
function hasUnusableInput(file: WorkspaceFileResult): boolean {
  const inputProblems = file.analysis ? file.analysis.parsed.problems : file.problems;
  return inputProblems.some((problem) => problem.severity === 'error');
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
