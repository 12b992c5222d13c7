import { tekkenRanks, tiktokenRanks, type TiktokenConventions } from './tiktokenRanks';
import { tokenizerJsonRanks, type VocabularyOrigin } from './tokenizerJsonRanks';
import { sentencePieceVocabularyFromTokenizerJson } from './sentencePieceVocabulary';

/** The forms of vocabulary file Prompt Budget converts. */
export type VocabularyFormat = 'tokenizer.json' | 'tekken.json' | 'tiktoken';

/** Which form `text` is in, from its first characters: tekken.json and tokenizer.json are JSON, tiktoken files are not. */
export function vocabularyFormatOf(text: string): VocabularyFormat {
  const head = text.slice(0, 4096);
  if (!head.trimStart().startsWith('{')) return 'tiktoken';
  return /"default_vocab_size"\s*:/.test(head) || /^\s*\{\s*"config"/.test(head) ? 'tekken.json' : 'tokenizer.json';
}

/**
 * The compact ranks file of a vocabulary file in any supported form: a Hugging Face tokenizer.json
 * (byte-level BPE), Mistral's tekken.json or a tiktoken ranks file (which needs `tiktoken`, its
 * pattern and special tokens). Throws with the reason on a file it cannot count exactly.
 */
export function convertVocabulary(text: string, origin: VocabularyOrigin, tiktoken?: TiktokenConventions): Uint8Array {
  const format = vocabularyFormatOf(text);
  if (format === 'tekken.json') return tekkenRanks(text, origin, { withTable: true });
  if (format === 'tokenizer.json') {
    const json = parseJson(text);
    // Gemma's SentencePiece-style BPE (byte fallback, spaces as '▁') has its own engine; byte-level BPE the other.
    return isSentencePieceStyle(json) ? sentencePieceVocabularyFromTokenizerJson(json, origin) : tokenizerJsonRanks(json, origin, { withTable: true });
  }
  if (!tiktoken) throw new Error('is a tiktoken ranks file, which does not carry its pre-tokenizer pattern; only the pinned families (Kimi K2) are known');
  return tiktokenRanks(text, tiktoken, origin, { withTable: true });
}

function parseJson(text: string): object {
  try {
    return JSON.parse(text) as object;
  } catch (error) {
    throw new Error(`tokenizer.json is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A tokenizer.json whose BPE model falls back to bytes: SentencePiece-style (Gemma), not byte-level. */
function isSentencePieceStyle(json: object): boolean {
  const model = (json as { model?: { byte_fallback?: unknown } }).model;
  return model?.byte_fallback === true;
}
