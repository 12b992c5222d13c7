// Entry point: any supported prompt file -> ParsedPrompt.
import type { ParsedPrompt, PromptFormat } from '../types';
import { detectPromptFormat } from './detectPromptFormat';
import { splitFrontmatter } from './frontmatter';
import { parseChatJson } from './parseChatJson';
import { parseGithubPrompt } from './parseGithubPrompt';
import { parseMarkdownPrompt } from './parseMarkdownPrompt';
import { parsePrompty } from './parsePrompty';
import { parseTextPrompt } from './parseTextPrompt';
import { createPromptSource, type PromptSource } from './promptSource';

/**
 * Parses a prompt file into segments with ranges, declared model and max output, variables and
 * problems. `format` defaults to the detected one, else plain text. Never throws.
 *
 * `text` is the file's text with its one BOM dropped (VS Code drops it, and so does decodePromptText):
 * a U+FEFF still at its start is part of the prompt, as a second BOM is sent to the model.
 */
export function parsePrompt(fileName: string, text: string, format?: PromptFormat): ParsedPrompt {
  const source = createPromptSource(fileName, text);
  const resolved = format ?? detectPromptFormat(fileName, source.text) ?? 'text';
  try {
    return parseAs(source, resolved);
  } catch (error) {
    // A bug in a format parser should cost the user a segmented view, not the count.
    const parsed = { ...parseTextPrompt(source), format: resolved };
    const message = error instanceof Error ? error.message : String(error);
    parsed.problems.push({
      file: fileName,
      line: 1,
      column: 1,
      severity: 'error',
      rule: 'parse-failure',
      message: `Could not parse as ${resolved}: ${message.split('\n', 1)[0]}`,
    });
    return parsed;
  }
}

/** Files up to this long are parsed whole by `parsePromptHead`. */
const HEAD_PARSE_WHOLE_CHARS = 64 * 1024;

/**
 * The model and max output a prompt file declares, read at a cost that does not grow with the
 * file: Markdown, `.prompt.md` and Prompty files declare them in frontmatter, so a long one is
 * parsed only up to the end of it. Undefined for a long file of another format (parse it whole).
 */
export function parsePromptHead(fileName: string, text: string): Pick<ParsedPrompt, 'model' | 'maxOutputTokens'> | undefined {
  if (text.length <= HEAD_PARSE_WHOLE_CHARS) return parsePrompt(fileName, text);
  const format = detectPromptFormat(fileName);
  if (format !== 'markdown' && format !== 'vscode-prompt' && format !== 'prompty') return undefined;
  const split = splitFrontmatter(text);
  // No frontmatter, or one never closed: nothing is declared (parsePrompt reads none either).
  if (split.kind !== 'closed') return {};
  return parsePrompt(fileName, text.slice(0, split.bodyStart), format);
}

function parseAs(source: PromptSource, format: PromptFormat): ParsedPrompt {
  switch (format) {
    case 'text':
      return parseTextPrompt(source);
    case 'markdown':
    case 'vscode-prompt':
      return parseMarkdownPrompt(source, format);
    case 'prompty':
      return parsePrompty(source);
    case 'github-prompt':
      return parseGithubPrompt(source);
    case 'chat-json':
      return parseChatJson(source);
  }
}
