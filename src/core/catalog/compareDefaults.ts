import type { ModelInfo } from '../types';
import type { ModelCatalog } from './modelCatalog';

/** Compare Models' default set: one or two current models of each major maker, cheap and flagship. */
export const DEFAULT_COMPARE_MODELS: readonly string[] = [
  'gpt-5.5',
  'gpt-5.4-mini',
  'claude-sonnet-5',
  'claude-haiku-4-5',
  'gemini-3.1-pro-preview',
  'gemini-3.5-flash',
  'grok-4.6',
  'deepseek-v3.2',
  'mistral-large-latest',
  'kimi-k3',
];

/** The default set as the catalog knows it: ids it cannot resolve (other price data) are left out, as are models that produce no output. */
export function defaultCompareSet(catalog: ModelCatalog, ids: readonly string[] = DEFAULT_COMPARE_MODELS): ModelInfo[] {
  const models = new Map<string, ModelInfo>();
  for (const id of ids) {
    const model = catalog.find(id);
    if (model && model.maxOutputTokens !== 0) models.set(model.id, model);
  }
  return [...models.values()];
}
