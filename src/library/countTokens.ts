// countTokens: the editor's counting engine (same tokenizers, same chat framing) for text, a message
// list or a request body, from application code.
import { approxMark, formatInteger, countPrompt, requestMessages, loadTokenCounter, ModelCatalog, type ModelInfo, type TokenizerId } from '../core';

export interface TokenCount {
  tokens: number;
  /** True when the count is the provider's own tokenizer's; false for estimates (≈). */
  exact: boolean;
  tokenizer: TokenizerId;
  /** The catalog's id of the model counted for. */
  model: string;
  /** The count as shown in the editor: "1,234" when exact, "≈1,234" when estimated. */
  label: string;
  /** Images, audio or files in the messages, which are not counted (the count is then ≈). */
  uncountedParts: number;
}

export interface CountOptions {
  /** The catalog to resolve the model in (a guard passes the one with the config's `models`). */
  catalog?: ModelCatalog;
}

/** Resolves `name` in the catalog, or throws with the catalog's message naming the closest ids. */
export function resolveModel(name: string, catalog: ModelCatalog = ModelCatalog.builtIn()): ModelInfo {
  const resolution = catalog.resolve(name);
  if ('model' in resolution) return resolution.model;
  throw new Error(`prompt-budget: ${resolution.error}`);
}

/**
 * Tokens of `input` (a string, a list of chat messages, or a whole request body of the OpenAI,
 * Anthropic, Gemini or AI SDK clients) as `model` would bill them, chat framing included.
 */
export async function countTokens(input: unknown, model: string | ModelInfo, options: CountOptions = {}): Promise<TokenCount> {
  const info = typeof model === 'string' ? resolveModel(model, options.catalog) : model;
  const counter = await loadTokenCounter(info.tokenizer);
  const { segments, uncountedParts } = requestMessages(input);
  const isChat = typeof input !== 'string';
  const count = countPrompt({ format: isChat ? 'chat-json' : 'text', isChat, segments, bodyRange: { start: 0, end: 0 }, variables: [], problems: [] }, counter);
  const exact = count.exact && uncountedParts === 0;
  return { tokens: count.tokens, exact, tokenizer: count.tokenizer, model: info.id, label: `${approxMark(exact)}${formatInteger(count.tokens)}`, uncountedParts };
}
