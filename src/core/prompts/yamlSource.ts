// Position-aware reading of YAML (frontmatter or a whole `.prompt.yml`) with eemeli/yaml.
import { isAlias, isMap, isNode, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import type { DeclaredValue, Problem, TextRange } from '../types';
import { problemAt, type PromptSource } from './promptSource';
import { sampleText } from './variables';

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

/** The node an alias (`*name`) stands for, or the node itself. */
export function yamlResolve(yaml: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(yaml.doc) : node;
}

/** A string scalar's value (through an alias) with its range (where it is written: the alias, if it is one). */
export function yamlString(yaml: YamlSource, node: unknown): DeclaredValue<string> | undefined {
  const value = yamlResolve(yaml, node);
  if (!isScalar(value) || typeof value.value !== 'string') return undefined;
  const range = yamlRange(yaml, node);
  return range ? { value: value.value, range } : undefined;
}

/** A non-negative integer scalar (or a string of digits), through an alias, with its range. */
export function yamlCount(yaml: YamlSource, node: unknown): DeclaredValue<number> | undefined {
  const scalar = yamlResolve(yaml, node);
  if (!isScalar(scalar)) return undefined;
  const raw = scalar.value;
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < 0) return undefined;
  const range = yamlRange(yaml, node);
  return range ? { value, range } : undefined;
}

/**
 * A declared max output count at `node` (written under `key`): undefined when the key is absent or
 * empty; a whole number from 0 up is the value; anything else (`1e23`, `-5`, `20000.5`, text) is an
 * 'invalid-max-output' problem where it is written, so a broken cap never passes a check unseen.
 */
export function yamlMaxOutput(source: PromptSource, yaml: YamlSource, node: unknown, key: string, problems: Problem[]): DeclaredValue<number> | undefined {
  const value = yamlResolve(yaml, node);
  if (value === undefined || value === null || (isScalar(value) && value.value === null)) return undefined;
  const count = yamlCount(yaml, node);
  if (count) return count;
  const range = yamlRange(yaml, node);
  const written = range ? source.text.slice(range.start, Math.min(range.end, range.start + 40)) : '';
  problems.push(invalidMaxOutput(source, range ?? { start: 0, end: 0 }, key, written));
  return undefined;
}

/** The problem of a max output value that is not a whole number of tokens. */
export function invalidMaxOutput(source: PromptSource, range: TextRange, key: string, written: string): Problem {
  const shown = written.split(/\r?\n|\r/, 1)[0];
  return problemAt(source, range, 'invalid-max-output', `'${key}' must be a whole number of tokens (0 to ${Number.MAX_SAFE_INTEGER}), not ${shown ? `'${shown}'` : 'this'}; it is ignored.`);
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

/**
 * A sample value (Prompty `sample`, `.prompt.yml` `testData`) as the text it renders to. One whose
 * aliases expand too far to convert (an alias bomb) renders as nothing, with a 'yaml-aliases' error
 * saying so, as the rendered count then leaves it out.
 */
export function yamlSampleText(source: PromptSource, yaml: YamlSource, node: unknown, name: string, problems: Problem[]): string {
  const value = yamlToJs(yaml, node);
  if (value === undefined && isNode(node)) {
    const range = yamlRange(yaml, node) ?? { start: 0, end: 0 };
    problems.push(problemAt(source, range, 'yaml-aliases', `The sample value of '${name}' expands too many aliases to render; the rendered count leaves it out.`));
  }
  return sampleText(value);
}

/** The items of a sequence node, or an empty list. Items may be aliases: see yamlResolve. */
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
