// The counting request of a parsed prompt, built as the prompt would be sent to the provider:
// system text and messages in its API's shape, without max_tokens or any generation setting.
import type { ParsedPrompt, PromptSegment } from '../types';
import type { CountingProviderId } from './countingProviders';

/** One HTTP request: a path below the base URL and its JSON body. */
export interface CountingCall {
  /** '/v1/messages/count_tokens'; the base URL's own version segment is not repeated. */
  path: string;
  body: unknown;
}

/** The calls that count one prompt, and whether their answers include the chat framing. */
export interface CountingPlan {
  calls: CountingCall[];
  /** 'included': the answer is the whole input. 'estimated': text only (xAI), our chat framing is added. */
  framing: 'included' | 'estimated';
}

type Role = 'system' | 'user' | 'assistant';

// xAI counts one message per request: a chat longer than this is not sent message by message.
const MAX_XAI_MESSAGES = 100;

interface Message {
  role: Role;
  text: string;
}

/**
 * The counting calls for `parsed` on `modelId`, or the reason there are none (an empty prompt).
 * Chat files keep their roles (developer counts as system); any other file is one user message.
 */
export function buildCountingPlan(provider: CountingProviderId, parsed: ParsedPrompt, modelId: string): CountingPlan | { reason: string } {
  const messages = promptMessages(parsed);
  if (messages.every((message) => message.text.trim() === '')) return { reason: 'the prompt is empty: nothing to send' };
  switch (provider) {
    case 'anthropic':
      return { calls: [{ path: '/v1/messages/count_tokens', body: anthropicBody(messages, modelId) }], framing: 'included' };
    case 'gemini':
      return { calls: [{ path: `/v1beta/models/${encodeURIComponent(modelId)}:countTokens`, body: geminiBody(messages, modelId) }], framing: 'included' };
    case 'xai':
      if (messages.length > MAX_XAI_MESSAGES) return { reason: `${messages.length} messages: xAI counts one message per request, at most ${MAX_XAI_MESSAGES} are sent` };
      // The endpoint counts plain text: one call per message, the framing is ours.
      return {
        calls: messages.map((message) => ({ path: '/v1/tokenize-text', body: { text: message.text, model: modelId } })),
        framing: parsed.isChat ? 'estimated' : 'included',
      };
  }
}

function promptMessages(parsed: ParsedPrompt): Message[] {
  if (!parsed.isChat) return [{ role: 'user', text: parsed.segments.map((segment) => segment.text).join('') }];
  return parsed.segments.map((segment) => ({ role: roleOf(segment), text: segment.text }));
}

function roleOf(segment: PromptSegment): Role {
  const role = (segment.role ?? 'user').toLowerCase();
  if (role === 'system' || role === 'developer') return 'system';
  if (role === 'assistant' || role === 'model') return 'assistant';
  return 'user';
}

function anthropicBody(messages: readonly Message[], model: string): unknown {
  const system = messages.filter((message) => message.role === 'system');
  const turns = messages.filter((message) => message.role !== 'system').map((message) => ({ role: message.role, content: message.text }));
  return {
    model,
    ...(system.length === 1 ? { system: system[0].text } : {}),
    ...(system.length > 1 ? { system: system.map((message) => ({ type: 'text', text: message.text })) } : {}),
    messages: turns,
  };
}

function geminiBody(messages: readonly Message[], model: string): unknown {
  const system = messages.filter((message) => message.role === 'system');
  const contents = messages
    .filter((message) => message.role !== 'system')
    .map((message) => ({ role: message.role === 'assistant' ? 'model' : 'user', parts: [{ text: message.text }] }));
  return {
    generateContentRequest: {
      model: `models/${model}`,
      contents,
      ...(system.length > 0 ? { systemInstruction: { parts: system.map((message) => ({ text: message.text })) } } : {}),
    },
  };
}
