import type { TokenizerId } from '../types';

// OpenAI publishes its encodings; every other provider's tokenizer is private, so those are estimates.
const O200K = /^(gpt-4o|gpt-4\.[15]|gpt-5|o\d)(\b|-|$)/;
const CL100K = /^(gpt-4|gpt-3\.5-turbo|text-embedding-3)(\b|-|$)/;

/** The tokenizer a model id counts with: OpenAI's encoding for its families, 'estimate' otherwise. */
export function tokenizerForModel(id: string): TokenizerId {
  const lower = id.toLowerCase();
  // o200k first: 'gpt-4o' and 'gpt-4.1' also start with 'gpt-4'.
  if (O200K.test(lower)) return 'o200k_base';
  if (CL100K.test(lower)) return 'cl100k_base';
  return 'estimate';
}
