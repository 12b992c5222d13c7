import { encodeRanksFile } from './rankTable';
import type { VocabularyOrigin } from './tokenizerJsonRanks';
import type { VocabularyHeader } from './vocabularyHeader';

/** What a tiktoken ranks file does not say itself: how text is split, and which literals are special. */
export interface TiktokenConventions {
  /** The pre-tokenizer pattern (`pat_str`, Rust regex syntax). */
  pattern: string;
  /** Literals counted as one token each where `origin.matchSpecialTokens`. */
  specialTokens: readonly string[];
}

/**
 * The compact ranks file of a tiktoken ranks file (`<base64 token> <rank>` per line: OpenAI's
 * `.tiktoken`, Kimi K2's `tiktoken.model`). tiktoken looks a whole piece up before merging, so the
 * header says `ignoreMerges`. Throws, with the line, on a malformed one.
 */
export function tiktokenRanks(text: string, conventions: TiktokenConventions, origin: VocabularyOrigin, options: { withTable?: boolean } = {}): Uint8Array {
  const tokens: Array<Uint8Array | undefined> = [];
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line.trim() === '') continue;
    const match = /^([A-Za-z0-9+/]+={0,2}) (\d{1,10})\r?$/.exec(line);
    if (!match) throw new Error(`line ${lineNumber} is not "<base64 token> <rank>"`);
    const rank = Number(match[2]);
    if (rank > 0x7ffffffe) throw new Error(`line ${lineNumber}: rank ${rank} is too large`);
    if (tokens[rank]) throw new Error(`line ${lineNumber}: rank ${rank} appears twice`);
    const bytes = Uint8Array.from(Buffer.from(match[1], 'base64'));
    if (bytes.length === 0) throw new Error(`line ${lineNumber}: an empty token`);
    tokens[rank] = bytes;
  }
  if (tokens.length === 0) throw new Error('has no tokens');
  const header: VocabularyHeader = {
    source: origin.source,
    sha256: origin.sha256,
    normalizer: null,
    splits: [conventions.pattern],
    ignoreMerges: true,
    specialTokens: origin.matchSpecialTokens ? [...conventions.specialTokens] : [],
    ...(origin.label ? { label: origin.label } : {}),
  };
  return encodeRanksFile(JSON.stringify(header), tokens, { withTable: options.withTable ?? false });
}

/** The subset of Mistral's tekken.json the conversion reads. */
interface TekkenJson {
  config: { pattern: string; default_vocab_size: number; default_num_special_tokens?: number };
  vocab: Array<{ rank: number; token_bytes: string }>;
  special_tokens?: unknown[];
}

/**
 * The compact ranks file of Mistral's native tekken.json: its rank table cut to the vocabulary size
 * in use (mistral-common's Tekkenizer), its pattern, and no special-token matching (Mistral's
 * tokenizer treats `[INST]` in text as text).
 */
export function tekkenRanks(text: string, origin: VocabularyOrigin, options: { withTable?: boolean } = {}): Uint8Array {
  let tekken: TekkenJson;
  try {
    tekken = JSON.parse(text) as TekkenJson;
  } catch {
    throw new Error('is not JSON');
  }
  const config = tekken?.config;
  if (typeof config?.pattern !== 'string' || !Number.isInteger(config.default_vocab_size) || !Array.isArray(tekken.vocab)) {
    throw new Error('is not a tekken.json (no config.pattern, config.default_vocab_size or vocab)');
  }
  const specials = config.default_num_special_tokens ?? tekken.special_tokens?.length ?? 0;
  const inner = config.default_vocab_size - specials;
  if (!Number.isInteger(inner) || inner <= 0 || inner > tekken.vocab.length) throw new Error(`vocabulary size ${config.default_vocab_size} does not fit ${tekken.vocab.length} tokens and ${specials} special ones`);
  const lines = tekken.vocab.slice(0, inner).map((entry, i) => {
    if (entry.rank !== i || typeof entry.token_bytes !== 'string') throw new Error(`vocab entry ${i} is not rank ${i} with token_bytes`);
    return `${entry.token_bytes} ${entry.rank}`;
  });
  return tiktokenRanks(lines.join('\n'), { pattern: config.pattern, specialTokens: [] }, { ...origin, matchSpecialTokens: false }, options);
}
