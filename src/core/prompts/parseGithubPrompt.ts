// GitHub Models prompt files (`.prompt.yml` / `.prompt.yaml`): the whole file is YAML.
import { isAlias } from 'yaml';
import type { ParsedPrompt, PromptSegment } from '../types';
import { problemAt, type PromptSource } from './promptSource';
import { findVariables, renderVariables, sampleText } from './variables';
import { parseYaml, yamlEntries, yamlGet, yamlItems, yamlMaxOutput, yamlRange, yamlResolve, yamlSampleText, yamlString, yamlToJs } from './yamlSource';

// Far above any context window (about 4 million tokens of English), low enough to count in seconds.
const MAX_ALIASED_CHARS = 16_000_000;

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

  // A runner sends an aliased message (`- *greeting`) in full each time: so is it counted, up to a bound.
  let aliasedChars = 0;
  const messagesNode = yamlResolve(yaml, yamlGet(root, 'messages'));
  const segments: PromptSegment[] = [];
  for (const [index, written] of yamlItems(messagesNode).entries()) {
    const item = yamlResolve(yaml, written);
    const where = yamlRange(yaml, written) ?? whole;
    const role = yamlString(yaml, yamlGet(item, 'role'))?.value;
    const contentNode = yamlGet(item, 'content');
    const content = yamlToJs(yaml, contentNode);
    if (role === undefined) {
      problems.push(problemAt(source, where, 'chat-message', `Message ${index + 1} has no 'role' string; it is not counted.`));
      continue;
    }
    if (content === undefined && contentNode !== undefined) {
      // toJS refuses an alias bomb (yaml's maxAliasCount): its size is unknown, so the count cannot stand.
      problems.push(problemAt(source, where, 'yaml-aliases', `Message ${index + 1}: its content expands too many aliases to count; it is not counted.`));
      continue;
    }
    const messageText = typeof content === 'string' ? content : sampleText(content);
    if (written !== item || isAlias(contentNode)) aliasedChars += messageText.length;
    if (aliasedChars > MAX_ALIASED_CHARS) {
      problems.push(
        problemAt(source, where, 'yaml-aliases', `Aliases repeat more than ${MAX_ALIASED_CHARS / 1_000_000} million characters of messages; from message ${index + 1} on nothing is counted, so the count is a lower bound.`),
      );
      break;
    }
    // An aliased message is ranged where the alias stands; a written one over its content.
    const range = written !== item ? where : (yamlRange(yaml, contentNode) ?? where);
    segments.push({ label: role, role, text: messageText, range });
  }

  if (segments.length === 0 && problems.some((problem) => problem.rule === 'yaml-syntax')) {
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
    samples.set(name, yamlSampleText(source, yaml, node, name, problems));
  }

  return {
    format: 'github-prompt',
    isChat: true,
    segments,
    bodyRange: yamlRange(yaml, messagesNode) ?? whole,
    model: yamlString(yaml, yamlGet(root, 'model')),
    maxOutputTokens: yamlMaxOutput(source, yaml, yamlGet(root, 'modelParameters', 'maxTokens'), 'maxTokens', problems),
    variables: findVariables(segments.map((segment) => segment.text)),
    rendered:
      samples.size > 0 ? segments.map((segment) => ({ ...segment, text: renderVariables(segment.text, samples) })) : undefined,
    problems,
  };
}
