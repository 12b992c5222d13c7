import type { TokenizerId } from '../types';

// OpenAI publishes its encodings; every other provider's tokenizer is private, so those are estimates.
// Family rules, so that new ids of a family (gpt-5.5, o4-mini-deep-research) are covered without a list.
const O200K = /^(gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss|codex)(?![a-z0-9])/;
const CL100K = /^(gpt-4|gpt-3\.5|text-embedding-3)(?![a-z0-9])/;

/**
 * The tokenizer a model id counts with: OpenAI's encoding for its families, 'estimate' otherwise. A
 * reseller's id counts as the model it resells: 'openai/gpt-4o', 'azure/gpt-4.1', 'openai.gpt-oss-120b-1:0'.
 */
export function tokenizerForModel(id: string): TokenizerId {
  const lower = id.toLowerCase();
  const model = lower.slice(lower.lastIndexOf('/') + 1).replace(/^openai\./, '');
  // o200k first: 'gpt-4o' and 'gpt-4.1' also start with 'gpt-4'.
  if (O200K.test(model)) return 'o200k_base';
  if (CL100K.test(model)) return 'cl100k_base';
  return 'estimate';
}
