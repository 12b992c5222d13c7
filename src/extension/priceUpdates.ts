// Opt-in price updates: "Prompt Budget: Update Prices" and the promptBudget.prices.autoUpdate setting.
// The data is downloaded from promptBudget.prices.url, checked, and cached in the extension's global
// storage; a failed or bad download keeps the last good data. Nothing here runs during activation
// but reading one setting: the cache is read when the catalog is first used.
import * as path from 'node:path';
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { priceDataFile, setActivePriceData, setPriceDataFile } from '../core/catalog/activePriceData';
import { ModelCatalog } from '../core/catalog/modelCatalog';
import { downloadPriceCache } from '../core/catalog/downloadPriceCache';
import { stalenessWarning } from '../core/catalog/priceData';
import { COMMAND } from './commandIds';
import { log, registerCommand } from './log';
import { onDidChangeSettings, readSettings } from './settings';
import { publishPriceDataFile } from './workerStart';

const AUTO_UPDATE_AFTER_MS = 7 * 86_400_000;
const AUTO_UPDATE_DELAY_MS = 15_000;

const readPriceSettings = () => readSettings().prices;

/**
 * Registers the update command and, when the setting is on, uses the cached prices and refreshes them weekly.
 * Returns an event that fires when the price data in force changed (the workers have been told already).
 */
export function registerPriceUpdates(context: vscode.ExtensionContext): vscode.Event<void> {
  const cacheFile = path.join(context.globalStorageUri.fsPath, 'genai-prices.json');
  const changed = new vscode.EventEmitter<void>();
  context.subscriptions.push(changed);
  const useCache = (): void => {
    // Workers started from now on read the same file; an invalid or missing one means the bundled prices.
    if (!readPriceSettings().autoUpdate || priceDataFile() === cacheFile) return;
    setPriceDataFile(cacheFile);
    publishPriceDataFile(cacheFile);
    changed.fire();
  };
  useCache();

  const update = async (interactive: boolean): Promise<void> => {
    const { url } = readPriceSettings();
    const result = await downloadPriceCache(url, cacheFile);
    for (const warning of result.warnings) {
      log().warn(`Price update: ${warning}`);
      if (interactive) void vscode.window.showWarningMessage(`Prompt Budget: ${warning}`);
    }
    if (!result.ok) {
      log().warn(`Price update failed: ${result.error}; the prices in use are unchanged.`);
      if (interactive) void vscode.window.showWarningMessage(`Prompt Budget: price update failed: ${result.error}. The prices in use are unchanged.`);
      return;
    }
    setPriceDataFile(cacheFile);
    setActivePriceData(result.data);
    publishPriceDataFile(cacheFile);
    changed.fire();
    const catalog = ModelCatalog.builtIn();
    const message = `Prompt Budget: prices updated (${result.data.label}): ${catalog.list().length} models from ${catalog.providers().length} providers, in use from now on.`;
    log().info(message);
    if (interactive) void vscode.window.showInformationMessage(message);
  };

  context.subscriptions.push(
    registerCommand(COMMAND.updatePrices, () => update(true)),
    // After the settings snapshot is renewed, so the new value is read.
    onDidChangeSettings((event) => {
      if (event.affectsConfiguration('promptBudget.prices')) useCache();
    }),
  );

  if (readPriceSettings().autoUpdate) {
    // Well after activation, and only when the cache is a week old or missing.
    const timer = setTimeout(() => {
      void stat(cacheFile).then(
        (info) => (Date.now() - info.mtimeMs > AUTO_UPDATE_AFTER_MS ? update(false) : undefined),
        () => update(false),
      );
    }, AUTO_UPDATE_DELAY_MS);
    context.subscriptions.push({ dispose: () => clearTimeout(timer) });
  }
  return changed.event;
}

/** The date of the prices in use, with a warning when they are older than 60 days. */
export function priceDataNote(): string {
  const data = ModelCatalog.priceData();
  const stale = stalenessWarning(data, new Date());
  return stale ? `Prices of ${data.date}, over 60 days old: run Prompt Budget: Update Prices` : `Prices of ${data.date}`;
}
