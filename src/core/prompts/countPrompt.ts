// Tokens of a parsed prompt, as the provider would bill its input.
import { canCutAtLineStart } from '../tokenize/chunkText';
import { chatFramingTokens } from '../tokenize/chatFraming';
import { isChunkable, type ChunkableTokenCounter } from '../tokenize/tokenCounter';
import type { ParsedPrompt, PromptCount, PromptSegment, TokenCounter } from '../types';

/**
 * Counts a parsed prompt. Non-chat formats count their body as one string (segment sums could differ
 * by a token at the joins) and still give per-segment counts for display. Chat formats add the
 * framing of the tokenizer's family (OpenAI's rule where no template is published); a chat with no messages counts 0.
 */
export function countPrompt(parsed: ParsedPrompt, counter: TokenCounter): PromptCount {
  const { segments, isChat } = parsed;
  const overheadTokens = isChat ? chatFramingTokens(segments, counter) : 0;
  const additive = additiveCounter(parsed, counter);
  const units = additive ? segments.map((segment) => additive.countUnits(segment.text)) : [];
  const segmentTokens = additive ? units.map((value) => additive.fromUnits(value)) : segments.map((segment) => counter.count(segment.text));
  return {
    tokens: additive ? additive.fromUnits(units.reduce((sum, value) => sum + value, 0)) : totalTokens(isChat, segments, segmentTokens, overheadTokens, counter),
    exact: counter.exact,
    tokenizer: counter.tokenizer,
    segmentTokens,
    overheadTokens,
    ...(parsed.rendered ? { renderedTokens: renderedTokens(isChat, parsed.rendered, counter) } : {}),
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
  return totalTokens(isChat, segments, tokens, isChat ? chatFramingTokens(segments, counter) : 0, counter);
}

/**
 * The counter, when the body's total is the sum of its sections in its units: a body (not a chat)
 * whose sections meet at cuts that cannot change a token, as a heading after a line break always
 * does. Then the text is counted once, not again as one string; the estimate rounds the sum.
 */
function additiveCounter(parsed: ParsedPrompt, counter: TokenCounter): ChunkableTokenCounter | undefined {
  if (parsed.isChat || !isChunkable(counter)) return undefined;
  const { segments } = parsed;
  return segments.every((segment, index) => index === 0 || joinsCleanly(segments[index - 1].text, segment.text)) ? counter : undefined;
}

/** Whether counting `before` and `after` apart sums to the count of the two joined (see chunkText.ts). */
function joinsCleanly(before: string, after: string): boolean {
  return before.endsWith('\n') && canCutAtLineStart(after, 0);
}
