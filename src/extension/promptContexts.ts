import * as vscode from 'vscode';
import type { ModelSource, PromptContext } from '../core/analyzePrompt';
import type { BudgetConfig } from '../core/budgets/budgetConfig';
import { ModelCatalog } from '../core/catalog/modelCatalog';
import type { ModelOverride } from '../core/types';
import type { ModelChoice } from './modelChoice';
import type { PromptContextSource } from './promptDocuments';
import { readSettings, SETTINGS_SECTION } from './settings';
import type { WorkspaceBudgets } from './workspaceBudgets';
import picomatch from 'picomatch';

/** A prompt's context plus the budget that governs it, for the tooltip and the tree. */
export interface PromptContextDetails extends PromptContext {
  budgetName?: string;
}

/**
 * Decides, per file, which model a prompt is counted for and under which limits:
 * the file's own declaration, else its budget's model, else the picked model, else the
 * config's `defaultModel`, else the `promptBudget.defaultModel` setting.
 */
export class PromptContexts implements PromptContextSource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private catalogCache: { settingsModels: readonly ModelOverride[]; config?: BudgetConfig; catalog: ModelCatalog }[] = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly choice: ModelChoice,
    private readonly budgets: WorkspaceBudgets,
  ) {
    this.disposables.push(
      this.changed,
      choice.onDidChange(() => this.changed.fire()),
      budgets.onDidChange(() => this.changed.fire()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(SETTINGS_SECTION)) {
          this.catalogCache = [];
          this.changed.fire();
        }
      }),
    );
  }

  /** The catalog for a file: built-in models, settings overrides, then the folder's config `models`. */
  catalogFor(uri?: vscode.Uri): ModelCatalog {
    const settingsModels = readSettings(uri).models;
    const config = uri ? this.budgets.folderOf(uri)?.config : undefined;
    const cached = this.catalogCache.find(
      (entry) => entry.config === config && JSON.stringify(entry.settingsModels) === JSON.stringify(settingsModels),
    );
    if (cached) return cached.catalog;
    let catalog = ModelCatalog.builtIn().withOverrides(settingsModels, 'settings');
    if (config) catalog = catalog.withOverrides(config.models, 'workspace');
    this.catalogCache = [...this.catalogCache.slice(-7), { settingsModels, config, catalog }];
    return catalog;
  }

  contextFor(uri: vscode.Uri): PromptContextDetails {
    const settings = readSettings(uri);
    const config = this.budgets.folderOf(uri)?.config;
    const [budget] = this.budgets.budgetsFor(uri);
    const candidates: [string | undefined, ModelSource][] = [
      [budget?.model, 'budget'],
      [this.choice.chosen, 'picker'],
      [config?.defaultModel, 'config'],
      [settings.defaultModel, 'setting'],
    ];
    const [fallbackModel, fallbackSource] = candidates.find(([name]) => name) as [string, ModelSource];
    return {
      catalog: this.catalogFor(uri),
      fallbackModel,
      fallbackSource,
      expectedOutputTokens: budget?.expectedOutputTokens ?? settings.expectedOutputTokens,
      warnAt: budget?.warnAt ?? config?.warnAt ?? settings.warnAt,
      budgetName: budget?.name,
    };
  }

  /** Files matched by `promptBudget.files`, the config's `files`, or any budget's globs. */
  isExtraPromptFile(uri: vscode.Uri): boolean {
    if (this.budgets.budgetsFor(uri).length > 0) return true;
    const globs = [...readSettings(uri).files, ...(this.budgets.folderOf(uri)?.config?.files.map((glob) => glob.pattern) ?? [])];
    if (globs.length === 0) return false;
    return picomatch(globs, { dot: true })(vscode.workspace.asRelativePath(uri, false));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}
