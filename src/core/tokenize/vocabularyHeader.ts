/**
 * How to pre-tokenize for a vocabulary converted from a Hugging Face tokenizer.json, as
 * scripts/buildVocabularies.mjs stores it in the ranks file's pattern field.
 */
export interface VocabularyHeader {
  /** Where the vocabulary comes from (repository and commit) and the sha256 of that tokenizer.json. */
  source: string;
  sha256: string;
  /** Applied to text (outside special tokens) before splitting: Unicode NFC, or every ' ' replaced by '▁' (SentencePiece). */
  normalizer: 'NFC' | 'Metaspace' | null;
  /** The Split patterns in order (Rust regex syntax); the last one is the main pattern. */
  splits: string[];
  /** A piece that is a token is one token, without merging (tokenizer.json `ignore_merges`). */
  ignoreMerges: boolean;
  /** Literals matched as single tokens before anything else; empty where the family never matches them. */
  specialTokens: string[];
  /**
   * SentencePiece-style BPE: merges start from characters, not bytes, and a character that is no
   * piece counts as one token per UTF-8 byte (`<0xNN>`). Ranks are then the order of first merges.
   */
  byteFallback?: boolean;
  /** For a custom vocabulary a config names: what kind of file it was ('custom tokenizer.json'). */
  label?: string;
}

/** The header of a vocabulary's ranks file, or undefined for a plain OpenAI `pat_str`; throws on a malformed one. */
export function parseVocabularyHeader(pattern: string): VocabularyHeader | undefined {
  if (!pattern.startsWith('{')) return undefined;
  const value: unknown = JSON.parse(pattern);
  const header = value as Partial<VocabularyHeader>;
  const isStrings = (list: unknown): list is string[] => Array.isArray(list) && list.every((item) => typeof item === 'string');
  if (
    typeof header.source !== 'string' ||
    typeof header.sha256 !== 'string' ||
    (header.normalizer !== null && header.normalizer !== 'NFC' && header.normalizer !== 'Metaspace') ||
    !isStrings(header.splits) ||
    header.splits.length === 0 ||
    typeof header.ignoreMerges !== 'boolean' ||
    !isStrings(header.specialTokens) ||
    (header.byteFallback !== undefined && typeof header.byteFallback !== 'boolean') ||
    (header.label !== undefined && typeof header.label !== 'string')
  ) {
    throw new Error('not a Prompt Budget vocabulary header');
  }
  return header as VocabularyHeader;
}
