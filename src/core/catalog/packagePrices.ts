// Reads prices from @pydantic/genai-prices. The package carries ~0.5 MB of data, so it is required
// inside the functions that need it: importing the catalog (and activating the extension) stays cheap.
import type * as GenaiPrices from '@pydantic/genai-prices';
import type { ModelPricing, PriceTier, SourceNote } from '../types';

/**
 * The price package and the date of its data. The package exposes no data date, so this is the
 * npm publish date of the version (`npm view @pydantic/genai-prices time`); a unit test checks the
 * version against the installed one, so an upgrade cannot leave a stale date behind.
 */
export const PRICE_PACKAGE = { name: '@pydantic/genai-prices', version: '0.1.8', publishedOn: '2026-09-23' } as const;

/** What the price package says about one model. */
export interface PackagePrice {
  /** Undefined when the package lists the model without a per-token price. */
  pricing?: ModelPricing;
  source: SourceNote;
  /** The package's id for the model, which can differ from ours ('claude-sonnet-4-0'). */
  packageModelId: string;
  packageContextWindow?: number;
  /** Dated ids the package names for this very model ('gpt-4o-2024-08-06'). */
  datedIds: string[];
  /** Ids the package prices as separate models although they look like dated ids of this one. */
  separatelyPricedIds: string[];
}

type PackagePriceValue = number | GenaiPrices.TieredPrices | undefined;

let genaiPrices: typeof GenaiPrices | undefined;

function loadGenaiPrices(): typeof GenaiPrices {
  // A plain require keeps the load lazy in Node and in the esbuild bundle alike.
  genaiPrices ??= require('@pydantic/genai-prices') as typeof GenaiPrices;
  return genaiPrices;
}

/** The package's price for a model id at a date, or undefined when the package does not know the model. */
export function packagePriceFor(modelId: string, providerId: string, at: Date): PackagePrice | undefined {
  const prices = loadGenaiPrices();
  // A zero-token calculation is the package's own way to match the id and pick the price in effect at `at`.
  const result = prices.calcPrice({ input_tokens: 0, output_tokens: 0 }, modelId, { providerId, timestamp: at });
  if (!result || result.provider.id !== providerId) return undefined;
  const source: SourceNote = {
    source: `${PRICE_PACKAGE.name} ${PRICE_PACKAGE.version} (data of ${PRICE_PACKAGE.publishedOn})`,
    asOf: PRICE_PACKAGE.publishedOn,
    url: result.provider.pricing_urls?.[0],
  };
  return {
    pricing: toModelPricing(result.model_price),
    source,
    packageModelId: result.model.id,
    packageContextWindow: result.model.context_window,
    datedIds: equalsNames(result.model.match).filter((name) => looksDatedOf(modelId, name)),
    separatelyPricedIds: separatelyPricedIds(modelId, result.model, result.provider),
  };
}

/** Converts the package's per-key prices (each possibly tiered) into one list of whole-price tiers. */
function toModelPricing(price: GenaiPrices.ModelPrice): ModelPricing | undefined {
  const input = price['input_mtok'];
  if (input === undefined) return undefined;
  const output = price['output_mtok'];
  const cached = price['cache_read_mtok'];

  const starts = new Set<number>();
  for (const value of [input, output, cached]) {
    if (isTiered(value)) for (const tier of value.tiers) starts.add(tier.start);
  }
  const pricing: ModelPricing = {
    inputPerMillion: priceAbove(input, 0),
    outputPerMillion: priceAbove(output, 0),
  };
  if (cached !== undefined) pricing.cachedInputPerMillion = priceAbove(cached, 0);
  const tiers: PriceTier[] = [...starts]
    .sort((a, b) => a - b)
    .map((start) => {
      const tier: PriceTier = {
        aboveInputTokens: start,
        inputPerMillion: priceAbove(input, start + 1),
        outputPerMillion: priceAbove(output, start + 1),
      };
      if (cached !== undefined) tier.cachedInputPerMillion = priceAbove(cached, start + 1);
      return tier;
    });
  if (tiers.length > 0) pricing.tiers = tiers;
  return pricing;
}

function isTiered(value: PackagePriceValue): value is GenaiPrices.TieredPrices {
  return typeof value === 'object' && value !== null && Array.isArray(value.tiers);
}

/** The package's rule: a tier's price applies to the whole prompt once input tokens exceed its start. */
function priceAbove(value: PackagePriceValue, inputTokens: number): number {
  if (value === undefined) return 0;
  if (!isTiered(value)) return value;
  let price = value.base;
  for (const tier of [...value.tiers].sort((a, b) => a.start - b.start)) {
    if (inputTokens > tier.start) price = tier.price;
  }
  return price;
}

/** Ids like 'gpt-4o-2024-05-13' that another package model claims, so they must not fall back to 'gpt-4o'. */
function separatelyPricedIds(
  modelId: string,
  matched: GenaiPrices.ModelInfo,
  provider: GenaiPrices.Provider,
): string[] {
  const ids = new Set<string>();
  for (const other of provider.models) {
    if (other.id === matched.id) continue;
    for (const name of [other.id, ...equalsNames(other.match)]) {
      if (looksDatedOf(modelId, name)) ids.add(name.toLowerCase());
    }
  }
  return [...ids].sort();
}

/** True for 'gpt-4o-2024-08-06' or 'claude-sonnet-4@20250514' given 'gpt-4o' or 'claude-sonnet-4'. */
function looksDatedOf(modelId: string, name: string): boolean {
  const lower = name.toLowerCase();
  const prefix = modelId.toLowerCase();
  return lower.startsWith(prefix) && /^[-@]\d/.test(lower.slice(prefix.length));
}

/** The exact names a package match rule accepts (its `equals` leaves under `or`). */
function equalsNames(match: GenaiPrices.MatchLogic): string[] {
  if ('equals' in match) return [match.equals];
  if ('or' in match) return match.or.flatMap(equalsNames);
  return [];
}
