// The text a provider request sends, as chat segments the core can count: OpenAI Chat Completions
// and Responses, Anthropic Messages, Gemini contents and the AI SDK's prompt. Images, audio and
// files are not text: they are counted as parts left out, so a count that misses them says ≈.
import type { PromptSegment } from '../types';

/** A request's messages as segments, and how many parts were not text. */
export interface RequestMessages {
  segments: PromptSegment[];
  /** Parts that carry no countable text (images, audio, files). */
  uncountedParts: number;
}

type JsonObject = Record<string, unknown>;

const NO_RANGE = { start: 0, end: 0 };

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Segments of a plain text, a message list, or a request body of any supported SDK. */
export function requestMessages(input: unknown): RequestMessages {
  const out: RequestMessages = { segments: [], uncountedParts: 0 };
  if (typeof input === 'string') {
    push(out, 'user', input);
    return out;
  }
  if (Array.isArray(input)) {
    for (const message of input) addMessage(out, message);
    return out;
  }
  if (!isObject(input)) return out;
  // System text first, as each API places it before the messages.
  if (input.instructions !== undefined) addContent(out, 'system', input.instructions);
  if (input.system !== undefined) addContent(out, 'system', input.system);
  const config = isObject(input.config) ? input.config : undefined;
  const systemInstruction = input.systemInstruction ?? config?.systemInstruction;
  if (systemInstruction !== undefined) addContent(out, 'system', systemInstruction);
  const list = input.messages ?? input.input ?? input.contents ?? input.prompt;
  if (typeof list === 'string') push(out, 'user', list);
  else if (Array.isArray(list)) for (const message of list) addMessage(out, message);
  else if (isObject(list)) addMessage(out, list);
  if (Array.isArray(input.tools) && input.tools.length > 0) push(out, 'tools', JSON.stringify(input.tools));
  return out;
}

function addMessage(out: RequestMessages, message: unknown): void {
  if (typeof message === 'string') {
    push(out, 'user', message);
    return;
  }
  if (!isObject(message)) return;
  const role = typeof message.role === 'string' ? message.role : typeof message.type === 'string' ? message.type : 'user';
  const name = typeof message.name === 'string' ? message.name : undefined;
  const before = out.segments.length;
  if (message.content !== undefined) addContent(out, role, message.content);
  else if (message.parts !== undefined) addContent(out, role, message.parts);
  else if (typeof message.text === 'string') push(out, role, message.text);
  // Responses API items without a role: tool calls and their outputs are sent as text.
  else if (typeof message.arguments === 'string') push(out, role, message.arguments);
  else if (typeof message.output === 'string') push(out, role, message.output);
  if (Array.isArray(message.tool_calls)) push(out, role, JSON.stringify(message.tool_calls));
  if (name !== undefined) for (const segment of out.segments.slice(before)) segment.name = name;
}

function addContent(out: RequestMessages, role: string, content: unknown): void {
  if (typeof content === 'string') {
    push(out, role, content);
    return;
  }
  const parts = Array.isArray(content) ? content : [content];
  const texts: string[] = [];
  for (const part of parts) {
    if (typeof part === 'string') texts.push(part);
    else if (!isObject(part)) continue;
    else if (typeof part.text === 'string') texts.push(part.text);
    else if (Array.isArray(part.parts) || typeof part.content === 'string' || Array.isArray(part.content)) {
      // A Gemini Content or an Anthropic tool_result nested as content.
      const nested: RequestMessages = { segments: [], uncountedParts: 0 };
      addContent(nested, role, part.parts ?? part.content);
      texts.push(...nested.segments.map((segment) => segment.text));
      out.uncountedParts += nested.uncountedParts;
    } else if (part.input !== undefined || part.args !== undefined || part.functionCall !== undefined || part.functionResponse !== undefined) {
      texts.push(JSON.stringify(part.input ?? part.args ?? part.functionCall ?? part.functionResponse));
    } else out.uncountedParts++;
  }
  if (texts.length > 0) push(out, role, texts.join('\n'));
}

function push(out: RequestMessages, role: string, text: string): void {
  out.segments.push({ label: role, role, text, range: NO_RANGE });
}
