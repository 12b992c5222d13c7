// Chat JSON: an array of `{role, content, name?}` messages, or an object with `messages`
// (an OpenAI-style request body, whose `model` and max tokens are read too).
import type { DeclaredValue, ParsedPrompt, Problem, PromptSegment, TextRange } from '../types';
import { jsonProperty, parseJsonWithRanges, type JsonNode } from './jsonWithRanges';
import { problemAt, type PromptSource } from './promptSource';
import { findVariables } from './variables';
import { invalidMaxOutput } from './yamlSource';

/**
 * The message array of a chat-shaped JSON value, or undefined when the value is not chat: every item
 * an object with a `role` or `content` key, and at least one with a string role. An odd message
 * (a role that is not a string, an object content) is then reported, not a reason to read the file as text.
 */
export function chatMessagesNode(root: JsonNode): Extract<JsonNode, { kind: 'array' }> | undefined {
  const messages = root.kind === 'object' ? jsonProperty(root, 'messages') : root;
  if (messages?.kind !== 'array' || messages.items.length === 0) return undefined;
  const isMessageLike = (item: JsonNode): boolean => jsonProperty(item, 'role') !== undefined || jsonProperty(item, 'content') !== undefined;
  const hasRole = (item: JsonNode): boolean => jsonProperty(item, 'role')?.kind === 'string';
  return messages.items.every(isMessageLike) && messages.items.some(hasRole) ? messages : undefined;
}

/**
 * Parses a chat JSON file. Each segment is one message, ranged over the whole message object; its
 * text is the decoded `content` string, or its `text` parts joined by newlines. Images and other
 * parts, `tool_calls` and `tools` are not counted: an 'uncounted-parts' info problem says where, as
 * the count is then a lower bound. Malformed JSON gives a 'json-syntax' problem and the whole text as one segment.
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

  const problems: Problem[] = [];
  const segments: PromptSegment[] = [];
  for (const [index, item] of messages.items.entries()) {
    const odd = oddMessage(item);
    if (odd) {
      problems.push(problemAt(source, odd.range, 'chat-message', `Message ${index + 1}: ${odd.message}; it is not counted.`));
      continue;
    }
    const role = stringValue(jsonProperty(item, 'role')) ?? '';
    const name = stringValue(jsonProperty(item, 'name'));
    segments.push({
      label: name ? `${role} (${name})` : role,
      role,
      ...(name !== undefined ? { name } : {}),
      text: contentText(jsonProperty(item, 'content')),
      range: item.range,
    });
    problems.push(...uncountedInMessage(source, item));
  }

  const root = parsed.root;
  problems.push(...uncountedInRequest(source, root));
  const maxOutput = ['max_completion_tokens', 'max_tokens', 'max_output_tokens'].map((key) => declaredCount(source, root, key, problems));
  return {
    format: 'chat-json',
    isChat: true,
    segments,
    bodyRange: messages.range,
    model: declaredString(jsonProperty(root, 'model')),
    maxOutputTokens: maxOutput.find((value) => value !== undefined),
    variables: findVariables(segments.map((segment) => segment.text)),
    problems,
  };
}

// Text parts are counted; every other part (image_url, input_image, input_audio, file…) is not.
const TEXT_PART_TYPES = new Set(['text', 'input_text']);

/** An info problem on a message whose image (or other non-text) parts or tool calls are left out of the count. */
function uncountedInMessage(source: PromptSource, message: JsonNode): Problem[] {
  const left: string[] = [];
  let at: TextRange | undefined;
  const content = jsonProperty(message, 'content');
  if (content?.kind === 'array') {
    const others = content.items.filter((part) => !isCountedPart(part));
    if (others.length > 0) {
      const images = others.filter((part) => /image/.test(stringValue(jsonProperty(part, 'type')) ?? '')).length;
      const rest = others.length - images;
      if (images > 0) left.push(images === 1 ? 'an image part' : `${images} image parts`);
      if (rest > 0) left.push(rest === 1 ? 'a non-text part' : `${rest} non-text parts`);
      at = others[0].range;
    }
  }
  for (const key of ['tool_calls', 'function_call']) {
    const property = message.kind === 'object' ? message.properties.find((candidate) => candidate.key === key) : undefined;
    if (property && property.value.kind !== 'null') {
      left.push(`\`${key}\``);
      at ??= property.keyRange;
    }
  }
  if (!at) return [];
  return [info(source, at, `Not counted: ${left.join(' and ')} of this message; its count is a lower bound.`)];
}

/** An info problem on a request body's tool definitions, which the provider adds to the prompt but the count leaves out. */
function uncountedInRequest(source: PromptSource, root: JsonNode): Problem[] {
  if (root.kind !== 'object') return [];
  const tools = root.properties.filter((property) => (property.key === 'tools' || property.key === 'functions') && property.value.kind === 'array' && property.value.items.length > 0);
  if (tools.length === 0) return [];
  const names = tools.map((property) => `\`${property.key}\``).join(' and ');
  return [info(source, tools[0].keyRange, `Not counted: the ${names} definitions, which the model reads as input; the count is a lower bound.`)];
}

function isCountedPart(part: JsonNode): boolean {
  const type = stringValue(jsonProperty(part, 'type'));
  return stringValue(jsonProperty(part, 'text')) !== undefined && (type === undefined || TEXT_PART_TYPES.has(type));
}

function info(source: PromptSource, range: TextRange, message: string): Problem {
  return { ...problemAt(source, range, 'uncounted-parts', message), severity: 'info' };
}

function stringValue(node: JsonNode | undefined): string | undefined {
  return node?.kind === 'string' ? node.value : undefined;
}

function contentText(node: JsonNode | undefined): string {
  if (node?.kind === 'string') return node.value;
  if (node?.kind !== 'array') return '';
  const parts: string[] = [];
  for (const part of node.items) {
    const partText = stringValue(jsonProperty(part, 'text'));
    if (partText !== undefined && isCountedPart(part)) parts.push(partText);
  }
  return parts.join('\n');
}

function declaredString(node: JsonNode | undefined): DeclaredValue<string> | undefined {
  return node?.kind === 'string' ? { value: node.value, range: node.range } : undefined;
}

/** The request's `key` as a max output count; a value that is not a whole number is a problem (null is absent). */
function declaredCount(source: PromptSource, root: JsonNode, key: string, problems: Problem[]): DeclaredValue<number> | undefined {
  const node = jsonProperty(root, key);
  if (node === undefined || node.kind === 'null') return undefined;
  if (node.kind === 'number' && Number.isSafeInteger(node.value) && node.value >= 0) return { value: node.value, range: node.range };
  problems.push(invalidMaxOutput(source, node.range, key, source.text.slice(node.range.start, Math.min(node.range.end, node.range.start + 40))));
  return undefined;
}

/** Why a message cannot be counted as chat (not an object, a role that is not a string, an object content), or undefined. */
function oddMessage(item: JsonNode): { range: TextRange; message: string } | undefined {
  if (item.kind !== 'object') return { range: item.range, message: `expected an object with 'role' and 'content', not ${describeJson(item)}` };
  const role = jsonProperty(item, 'role');
  if (role?.kind !== 'string') return { range: role?.range ?? item.range, message: role ? `'role' must be a string, not ${describeJson(role)}` : "it has no 'role'" };
  const content = jsonProperty(item, 'content');
  if (content && content.kind !== 'string' && content.kind !== 'array' && content.kind !== 'null') {
    return { range: content.range, message: `'content' must be a string or a list of parts, not ${describeJson(content)}` };
  }
  return undefined;
}

function describeJson(node: JsonNode): string {
  return node.kind === 'array' || node.kind === 'object' ? `an ${node.kind}` : `a ${node.kind}`;
}
