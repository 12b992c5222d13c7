// Chat JSON: an array of `{role, content, name?}` messages, or an object with `messages`
// (an OpenAI-style request body, whose `model` and max tokens are read too).
import type { DeclaredValue, ParsedPrompt, PromptSegment } from '../types';
import { jsonProperty, parseJsonWithRanges, type JsonNode } from './jsonWithRanges';
import { problemAt, type PromptSource } from './promptSource';
import { findVariables } from './variables';

/** The message array of a chat-shaped JSON value, or undefined when the value is not chat. */
export function chatMessagesNode(root: JsonNode): Extract<JsonNode, { kind: 'array' }> | undefined {
  const messages = root.kind === 'object' ? jsonProperty(root, 'messages') : root;
  if (messages?.kind !== 'array' || messages.items.length === 0) return undefined;
  const isMessage = (item: JsonNode): boolean => jsonProperty(item, 'role')?.kind === 'string';
  return messages.items.every(isMessage) ? messages : undefined;
}

/**
 * Parses a chat JSON file. Each segment is one message, ranged over the whole message object; its
 * text is the decoded `content` string, or its `text` parts joined by newlines (images and other
 * parts are not counted). Malformed JSON gives a 'json-syntax' problem and the whole text as one segment.
 */
export function parseChatJson(source: PromptSource): ParsedPrompt {
  const { text } = source;
  const whole = { start: 0, end: text.length };
  const fallback = (rule: string, offset: number, message: string): ParsedPrompt => ({
    format: 'chat-json',
    isChat: false,
    segments: [{ label: 'Prompt', text, range: whole }],
    bodyRange: whole,
    variables: findVariables([text]),
    problems: [problemAt(source, { start: offset, end: Math.min(offset + 1, text.length) }, rule, message)],
  });

  const parsed = parseJsonWithRanges(text);
  if (!parsed.ok) return fallback('json-syntax', parsed.error.offset, `JSON: ${parsed.error.message}`);
  const messages = chatMessagesNode(parsed.root);
  if (!messages) {
    return fallback('chat-shape', parsed.root.range.start, 'Not a chat file: expected an array of {role, content} messages or an object with "messages"');
  }

  const segments: PromptSegment[] = messages.items.map((item) => {
    const role = stringValue(jsonProperty(item, 'role')) ?? '';
    const name = stringValue(jsonProperty(item, 'name'));
    return {
      label: name ? `${role} (${name})` : role,
      role,
      ...(name !== undefined ? { name } : {}),
      text: contentText(jsonProperty(item, 'content')),
      range: item.range,
    };
  });

  const root = parsed.root;
  return {
    format: 'chat-json',
    isChat: true,
    segments,
    bodyRange: messages.range,
    model: declaredString(jsonProperty(root, 'model')),
    maxOutputTokens:
      declaredCount(jsonProperty(root, 'max_completion_tokens')) ??
      declaredCount(jsonProperty(root, 'max_tokens')) ??
      declaredCount(jsonProperty(root, 'max_output_tokens')),
    variables: findVariables(segments.map((segment) => segment.text)),
    problems: [],
  };
}

function stringValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

function contentText(node: JsonNode | undefined): string {
  if (node?.kind === 'string') return node.value;
  if (node?.kind !== 'array') return '';
  const parts: string[] = [];
  for (const part of node.items) {
    const type = stringValue(jsonProperty(part, 'type'));
    const partText = stringValue(jsonProperty(part, 'text'));
    if (partText !== undefined && (type === 'text' || type === 'input_text' || type === undefined)) parts.push(partText);
  }
  return parts.join('\n');
}

function declaredString(node: JsonNode | undefined): DeclaredValue<string> | undefined {
  return node?.kind === 'string' ? { value: node.value, range: node.range } : undefined;
}

function declaredCount(node: JsonNode | undefined): DeclaredValue<number> | undefined {
  return node?.kind === 'number' && Number.isSafeInteger(node.value) && node.value >= 0
    ? { value: node.value, range: node.range }
    : undefined;
}
