// Prompty (`.prompty`): YAML frontmatter (v1 or v2 schema), then a template body whose
// `system:` / `user:` / `assistant:` lines start chat messages.
import type { DeclaredValue, ParsedPrompt, Problem, PromptSegment } from '../types';
import { splitFrontmatter } from './frontmatter';
import { problemAt, type PromptSource } from './promptSource';
import { findVariables, renderVariables } from './variables';
import { parseYaml, yamlEntries, yamlGet, yamlItems, yamlMaxOutput, yamlSampleText, yamlString, type YamlSource } from './yamlSource';

// Prompty's own chat parser also accepts `# user:` and attributes such as `user[name="Jane"]:`.
const ROLE_LINE = /^[ \t]*#?[ \t]*(system|user|assistant|developer|function|tool)(?:\[[^\]\r\n]*\])?[ \t]*:[ \t]*(?:\r\n|\n|\r|$)/gim;

/** Parses a Prompty file into chat messages, with its declared model, max output tokens and sample. */
export function parsePrompty(source: PromptSource): ParsedPrompt {
  const { text } = source;
  const problems: Problem[] = [];
  let bodyStart = 0;
  let model: DeclaredValue<string> | undefined;
  let maxOutputTokens: DeclaredValue<number> | undefined;
  let samples: Map<string, string> | undefined;

  const split = splitFrontmatter(text);
  if (split.kind === 'closed') {
    bodyStart = split.bodyStart;
    const parsed = parseYaml(source, split.yaml, 'frontmatter-syntax');
    problems.push(...parsed.problems);
    const root = parsed.yaml.doc.contents;
    model = declaredModel(parsed.yaml, yamlGet(root, 'model'));
    maxOutputTokens = declaredMaxOutput(source, parsed.yaml, yamlGet(root, 'model'), problems);
    samples = sampleValues(source, parsed.yaml, root, problems);
  } else if (split.kind === 'unclosed') {
    problems.push(problemAt(source, split.open, 'frontmatter-syntax', "Frontmatter is not closed: add a '---' line after it"));
  }

  const segments = splitMessages(text, bodyStart);
  return {
    format: 'prompty',
    isChat: true,
    segments,
    bodyRange: { start: bodyStart, end: text.length },
    model,
    maxOutputTokens,
    variables: findVariables(segments.map((segment) => segment.text)),
    rendered:
      samples && samples.size > 0
        ? segments.map((segment) => ({ ...segment, text: renderVariables(segment.text, samples) }))
        : undefined,
    problems,
  };
}

/**
 * v2: `model.id` (or the shorthand `model: gpt-4o`). v1: `model.configuration.name` (OpenAI),
 * else `azure_deployment` (Azure OpenAI, a deployment name that usually matches the model),
 * else `model` (serverless). `${env:...}` references are not model names and are skipped.
 */
function declaredModel(yaml: YamlSource, modelNode: unknown): DeclaredValue<string> | undefined {
  const candidates = [
    yamlString(yaml, modelNode),
    yamlString(yaml, yamlGet(modelNode, 'id')),
    yamlString(yaml, yamlGet(modelNode, 'configuration', 'name')),
    yamlString(yaml, yamlGet(modelNode, 'configuration', 'azure_deployment')),
    yamlString(yaml, yamlGet(modelNode, 'configuration', 'model')),
  ];
  return candidates.find((candidate) => candidate && candidate.value.trim() !== '' && !/^\$\{env:/i.test(candidate.value));
}

/** v2: `model.options.maxOutputTokens`; v1: `model.parameters.max_tokens` (or `max_completion_tokens`). */
function declaredMaxOutput(source: PromptSource, yaml: YamlSource, modelNode: unknown, problems: Problem[]): DeclaredValue<number> | undefined {
  const declared = [
    yamlMaxOutput(source, yaml, yamlGet(modelNode, 'options', 'maxOutputTokens'), 'maxOutputTokens', problems),
    yamlMaxOutput(source, yaml, yamlGet(modelNode, 'parameters', 'max_tokens'), 'max_tokens', problems),
    yamlMaxOutput(source, yaml, yamlGet(modelNode, 'parameters', 'max_completion_tokens'), 'max_completion_tokens', problems),
  ];
  return declared.find((value) => value !== undefined);
}

/**
 * Values to render the template with: v1 `sample` (a map; a file reference is not read), over the
 * `sample` / `example` / `default` of each input (v1 `inputs` map, v2 `inputs` map or list).
 */
function sampleValues(source: PromptSource, yaml: YamlSource, root: unknown, problems: Problem[]): Map<string, string> {
  const values = new Map<string, string>();
  const fromInput = (name: string, input: unknown): void => {
    for (const key of ['sample', 'example', 'default']) {
      const node = yamlGet(input, key);
      if (node !== undefined && node !== null) {
        values.set(name, yamlSampleText(source, yaml, node, name, problems));
        return;
      }
    }
  };
  const inputs = yamlGet(root, 'inputs');
  for (const [name, input] of yamlEntries(inputs)) fromInput(name, input);
  for (const input of yamlItems(inputs)) {
    const name = yamlGet(input, 'name');
    const named = yamlString(yaml, name);
    if (named) fromInput(named.value, input);
  }
  for (const [name, node] of yamlEntries(yamlGet(root, 'sample'))) values.set(name, yamlSampleText(source, yaml, node, name, problems));
  return values;
}

/**
 * Splits the body at role lines. Text before the first role line, if any, is a system message, as in
 * Prompty's parser. A message's text is its content trimmed; its range runs from the role line to the
 * end of that content, so the inline count sits on the role line.
 */
function splitMessages(text: string, bodyStart: number): PromptSegment[] {
  const markers: { lineStart: number; lineEnd: number; contentStart: number; role: string }[] = [];
  ROLE_LINE.lastIndex = bodyStart;
  for (let match = ROLE_LINE.exec(text); match; match = ROLE_LINE.exec(text)) {
    const lineEnd = match.index + match[0].replace(/[\r\n]+$/, '').length;
    markers.push({ lineStart: match.index, lineEnd, contentStart: match.index + match[0].length, role: match[1].toLowerCase() });
  }

  const segments: PromptSegment[] = [];
  const message = (role: string, headStart: number, headEnd: number, contentStart: number, contentEnd: number): void => {
    const raw = text.slice(contentStart, contentEnd);
    const content = raw.trim();
    const end = Math.max(headEnd, contentStart + raw.trimEnd().length);
    segments.push({ label: role, role, text: content, range: { start: headStart, end } });
  };

  const firstMarker = markers.length > 0 ? markers[0].lineStart : text.length;
  const preamble = text.slice(bodyStart, firstMarker);
  if (preamble.trim().length > 0) {
    const start = bodyStart + (preamble.length - preamble.trimStart().length);
    message('system', start, start, start, firstMarker);
  }
  markers.forEach((marker, i) => {
    const contentEnd = i + 1 < markers.length ? markers[i + 1].lineStart : text.length;
    message(marker.role, marker.lineStart, marker.lineEnd, marker.contentStart, contentEnd);
  });
  return segments;
}
