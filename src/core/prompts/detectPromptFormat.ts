// Which prompt format a file is, by its name (and, for `.json`, by its content).
import type { PromptFormat } from '../types';
import { parseJsonWithRanges } from './jsonWithRanges';
import { chatMessagesNode } from './parseChatJson';

/**
 * The prompt format of `fileName`, or undefined if it is not a prompt file. A `.json` file is a
 * prompt only when `text` is given and chat-shaped; while it is malformed (mid-edit), a `"role":`
 * key is taken as the sign of a chat file so its syntax errors are still reported.
 */
export function detectPromptFormat(fileName: string, text?: string): PromptFormat | undefined {
  const name = fileName.toLowerCase();
  if (name.endsWith('.prompt.md')) return 'vscode-prompt';
  if (name.endsWith('.prompty')) return 'prompty';
  if (name.endsWith('.prompt.yml') || name.endsWith('.prompt.yaml')) return 'github-prompt';
  if (name.endsWith('.md') || name.endsWith('.markdown')) return 'markdown';
  if (name.endsWith('.txt')) return 'text';
  if (name.endsWith('.json') && text !== undefined) return isChatJson(text) ? 'chat-json' : undefined;
  return undefined;
}

function isChatJson(text: string): boolean {
  const parsed = parseJsonWithRanges(text);
  if (!parsed.ok) return /"role"\s*:/.test(text);
  return chatMessagesNode(parsed.root) !== undefined;
}
