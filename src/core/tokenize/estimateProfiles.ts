import type { EstimateTokenizerId } from '../types';

/**
 * How an estimate is made from o200k_base, and how far off it can be. Counts are
 * `round((perToken × o200k tokens + perDigit × ASCII digits) / 1000)`: integer units that add up
 * over any chunking, scaled once. The digit term is there because Gemma, Qwen and tekken split
 * numbers into single digits where o200k keeps up to three together.
 */
export interface EstimateProfile {
  /** Thousandths of a token per o200k_base token. */
  readonly perToken: number;
  /** Thousandths of a token per ASCII digit, on top. */
  readonly perDigit: number;
  /** Largest relative error seen (or implied by the published figures): the count is within ±spread. */
  readonly spread: number;
  /** Where the figures come from, for tooltips, tables and docs/accuracy.md. */
  readonly source: string;
}

/**
 * The profiles. Measured ones come from scripts/measureEstimateRatios.mjs over
 * test/fixtures/estimateCorpus (English, German, French prose, Python, TypeScript, JSON, CSV, CJK),
 * ratios.json there; a unit test keeps these figures in step with it.
 */
export const ESTIMATE_PROFILES: Readonly<Record<EstimateTokenizerId, EstimateProfile>> = {
  // Models with no published tokenizer and no public relative here: o200k × 1.2; the spread is the
  // worst error of ×1.2 against the five published vocabularies measured (Llama 3, Qwen 3, DeepSeek V3, tekken, Gemma 3).
  estimate: { perToken: 1200, perDigit: 0, spread: 0.33, source: 'o200k_base × 1.2; spread measured against five published tokenizers' },
  // Gemini 3.1 and later (Gemma 4's vocabulary, not shipped), Gemini 1.x and Gemma 2: from their nearest published
  // relative, Gemma 3 (counted exactly itself), by a least-squares fit of its counts on o200k tokens and digits over the corpus.
  'estimate-gemini': { perToken: 1084, perDigit: 536, spread: 0.19, source: 'fitted to Gemma 3, the nearest published relative, over a mixed corpus' },
  // Claude 3 to 4.6: published side-by-side counts put it at 1.16× o200k (English), 1.21× (maths), 1.30× (Python).
  'estimate-claude': { perToken: 1230, perDigit: 0, spread: 0.06, source: 'published comparisons: 1.16-1.30× o200k_base (English, maths, Python)' },
  // Opus 4.7 and later: Anthropic says the new tokenizer uses about 1× to 1.35× the tokens of before.
  'estimate-claude-4.7': { perToken: 1440, perDigit: 0, spread: 0.15, source: "Anthropic: 1-1.35× Claude 4.6's count, itself 1.16-1.30× o200k_base" },
};

/** True for the tokenizer ids that estimate. */
export function isEstimate(tokenizer: string): tokenizer is EstimateTokenizerId {
  return Object.hasOwn(ESTIMATE_PROFILES, tokenizer);
}

/** `±19 %`, how far an estimated count can be off; '' for an exact one. */
export function estimateSpreadLabel(tokenizer: string): string {
  return isEstimate(tokenizer) ? `±${Math.round(ESTIMATE_PROFILES[tokenizer].spread * 100)} %` : '';
}

/** The largest count an estimate allows (the count itself when exact): what limits are also judged by. */
export function upperBound(tokens: number, tokenizer: string): number {
  return isEstimate(tokenizer) ? Math.ceil(tokens * (1 + ESTIMATE_PROFILES[tokenizer].spread)) : tokens;
}
