// The providers that count a prompt's tokens for free over HTTP, and how each is reached: its
// endpoint, its API key and base URL variables (the names their own SDKs read).

export type CountingProviderId = 'anthropic' | 'gemini' | 'xai';

export interface CountingProvider {
  id: CountingProviderId;
  /** As people name it: 'Anthropic'. */
  name: string;
  /** The endpoint, as its docs name it: "Anthropic's count_tokens API". */
  endpointLabel: string;
  /** Environment variables holding the key, first found wins (Google's SDKs prefer GOOGLE_API_KEY). */
  keyVariables: readonly string[];
  /** Environment variables overriding the base URL (a proxy, a gateway, a test server). */
  baseUrlVariables: readonly string[];
  defaultBaseUrl: string;
  /** The catalog's provider ids whose own models this endpoint counts. */
  catalogProviders: readonly string[];
}

/** Every provider with a counting endpoint, by id. */
export const COUNTING_PROVIDERS: Readonly<Record<CountingProviderId, CountingProvider>> = {
  anthropic: {
    id: 'anthropic',
    name: 'Anthropic',
    endpointLabel: "Anthropic's count_tokens API",
    keyVariables: ['ANTHROPIC_API_KEY'],
    baseUrlVariables: ['ANTHROPIC_BASE_URL'],
    defaultBaseUrl: 'https://api.anthropic.com',
    catalogProviders: ['anthropic'],
  },
  gemini: {
    id: 'gemini',
    name: 'Google Gemini',
    endpointLabel: "Gemini's countTokens API",
    keyVariables: ['GOOGLE_API_KEY', 'GEMINI_API_KEY'],
    baseUrlVariables: ['GOOGLE_GEMINI_BASE_URL'],
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    catalogProviders: ['google'],
  },
  xai: {
    id: 'xai',
    name: 'xAI',
    endpointLabel: "xAI's tokenize-text API",
    keyVariables: ['XAI_API_KEY'],
    baseUrlVariables: ['XAI_BASE_URL'],
    defaultBaseUrl: 'https://api.x.ai',
    catalogProviders: ['x-ai', 'xai'],
  },
};

/** The counting provider of a catalog provider id ('google' -> Gemini), if it has one. */
export function countingProviderFor(catalogProvider: string): CountingProvider | undefined {
  const lower = catalogProvider.toLowerCase();
  return Object.values(COUNTING_PROVIDERS).find((provider) => provider.catalogProviders.includes(lower));
}
