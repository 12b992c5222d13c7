// Published limits the price data lacks: max output and input caps (and a context window where the
// provider's own figure is more exact than the price data's rounded one), by model family of each
// maker. Every figure names its source page and the date it was read. Where a provider publishes no
// separate output cap, the entry says so (`maxOutputTokens: null`) rather than guessing one: the
// catalog then shows "unknown" and the max-output rule is skipped with an info diagnostic.
//
// History: curated 2025-11 from the providers' model pages; re-checked 2026-11 against stored copies
// of those pages (dated 2025-08 to 2026-09). GPT-5's 272,000-token input limit was added then. o1, o3 and
// Gemini 2.5 Flash were confirmed only by secondary sources that quote the providers. Models released
// after the pages below were read are absent unless a provider's own page for them was read: Claude
// Sonnet 5, Sonnet 4.6 and Opus 4.6 and Gemini 3.1 Pro were added 2026-12 from their model pages. GPT-5.3+
// stays unknown: no OpenAI page for it was at hand, and resellers' pages disagree (128,000 or 272,000).
import type { SourceNote } from '../types';

/** One family's limits, for the models of `provider` whose package id matches `ids`. */
export interface LimitEntry {
  /** The maker, as the price data names it ('openai', 'x-ai'). Resellers' entries are not covered: they may cap differently. */
  provider: string;
  /** Package model ids of the family, e.g. /^gpt-4o(-mini)?$/. */
  ids: RegExp;
  /** Only where the provider's figure is more exact than the price data's (1,047,576, not 1,000,000). */
  contextWindow?: number;
  /** Where the provider caps input below the context window. */
  maxInputTokens?: number;
  /** null: the provider publishes no separate output cap (checked at `source.asOf`). */
  maxOutputTokens: number | null;
  /** Names people write besides the package's ids and match rules. */
  aliases?: string[];
  /** The catalog's id where it differs from the price data's (kept from earlier releases: 'claude-sonnet-4'). */
  id?: string;
  source: SourceNote;
}

const OPENAI: SourceNote = {
  source: 'OpenAI model docs (context window, max output tokens)',
  asOf: '2025-11',
  url: 'https://platform.openai.com/docs/models',
};
const OPENAI_2025_12: SourceNote = { ...OPENAI, asOf: '2025-12' };
const ANTHROPIC: SourceNote = {
  source: 'Anthropic models overview (context window, max output)',
  asOf: '2025-11',
  url: 'https://docs.anthropic.com/en/docs/about-claude/models/overview',
};
const GOOGLE: SourceNote = {
  source: 'Gemini API model docs (input token limit, output token limit)',
  asOf: '2025-11',
  url: 'https://ai.google.dev/gemini-api/docs/models',
};
const GOOGLE_2025_12: SourceNote = { ...GOOGLE, asOf: '2025-12' };
const GOOGLE_3_1_PRO: SourceNote = {
  source: 'Gemini API model page, gemini-3.1-pro-preview (input token limit, output token limit; page updated 2026-02)',
  asOf: '2026-12',
  url: 'https://ai.google.dev/gemini-api/docs/models/gemini-3.1-pro-preview',
};
/** Anthropic's page of one model ("Context window: 1M tokens · Max output: 128K tokens"), read 2026-12. */
function anthropicModelPage(slug: string): SourceNote {
  return {
    source: `Anthropic model page, ${slug} (context window, max output)`,
    asOf: '2026-12',
    url: `https://platform.claude.com/docs/en/models/${slug}/overview`,
  };
}
const XAI: SourceNote = {
  source: 'xAI models docs (context window only; no separate output limit published)',
  asOf: '2025-11',
  url: 'https://docs.x.ai/docs/models',
};
const DEEPSEEK: SourceNote = {
  source: 'DeepSeek API docs, Models & Pricing (max output: 8K chat, 64K reasoner)',
  asOf: '2025-12',
  url: 'https://api-docs.deepseek.com/quick_start/pricing',
};
const MISTRAL: SourceNote = {
  source: 'Mistral models overview (context window only; no separate output limit published)',
  asOf: '2025-11',
  url: 'https://docs.mistral.ai/getting-started/models/models_overview/',
};

/** The maintained limits table. The first entry whose provider and id pattern match a model applies. */
export const MODEL_LIMITS: readonly LimitEntry[] = [
  // OpenAI. GPT-5, mini and nano take at most 272,000 input tokens: the 400,000 window keeps 128,000 for
  // output; the API rejects more ("Input tokens exceed the configured limit of 272,000 tokens"), and
  // "Introducing GPT-5 for developers" (2025-08-07) states it.
  { provider: 'openai', ids: /^gpt-5(-mini|-nano)?$/, contextWindow: 400_000, maxInputTokens: 272_000, maxOutputTokens: 128_000, source: OPENAI },
  { provider: 'openai', ids: /^gpt-5\.1$/, contextWindow: 400_000, maxOutputTokens: 128_000, source: OPENAI },
  { provider: 'openai', ids: /^gpt-5\.2$/, contextWindow: 400_000, maxOutputTokens: 128_000, source: OPENAI_2025_12 },
  { provider: 'openai', ids: /^gpt-4\.1(-mini|-nano)?$/, contextWindow: 1_047_576, maxOutputTokens: 32_768, source: OPENAI },
  { provider: 'openai', ids: /^gpt-4o(-mini)?$/, contextWindow: 128_000, maxOutputTokens: 16_384, source: OPENAI },
  { provider: 'openai', ids: /^o1$/, contextWindow: 200_000, maxOutputTokens: 100_000, source: OPENAI },
  { provider: 'openai', ids: /^o1-mini$/, contextWindow: 128_000, maxOutputTokens: 65_536, source: OPENAI },
  { provider: 'openai', ids: /^(o3|o3-mini|o3-pro|o4-mini)$/, contextWindow: 200_000, maxOutputTokens: 100_000, source: OPENAI },
  { provider: 'openai', ids: /^gpt-oss-(120b|20b)$/, contextWindow: 131_072, maxOutputTokens: 131_072, source: OPENAI },
  { provider: 'openai', ids: /^gpt-4-turbo$/, contextWindow: 128_000, maxOutputTokens: 4_096, source: OPENAI },
  { provider: 'openai', ids: /^gpt-4$/, contextWindow: 8_192, maxOutputTokens: 8_192, source: OPENAI },
  { provider: 'openai', ids: /^gpt-3\.5-turbo$/, contextWindow: 16_385, maxOutputTokens: 4_096, source: OPENAI },

  // Anthropic: the 1M-token context of Sonnet 4 / 4.5 is a beta, so the standard 200k is the window.
  // The ids of earlier releases (claude-sonnet-4, not the price data's claude-sonnet-4-0) stay the catalog's ids.
  // This year's models: each model's own page gives 1M tokens of context and 128K of output.
  { provider: 'anthropic', ids: /^claude-sonnet-5$/, maxOutputTokens: 128_000, source: anthropicModelPage('sonnet-5') },
  { provider: 'anthropic', ids: /^claude-sonnet-4-6$/, maxOutputTokens: 128_000, source: anthropicModelPage('sonnet-4-6') },
  { provider: 'anthropic', ids: /^claude-opus-4-6$/, maxOutputTokens: 128_000, source: anthropicModelPage('opus-4-6') },
  { provider: 'anthropic', ids: /^claude-opus-4-5$/, contextWindow: 200_000, maxOutputTokens: 64_000, source: ANTHROPIC },
  { provider: 'anthropic', ids: /^claude-opus-4-1$/, contextWindow: 200_000, maxOutputTokens: 32_000, source: ANTHROPIC },
  { provider: 'anthropic', ids: /^claude-opus-4-0$/, id: 'claude-opus-4', contextWindow: 200_000, maxOutputTokens: 32_000, source: ANTHROPIC },
  { provider: 'anthropic', ids: /^claude-sonnet-4-5$/, contextWindow: 200_000, maxOutputTokens: 64_000, source: ANTHROPIC },
  { provider: 'anthropic', ids: /^claude-sonnet-4-0$/, id: 'claude-sonnet-4', contextWindow: 200_000, maxOutputTokens: 64_000, source: ANTHROPIC },
  { provider: 'anthropic', ids: /^claude-3-7-sonnet-latest$/, id: 'claude-3-7-sonnet', contextWindow: 200_000, maxOutputTokens: 64_000, aliases: ['Claude 3.7 Sonnet'], source: ANTHROPIC },
  { provider: 'anthropic', ids: /^claude-haiku-4-5$/, contextWindow: 200_000, maxOutputTokens: 64_000, source: ANTHROPIC },
  { provider: 'anthropic', ids: /^claude-3-5-haiku-latest$/, id: 'claude-3-5-haiku', contextWindow: 200_000, maxOutputTokens: 8_192, aliases: ['Claude 3.5 Haiku'], source: ANTHROPIC },

  // Google
  { provider: 'google', ids: /^gemini-2\.5-(pro|flash|flash-lite)$/, contextWindow: 1_048_576, maxOutputTokens: 65_536, source: GOOGLE },
  { provider: 'google', ids: /^gemini-2\.0-flash(-lite)?$/, contextWindow: 1_048_576, maxOutputTokens: 8_192, source: GOOGLE },
  { provider: 'google', ids: /^gemini-3\.1-pro-preview$/, contextWindow: 1_048_576, maxOutputTokens: 65_536, source: GOOGLE_3_1_PRO },
  { provider: 'google', ids: /^gemini-3-(pro|flash)-preview$/, contextWindow: 1_048_576, maxOutputTokens: 65_536, source: GOOGLE_2025_12 },

  // xAI and Mistral publish context windows (the price data has them) but no separate output cap.
  { provider: 'x-ai', ids: /^grok-/, maxOutputTokens: null, source: XAI },
  { provider: 'mistral', ids: /./, maxOutputTokens: null, source: MISTRAL },

  // DeepSeek's API models: "8K" and "64K" maximum output, i.e. max_tokens up to 8,192 and 65,536.
  { provider: 'deepseek', ids: /^deepseek-chat$/, maxOutputTokens: 8_192, source: DEEPSEEK },
  { provider: 'deepseek', ids: /^deepseek-reasoner$/, maxOutputTokens: 65_536, source: DEEPSEEK },
];

/**
 * Display names where the price data's are rough ('gpt 4o mini', 'o4 Mini High', two models both
 * called 'text embedding 3'): the names the makers use, as the catalog showed them before.
 */
export const DISPLAY_NAMES: Readonly<Record<string, string>> = {
  'gpt-4o': 'GPT-4o',
  'gpt-4o-mini': 'GPT-4o mini',
  'gpt-4o-2024-05-13': 'GPT-4o (2024-05-13)',
  'gpt-4.1': 'GPT-4.1',
  'gpt-4.1-mini': 'GPT-4.1 mini',
  'gpt-4.1-nano': 'GPT-4.1 nano',
  'gpt-4-turbo': 'GPT-4 Turbo',
  'gpt-4': 'GPT-4',
  'gpt-4-32k': 'GPT-4 32k',
  'gpt-3.5-turbo': 'GPT-3.5 Turbo',
  'o1-mini': 'o1-mini',
  'o1-preview': 'o1-preview',
  'o3-mini': 'o3-mini',
  'o3-pro': 'o3-pro',
  'o4-mini': 'o4-mini',
  'text-embedding-3-small': 'text-embedding-3-small',
  'text-embedding-3-large': 'text-embedding-3-large',
  'text-embedding-ada-002': 'text-embedding-ada-002',
  'gemini-2.0-flash': 'Gemini 2.0 Flash',
  'gemini-2.0-flash-lite': 'Gemini 2.0 Flash-Lite',
  'gemini-2.5-flash-lite': 'Gemini 2.5 Flash-Lite',
  'gemini-1.5-pro': 'Gemini 1.5 Pro',
  'gemini-1.5-flash': 'Gemini 1.5 Flash',
};

/** The table's entry for a maker's model, if any. */
export function limitsFor(provider: string, packageModelId: string, table: readonly LimitEntry[] = MODEL_LIMITS): LimitEntry | undefined {
  return table.find((entry) => entry.provider === provider && entry.ids.test(packageModelId));
}
