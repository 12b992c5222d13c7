// A small JSON parser that keeps the source range of every value, for chat JSON files.
// Strings are decoded exactly as JSON.parse decodes them (escapes, surrogate pairs, lone surrogates).
import type { TextRange } from '../types';

export type JsonNode =
  | { kind: 'object'; range: TextRange; properties: JsonProperty[] }
  | { kind: 'array'; range: TextRange; items: JsonNode[] }
  | { kind: 'string'; range: TextRange; value: string }
  | { kind: 'number'; range: TextRange; value: number }
  | { kind: 'boolean'; range: TextRange; value: boolean }
  | { kind: 'null'; range: TextRange };

export interface JsonProperty {
  key: string;
  keyRange: TextRange;
  value: JsonNode;
}

export type JsonParseResult = { ok: true; root: JsonNode } | { ok: false; error: { offset: number; message: string } };

/** Parses `text` as JSON (RFC 8259, no comments), returning the value tree or the first error. */
export function parseJsonWithRanges(text: string): JsonParseResult {
  const parser = new JsonParser(text);
  try {
    parser.skipWhitespace();
    const root = parser.value(0);
    parser.skipWhitespace();
    if (parser.index < text.length) parser.fail('Unexpected text after the JSON value');
    return { ok: true, root };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { ok: false, error: { offset: error.offset, message: error.message } };
    throw error;
  }
}

/** The value of an object's property, or undefined. The last one wins, as with JSON.parse. */
export function jsonProperty(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.kind !== 'object') return undefined;
  for (let i = node.properties.length - 1; i >= 0; i--) {
    if (node.properties[i].key === key) return node.properties[i].value;
  }
  return undefined;
}

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

// Deep enough for any real chat file, shallow enough not to overflow the stack on `[[[[...`.
const MAX_DEPTH = 256;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class JsonParser {
  index = 0;

  constructor(private readonly text: string) {}

  fail(message: string, offset = this.index): never {
    throw new JsonSyntaxError(message, offset);
  }

  skipWhitespace(): void {
    const { text } = this;
    while (this.index < text.length) {
      const c = text.charCodeAt(this.index);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      this.index++;
    }
  }

  value(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail('JSON is nested too deeply');
    const start = this.index;
    const c = this.text[this.index];
    switch (c) {
      case '{':
        return this.object(depth);
      case '[':
        return this.array(depth);
      case '"':
        return { kind: 'string', value: this.string(), range: { start, end: this.index } };
      case 't':
        return this.literal('true', { kind: 'boolean', value: true, range: { start, end: start + 4 } });
      case 'f':
        return this.literal('false', { kind: 'boolean', value: false, range: { start, end: start + 5 } });
      case 'n':
        return this.literal('null', { kind: 'null', range: { start, end: start + 4 } });
      case undefined:
        return this.fail('Unexpected end of file: expected a value');
      default: {
        NUMBER.lastIndex = start;
        const match = NUMBER.exec(this.text);
        if (!match) this.fail(`Unexpected character '${c}': expected a value`);
        this.index = start + match[0].length;
        return { kind: 'number', value: Number(match[0]), range: { start, end: this.index } };
      }
    }
  }

  private literal(word: string, node: JsonNode): JsonNode {
    if (!this.text.startsWith(word, this.index)) this.fail(`Unexpected token: expected a value`);
    this.index += word.length;
    return node;
  }

  private object(depth: number): JsonNode {
    const start = this.index++;
    const properties: JsonProperty[] = [];
    this.skipWhitespace();
    if (this.text[this.index] === '}') {
      this.index++;
      return { kind: 'object', properties, range: { start, end: this.index } };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.index] !== '"') this.fail('Expected a property name in double quotes');
      const keyStart = this.index;
      const key = this.string();
      const keyRange = { start: keyStart, end: this.index };
      this.skipWhitespace();
      if (this.text[this.index] !== ':') this.fail("Expected ':' after the property name");
      this.index++;
      this.skipWhitespace();
      properties.push({ key, keyRange, value: this.value(depth + 1) });
      this.skipWhitespace();
      const next = this.text[this.index];
      if (next === ',') {
        this.index++;
        continue;
      }
      if (next === '}') {
        this.index++;
        return { kind: 'object', properties, range: { start, end: this.index } };
      }
      this.fail(next === undefined ? "Unexpected end of file: expected ',' or '}'" : "Expected ',' or '}' after a property value");
    }
  }

  private array(depth: number): JsonNode {
    const start = this.index++;
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.index] === ']') {
      this.index++;
      return { kind: 'array', items, range: { start, end: this.index } };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.value(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.index];
      if (next === ',') {
        this.index++;
        continue;
      }
      if (next === ']') {
        this.index++;
        return { kind: 'array', items, range: { start, end: this.index } };
      }
      this.fail(next === undefined ? "Unexpected end of file: expected ',' or ']'" : "Expected ',' or ']' after an array item");
    }
  }

  /** Reads a string starting at the opening quote; leaves the index after the closing quote. */
  private string(): string {
    const { text } = this;
    const start = this.index;
    let i = start + 1;
    let chunkStart = i;
    let result = '';
    for (;;) {
      if (i >= text.length) this.fail('Unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) break;
      if (c < 0x20) this.fail('Control character in string: escape it', i);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      result += text.slice(chunkStart, i);
      const escape = text[i + 1];
      if (escape === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\u escape: expected four hex digits', i);
        result += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (escape !== undefined && Object.hasOwn(ESCAPES, escape)) {
        result += ESCAPES[escape];
        i += 2;
      } else {
        this.fail(`Invalid escape '\\${escape ?? ''}' in string`, i);
      }
      chunkStart = i;
    }
    this.index = i + 1;
    return result + text.slice(chunkStart, i);
  }
}
