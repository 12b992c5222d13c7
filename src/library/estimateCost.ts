// estimateCost: what a call costs, from a provider's usage object or from token counts, priced as
// `prompt-budget usage` prices a log (the price data at the call's time, cache reads and writes
// included), falling back to the catalog's prices for models the config adds.
import { costPerCall, formatUsd, ModelCatalog, UsagePricer, recognizeUsage, type ModelInfo } from '../core';

/** Token counts of one call, the whole input including cached reads and cache writes. */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  cacheWriteTokens?: number;
}

export interface CostEstimate {
  /** USD; 0 with `priced: false` when no price is known. */
  cost: number;
  priced: boolean;
  /** 'price-data': @pydantic/genai-prices at `at`; 'catalog': a model added or overridden in the config; 'none'. */
  source: 'price-data' | 'catalog' | 'none';
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** "$0.0012", or "price unknown". */
  label: string;
}

export interface EstimateOptions {
  catalog?: ModelCatalog;
  /** When the call was made (prices change); now by default. */
  at?: Date;
  provider?: string;
}

const pricer = new UsagePricer();

/** The cost of one call, from `{ inputTokens, outputTokens, … }` or any provider usage object the usage readers know. */
export function estimateCost(usageOrCounts: TokenCounts | Record<string, unknown>, model: string | ModelInfo, options: EstimateOptions = {}): CostEstimate {
  const catalog = options.catalog ?? ModelCatalog.builtIn();
  const info = typeof model === 'string' ? catalog.find(model) : model;
  const modelId = typeof model === 'string' ? model : model.id;
  const counts = tokenCountsOf(usageOrCounts, modelId, options.provider);
  const time = (options.at ?? new Date()).getTime();
  const provider = options.provider ?? info?.provider ?? pricer.providerOf(modelId) ?? 'unknown';
  const fromConfig = info !== undefined && info.origin !== 'catalog';
  const fromData = fromConfig ? undefined : pricer.price(provider, info?.id ?? modelId, time, { calls: 1, ...counts });
  if (fromData !== undefined) return estimate(fromData, 'price-data', counts);
  if (info?.pricing) {
    const cached = Math.min(counts.cachedInputTokens, counts.inputTokens);
    const full = costPerCall(info, counts.inputTokens - cached, counts.outputTokens).total;
    const cachedRate = info.pricing.cachedInputPerMillion ?? info.pricing.inputPerMillion;
    return estimate(full + (cached * cachedRate) / 1_000_000, 'catalog', counts);
  }
  return estimate(undefined, 'none', counts);
}

/** Counts from our own shape, or from an OpenAI, Anthropic or Gemini usage object (bare or in a response). */
export function tokenCountsOf(usage: TokenCounts | Record<string, unknown>, model: string, provider?: string): Required<TokenCounts> {
  if (typeof usage.inputTokens === 'number' || typeof usage.outputTokens === 'number') {
    const counts = usage as TokenCounts;
    return { inputTokens: counts.inputTokens ?? 0, outputTokens: counts.outputTokens ?? 0, cachedInputTokens: counts.cachedInputTokens ?? 0, cacheWriteTokens: counts.cacheWriteTokens ?? 0 };
  }
  const object = usage as Record<string, unknown>;
  // Anthropic's usage says input_tokens as OpenAI's Responses API does: the provider tells them apart.
  const kind = provider === 'anthropic' ? { type: 'message' } : {};
  const wrapped = object.usage !== undefined || object.usageMetadata !== undefined ? { model, ...kind, ...object } : object.promptTokenCount !== undefined ? { modelVersion: model, usageMetadata: object } : { model, ...kind, usage: object };
  const recognition = recognizeUsage(wrapped);
  if (!('usage' in recognition) || recognition.usage.length === 0) {
    throw new Error(`prompt-budget: not a usage object: expected { inputTokens, outputTokens } or a provider's usage (${'error' in recognition ? recognition.error : 'ignored' in recognition ? recognition.ignored : 'empty'})`);
  }
  const [first] = recognition.usage;
  return { inputTokens: first.inputTokens, outputTokens: first.outputTokens, cachedInputTokens: first.cachedInputTokens, cacheWriteTokens: first.cacheWriteTokens };
}

function estimate(cost: number | undefined, source: CostEstimate['source'], counts: Required<TokenCounts>): CostEstimate {
  return { cost: cost ?? 0, priced: cost !== undefined, source: cost === undefined ? 'none' : source, ...counts, label: cost === undefined ? 'price unknown' : formatUsd(cost) };
}
