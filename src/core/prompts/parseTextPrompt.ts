// Plain text: the whole file is the prompt, one segment.
import type { ParsedPrompt } from '../types';
import type { PromptSource } from './promptSource';
import { findVariables } from './variables';

/** Parses a `.txt` prompt: one segment holding the whole text. */
export function parseTextPrompt(source: PromptSource): ParsedPrompt {
  const range = { start: 0, end: source.text.length };
  return {
    format: 'text',
    isChat: false,
    segments: [{ label: 'Prompt', text: source.text, range }],
    bodyRange: range,
    variables: findVariables([source.text]),
    problems: [],
  };
}
