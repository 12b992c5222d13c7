import * as vscode from 'vscode';
import { formatTokens, formatUsd } from '../core/catalog/format';
import type { ModelInfo } from '../core/types';
import { COMMAND } from './commandIds';
import { registerCommand } from './log';
import type { ModelChoice } from './modelChoice';
import type { PromptContexts } from './promptContexts';
import type { PromptDocuments } from './promptDocuments';

interface ModelPick extends vscode.QuickPickItem {
  modelId?: string;
  clear?: boolean;
}

/** "Prompt Budget: Select Model": a QuickPick grouped by provider, recently used first. */
export function registerModelPicker(
  context: vscode.ExtensionContext,
  choice: ModelChoice,
  contexts: PromptContexts,
  documents: PromptDocuments,
): void {
  context.subscriptions.push(
    registerCommand(COMMAND.selectModel, async () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      const catalog = contexts.catalogFor(uri);
      const analysis = uri && documents.get(uri);
      const picked = await vscode.window.showQuickPick(modelPicks(catalog.list(), choice), {
        title: 'Prompt Budget: Select Model',
        placeHolder: placeholder(analysis?.resolved.source, analysis?.resolved.name),
        matchOnDescription: true,
        matchOnDetail: true,
      });
      if (!picked) return;
      await choice.choose(picked.clear ? undefined : picked.modelId);
    }),
  );
}

/** The picks: the default first, then recent models, then every model under its provider. */
export function modelPicks(models: ModelInfo[], choice: ModelChoice): ModelPick[] {
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
  let provider: string | undefined;
  for (const model of models) {
    if (model.provider !== provider) {
      provider = model.provider;
      picks.push({ label: provider, kind: vscode.QuickPickItemKind.Separator });
    }
    picks.push(modelPick(model, chosen));
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
    label: `${model.id === chosen ? '$(check) ' : ''}${model.name}`,
    description: `${model.id} · ${limits.join(' · ')}`,
    detail: `${prices} · ${model.tokenizer === 'estimate' ? '≈ estimated count' : `exact (${model.tokenizer})`}${model.origin !== 'catalog' ? ` · from ${model.origin}` : ''}`,
    modelId: model.id,
  };
}

function placeholder(source: string | undefined, name: string | undefined): string {
  if (source === 'file') return `This file declares its model (${name}); your choice applies to files that declare none.`;
  if (source === 'budget') return `A budget sets this file's model (${name}); your choice applies to files outside budgets.`;
  return 'Model to count prompts for in this workspace';
}
