// Position-aware reading of YAML (frontmatter or a whole `.prompt.yml`) with eemeli/yaml.
import { isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { DeclaredValue, Problem, TextRange } from '../types';
import { problemAt, type PromptSource } from './promptSource';

/** A parsed YAML document and the offset of its first character in the prompt file. */
export interface YamlSource {
  doc: Document;
  offset: number;
}

/** Parses `range` of the source as YAML; syntax errors become problems with `rule`. */
export function parseYaml(source: PromptSource, range: TextRange, rule: string): { yaml: YamlSource; problems: Problem[] } {
  const doc = parseDocument(source.text.slice(range.start, range.end), { prettyErrors: false });
  const problems = doc.errors.map((error) =>
    problemAt(
      source,
      { start: range.start + error.pos[0], end: range.start + error.pos[1] },
      rule,
      `${rule === 'frontmatter-syntax' ? 'Frontmatter' : 'YAML'}: ${error.message}`,
    ),
  );
  return { yaml: { doc, offset: range.start }, problems };
}

/** The node at `path` (map keys, sequence indexes), or undefined where the shape does not match. */
export function yamlGet(node: unknown, ...path: (string | number)[]): unknown {
  let current = node;
  for (const key of path) {
    if (isMap(current)) {
      current = current.get(key, true);
    } else if (isSeq(current) && typeof key === 'number') {
      current = current.get(key, true);
    } else {
      return undefined;
    }
  }
  return current;
}

/** The file range of a node's value (without trailing comments), or undefined if it has none. */
export function yamlRange(yaml: YamlSource, node: unknown): TextRange | undefined {
  if (!isNode(node) || !node.range) return undefined;
  return { start: yaml.offset + node.range[0], end: yaml.offset + node.range[1] };
}

/** A string scalar's value with its range. */
export function yamlString(yaml: YamlSource, node: unknown): DeclaredValue<string> | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const range = yamlRange(yaml, node);
  return range ? { value: node.value, range } : undefined;
}

/** A non-negative integer scalar (or a string of digits) with its range. */
export function yamlCount(yaml: YamlSource, node: unknown): DeclaredValue<number> | undefined {
  if (!isScalar(node)) return undefined;
  const raw = node.value;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) return undefined;
  const range = yamlRange(yaml, node);
  return range ? { value, range } : undefined;
}

/** A node as plain JavaScript, or undefined when it cannot be converted (e.g. too many aliases). */
export function yamlToJs(yaml: YamlSource, node: unknown): unknown {
  if (!isNode(node)) return undefined;
  try {
    return node.toJS(yaml.doc);
  } catch {
    return undefined;
  }
}

/** The items of a sequence node, or an empty list. */
export function yamlItems(node: unknown): unknown[] {
  return isSeq(node) ? node.items : [];
}

/** The string keys and value nodes of a map node, in order, or an empty list. */
export function yamlEntries(node: unknown): [string, unknown][] {
  if (!isMap(node)) return [];
  const entries: [string, unknown][] = [];
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    if (typeof key === 'string' || typeof key === 'number') entries.push([String(key), pair.value]);
  }
  return entries;
}
