import type { ModelInfo } from '../types';
import { LIMIT_SOURCES, MODEL_LIMITS, type ModelLimits } from './modelLimits';
import { packagePriceFor } from './packagePrices';
import { tokenizerForModel } from './tokenizerForModel';

/** The built-in models, plus the ids that must not fall back to them (see `ModelCatalog.find`). */
export interface BuiltInModels {
  models: ModelInfo[];
  /** Lower-cased ids that look like a dated id of a built-in model but are priced on their own, mapped to that model's id. */
  separatelyPriced: Map<string, string>;
}

/** Joins the cited limits with the price package's prices in effect at `at`; models the package does not price are left out. */
export function buildBuiltInModels(at: Date, limits: readonly ModelLimits[] = MODEL_LIMITS): BuiltInModels {
  const models: ModelInfo[] = [];
  const separatelyPriced = new Map<string, string>();
  for (const entry of limits) {
    const price = packagePriceFor(entry.id, entry.provider, at);
    if (!price?.pricing) continue;
    const aliases = unique([
      entry.name,
      `${entry.provider}/${entry.id}`,
      ...(entry.aliases ?? []),
      ...price.datedIds,
    ]).filter((alias) => alias.toLowerCase() !== entry.id.toLowerCase());
    models.push({
      id: entry.id,
      name: entry.name,
      provider: entry.provider,
      aliases,
      contextWindow: entry.contextWindow,
      maxInputTokens: entry.maxInputTokens,
      maxOutputTokens: entry.maxOutputTokens,
      pricing: price.pricing,
      tokenizer: tokenizerForModel(entry.id),
      sources: { prices: price.source, limits: LIMIT_SOURCES[entry.provider] },
      origin: 'catalog',
    });
    for (const id of price.separatelyPricedIds) separatelyPriced.set(id, entry.id);
  }
  return { models, separatelyPriced };
}

function unique(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const key = name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
