// Tokens of a parsed prompt, as the provider would bill its input.
import type { ParsedPrompt, PromptCount, PromptSegment, TokenCounter } from '../types';

// OpenAI's documented chat framing (the openai-cookbook "How to count tokens with tiktoken"):
// every message costs 3 tokens plus the tokens of its role and, when present, its name plus 1;
// every reply is primed with 3 more. It is documented for OpenAI models only; we apply it for every
// tokenizer, as the best available estimate of other providers' framing.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;

/**
 * Counts a parsed prompt. Non-chat formats count their body as one string (segment sums could differ
 * by a token at the joins) and still give per-segment counts for display. Chat formats add OpenAI's
 * message framing; a chat with no messages counts 0.
 */
export function countPrompt(parsed: ParsedPrompt, counter: TokenCounter): PromptCount {
  const segmentTokens = parsed.segments.map((segment) => counter.count(segment.text));
  const overheadTokens = parsed.isChat ? chatOverhead(parsed.segments, counter) : 0;
  return {
    tokens: totalTokens(parsed.isChat, parsed.segments, segmentTokens, overheadTokens, counter),
    exact: counter.exact,
    tokenizer: counter.tokenizer,
    segmentTokens,
    overheadTokens,
    ...(parsed.rendered ? { renderedTokens: renderedTokens(parsed.isChat, parsed.rendered, counter) } : {}),
  };
}

function totalTokens(
  isChat: boolean,
  segments: readonly PromptSegment[],
  segmentTokens: readonly number[],
  overheadTokens: number,
  counter: TokenCounter,
): number {
  if (!isChat) return counter.count(segments.map((segment) => segment.text).join(''));
  return segmentTokens.reduce((sum, tokens) => sum + tokens, 0) + overheadTokens;
}

function renderedTokens(isChat: boolean, segments: readonly PromptSegment[], counter: TokenCounter): number {
  const tokens = isChat ? segments.map((segment) => counter.count(segment.text)) : [];
  return totalTokens(isChat, segments, tokens, isChat ? chatOverhead(segments, counter) : 0, counter);
}

/** Framing tokens of a chat: per-message overhead, role and name tokens, and the reply priming. */
function chatOverhead(messages: readonly PromptSegment[], counter: TokenCounter): number {
  if (messages.length === 0) return 0;
  let tokens = REPLY_PRIMING_TOKENS;
  for (const message of messages) {
    tokens += TOKENS_PER_MESSAGE + counter.count(message.role ?? '');
    if (message.name !== undefined) tokens += TOKENS_PER_NAME + counter.count(message.name);
  }
  return tokens;
}
