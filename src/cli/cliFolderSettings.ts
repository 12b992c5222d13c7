import { dirname, join, relative, resolve, sep } from 'node:path';
import { withCustomTokenizers, findNearestConfigFolder, budgetsForFile, ModelCatalog, catalogWithOverrides, readBudgetConfig, resolvePromptSettings, type PromptSettingSources, type BudgetConfig, type Problem, type ResolvedPromptSettings } from '../core';
import type { CliIo } from './cliIo';
import { formatProblem } from './printProblems';
import { providerCountingFor } from './providerCounting';
import { cliVocabularySources } from './cliVocabularySources';
import type { CliOptions } from './cliOptions';

export interface CliFolderSettings {
  /** What names the model and limits in this run: --model, the config; a file's budget goes on top. */
  sources: PromptSettingSources;
  /** The context of a file in no budget. */
  promptContext: ResolvedPromptSettings;
  config?: BudgetConfig;
  /** Folder the config's globs are relative to. */
  root: string;
  /** Config errors (printed already); commands exit 2 when set. */
  failed: boolean;
  /** A --model the catalog does not know (printed already): commands stop with exit 2. */
  usageError?: string;
  configProblems: Problem[];
}

/** The nearest folder at or above `startDir` that holds a prompt-budget.yaml, if any (the core's search). */
export function findConfigFolder(io: CliIo, startDir: string): Promise<string | undefined> {
  return findNearestConfigFolder((path) => io.readFile(path), { join, dirname }, resolve(io.cwd, startDir));
}

/** Contexts for files in different folders, one per config folder, loaded once each. */
export class CliSettingsByFolder {
  private readonly byFolder = new Map<string, Promise<CliFolderSettings>>();

  constructor(
    private readonly io: CliIo,
    private readonly options: CliOptions,
  ) {}

  /** The context of the config nearest to `file` (or of --config), with its budget's model applied. */
  async forFile(file: string): Promise<{ context: CliFolderSettings; promptContext: ResolvedPromptSettings }> {
    const folder = this.options.config ? this.io.cwd : ((await findConfigFolder(this.io, dirname(resolve(this.io.cwd, file)))) ?? this.io.cwd);
    let pending = this.byFolder.get(folder);
    if (!pending) {
      pending = loadCliFolderSettings(this.io, this.options, folder);
      this.byFolder.set(folder, pending);
    }
    const context = await pending;
    const [budget] = context.config ? budgetsForFile(context.config, relative(context.root, resolve(this.io.cwd, file)).split(sep).join('/')) : [];
    // As in the editor (and docs/configuration.md): the file's model, then its budget's, then --model.
    const promptContext = budget ? resolvePromptSettings(context.sources, budget) : context.promptContext;
    return { context, promptContext };
  }
}

/**
 * The catalog and defaults for a run: built-in models, then the `models` of the
 * prompt-budget.yaml found in `dir` (or named by --config), then --model.
 */
export async function loadCliFolderSettings(io: CliIo, options: CliOptions, dir: string = io.cwd, printProblems = true): Promise<CliFolderSettings> {
  const builtIn = ModelCatalog.builtIn();
  const explicit = options.config ? resolve(io.cwd, options.config) : undefined;
  const root = explicit ? dirname(explicit) : resolve(io.cwd, dir);
  const read = await withCustomTokenizers(
    await readBudgetConfig(
      (path) => io.readFile(path),
      join,
      root,
      () => builtIn,
      explicit,
    ),
    root,
    cliVocabularySources(options, io),
  );
  const configProblems = (read?.parsed.problems ?? []).map((problem) => ({
    ...problem,
    file: explicit ? options.config! : relative(io.cwd, join(root, problem.file)) || problem.file,
  }));
  if (printProblems) for (const problem of configProblems) io.stderr(formatProblem(problem));
  const config = read?.parsed.config;
  const catalog = catalogWithOverrides([], config, builtIn);
  const failed = configProblems.some((problem) => problem.severity === 'error');
  let usageError: string | undefined;
  if (options.model) {
    const resolution = catalog.resolve(options.model);
    if (!('model' in resolution)) {
      usageError = `prompt-budget: --model: ${resolution.error}`;
      io.stderr(usageError);
    }
  }
  const sources: PromptSettingSources = { catalog, pick: options.model ? { model: options.model, source: 'cli' } : undefined, config };
  const providerCounting = providerCountingFor(io, options);
  if (providerCounting) sources.countFromProvider = providerCounting.countFromProvider;
  return {
    sources,
    promptContext: resolvePromptSettings(sources),
    config,
    root,
    failed,
    usageError,
    configProblems,
  };
}
