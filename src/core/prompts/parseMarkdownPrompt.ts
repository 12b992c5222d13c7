// Markdown and VS Code `.prompt.md`: optional YAML frontmatter, then a Markdown body split at headings.
import type { DeclaredValue, ParsedPrompt, Problem } from '../types';
import { splitFrontmatter } from './frontmatter';
import { splitMarkdownSections } from './markdownSections';
import { problemAt, type PromptSource } from './promptSource';
import { findVariables } from './variables';
import { parseYaml, yamlGet, yamlItems, yamlString } from './yamlSource';

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

  const split = splitFrontmatter(text);
  if (split.kind === 'closed') {
    bodyStart = split.bodyStart;
    const parsed = parseYaml(source, split.yaml, 'frontmatter-syntax');
    problems.push(...parsed.problems);
    const modelNode = yamlGet(parsed.yaml.doc.contents, 'model');
    // Newer VS Code builds accept a list of models, tried in order; the first one is the one billed.
    model = yamlString(parsed.yaml, modelNode) ?? yamlString(parsed.yaml, yamlItems(modelNode)[0]);
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
    variables: findVariables([text.slice(bodyStart)]),
    problems,
  };
}
