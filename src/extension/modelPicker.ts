import * as vscode from 'vscode';
import { formatTokens, formatUsd } from '../core/report/formatNumbers';
import { estimateSpreadLabel, isEstimate } from '../core/tokenize/estimateProfiles';
import { isFetchedVocabulary } from '../core/tokenize/sources/pinnedVocabularies';
import type { ModelInfo } from '../core/types';
import { COMMAND } from './commandIds';
import { registerCommand } from './log';
import { priceDataNote } from './priceUpdates';
import type { ModelChoice } from './modelChoice';
import type { PromptSettingsResolver } from './promptSettingsResolver';
import type { PromptDocuments } from './promptDocuments';

interface ModelPick extends vscode.QuickPickItem {
  modelId?: string;
  clear?: boolean;
}

// Providers whose own models lead the list; every other provider follows alphabetically.
const LEADING_PROVIDERS = ['openai', 'anthropic', 'google', 'x-ai', 'deepseek', 'mistral', 'moonshotai', 'cohere'];

/** "Prompt Budget: Select Model": a QuickPick grouped by provider, recently used first; deprecated models appear once you type. */
export function registerModelPicker(
  context: vscode.ExtensionContext,
  choice: ModelChoice,
  contexts: PromptSettingsResolver,
  documents: PromptDocuments,
): void {
  context.subscriptions.push(
    registerCommand(COMMAND.selectModel, async (search?: unknown) => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      const catalog = contexts.catalogFor(uri);
      const analysis = uri && documents.get(uri);
      const models = catalog.list();
      const current = modelPicks(models, choice, false);
      let all: ModelPick[] | undefined;
      const quickPick = vscode.window.createQuickPick<ModelPick>();
      quickPick.title = `Prompt Budget: Select Model (${priceDataNote()})`;
      quickPick.placeholder = placeholder(analysis?.resolved.source, analysis?.resolved.name);
      quickPick.matchOnDescription = true;
      quickPick.matchOnDetail = true;
      quickPick.items = current;
      // A search to start with ('gpt-5.5'), as if typed: deprecated models are then listed too.
      if (typeof search === 'string' && search.trim()) {
        quickPick.items = all = modelPicks(models, choice, true);
        quickPick.value = search;
      }
      const disposables: vscode.Disposable[] = [];
      const picked = await new Promise<ModelPick | undefined>((done) => {
        disposables.push(
          // Deprecated models join the list only while the user searches.
          quickPick.onDidChangeValue((value) => {
            const items = value.trim() ? (all ??= modelPicks(models, choice, true)) : current;
            if (quickPick.items !== items) quickPick.items = items;
          }),
          quickPick.onDidAccept(() => {
            done(quickPick.selectedItems[0]);
            quickPick.hide();
          }),
          quickPick.onDidHide(() => done(undefined)),
        );
        quickPick.show();
      });
      for (const disposable of disposables) disposable.dispose();
      quickPick.dispose();
      if (!picked || picked.kind === vscode.QuickPickItemKind.Separator) return;
      await choice.choose(picked.clear ? undefined : picked.modelId);
    }),
  );
}

/**
 * The picks: the default first, then recent models, then each provider's models under its name (the
 * major makers first, newest versions first). Deprecated models only when `withDeprecated` (a search).
 */
export function modelPicks(models: ModelInfo[], choice: ModelChoice, withDeprecated = false): ModelPick[] {
  const byId = new Map(models.map((model) => [model.id, model]));
  const chosen = choice.chosen;
  const picks: ModelPick[] = [
    { label: '$(discard) Use the default model', description: 'promptBudget.defaultModel or prompt-budget.yaml', clear: true },
  ];
  const recent = choice.recent.map((id) => byId.get(id)).filter((model): model is ModelInfo => model !== undefined);
  if (recent.length > 0) {
    picks.push({ label: 'Recently used', kind: vscode.QuickPickItemKind.Separator });
    for (const model of recent) picks.push(modelPick(model, chosen));
  }
  const byProvider = new Map<string, ModelInfo[]>();
  for (const model of models) {
    if (model.deprecated && !withDeprecated) continue;
    const list = byProvider.get(model.provider) ?? [];
    list.push(model);
    byProvider.set(model.provider, list);
  }
  const rank = (provider: string): number => {
    const index = LEADING_PROVIDERS.indexOf(provider);
    return index === -1 ? LEADING_PROVIDERS.length : index;
  };
  const providers = [...byProvider.keys()].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  for (const provider of providers) {
    const list = byProvider.get(provider)!;
    picks.push({ label: list[0].providerName ?? provider, kind: vscode.QuickPickItemKind.Separator });
    // Makers' own models first, then the ones resold; higher versions (newer) first within each.
    list.sort((a, b) => Number(a.sellsOwnModel === false) - Number(b.sellsOwnModel === false) || b.id.localeCompare(a.id, 'en', { numeric: true }));
    for (const model of list) picks.push(modelPick(model, chosen));
  }
  return picks;
}

function modelPick(model: ModelInfo, chosen: string | undefined): ModelPick {
  const limits = [
    model.contextWindow ? `${formatTokens(model.contextWindow)} context` : 'context unknown',
    model.maxOutputTokens ? `${formatTokens(model.maxOutputTokens)} max output` : undefined,
  ].filter(Boolean);
  const prices = model.pricing
    ? `${formatUsd(model.pricing.inputPerMillion)} in / ${formatUsd(model.pricing.outputPerMillion)} out per 1M tokens`
    : 'price unknown';
  return {
    label: `${model.id === chosen ? '$(check) ' : ''}${model.name}${model.deprecated ? ' (deprecated)' : ''}`,
    description: `${model.id} · ${limits.join(' · ')}`,
    detail: `${prices} (${model.providerName ?? model.provider} price) · ${isEstimate(model.tokenizer) ? `≈ estimated count (${estimateSpreadLabel(model.tokenizer)})` : isFetchedVocabulary(model.tokenizer) ? `exact once ${model.tokenizer} is pulled, ≈ until then` : `exact (${model.tokenizer})`}${model.origin !== 'catalog' ? ` · from ${model.origin}` : ''}`,
    modelId: model.id,
  };
}

function placeholder(source: string | undefined, name: string | undefined): string {
  if (source === 'file') return `This file declares its model (${name}); your choice applies to files that declare none.`;
  if (source === 'budget') return `A budget sets this file's model (${name}); your choice applies to files outside budgets.`;
  return 'Model to count prompts for in this workspace';
}
