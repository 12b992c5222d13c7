// What `check` and `report` evaluate: the prompt files under a directory, each under the nearest prompt-budget.yaml.
import { join, relative, resolve } from 'node:path';
import { checkFolder, checkUnderFolder, combineChecks, CONFIG_FILE_NAMES, describeReadError, nearestConfigFolder, type WorkspaceCheck } from '../core';
import { EXIT_USAGE, type CliIo } from './cliIo';
import { findConfigFolder, loadCliFolderSettings, type CliFolderSettings } from './cliFolderSettings';
import type { CliOptions } from './cliOptions';

/**
 * Reads every prompt file under `dir` and evaluates it under the nearest prompt-budget.yaml above it
 * (or the one --config names), as linters do: in a monorepo each package's config governs its own
 * files. `context` is the config at or above `dir`; `contexts` every config used. A number is an exit code.
 */
export async function checkDirectory(
  dir: string,
  options: CliOptions,
  io: CliIo,
  printConfigProblems: boolean,
): Promise<{ check: WorkspaceCheck; context: CliFolderSettings; contexts: CliFolderSettings[] } | number> {
  const start = resolve(io.cwd, dir);
  if (options.config) {
    const context = await loadCliFolderSettings(io, options, dir, printConfigProblems);
    if (context.usageError) return EXIT_USAGE;
    const check = await checkGroup(io, context, async () => io.listFiles(context.root), dir);
    return typeof check === 'number' ? check : { check, context, contexts: [context] };
  }
  let below: string[];
  try {
    below = await io.listFiles(start);
  } catch (error) {
    io.stderr(describeReadError(dir, error));
    return EXIT_USAGE;
  }
  // The folders below `dir` with a config of their own, deepest first, then the config at or above `dir`.
  const nested = [...new Set(below.filter((path) => CONFIG_FILE_NAMES.includes(path.split('/').pop()!)).map((path) => path.split('/').slice(0, -1).join('/')))]
    .filter((folder) => folder !== '')
    .sort((a, b) => b.split('/').length - a.split('/').length);
  const groups = new Map<string, string[]>([...nested.map((folder): [string, string[]] => [folder, []]), ['', []]]);
  for (const path of below) groups.get(nearestConfigFolder(nested, path) ?? '')!.push(path);
  const top = (await findConfigFolder(io, start)) ?? start;
  const contexts: CliFolderSettings[] = [];
  const checks: WorkspaceCheck[] = [];
  for (const [folder, paths] of groups) {
    const root = folder === '' ? top : join(start, folder);
    const context = await loadCliFolderSettings(io, options, root, printConfigProblems);
    if (context.usageError) return EXIT_USAGE;
    // Paths relative to the config's folder, which its globs are written against.
    const relativePaths = paths.map((path) => relative(root, join(start, path)).split('\\').join('/'));
    const check = await checkGroup(io, context, async () => relativePaths, dir);
    if (typeof check === 'number') return check;
    contexts.push(context);
    checks.push(folder === '' ? check : checkUnderFolder(check, relative(top, root).split('\\').join('/')));
  }
  // The top folder's config first, then the packages' from the shallowest.
  contexts.reverse();
  checks.reverse();
  const [context] = contexts;
  return { check: combineChecks(checks), context, contexts };
}

/** Evaluates the files one config governs; problems name files relative to where the command runs. */
async function checkGroup(io: CliIo, context: CliFolderSettings, listFiles: () => Promise<string[]>, dir: string): Promise<WorkspaceCheck | number> {
  const shown = (path: string) => relative(io.cwd, join(context.root, path)) || path;
  let relativePaths: string[];
  try {
    relativePaths = await listFiles();
  } catch (error) {
    io.stderr(describeReadError(dir, error));
    return EXIT_USAGE;
  }
  const folderIo = { listFiles: async () => relativePaths, readFile: (relativePath: string) => io.readFile(resolve(context.root, relativePath)), label: shown };
  const check = await checkFolder(folderIo, context.config, context.sources);
  const configFile = context.config ? shown(context.config.file) : undefined;
  // Engine problems name paths relative to the config's folder; show them relative to the cwd.
  check.problems = [
    ...context.configProblems,
    ...check.problems.map((problem) => ({ ...problem, file: problem.file === context.config?.file ? (configFile ?? problem.file) : shown(problem.file) })),
  ];
  return check;
}

/** The `--format json` shape documented in docs/cli.md. */
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
