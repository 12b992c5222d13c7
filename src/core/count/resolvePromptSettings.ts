// The one place that decides which model and limits a prompt is counted under, so the editor,
// the workspace scan and the CLI cannot drift apart. A model declared in the file itself wins over
// all of these (resolvePromptModel); then: budget > picked model or --model > config > setting > default.
import type { CountFromProvider, ModelSource, PromptCountSettings } from './analyzePrompt';
import { DEFAULT_WARN_AT, type Budget, type BudgetConfig } from '../config/budgetConfig';
import type { ModelCatalog } from '../catalog/modelCatalog';

/** Counted for when nothing else names a model. */
export const DEFAULT_MODEL = 'gpt-4o';

/** What may name a prompt's model and limits, apart from the file and its budget; unset ones are skipped. */
export interface PromptSettingSources {
  catalog: ModelCatalog;
  /** The editor's picked model or the CLI's --model. */
  pick?: { model: string; source: Extract<ModelSource, 'picker' | 'cli'> };
  config?: Pick<BudgetConfig, 'defaultModel' | 'warnAt'>;
  /** The editor's settings (none in the CLI). */
  setting?: { defaultModel?: string; warnAt?: number; expectedOutputTokens?: number };
  /** The CLI's --count-with-api; never set unless the user asked. */
  countFromProvider?: CountFromProvider;
}

/** A prompt's context plus the budget that governs it, for tooltips and the tree. */
export interface ResolvedPromptSettings extends PromptCountSettings {
  budgetName?: string;
}

/** The context a prompt is counted under, given its budget (if any) and the other sources. */
export function resolvePromptSettings(sources: PromptSettingSources, budget?: Pick<Budget, 'name' | 'model' | 'expectedOutputTokens' | 'warnAt'>): ResolvedPromptSettings {
  const candidates: [string | undefined, ModelSource][] = [
    [budget?.model, 'budget'],
    [sources.pick?.model, sources.pick?.source ?? 'picker'],
    [sources.config?.defaultModel, 'config'],
    [sources.setting?.defaultModel, 'setting'],
  ];
  const [fallbackModel, fallbackSource] = candidates.find(([name]) => name) ?? [DEFAULT_MODEL, 'default'];
  return {
    catalog: sources.catalog,
    fallbackModel: fallbackModel!,
    fallbackSource,
    expectedOutputTokens: budget?.expectedOutputTokens ?? sources.setting?.expectedOutputTokens,
    warnAt: budget?.warnAt ?? sources.config?.warnAt ?? sources.setting?.warnAt ?? DEFAULT_WARN_AT,
    budgetName: budget?.name,
    ...(sources.countFromProvider ? { countFromProvider: sources.countFromProvider } : {}),
  };
}
