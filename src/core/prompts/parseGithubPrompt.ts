// GitHub Models prompt files (`.prompt.yml` / `.prompt.yaml`): the whole file is YAML.
import type { ParsedPrompt, PromptSegment } from '../types';
import type { PromptSource } from './promptSource';
import { findVariables, renderVariables, sampleText } from './variables';
import { parseYaml, yamlCount, yamlEntries, yamlGet, yamlItems, yamlRange, yamlString, yamlToJs } from './yamlSource';

/**
 * Parses a GitHub Models prompt: `model`, `modelParameters.maxTokens`, `messages: [{role, content}]`
 * (each segment's range is its `content` value) and `testData`, whose first row renders the messages.
 * If the YAML is too broken to yield any message, the whole text is one (non-chat) segment.
 */
export function parseGithubPrompt(source: PromptSource): ParsedPrompt {
  const { text } = source;
  const whole = { start: 0, end: text.length };
  const { yaml, problems } = parseYaml(source, whole, 'yaml-syntax');
  const root = yaml.doc.contents;

  const messagesNode = yamlGet(root, 'messages');
  const segments: PromptSegment[] = [];
  for (const item of yamlItems(messagesNode)) {
    const role = yamlString(yaml, yamlGet(item, 'role'))?.value;
    const contentNode = yamlGet(item, 'content');
    const content = yamlToJs(yaml, contentNode);
    const range = yamlRange(yaml, contentNode) ?? yamlRange(yaml, item);
    if (role === undefined || range === undefined) continue;
    segments.push({ label: role, role, text: typeof content === 'string' ? content : sampleText(content), range });
  }

  if (segments.length === 0 && problems.length > 0) {
    return {
      format: 'github-prompt',
      isChat: false,
      segments: [{ label: 'Prompt', text, range: whole }],
      bodyRange: whole,
      variables: findVariables([text]),
      problems,
    };
  }

  const samples = new Map<string, string>();
  for (const [name, node] of yamlEntries(yamlItems(yamlGet(root, 'testData'))[0])) {
    samples.set(name, sampleText(yamlToJs(yaml, node)));
  }

  return {
    format: 'github-prompt',
    isChat: true,
    segments,
    bodyRange: yamlRange(yaml, messagesNode) ?? whole,
    model: yamlString(yaml, yamlGet(root, 'model')),
    maxOutputTokens: yamlCount(yaml, yamlGet(root, 'modelParameters', 'maxTokens')),
    variables: findVariables(segments.map((segment) => segment.text)),
    rendered:
      samples.size > 0 ? segments.map((segment) => ({ ...segment, text: renderVariables(segment.text, samples) })) : undefined,
    problems,
  };
}
