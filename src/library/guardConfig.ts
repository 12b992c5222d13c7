// The prompt-budget.yaml a guard follows: named, given, or the nearest one at or above `cwd`, found and
// read by the core's one loader, as the CLI does, so the editor, CI and the application agree on it.
import { dirname, join, resolve } from 'node:path';
import { type BudgetConfig, ModelCatalog, catalogWithOverrides, readNearestBudgetConfig, readRegularFile, resolveCustomTokenizers, vocabularySourcesFromEnv, withCustomTokenizers, type Problem } from '../core';

export interface GuardConfig {
  config?: BudgetConfig;
  /** The folder the config's relative paths (a ledger file) are relative to. */
  root: string;
  catalog: ModelCatalog;
}

/** Reads the config; rejects with every error as `file:line:column: message` when it has errors. */
export async function loadGuardConfig(cwd: string, config: string | BudgetConfig | undefined): Promise<GuardConfig> {
  const builtIn = ModelCatalog.builtIn();
  const sources = vocabularySourcesFromEnv(process.env);
  if (typeof config === 'object') {
    const root = resolve(cwd);
    // Its tokenizer files as a config file's, relative to `cwd` (its ledger file's folder too).
    const resolved = await resolveCustomTokenizers(config, root, config.file, sources);
    throwOnErrors(resolved.problems, (file) => file);
    return { config: resolved.config, root, catalog: catalogWithOverrides([], resolved.config, builtIn) };
  }
  const explicit = typeof config === 'string' ? resolve(cwd, config) : undefined;
  const nearest = await readNearestBudgetConfig((path) => readRegularFile(path), { join, dirname }, resolve(cwd), () => builtIn, explicit);
  const root = nearest.root;
  const read = await withCustomTokenizers(nearest.read, root, sources);
  throwOnErrors(read?.parsed.problems ?? [], (file) => (explicit ? file : join(root, file)));
  const parsed = read?.parsed.config;
  return { config: parsed, root, catalog: catalogWithOverrides([], parsed, builtIn) };
}

function throwOnErrors(problems: readonly Problem[], where: (file: string) => string): void {
  const errors = problems.filter((problem) => problem.severity === 'error');
  if (errors.length === 0) return;
  throw new Error(`prompt-budget: the config has errors:\n${errors.map((problem) => `${where(problem.file)}:${problem.line}:${problem.column}: ${problem.message}`).join('\n')}`);
}
