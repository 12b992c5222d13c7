// Markdown and VS Code `.prompt.md`: optional YAML frontmatter, then a Markdown body split at headings.
import type { DeclaredValue, ParsedPrompt, Problem } from '../types';
import { splitFrontmatter } from './frontmatter';
import { splitMarkdownSections } from './markdownSections';
import { problemAt, type PromptSource } from './promptSource';
import { findVariables } from './variables';
import { parseYaml, yamlGet, yamlItems, yamlMaxOutput, yamlString } from './yamlSource';

const MAX_OUTPUT_KEYS = ['maxOutputTokens', 'maxTokens', 'max_tokens', 'max_completion_tokens'];

/**
 * Parses a Markdown (`.md`) or VS Code prompt file (`.prompt.md`). Frontmatter is metadata, not
 * prompt; its `model` (a display name such as "GPT-4o") is kept raw for the catalog to resolve.
 * In plain Markdown a `---` line with no closing fence is a thematic break, not broken frontmatter.
 */
export function parseMarkdownPrompt(source: PromptSource, format: 'markdown' | 'vscode-prompt'): ParsedPrompt {
  const { text } = source;
  const problems: Problem[] = [];
  let bodyStart = 0;
  let model: DeclaredValue<string> | undefined;
  let maxOutputTokens: DeclaredValue<number> | undefined;

  const split = splitFrontmatter(text);
  if (split.kind === 'closed') {
    bodyStart = split.bodyStart;
    const parsed = parseYaml(source, split.yaml, 'frontmatter-syntax');
    problems.push(...parsed.problems);
    const modelNode = yamlGet(parsed.yaml.doc.contents, 'model');
    // Newer VS Code builds accept a list of models, tried in order; the first one is the one billed.
    model = yamlString(parsed.yaml, modelNode) ?? yamlString(parsed.yaml, yamlItems(modelNode)[0]);
    // VS Code's prompt files have no output cap of their own; Prompt Budget reads these keys
    // (its own, then the OpenAI request names) so a worst-case cost and the max-output check work.
    for (const key of MAX_OUTPUT_KEYS) {
      const declared = yamlMaxOutput(source, parsed.yaml, yamlGet(parsed.yaml.doc.contents, key), key, problems);
      maxOutputTokens ??= declared;
    }
  } else if (split.kind === 'unclosed' && format === 'vscode-prompt') {
    problems.push(problemAt(source, split.open, 'frontmatter-syntax', "Frontmatter is not closed: add a '---' line after it"));
  }

  const segments = splitMarkdownSections(text, bodyStart, text.length);
  return {
    format,
    isChat: false,
    segments,
    bodyRange: { start: bodyStart, end: text.length },
    model,
    maxOutputTokens,
    variables: findVariables([text.slice(bodyStart)]),
    problems,
  };
}
