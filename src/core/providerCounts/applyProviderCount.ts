import type { PromptCount } from '../types';
import type { ProviderCountResult } from './providerCounter';

/**
 * Our count with the provider's figures in place of ours, labelled with their source; unchanged
 * when the provider did not count. Per-segment counts stay ours (the APIs count the whole request).
 */
export function applyProviderCount(local: PromptCount, result: ProviderCountResult): PromptCount {
  if (result.kind !== 'counted') return local;
  return { ...local, tokens: result.tokens, exact: result.exact, fromProvider: result.source };
}
