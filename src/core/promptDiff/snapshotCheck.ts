// One side of a diff: a folder as it stands at one revision, checked by the same engine as
// `prompt-budget check`, under the config of that same revision.
import { checkFolder } from '../check/checkFolder';
import { catalogWithOverrides } from '../catalog/catalogWithOverrides';
import type { BudgetConfig } from '../config/budgetConfig';
import type { ModelCatalog } from '../catalog/modelCatalog';
import type { WorkspaceCheck } from '../check/checkWorkspace';
import { readBudgetConfig, type BudgetConfigRead } from '../config/readBudgetConfig';
import type { PromptSettingSources } from '../count/resolvePromptSettings';
import type { Problem } from '../types';

/** A folder at one revision: the CLI reads a commit with git or the working tree; the editor uses VS Code's git extension. */
export interface FolderSnapshot {
  /** The revision as the user named it: 'HEAD', 'origin/main', 'working tree'. */
  revision: string;
  /** Every file below the folder at this revision, relative and `/`-separated. */
  listFiles(): Promise<string[]>;
  /** A file's bytes at this revision; rejects with a Node-style error (code ENOENT…) when it has none. */
  readFile(relativePath: string): Promise<Uint8Array>;
}

export interface SnapshotCheck {
  revision: string;
  /** The config at this revision, when it has one that parsed. */
  config?: BudgetConfig;
  /** Problems of the config at this revision (its file named relative to the folder). */
  configProblems: Problem[];
  /** True when the config has errors: its budgets are then not applied. */
  configFailed: boolean;
  check: WorkspaceCheck;
}

export interface SnapshotCheckOptions {
  /** The built-in catalog; the config's `models` of each revision go on top. */
  builtIn: ModelCatalog;
  /** A config file named explicitly, relative to the folder; otherwise the folder's prompt-budget.yaml. */
  configFile?: string;
  /** The CLI's --model. */
  pick?: PromptSettingSources['pick'];
  /**
   * The step after a config is read, as `check` takes it: the CLI and the editor resolve its custom
   * tokenizer files there (withCustomTokenizers, which reads them from disk). Without it such models count as ≈.
   */
  resolveConfig?: (read: BudgetConfigRead | undefined) => Promise<BudgetConfigRead | undefined>;
}

/** Reads the snapshot's config and checks its prompt files: `prompt-budget check` at one revision. */
export async function checkSnapshot(snapshot: FolderSnapshot, options: SnapshotCheckOptions): Promise<SnapshotCheck> {
  const configRead = await readBudgetConfig(
    (path) => snapshot.readFile(path),
    (dir, name) => (dir ? `${dir}/${name}` : name),
    '',
    () => options.builtIn,
    options.configFile,
  );
  const read = options.resolveConfig ? await options.resolveConfig(configRead) : configRead;
  const configProblems = read?.parsed.problems ?? [];
  const config = read?.parsed.config;
  const sources: PromptSettingSources = { catalog: catalogWithOverrides([], config, options.builtIn), pick: options.pick, config };
  const check = await checkFolder({ listFiles: () => snapshot.listFiles(), readFile: (path) => snapshot.readFile(path) }, config, sources);
  return {
    revision: snapshot.revision,
    config,
    configProblems,
    configFailed: configProblems.some((problem) => problem.severity === 'error'),
    check,
  };
}
