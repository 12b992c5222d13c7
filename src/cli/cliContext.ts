import { dirname, join, relative, resolve } from 'node:path';
import type { PromptContext } from '../core/analyzePrompt';
import type { BudgetConfig } from '../core/budgets/budgetConfig';
import { DEFAULT_WARN_AT } from '../core/budgets/budgetConfig';
import { ModelCatalog } from '../core/catalog/modelCatalog';
import { readBudgetConfig } from '../core/readBudgetConfig';
import type { Problem } from '../core/types';
import type { CliIo } from './cliIo';
import { formatProblem } from './printProblems';
import type { CliOptions } from './runCli';

export interface CliContext {
  promptContext: PromptContext;
  config?: BudgetConfig;
  /** Folder the config's globs are relative to. */
  root: string;
  /** Config errors (printed already); commands exit 2 when set. */
  failed: boolean;
  /** A --model the catalog does not know (printed already): commands stop with exit 2. */
  usageError?: string;
  configProblems: Problem[];
}

/**
 * The catalog and defaults for a run: built-in models, then the `models` of the
 * prompt-budget.yaml found in `dir` (or named by --config), then --model.
 */
export async function loadCliContext(io: CliIo, options: CliOptions, dir: string = io.cwd, printProblems = true): Promise<CliContext> {
  const builtIn = ModelCatalog.builtIn();
  const explicit = options.config ? resolve(io.cwd, options.config) : undefined;
  const root = explicit ? dirname(explicit) : resolve(io.cwd, dir);
  const read = await readBudgetConfig(
    (path) => io.readFile(path),
    join,
    root,
    builtIn,
    explicit,
  );
  const configProblems = (read?.parsed.problems ?? []).map((problem) => ({
    ...problem,
    file: explicit ? options.config! : relative(io.cwd, join(root, problem.file)) || problem.file,
  }));
  if (printProblems) for (const problem of configProblems) io.stderr(formatProblem(problem));
  const config = read?.parsed.config;
  const catalog = config ? builtIn.withOverrides(config.models, 'workspace') : builtIn;
  const failed = configProblems.some((problem) => problem.severity === 'error');
  let fallbackModel = 'gpt-4o';
  let fallbackSource: PromptContext['fallbackSource'] = 'default';
  let usageError: string | undefined;
  if (options.model) {
    const resolution = catalog.resolve(options.model);
    if (!('model' in resolution)) {
      usageError = `prompt-budget: --model: ${resolution.error}`;
      io.stderr(usageError);
    }
    fallbackModel = options.model;
    fallbackSource = 'cli';
  } else if (config?.defaultModel) {
    fallbackModel = config.defaultModel;
    fallbackSource = 'config';
  }
  return {
    promptContext: { catalog, fallbackModel, fallbackSource, warnAt: config?.warnAt ?? DEFAULT_WARN_AT },
    config,
    root,
    failed,
    usageError,
    configProblems,
  };
}
