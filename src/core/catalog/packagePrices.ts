// Converts the price data's per-key prices into the catalog's whole-call price tiers.
import type { ModelPricing, PriceTier } from '../types';
import type { PriceTable, PriceValue } from './priceData';

export { PRICE_PACKAGE } from './priceData';

/** Text prices per million tokens, with tiers; undefined when the table has no per-token input price. */
export function toModelPricing(price: PriceTable): ModelPricing | undefined {
  const input = price['input_mtok'];
  if (input === undefined || input === null) return undefined;
  const output = price['output_mtok'] ?? undefined;
  const cached = price['cache_read_mtok'] ?? undefined;

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

function isTiered(value: PriceValue | undefined): value is Exclude<PriceValue, number> {
  return typeof value === 'object' && value !== null && Array.isArray(value.tiers);
}

/** The package's rule: a tier's price applies to the whole prompt once input tokens exceed its start. */
function priceAbove(value: PriceValue | undefined, inputTokens: number): number {
  if (value === undefined) return 0;
  if (!isTiered(value)) return value;
  let price = value.base;
  for (const tier of [...value.tiers].sort((a, b) => a.start - b.start)) {
    if (inputTokens > tier.start) price = tier.price;
  }
  return price;
}
