import * as vscode from 'vscode';
import type { Budget, BudgetConfig } from '../core/config/budgetConfig';
import { globsMatcher, isListedPromptFile } from '../core/check/matchBudgets';
import { ModelCatalog } from '../core/catalog/modelCatalog';
import { catalogWithOverrides } from '../core/catalog/catalogWithOverrides';
import { resolvePromptSettings, type PromptSettingSources, type ResolvedPromptSettings } from '../core/count/resolvePromptSettings';
import type { ModelOverride } from '../core/types';
import { log } from './log';
import type { ModelChoice } from './modelChoice';
import type { PromptSettingsSource } from './promptDocuments';
import { onDidChangeSettings, readSettings } from './settings';
import { relativePath, type WorkspaceBudgets } from './workspaceBudgets';

// The longest the first counts wait for the workspace's prompt-budget.yaml to be read.
const CONFIG_WAIT_MS = 3000;

/**
 * Decides, per file, which model a prompt is counted for and under which limits:
 * the file's own declaration, else its budget's model, else the picked model, else the
 * config's `defaultModel`, else the `promptBudget.defaultModel` setting.
 */
export class PromptSettingsResolver implements PromptSettingsSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private catalogCache: { settingsModels: readonly ModelOverride[]; config?: BudgetConfig; catalog: ModelCatalog }[] = [];
  // `promptBudget.files` compiled once per distinct list (folders may differ), until settings change.
  private settingsGlobs = new Map<string, (relativePath: string) => boolean>();
  private prepareTimer: ReturnType<typeof setTimeout> | undefined;
  private configsRead = false;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly choice: ModelChoice,
    private readonly budgets: WorkspaceBudgets,
    onDidChangePrices: vscode.Event<void>,
  ) {
    this.disposables.push(
      this.changed,
      choice.onDidChange(() => this.changed.fire()),
      budgets.onDidChange(() => {
        this.prepareCatalogs();
        this.changed.fire();
      }),
      // The built-in catalog is made of the price data in force: every catalog built on it is stale.
      onDidChangePrices(() => this.rebuildCatalogs()),
      onDidChangeSettings(() => {
        this.settingsGlobs.clear();
        this.rebuildCatalogs();
      }),
      { dispose: () => clearTimeout(this.prepareTimer) },
    );
    // Catalogs are prepared once the configs are read (their `models` are part of them), not before.
    // Until each folder's prompt-budget.yaml has been read, a count would be shown under the wrong
    // budget (a worst-case cost, then the budget's expected one a moment later). A config that
    // takes long to read (a remote file system) holds counts back for CONFIG_WAIT_MS at most.
    const waited = setTimeout(() => {
      if (!this.configsRead) log().warn(`prompt-budget.yaml not read after ${CONFIG_WAIT_MS} ms: counts show without its budgets until it is.`);
      this.markConfigsRead();
    }, CONFIG_WAIT_MS);
    // The built-in models need no config: made a turn after activation, while the configs are read, so
    // that a prompt opened meanwhile waits only for its config's overrides on top of them.
    const builtInSoon = setTimeout(() => {
      const started = performance.now();
      const models = ModelCatalog.builtIn().list().length;
      const how = ModelCatalog.builtInFromSnapshot() ? "read from the build's snapshot" : `built from ${ModelCatalog.priceData().label}`;
      log().info(`Built-in catalog: ${models} models, ${how}, in ${(performance.now() - started).toFixed(0)} ms`);
    }, 0);
    this.disposables.push({
      dispose: () => {
        clearTimeout(waited);
        clearTimeout(builtInSoon);
      },
    });
    void budgets.whenLoaded().then(() => this.markConfigsRead());
  }

  /** Whether `uri`'s context is final: every config read, or already the one that governs it (a first prompt need not wait for the rest). */
  readyFor(uri: vscode.Uri): boolean {
    return this.configsRead || this.budgets.settledFor(uri);
  }

  /** Drops every catalog (what they are built on changed), prepares them again and tells the surfaces. */
  private rebuildCatalogs(): void {
    this.catalogCache = [];
    this.prepareCatalogs();
    this.changed.fire();
  }

  private markConfigsRead(): void {
    if (this.configsRead) return;
    this.configsRead = true;
    this.prepareCatalogs();
    this.changed.fire();
  }

  /**
   * Builds each folder's catalog in a later turn (its settings' and config's overrides on the built-in
   * models). The extension activates as a window with a config or a prompt opens, so this is work the
   * first prompt opened would otherwise do before its text could go to the count worker.
   */
  private prepareCatalogs(): void {
    clearTimeout(this.prepareTimer);
    // One folder per turn, so a multi-root workspace does not hold the extension host for long.
    const folders: (vscode.Uri | undefined)[] = vscode.workspace.workspaceFolders?.map((folder) => folder.uri) ?? [undefined];
    const next = () => {
      this.catalogFor(folders.shift());
      if (folders.length > 0) this.prepareTimer = setTimeout(next, 0);
    };
    this.prepareTimer = setTimeout(next, 0);
  }

  /** The catalog for a file: built-in models, settings overrides, then the folder's config `models`. */
  catalogFor(uri?: vscode.Uri): ModelCatalog {
    const settingsModels = readSettings(uri).models;
    const config = uri ? this.budgets.folderOf(uri)?.config : undefined;
    const cached = this.catalogCache.find(
      (entry) => entry.config === config && JSON.stringify(entry.settingsModels) === JSON.stringify(settingsModels),
    );
    if (cached) return cached.catalog;
    const catalog = catalogWithOverrides(settingsModels, config);
    this.catalogCache = [...this.catalogCache.slice(-7), { settingsModels, config, catalog }];
    return catalog;
  }

  contextFor(uri: vscode.Uri): ResolvedPromptSettings {
    const settings = readSettings(uri);
    const config = this.budgets.folderOf(uri)?.config;
    const [budget] = this.budgets.budgetsFor(uri);
    const chosen = this.choice.chosen;
    return resolvePromptSettings(
      { catalog: this.catalogFor(uri), pick: chosen ? { model: chosen, source: 'picker' } : undefined, config, setting: settings },
      budget,
    );
  }

  /**
   * The settings a folder's files are checked under, beside its config and budgets, as `prompt-budget
   * check` does: the default model and warnAt; no picked model and no expected output (only a
   * budget sets one), so the budgets view agrees with CI.
   */
  checkSourcesFor(folderUri: vscode.Uri): Pick<PromptSettingSources, 'setting'> {
    const { defaultModel, warnAt } = readSettings(folderUri);
    return { setting: { defaultModel, warnAt } };
  }

  budgetsFor(uri: vscode.Uri): { relativePath: string; budgets: readonly Budget[] } {
    const folder = this.budgets.folderOf(uri);
    return {
      relativePath: folder ? relativePath({ uri: folder.root }, uri) : vscode.workspace.asRelativePath(uri, false),
      budgets: this.budgets.budgetsFor(uri),
    };
  }

  /** Files matched by `promptBudget.files`, the config's `files`, or any budget's globs, unless the config ignores them. */
  isExtraPromptFile(uri: vscode.Uri): boolean {
    const folder = this.budgets.folderOf(uri);
    const path = folder ? relativePath({ uri: folder.root }, uri) : vscode.workspace.asRelativePath(uri, false);
    return isListedPromptFile(folder?.config, path, this.settingsGlobsFor(uri));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private settingsGlobsFor(uri: vscode.Uri): (relativePath: string) => boolean {
    const globs = readSettings(uri).files;
    const key = JSON.stringify(globs);
    let matcher = this.settingsGlobs.get(key);
    if (!matcher) {
      matcher = globsMatcher(globs);
      this.settingsGlobs.set(key, matcher);
    }
    return matcher;
  }
}
