// The built-in models: every model the price data prices per text token, from every provider, with
// the limits of the maintained table where it has them.
import type { ModelInfo, SourceNote } from '../types';
import { DISPLAY_NAMES, limitsFor, MODEL_LIMITS, type LimitEntry } from './modelLimits';
import { toModelPricing } from './packagePrices';
import { bundledPriceData, equalsNames, hasTimeOfDayPrices, matches, textPrices, type MatchRule, type PriceData, type PriceProvider } from './priceData';
import { tokenizerForModel } from './tokenizerForModel';

/** What the catalog needs to know about a provider to pick among the sellers of a model. */
export interface ProviderRule {
  id: string;
  name: string;
  /** The package's rule for which unqualified ids are this provider's own ('gpt-…' is OpenAI's). */
  modelMatch?: MatchRule;
  /** Providers whose prices apply to models this one does not list itself (Azure: OpenAI's, …). */
  fallbacks: string[];
}

/** The built-in models and what resolution needs besides them. */
export interface BuiltInModels {
  models: ModelInfo[];
  /** Each model's package match rule, so that ids the rule accepts ('claude-sonnet-4-5-20250929') find it. */
  matchRules: Map<ModelInfo, MatchRule>;
  /** Lower-cased names the price data lists without a per-token text price (image, audio, free tiers). */
  unpriced: Set<string>;
  providers: ProviderRule[];
  data: PriceData;
}

// Providers without a model rule in the price data that sell models of their own making.
const OWN_MODEL_PROVIDERS = new Set(['perplexity', 'zai']);
// Hosts whose model rule recognises their own id scheme ('@cf/…', 'accounts/fireworks/…'), not models they make.
const HOSTS_WITH_MODEL_RULE = new Set(['cerebras', 'cloudflare', 'fireworks']);

/** Builds the models from `data`, with the prices in effect at `at` and the limits of `limits`. */
export function buildBuiltInModels(at: Date, data: PriceData = bundledPriceData(), limits: readonly LimitEntry[] = MODEL_LIMITS): BuiltInModels {
  const models: ModelInfo[] = [];
  const matchRules = new Map<ModelInfo, MatchRule>();
  const unpriced = new Set<string>();
  const takenIds = new Set<string>();
  const dataSource: SourceNote = { source: data.label, asOf: data.date, url: data.url };

  const makers = data.providers.filter((provider) => provider.model_match && !HOSTS_WITH_MODEL_RULE.has(provider.id));
  /** A maker sells its own model: one its rule names ('gpt-…'), or a plain id no other maker's rule claims ('text-embedding-3-small'). */
  const sellsOwnModel = (provider: PriceProvider, modelId: string): boolean => {
    if (OWN_MODEL_PROVIDERS.has(provider.id)) return !modelId.includes('/');
    if (!makers.includes(provider)) return false;
    if (matches(provider.model_match!, modelId)) return true;
    return !modelId.includes('/') && !makers.some((other) => other !== provider && matches(other.model_match!, modelId));
  };

  for (const provider of data.providers) {
    for (const entry of provider.models) {
      const prices = textPrices(entry, at);
      const pricing = toModelPricing(prices);
      if (!pricing) {
        for (const name of [entry.id, ...equalsNames(entry.match)]) unpriced.add(name.toLowerCase());
        continue;
      }
      const sellsOwn = sellsOwnModel(provider, entry.id);
      const table = sellsOwn ? limitsFor(provider.id, entry.id, limits) : undefined;
      let id = sellsOwn ? (table?.id ?? entry.id) : `${provider.id}/${entry.id}`;
      if (takenIds.has(id.toLowerCase())) id = `${provider.id}/${entry.id}`;
      takenIds.add(id.toLowerCase());

      const inputOnly = prices['output_mtok'] === undefined || prices['output_mtok'] === null;
      const limitSources: NonNullable<ModelInfo['limitSources']> = {};
      const contextWindow = table?.contextWindow ?? entry.context_window;
      if (table?.contextWindow !== undefined) limitSources.contextWindow = table.source;
      else if (entry.context_window !== undefined) limitSources.contextWindow = dataSource;
      if (table?.maxInputTokens !== undefined) limitSources.maxInputTokens = table.source;
      let maxOutputTokens: number | undefined;
      if (inputOnly) {
        // Embeddings and rerankers: priced for input only, they return no tokens.
        maxOutputTokens = 0;
        limitSources.maxOutputTokens = { source: `${data.label}: input-only model (no output price)`, asOf: data.date };
      } else if (table) {
        maxOutputTokens = table.maxOutputTokens ?? undefined;
        limitSources.maxOutputTokens = table.source;
      }

      let priceNote = `${provider.name} price, ${data.label}`;
      if (hasTimeOfDayPrices(entry)) priceNote += '; standard price, off-peak discounts not applied';
      const model: ModelInfo = {
        id,
        name: (sellsOwn ? DISPLAY_NAMES[entry.id] : undefined) ?? (entry.name?.trim() || entry.id),
        provider: provider.id,
        aliases: unique([
          ...(id !== entry.id ? [entry.id] : [`${provider.id}/${entry.id}`]),
          entry.name?.trim() ?? '',
          ...equalsNames(entry.match),
          ...(table?.aliases ?? []),
        ]).filter((alias) => alias && alias.toLowerCase() !== id.toLowerCase()),
        contextWindow,
        maxInputTokens: table?.maxInputTokens,
        maxOutputTokens,
        pricing,
        tokenizer: tokenizerForModel(entry.id),
        sources: {
          prices: { source: priceNote, asOf: data.date, url: provider.pricing_urls?.[0] },
          limits: combinedLimitSource(limitSources),
        },
        origin: 'catalog',
        limitSources,
        deprecated: entry.deprecated === true ? true : undefined,
        sellsOwnModel: sellsOwn,
        providerName: provider.name,
      };
      models.push(model);
      matchRules.set(model, entry.match);
    }
  }
  const providers = data.providers.map((provider) => ({
    id: provider.id,
    name: provider.name,
    modelMatch: provider.model_match,
    fallbacks: provider.fallback_model_providers ?? [],
  }));
  return { models, matchRules, unpriced, providers, data };
}

/** One note for all of a model's limits; where they come from two places, it names both. */
function combinedLimitSource(sources: NonNullable<ModelInfo['limitSources']>): SourceNote | undefined {
  const window = sources.contextWindow;
  const output = sources.maxOutputTokens ?? sources.maxInputTokens;
  if (!window || !output || window === output) return window ?? output;
  return { source: `context window: ${window.source}; max output: ${output.source}`, asOf: output.asOf, url: output.url ?? window.url };
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
