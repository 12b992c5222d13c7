// Wires Prompt Budget's surfaces. Activation only registers: no encoder loads and no
// workspace scan runs here; counting starts in a worker when a prompt is first shown.
import * as vscode from 'vscode';
import { priceDataFile } from '../core/catalog/activePriceData';
import { ModelCatalog } from '../core/catalog/modelCatalog';
import { registerBudgetTree, type BudgetTreeProvider } from './budgetTree';
import { registerCompareView, type CompareViews } from './compareView';
import { registerCompareWithHead } from './compareWithHead';
import { registerConfigCommands } from './configCommands';
import { COMMAND } from './commandIds';
import { registerInlineCounts, type InlineCounts } from './inlineCounts';
import { disposeLog, log, registerCommand } from './log';
import type { HeadDiffs } from './headDiffs';
import { ModelChoice } from './modelChoice';
import { registerModelPicker } from './modelPicker';
import { registerPriceUpdates } from './priceUpdates';
import { PromptSettingsResolver } from './promptSettingsResolver';
import { registerPromptCodeActions } from './promptCodeActions';
import { registerPromptDiagnostics } from './promptDiagnostics';
import { registerProviderCounts, type ProviderCounts } from './providerCounts';
import { promptWorkerPath, PromptDocuments } from './promptDocuments';
import { registerSettings, settingsReadCount } from './settings';
import { registerStatusBar, type PromptStatusBar } from './statusBar';
import { registerTokenBoundaries, type TokenBoundaries } from './tokenBoundaries';
import { registerUsageLedger, type UsageSurfaces } from './usageSurfaces';
import { WorkspaceBudgets } from './workspaceBudgets';
import { WorkspaceScan } from './workspaceScan';
import { registerTokenizerFiles } from './tokenizerFiles';

/** What tests and other extensions can reach; the surfaces' state, not new behaviour. */
export interface PromptBudgetApi {
  documents: PromptDocuments;
  contexts: PromptSettingsResolver;
  budgets: WorkspaceBudgets;
  choice: ModelChoice;
  /** The editor surfaces, so tests can read what they show (VS Code cannot read decorations back). */
  statusBar: PromptStatusBar;
  inlineCounts: InlineCounts;
  tokenBoundaries: TokenBoundaries;
  compareViews: CompareViews;
  budgetTree: BudgetTreeProvider;
  /** The usage ledger: logs, view and dashboard. */
  usage: UsageSurfaces;
  /** Counts from the providers' APIs (Count with Provider API, the on-save opt-in). */
  providerCounts: ProviderCounts;
  /** Each folder's prompts against HEAD: the status bar's and the budgets view's deltas. */
  headDiffs: HeadDiffs;
  /** How many times the settings were read from VS Code (they are read once per folder and change). */
  settingsReads: () => number;
  /** The price data file count workers start with (the update cache once the user opted in), if any. */
  priceDataFile: () => string | undefined;
  /** Whether the built-in catalog in force was read from the build's snapshot rather than built here. */
  catalogFromSnapshot: () => boolean;
  /** How long `activate` took, in milliseconds (shown in the log; printed by the smoke test). */
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): PromptBudgetApi {
  const started = performance.now();
  // First: every later listener reads settings snapshots that are current.
  registerSettings(context);
  // One diagnostic collection for prompts and prompt-budget.yaml alike.
  const diagnostics = vscode.languages.createDiagnosticCollection('promptBudget');
  const choice = new ModelChoice(context);
  const budgets = new WorkspaceBudgets(diagnostics);
  // Before the count worker starts: it reads the updated prices, if the user opted in.
  const onDidChangePrices = registerPriceUpdates(context);
  const contexts = new PromptSettingsResolver(choice, budgets, onDidChangePrices);
  const documents = new PromptDocuments(promptWorkerPath(context.extensionPath), contexts);
  context.subscriptions.push(diagnostics, choice, budgets, contexts, documents);

  registerTokenizerFiles(context, documents.onDidAnalyze);
  const providerCounts = registerProviderCounts(context, documents);
  const headDiffs = registerCompareWithHead(context, documents);
  const statusBar = registerStatusBar(context, documents, providerCounts, headDiffs);
  registerModelPicker(context, choice, contexts, documents);
  const inlineCounts = registerInlineCounts(context, documents);
  const tokenBoundaries = registerTokenBoundaries(context, documents);
  registerPromptDiagnostics(context, documents, diagnostics);
  registerPromptCodeActions(context, documents, contexts, choice);
  const compareViews = registerCompareView(context, documents, contexts);
  // Each folder's prompts against its budgets: shown by the budgets view, read by the usage view and the config commands.
  const scan = new WorkspaceScan(promptWorkerPath(context.extensionPath), budgets, contexts, onDidChangePrices);
  context.subscriptions.push(scan);
  const budgetTree = registerBudgetTree(context, scan, budgets, headDiffs);
  registerConfigCommands(context, budgets, scan);
  context.subscriptions.push(registerCommand(COMMAND.showLog, () => log().show()));
  const usage = registerUsageLedger(context, budgets, scan);

  const activationMs = performance.now() - started;
  log().info(`Activated in ${activationMs.toFixed(1)} ms`);
  return { documents, contexts, budgets, choice, statusBar, inlineCounts, tokenBoundaries, compareViews, budgetTree, usage, providerCounts, headDiffs, settingsReads: settingsReadCount, priceDataFile, catalogFromSnapshot: () => ModelCatalog.builtInFromSnapshot(), activationMs };
}

export function deactivate(): void {
  disposeLog();
}
