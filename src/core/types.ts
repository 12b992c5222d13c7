// Shared shapes of the pure core. No `vscode` import anywhere under src/core: the CLI and
// plain-node unit tests use the same code as the extension.

/** A tokenizer the core can count with (see tokenize/vocabularies.ts); 'estimate' marks models with no public tokenizer. */
export type TokenizerId = VocabularyTokenizerId | EstimateTokenizerId | CustomTokenizerId;

/** A vocabulary file a config names (`models.<id>.tokenizer: ./tokenizer.json` or `hf:org/repo`): `custom:` and its sha256's first 12 hex digits. */
export type CustomTokenizerId = `custom:${string}`;

/** A custom tokenizer as written in a config (a path or `hf:org/repo[@rev]`), with where it was written. */
export interface CustomTokenizerSpec {
  spec: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** The published vocabularies counted exactly (tokenize/vocabularies.ts). */
export type VocabularyTokenizerId = 'o200k_base' | 'cl100k_base' | 'llama3' | 'qwen3' | 'deepseek_v3' | 'tekken' | 'gemma3' | FetchedTokenizerId;

/** Published vocabularies not shipped: exact once a verified copy is on the machine, estimated until then (tokenize/sources/). */
export type FetchedTokenizerId = 'kimi_k2' | 'glm45' | 'qwen35' | 'deepseek_v4' | 'gemma4';

/** Estimates from o200k_base, per family where one is known (tokenize/estimateProfiles.ts). */
export type EstimateTokenizerId = 'estimate' | 'estimate-gemini' | 'estimate-claude' | 'estimate-claude-4.7';

/** A half-open range of UTF-16 offsets into a document's text (BOM already dropped). */
export interface TextRange {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** A user-facing problem in a file. `line` and `column` are 1-based, as editors and CLIs print them. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  severity: Severity;
  /** Stable rule id, e.g. 'context-window', 'yaml-syntax', 'unknown-key'; documented in docs/rules.md. */
  rule: string;
  message: string;
}

/** Where a figure came from, and as of when. */
export interface SourceNote {
  source: string;
  asOf: string;
  url?: string;
}

/** A price that changes above a prompt length (e.g. Gemini 2.5 Pro above 200k input tokens). */
export interface PriceTier {
  /** The tier applies when the prompt's input tokens exceed this number. */
  aboveInputTokens: number;
  inputPerMillion: number;
  outputPerMillion: number;
  cachedInputPerMillion?: number;
}

/** USD per million tokens. */
export interface ModelPricing {
  inputPerMillion: number;
  outputPerMillion: number;
  cachedInputPerMillion?: number;
  tiers?: PriceTier[];
}

export interface ModelInfo {
  /** Canonical id, e.g. 'gpt-4o', 'claude-sonnet-4-5'. */
  id: string;
  /** Display name, e.g. 'GPT-4o'. */
  name: string;
  /** e.g. 'openai', 'anthropic', 'google'. */
  provider: string;
  /** Display names, provider-prefixed ids ('openai/gpt-4.1'), dated ids. Matched case-insensitively. */
  aliases: string[];
  contextWindow?: number;
  /** A cap on input below the context window (GPT-5 keeps 128k of its 400k window for output). */
  maxInputTokens?: number;
  maxOutputTokens?: number;
  pricing?: ModelPricing;
  tokenizer: TokenizerId;
  /** The vocabulary file the config names for this model (`models.<id>.tokenizer`), as written. */
  tokenizerFile?: string;
  sources: { prices?: SourceNote; limits?: SourceNote };
  /** Where this entry was defined; overrides win over the catalog. */
  origin: 'catalog' | 'settings' | 'workspace';
  /** The source of each limit, where they differ (context window from the price data, max output from provider docs). */
  limitSources?: { contextWindow?: SourceNote; maxInputTokens?: SourceNote; maxOutputTokens?: SourceNote };
  /** The price data flags the model as deprecated. */
  deprecated?: boolean;
  /** False when the provider resells another maker's model (OpenRouter, Bedrock, Azure…); its id is then 'provider/model'. */
  sellsOwnModel?: boolean;
  /** The price data's name for the provider ('OpenRouter'). */
  providerName?: string;
}

/** A user's addition or override of a model (settings or prompt-budget.yaml `models`). */
export interface ModelOverride {
  id: string;
  name?: string;
  provider?: string;
  aliases?: string[];
  contextWindow?: number;
  maxInputTokens?: number;
  maxOutputTokens?: number;
  inputPerMillion?: number;
  outputPerMillion?: number;
  cachedInputPerMillion?: number;
  tokenizer?: TokenizerId;
  /** A vocabulary file named instead of a tokenizer id; `tokenizer` is the estimate until it is read (resolveCustomTokenizers). */
  tokenizerFile?: CustomTokenizerSpec;
}

export type PromptFormat = 'text' | 'markdown' | 'vscode-prompt' | 'prompty' | 'github-prompt' | 'chat-json';

/** One message or section of a prompt, as it will be sent. */
export interface PromptSegment {
  /** Short label for UI: 'system', 'user', '## Examples'. */
  label: string;
  /** Chat role where the format has one. */
  role?: string;
  /** Chat `name` field, which costs one more token of overhead on OpenAI models. */
  name?: string;
  /** The text that is sent for this segment. */
  text: string;
  /** Where the segment stands in the document (its first line carries the inline count). */
  range: TextRange;
}

/** A value declared in the file itself, with the range of its key/value for diagnostics and quick fixes. */
export interface DeclaredValue<T> {
  value: T;
  range: TextRange;
}

export interface ParsedPrompt {
  format: PromptFormat;
  /** True when the segments are chat messages (OpenAI message overhead applies). */
  isChat: boolean;
  segments: PromptSegment[];
  /** The part of the document that is sent (everything but frontmatter/metadata). */
  bodyRange: TextRange;
  /** Declared model, e.g. frontmatter `model: GPT-4o`. */
  model?: DeclaredValue<string>;
  /** Declared max output tokens. */
  maxOutputTokens?: DeclaredValue<number>;
  /** Template variables in order of first use: `{{x}}` and `${input:x}` give 'x'. */
  variables: string[];
  /** Segments with the file's sample values substituted (Prompty `sample`, `.prompt.yml` `testData`). */
  rendered?: PromptSegment[];
  /** Malformed frontmatter, JSON or YAML: positioned problems; parsing still returns what it could. */
  problems: Problem[];
}

/** Counts tokens with one tokenizer. Exact for OpenAI encodings; `exact: false` for estimates. */
export interface TokenCounter {
  readonly tokenizer: TokenizerId;
  readonly exact: boolean;
  /** Tokens in `text`. Special-token literals such as `<|endoftext|>` count as plain text. */
  count(text: string): number;
  /** End offsets (UTF-16, exclusive) of each token of `text`, for "show token boundaries". */
  tokenBoundaries(text: string): number[];
}

/** Tokens of a parsed prompt, as the provider would bill its input. */
export interface PromptCount {
  tokens: number;
  exact: boolean;
  tokenizer: TokenizerId;
  /** Tokens of each segment's text, in the order of `ParsedPrompt.segments`. */
  segmentTokens: number[];
  /** Chat framing: the family's template (tokenize/chatFraming.ts), or OpenAI's rule (per message 3 + role, per `name` 1 + name, +3 for the reply). */
  overheadTokens: number;
  /** Tokens of the prompt with sample values substituted, where the file has them. */
  renderedTokens?: number;
  /** Set when the provider's API counted the prompt: `tokens` and `exact` are then its figures. */
  fromProvider?: ProviderCountSource;
  /** Set when the provider's count was asked for but not made: why (no key, no endpoint, an HTTP error). */
  providerNote?: string;
}

/** Where a count from a provider's API came from, and what it replaced. */
export interface ProviderCountSource {
  /** 'Anthropic', 'Google Gemini', 'xAI'. */
  provider: string;
  /** "Anthropic's count_tokens API". */
  endpoint: string;
  /** The URL asked (no key in it). */
  url: string;
  /** ISO time of the answer (the first one, when served from the cache). */
  countedAt: string;
  /** 'estimated': the API counted the messages' text; the chat framing is our estimate. */
  framing: 'included' | 'estimated';
  /** Our own count, before the provider's replaced it. */
  localTokens: number;
  localExact: boolean;
}

/** The cost of one call in USD, split into its input and output parts. */
export interface CallCost {
  inputTokens: number;
  outputTokens: number;
  input: number;
  output: number;
  total: number;
  /** False when the model has no known price: the amounts are then 0 meaning "unknown", not "free". */
  priced?: boolean;
}
