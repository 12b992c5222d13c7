// Messages between the extension host and the count worker. No `vscode` import: the worker bundles this.
import type { TextChange } from '../core/livePromptCount';
import type { ParsedPrompt, PromptCount, TokenizerId } from '../core/types';

export type CountRequest =
  | { kind: 'open'; uri: string; version: number; fileName: string; text: string; tokenizer: TokenizerId }
  | { kind: 'change'; uri: string; version: number; changes: TextChange[] }
  | { kind: 'tokenizer'; uri: string; version: number; tokenizer: TokenizerId }
  | { kind: 'close'; uri: string }
  | { kind: 'boundaries'; id: number; tokenizer: TokenizerId; text: string }
  | { kind: 'countText'; id: number; fileName: string; text: string; tokenizers: TokenizerId[] };

export type CountResponse =
  | { kind: 'counted'; uri: string; version: number; parsed: ParsedPrompt; count: PromptCount; elapsedMs: number }
  | { kind: 'failed'; uri: string; version: number; message: string }
  | { kind: 'reply'; id: number; boundaries?: number[]; counts?: { parsed: ParsedPrompt; byTokenizer: Partial<Record<TokenizerId, PromptCount>> }; error?: string };
