import { encodeRanksFile } from './rankTable';
import type { VocabularyHeader } from './vocabularyHeader';

/** Where a converted vocabulary comes from, stored in its header for tooltips and `tokenizers list`. */
export interface VocabularyOrigin {
  /** Repository and commit (or a path) the file was taken from. */
  source: string;
  /** sha256 of the file converted. */
  sha256: string;
  /** Whether special-token literals in prompt text count as one token each (Hugging Face's behaviour). */
  matchSpecialTokens: boolean;
  /** For a custom file a config names: how tooltips call it ('custom tokenizer.json'). */
  label?: string;
}

/** The subset of a Hugging Face tokenizer.json the conversion reads. */
interface TokenizerJson {
  normalizer: { type: string; normalizers?: Array<{ type: string }> } | null;
  pre_tokenizer: { type: string; pretokenizers?: PreTokenizerStep[] } | null;
  model: { type: string; vocab: Record<string, number>; merges?: Array<string | [string, string]>; byte_fallback?: boolean; dropout?: number | null; ignore_merges?: boolean };
  added_tokens: Array<{ id: number; content: string; lstrip?: boolean; rstrip?: boolean; single_word?: boolean }>;
}

interface PreTokenizerStep {
  type: string;
  behavior?: string;
  invert?: boolean;
  pattern?: { Regex?: string };
  add_prefix_space?: boolean;
  use_regex?: boolean;
}

/**
 * The compact ranks file (rankTable.ts) of a byte-level BPE tokenizer.json whose token ids give its
 * merge order ("rank = token id", as in Llama 3, Qwen 3, DeepSeek V3, tekken). Throws, naming what,
 * on anything the counter would not reproduce exactly: another normaliser or pre-tokenizer, byte
 * fallback, a token that is not byte-level, merges whose results are not in id order.
 */
export function tokenizerJsonRanks(json: string | object, origin: VocabularyOrigin, options: { withTable?: boolean } = {}): Uint8Array {
  let tokenizer: TokenizerJson;
  try {
    // Text as read from a file, or already parsed (scripts/buildVocabularies.mjs).
    tokenizer = (typeof json === 'string' ? JSON.parse(json) : json) as TokenizerJson;
  } catch {
    throw new Error('is not JSON');
  }
  if (typeof tokenizer !== 'object' || tokenizer === null || typeof tokenizer.model?.vocab !== 'object' || !Array.isArray(tokenizer.added_tokens)) {
    throw new Error('is not a Hugging Face tokenizer.json (no model.vocab or added_tokens)');
  }
  const header = headerOf(tokenizer, origin);
  const decoder = byteLevelDecoder();
  const added = new Set(tokenizer.added_tokens.map((token) => token.id));
  const tokens: Array<Uint8Array | undefined> = [];
  for (const [entry, id] of Object.entries(tokenizer.model.vocab)) {
    if (added.has(id)) continue;
    const bytes = tokenBytes(entry, decoder);
    if (!bytes) throw new Error(`vocabulary entry ${id} is not byte-level`);
    if (!Number.isInteger(id) || id < 0 || id > 0x7ffffffe) throw new Error(`vocabulary entry ${JSON.stringify(entry)} has id ${id}`);
    tokens[id] = bytes;
  }
  checkMergeOrder(tokenizer);
  return encodeRanksFile(JSON.stringify(header), tokens, { withTable: options.withTable ?? false });
}

/** GPT-2's byte-to-character map that byte-level BPE vocabularies are written in, reversed. */
function byteLevelDecoder(): Map<string, number> {
  const bytes: number[] = [];
  for (let b = 33; b <= 126; b++) bytes.push(b);
  for (let b = 161; b <= 172; b++) bytes.push(b);
  for (let b = 174; b <= 255; b++) bytes.push(b);
  const chars = [...bytes];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    if (!bytes.includes(b)) {
      bytes.push(b);
      chars.push(256 + extra++);
    }
  }
  return new Map(chars.map((char, i) => [String.fromCodePoint(char), bytes[i]]));
}

/** The token bytes of a byte-level vocabulary entry, or undefined if it is not one (a special token). */
function tokenBytes(entry: string, decoder: Map<string, number>): Uint8Array | undefined {
  const out: number[] = [];
  for (const char of entry) {
    const byte = decoder.get(char);
    if (byte === undefined) return undefined;
    out.push(byte);
  }
  return Uint8Array.from(out);
}

/** The header stored in the ranks file: the pre-tokenizer, as tokenizer.json gives it. */
function headerOf(tokenizer: TokenizerJson, origin: VocabularyOrigin): VocabularyHeader {
  const { normalizer, pre_tokenizer: pre, model } = tokenizer;
  const normalizers = normalizer === null || normalizer === undefined ? [] : normalizer.type === 'Sequence' ? (normalizer.normalizers ?? []) : [normalizer];
  if (normalizers.some((n) => n.type !== 'NFC')) throw new Error(`unsupported normalizer ${JSON.stringify(normalizer)}`);
  if (!pre || pre.type !== 'Sequence' || !pre.pretokenizers) throw new Error(`unsupported pre-tokenizer ${pre ? pre.type : 'null'}`);
  const splits: string[] = [];
  for (const step of pre.pretokenizers) {
    if (step.type === 'Split') {
      if (step.behavior !== 'Isolated' || step.invert || !step.pattern?.Regex) throw new Error(`unsupported split ${JSON.stringify(step)}`);
      splits.push(step.pattern.Regex);
    } else if (step.type !== 'ByteLevel' || step.add_prefix_space || step.use_regex) {
      throw new Error(`unsupported pre-tokenizer step ${JSON.stringify(step)}`);
    }
  }
  if (splits.length === 0) throw new Error('no Split pattern in the pre-tokenizer');
  if (model.type !== 'BPE' || model.byte_fallback || model.dropout) throw new Error(`unsupported model ${model.type}${model.byte_fallback ? ' with byte fallback' : ''}`);
  for (const added of tokenizer.added_tokens) {
    if (added.lstrip || added.rstrip || added.single_word || /\s/u.test(added.content)) throw new Error(`unsupported added token ${JSON.stringify(added.content)}`);
  }
  return {
    source: origin.source,
    sha256: origin.sha256,
    normalizer: normalizers.length > 0 ? 'NFC' : null,
    splits,
    ignoreMerges: model.ignore_merges === true,
    specialTokens: origin.matchSpecialTokens ? tokenizer.added_tokens.map((added) => added.content) : [],
    ...(origin.label ? { label: origin.label } : {}),
  };
}

/**
 * Counting merges the pair whose joined bytes have the lowest id; that is the tokenizer's own merge
 * order only where each merge's result has a higher id than the merge before. A vocabulary trained
 * otherwise is refused rather than counted differently.
 */
function checkMergeOrder(tokenizer: TokenizerJson): void {
  const { vocab, merges } = tokenizer.model;
  if (!Array.isArray(merges)) throw new Error('model.merges is missing');
  let previous = -1;
  for (let i = 0; i < merges.length; i++) {
    const merge = merges[i];
    const [left, right] = typeof merge === 'string' ? splitMerge(merge) : merge;
    const id = vocab[`${left}${right}`];
    if (id === undefined) throw new Error(`merge ${i + 1} (${JSON.stringify(merge)}) makes no vocabulary entry`);
    if (id <= previous) throw new Error(`merge ${i + 1} makes id ${id} after id ${previous}: token ids are not the merge order, so this vocabulary cannot be counted by rank`);
    previous = id;
  }
}

function splitMerge(merge: string): [string, string] {
  const space = merge.indexOf(' ', 1);
  return space < 0 ? [merge, ''] : [merge.slice(0, space), merge.slice(space + 1)];
}
