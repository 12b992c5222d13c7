import type { CallCost, ModelInfo, ModelPricing, PriceTier } from '../types';

/** Per-million prices in effect for one call. */
export type AppliedPrices = Omit<PriceTier, 'aboveInputTokens'>;

/** The prices that apply to a prompt of `inputTokens`: the highest tier whose threshold the input exceeds, else the base prices. */
export function pricesForInput(pricing: ModelPricing, inputTokens: number): AppliedPrices {
  let applied: AppliedPrices = pricing;
  let threshold = -Infinity;
  for (const tier of pricing.tiers ?? []) {
    if (inputTokens > tier.aboveInputTokens && tier.aboveInputTokens > threshold) {
      applied = tier;
      threshold = tier.aboveInputTokens;
    }
  }
  return {
    inputPerMillion: applied.inputPerMillion,
    outputPerMillion: applied.outputPerMillion,
    cachedInputPerMillion: applied.cachedInputPerMillion,
  };
}

/**
 * The USD cost of one call. A model without pricing costs 0 with `priced: false`, so callers can
 * show "price unknown" rather than "free"; a model priced at 0 (a local one) has `priced: true`.
 */
export function costPerCall(model: ModelInfo, inputTokens: number, outputTokens: number): CallCost {
  if (!model.pricing) return { inputTokens, outputTokens, input: 0, output: 0, total: 0, priced: false };
  // Tiers (e.g. Gemini 2.5 Pro above 200k) reprice the whole call, output included.
  const prices = pricesForInput(model.pricing, inputTokens);
  const input = (inputTokens * prices.inputPerMillion) / 1_000_000;
  const output = (outputTokens * prices.outputPerMillion) / 1_000_000;
  return { inputTokens, outputTokens, input, output, total: input + output, priced: true };
}

/** Where the worst-case output comes from: the prompt's declared max output, the model's cap, or neither. */
export type OutputBasis = 'declared' | 'model-max' | 'none';

/**
 * The worst-case output of one call: the declared max output capped at the model's (a larger one
 * cannot be produced; the max-output rule flags it), else the model's max output, else none known.
 */
export function worstCaseOutput(declaredMaxOutputTokens: number | undefined, model: ModelInfo): { tokens: number; basis: OutputBasis } {
  const cap = model.maxOutputTokens;
  if (declaredMaxOutputTokens !== undefined) return { tokens: Math.min(declaredMaxOutputTokens, cap ?? declaredMaxOutputTokens), basis: 'declared' };
  return cap !== undefined ? { tokens: cap, basis: 'model-max' } : { tokens: 0, basis: 'none' };
}
