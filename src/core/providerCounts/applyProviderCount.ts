import type { PromptCount } from '../types';
import type { ProviderCountResult } from './providerCounter';

/**
 * Our count with the provider's figures in place of ours, labelled with their source; when the
 * provider did not count, ours with the reason. Per-segment counts stay ours (the APIs count the
 * whole request).
 */
export function applyProviderCount(local: PromptCount, result: ProviderCountResult): PromptCount {
  switch (result.kind) {
    case 'counted':
      return { ...local, tokens: result.tokens, exact: result.exact, fromProvider: result.source };
    case 'unavailable':
      return { ...local, providerNote: result.reason };
    case 'failed':
      return { ...local, providerNote: result.message };
  }
}
