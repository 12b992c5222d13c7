// Published limits of the built-in models. @pydantic/genai-prices has prices but no max output
// tokens (and not every context window), so the limits come from the providers' own model docs.
// Figures were taken from those pages as they stood at `asOf`; re-check them when adding a model.
// Re-checked in 2026-11 against stored copies of those pages (dated 2025-08 to 2026-09): all stand;
// GPT-5's 272,000-token input limit was added then. o1, o3 and Gemini 2.5 Flash were confirmed only by
// secondary sources that quote the providers.
import type { SourceNote } from '../types';

/** A provider whose models the catalog ships, as named by @pydantic/genai-prices. */
export type BuiltInProvider = 'openai' | 'anthropic' | 'google';

/** One built-in model: its canonical id, display name and published limits. */
export interface ModelLimits {
  id: string;
  name: string;
  provider: BuiltInProvider;
  contextWindow: number;
  /** Where the provider caps input below the context window. */
  maxInputTokens?: number;
  maxOutputTokens: number;
  /** Names people write besides the id and display name (provider aliases such as 'claude-sonnet-4-0'). */
  aliases?: string[];
}

/** Where each provider's limits come from. */
export const LIMIT_SOURCES: Readonly<Record<BuiltInProvider, SourceNote>> = {
  openai: {
    source: 'OpenAI model docs (context window, max output tokens)',
    asOf: '2025-11',
    url: 'https://platform.openai.com/docs/models',
  },
  anthropic: {
    source: 'Anthropic models overview (context window, max output)',
    asOf: '2025-11',
    url: 'https://docs.anthropic.com/en/docs/about-claude/models/overview',
  },
  google: {
    source: 'Gemini API model docs (input token limit, output token limit)',
    asOf: '2025-11',
    url: 'https://ai.google.dev/gemini-api/docs/models',
  },
};

/** The curated built-in models; a model is only built in when the price package also prices it. */
export const MODEL_LIMITS: readonly ModelLimits[] = [
  // OpenAI
  // GPT-5, mini and nano take at most 272,000 input tokens: the 400,000 window keeps 128,000 for output.
  // The API rejects more ("Input tokens exceed the configured limit of 272,000 tokens"); OpenAI's
  // model pages and "Introducing GPT-5 for developers" (2025-08-07) state it.
  { id: 'gpt-5', name: 'GPT-5', provider: 'openai', contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000 },
  { id: 'gpt-5-mini', name: 'GPT-5 mini', provider: 'openai', contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000 },
  { id: 'gpt-5-nano', name: 'GPT-5 nano', provider: 'openai', contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000 },
  { id: 'gpt-5.1', name: 'GPT-5.1', provider: 'openai', contextWindow: 400_000, maxOutputTokens: 128_000 },
  { id: 'gpt-4.1', name: 'GPT-4.1', provider: 'openai', contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  { id: 'gpt-4.1-mini', name: 'GPT-4.1 mini', provider: 'openai', contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  { id: 'gpt-4.1-nano', name: 'GPT-4.1 nano', provider: 'openai', contextWindow: 1_047_576, maxOutputTokens: 32_768 },
  { id: 'gpt-4o', name: 'GPT-4o', provider: 'openai', contextWindow: 128_000, maxOutputTokens: 16_384 },
  { id: 'gpt-4o-mini', name: 'GPT-4o mini', provider: 'openai', contextWindow: 128_000, maxOutputTokens: 16_384 },
  { id: 'o1', name: 'o1', provider: 'openai', contextWindow: 200_000, maxOutputTokens: 100_000 },
  { id: 'o3', name: 'o3', provider: 'openai', contextWindow: 200_000, maxOutputTokens: 100_000 },
  { id: 'o3-mini', name: 'o3-mini', provider: 'openai', contextWindow: 200_000, maxOutputTokens: 100_000 },
  { id: 'o4-mini', name: 'o4-mini', provider: 'openai', contextWindow: 200_000, maxOutputTokens: 100_000 },
  { id: 'gpt-4-turbo', name: 'GPT-4 Turbo', provider: 'openai', contextWindow: 128_000, maxOutputTokens: 4_096 },
  { id: 'gpt-4', name: 'GPT-4', provider: 'openai', contextWindow: 8_192, maxOutputTokens: 8_192 },
  { id: 'gpt-3.5-turbo', name: 'GPT-3.5 Turbo', provider: 'openai', contextWindow: 16_385, maxOutputTokens: 4_096 },
  // Embeddings take input only, hence no output tokens.
  {
    id: 'text-embedding-3-small',
    name: 'text-embedding-3-small',
    provider: 'openai',
    contextWindow: 8_192,
    maxOutputTokens: 0,
  },
  {
    id: 'text-embedding-3-large',
    name: 'text-embedding-3-large',
    provider: 'openai',
    contextWindow: 8_192,
    maxOutputTokens: 0,
  },

  // Anthropic: the 1M-token context of Sonnet 4 / 4.5 is a beta, so the standard 200k is listed.
  {
    id: 'claude-opus-4-5',
    name: 'Claude Opus 4.5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-opus-4.5'],
  },
  {
    id: 'claude-opus-4-1',
    name: 'Claude Opus 4.1',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    aliases: ['claude-opus-4.1'],
  },
  {
    id: 'claude-opus-4',
    name: 'Claude Opus 4',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 32_000,
    aliases: ['claude-opus-4-0', 'claude-4-opus'],
  },
  {
    id: 'claude-sonnet-4-5',
    name: 'Claude Sonnet 4.5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-sonnet-4.5'],
  },
  {
    id: 'claude-sonnet-4',
    name: 'Claude Sonnet 4',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-sonnet-4-0', 'claude-4-sonnet'],
  },
  {
    id: 'claude-3-7-sonnet',
    name: 'Claude Sonnet 3.7',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-3.7-sonnet', 'Claude 3.7 Sonnet'],
  },
  {
    id: 'claude-haiku-4-5',
    name: 'Claude Haiku 4.5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 64_000,
    aliases: ['claude-haiku-4.5'],
  },
  {
    id: 'claude-3-5-haiku',
    name: 'Claude Haiku 3.5',
    provider: 'anthropic',
    contextWindow: 200_000,
    maxOutputTokens: 8_192,
    aliases: ['claude-3.5-haiku', 'Claude 3.5 Haiku'],
  },

  // Google
  { id: 'gemini-2.5-pro', name: 'Gemini 2.5 Pro', provider: 'google', contextWindow: 1_048_576, maxOutputTokens: 65_536 },
  { id: 'gemini-2.5-flash', name: 'Gemini 2.5 Flash', provider: 'google', contextWindow: 1_048_576, maxOutputTokens: 65_536 },
  {
    id: 'gemini-2.5-flash-lite',
    name: 'Gemini 2.5 Flash-Lite',
    provider: 'google',
    contextWindow: 1_048_576,
    maxOutputTokens: 65_536,
  },
  { id: 'gemini-2.0-flash', name: 'Gemini 2.0 Flash', provider: 'google', contextWindow: 1_048_576, maxOutputTokens: 8_192 },
];
