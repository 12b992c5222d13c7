import type { CustomTokenizerId, EstimateTokenizerId, TokenCounter, TokenizerId } from '../types';
import { countPieceTokens, pieceTokenLengths, utf8Bytes } from './bytePairEncoding';
import { PieceTokenCounts } from './pieceCounter';
import { RankTable } from './rankTable';
import { ESTIMATE_PROFILES, isEstimate, type EstimateProfile } from './estimateProfiles';
import { SpecialTokenLiterals } from './specialTokens';
import { VOCABULARIES, type VocabularyId } from './vocabularies';
import { parseVocabularyHeader, type VocabularyHeader } from './vocabularyHeader';
import { describeCustomVocabularyAs, isCustomTokenizer, registerCustomVocabulary, registeredCustomVocabulary } from './customVocabularies';
import { FETCHED_VOCABULARY_IDS, isFetchedVocabulary, PINNED_VOCABULARIES, standInEstimate, type FetchedVocabularyId } from './sources/pinnedVocabularies';

/** The vocabularies the core counts exactly: OpenAI's encodings and the open families' (vocabularies.ts). */
export type EncodingName = VocabularyId;

/**
 * Tokens per o200k_base token of the generic estimate (models with no published tokenizer and no
 * family profile); each family's own ratio and spread are in estimateProfiles.ts.
 */
export const ESTIMATE_FACTOR = ESTIMATE_PROFILES.estimate.perToken / 1000;

/**
 * A counter whose count of a text is `fromUnits` of the sum of `countUnits` over any chunking of
 * it (see chunkText.ts). For exact counters a unit is a token; the estimate scales o200k_base
 * tokens once, at the end, so chunked and whole-text estimates agree to the token.
 */
export interface ChunkableTokenCounter extends TokenCounter {
  countUnits(text: string): number;
  fromUnits(units: number): number;
}

interface LoadedEncoding {
  readonly ranks: RankTable;
  readonly pieces: PieceTokenCounts;
  /** False where a piece that is a token is still merged (tokenizer.json without `ignore_merges`). */
  readonly wholePieceFirst: boolean;
  /** Applied to text before splitting it: NFC (Qwen), ' ' → '▁' (Gemma). */
  readonly normalizer: VocabularyHeader['normalizer'];
  /** SentencePiece-style merges from characters, with byte fallback (Gemma). */
  readonly byteFallback: boolean;
  /** Special-token literals counted as one token each (Hugging Face families); none for OpenAI and tekken. */
  readonly specials: SpecialTokenLiterals | undefined;
}

/** Reads the binary ranks file of an encoding (`<name>.ranks`, written by scripts/buildRanks.mjs). */
export type RanksReader = (name: EncodingName) => Promise<Uint8Array>;

/** The compact form of a vocabulary fetched on demand, from a verified copy on this machine; undefined when there is none. */
export type FetchedRanksReader = (id: FetchedVocabularyId) => Promise<Uint8Array | undefined>;

/** The compact form of a custom vocabulary converted earlier (by this or another process), or undefined. */
export type CustomRanksReader = (id: CustomTokenizerId) => Promise<Uint8Array | undefined>;

/** A vocabulary loaded from a file: a published one, or a custom one a config names. */
type LoadableName = EncodingName | CustomTokenizerId;

// A vocabulary found missing is looked for again after this long, so a long-running host (the
// editor's count worker) sees a file pulled meanwhile without a look per count.
const MISSING_RECHECK_MS = 60_000;

// Per-process caches: an encoding is built once, on first request, and shared by every caller.
const loadedEncodings = new Map<LoadableName, LoadedEncoding>();
const pendingEncodings = new Map<LoadableName, Promise<LoadedEncoding>>();
const counters = new Map<TokenizerId, ChunkableTokenCounter>();
let readRanks: RanksReader = readRanksBesideBundle;
let readFetchedRanks: FetchedRanksReader = readFetchedFromEnvironment;
const fetchedRanks = new Map<FetchedVocabularyId, Uint8Array>();
const missingSince = new Map<FetchedVocabularyId, number>();
let readCustomRanks: CustomRanksReader = readCustomFromCliCache;
const customMissingSince = new Map<CustomTokenizerId, number>();

/** Where ranks come from, for hosts that do not load them from files next to the bundle. */
export function setRanksReader(reader: RanksReader): void {
  readRanks = reader;
}

/** Where verified copies of the vocabularies fetched on demand come from (default: the sources the environment names). */
export function setFetchedRanksReader(reader: FetchedRanksReader): void {
  readFetchedRanks = reader;
  missingSince.clear();
  // What the previous reader found is not necessarily there for this one.
  for (const id of FETCHED_VOCABULARY_IDS) {
    fetchedRanks.delete(id);
    loadedEncodings.delete(id);
    pendingEncodings.delete(id);
    counters.delete(id);
  }
}

/** Where custom vocabularies converted by another process come from (default: the CLI's cache folder). */
export function setCustomRanksReader(reader: CustomRanksReader): void {
  readCustomRanks = reader;
  customMissingSince.clear();
}

/** Looks again, on the next count, for the fetched vocabularies found missing (after a download). */
export function forgetMissingVocabularies(): void {
  missingSince.clear();
}

/**
 * A counter for `tokenizer`, loading its ranks (a few tens of ms) the first time only. A vocabulary
 * fetched on demand with no verified copy on this machine counts as its stand-in estimate (the
 * generic one, or its family's), and says so: its counter is not exact.
 */
export async function loadTokenCounter(tokenizer: TokenizerId): Promise<ChunkableTokenCounter> {
  const ready = counters.get(tokenizer);
  if (ready) return ready;
  if (isFetchedVocabulary(tokenizer) && !(await hasFetchedVocabulary(tokenizer))) return loadTokenCounter(standInEstimate(tokenizer));
  // A custom file that could not be read or converted here counts as the generic estimate, and says so.
  if (isCustomTokenizer(tokenizer) && !(await hasCustomVocabulary(tokenizer))) return loadTokenCounter('estimate');
  const encoding = await loadEncoding(isEstimate(tokenizer) ? 'o200k_base' : tokenizer);
  let counter = counters.get(tokenizer);
  if (!counter) {
    counter = isEstimate(tokenizer) ? new EstimateCounter(tokenizer, encoding, ESTIMATE_PROFILES[tokenizer]) : new EncodingCounter(tokenizer, encoding);
    counters.set(tokenizer, counter);
  }
  return counter;
}

/** False for a vocabulary fetched on demand with no verified copy on this machine (it counts as an estimate). */
export async function isVocabularyPresent(tokenizer: TokenizerId): Promise<boolean> {
  if (isCustomTokenizer(tokenizer)) return hasCustomVocabulary(tokenizer);
  return !isFetchedVocabulary(tokenizer) || (await hasFetchedVocabulary(tokenizer));
}

/** The counter for `tokenizer` if its ranks are already loaded, without loading anything. */
export function getLoadedTokenCounter(tokenizer: TokenizerId): ChunkableTokenCounter | undefined {
  return counters.get(tokenizer);
}

/** True once `tokenizer`'s ranks are in memory (the estimates ride on o200k_base). */
export function isTokenizerLoaded(tokenizer: TokenizerId): boolean {
  return loadedEncodings.has(isEstimate(tokenizer) ? 'o200k_base' : tokenizer);
}

/** Units and their conversion for any counter; counters from elsewhere count in tokens. */
export function asChunkable(counter: TokenCounter): ChunkableTokenCounter {
  if (isChunkable(counter)) return counter;
  return {
    tokenizer: counter.tokenizer,
    exact: counter.exact,
    count: (text) => counter.count(text),
    tokenBoundaries: (text) => counter.tokenBoundaries(text),
    countUnits: (text) => counter.count(text),
    fromUnits: (units) => units,
  };
}

/** Whether a counter counts in units that add up over chunks (see ChunkableTokenCounter). */
export function isChunkable(counter: TokenCounter): counter is ChunkableTokenCounter {
  const candidate = counter as Partial<ChunkableTokenCounter>;
  return typeof candidate.countUnits === 'function' && typeof candidate.fromUnits === 'function';
}

function loadEncoding(name: LoadableName): Promise<LoadedEncoding> {
  let pending = pendingEncodings.get(name);
  if (!pending) {
    pending = buildEncoding(name).then((encoding) => {
      loadedEncodings.set(name, encoding);
      return encoding;
    });
    // A failed load is not cached, so a later request can try again.
    pending.catch(() => pendingEncodings.delete(name));
    pendingEncodings.set(name, pending);
  }
  return pending;
}

/** True once a verified copy of `id` is at hand (read, not yet built, or built). */
async function hasFetchedVocabulary(id: FetchedVocabularyId): Promise<boolean> {
  if (loadedEncodings.has(id) || fetchedRanks.has(id)) return true;
  const ranks = await readUnlessRecentlyMissing(id, missingSince, readFetchedRanks);
  if (ranks) fetchedRanks.set(id, ranks);
  return ranks !== undefined;
}

/** True once the compact form of custom vocabulary `id` is at hand (registered, read from a cache, or built). */
async function hasCustomVocabulary(id: CustomTokenizerId): Promise<boolean> {
  if (loadedEncodings.has(id) || registeredCustomVocabulary(id)) return true;
  const ranks = await readUnlessRecentlyMissing(id, customMissingSince, readCustomRanks);
  if (ranks) registerCustomVocabulary(id, ranks);
  return ranks !== undefined;
}

/** Reads `id` with `read`, unless it was found missing less than MISSING_RECHECK_MS ago (`missingSince` keeps when). */
async function readUnlessRecentlyMissing<Id>(id: Id, missingSince: Map<Id, number>, read: (id: Id) => Promise<Uint8Array | undefined>): Promise<Uint8Array | undefined> {
  const missing = missingSince.get(id);
  if (missing !== undefined && Date.now() - missing < MISSING_RECHECK_MS) return undefined;
  const ranks = await read(id).catch(() => undefined);
  if (ranks) missingSince.delete(id);
  else missingSince.set(id, Date.now());
  return ranks;
}

async function readCustomFromCliCache(id: CustomTokenizerId): Promise<Uint8Array | undefined> {
  const { readConvertedCustomVocabulary } = await import('./sources/customTokenizerFiles');
  const { vocabularySourcesFromEnv } = await import('./sources/vocabularyFiles');
  const { cacheDir } = vocabularySourcesFromEnv(process.env);
  return cacheDir ? readConvertedCustomVocabulary(cacheDir, id) : undefined;
}

/** The sources PROMPT_BUDGET_TOKENIZERS, the Hugging Face cache and the CLI's cache folder name. */
async function readFetchedFromEnvironment(id: FetchedVocabularyId): Promise<Uint8Array | undefined> {
  const { findVocabulary, vocabularySourcesFromEnv } = await import('./sources/vocabularyFiles');
  return (await findVocabulary(PINNED_VOCABULARIES[id], vocabularySourcesFromEnv(process.env)))?.ranks;
}

async function buildEncoding(name: LoadableName): Promise<LoadedEncoding> {
  const stored = isCustomTokenizer(name) ? registeredCustomVocabulary(name) : isFetchedVocabulary(name) ? fetchedRanks.get(name) : undefined;
  if (isCustomTokenizer(name) && !stored) throw new Error(`${name} is not on this machine`);
  const ranks = new RankTable(stored ?? (await readRanks(name as EncodingName)));
  // OpenAI files carry tiktoken's `pat_str`; the open families' carry their tokenizer.json's pre-tokenizer.
  const header = parseVocabularyHeader(ranks.pattern);
  if (isCustomTokenizer(name) && header) describeCustomVocabularyAs(name, customInfoFromHeader(header));
  const wholePieceFirst = header?.ignoreMerges ?? true;
  const byteFallback = header?.byteFallback === true;
  // SentencePiece's ' ' → '▁' is applied piece by piece (its split reads both), only to pieces not yet counted.
  const metaspace = header?.normalizer === 'Metaspace';
  const pieces = new PieceTokenCounts(header?.splits ?? ranks.pattern, (piece) =>
    countPieceTokens(utf8Bytes(metaspace ? piece.replaceAll(' ', '▁') : piece), ranks, wholePieceFirst, byteFallback),
  );
  // OpenAI: no special tokens, a literal `<|endoftext|>` in a prompt is billed as the text it is.
  const specials = header && header.specialTokens.length > 0 ? new SpecialTokenLiterals(header.specialTokens) : undefined;
  return { ranks, pieces, wholePieceFirst, normalizer: header?.normalizer ?? null, byteFallback, specials };
}

/** How a custom vocabulary converted elsewhere is described, from what its header recorded. */
function customInfoFromHeader(header: VocabularyHeader): { label: string; source: string } {
  return { label: header.label ?? 'custom tokenizer', source: `${header.source}, sha256 ${header.sha256.slice(0, 12)}` };
}

/** Reads the vocabulary's file from the folder of the running bundle (dist/). Compiled tests and benches
 * run from out/src/core/tokenize, four levels below the project, and read the build's dist/.
 */
async function readRanksBesideBundle(name: EncodingName): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const file = VOCABULARIES[name].fileName;
  if (!file) throw new Error(`${name} is not shipped`);
  try {
    return await readFile(join(__dirname, file));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    return await readFile(join(__dirname, '..', '..', '..', '..', 'dist', file));
  }
}

/** Tokens of `text` in `encoding`: special-token literals one each, the rest normalised (NFC), split and merged. */
function countEncoded(encoding: LoadedEncoding, text: string): number {
  const { pieces, specials } = encoding;
  const nfc = encoding.normalizer === 'NFC';
  if (!specials) return pieces.count(nfc ? text.normalize('NFC') : text);
  let total = 0;
  specials.forEachPart(text, (start, end, special) => {
    if (special) {
      total += 1;
    } else {
      const part = text.slice(start, end);
      total += pieces.count(nfc ? part.normalize('NFC') : part);
    }
  });
  return total;
}

/** `text` as the vocabulary's normalizer leaves it. */
function normalize(encoding: LoadedEncoding, text: string): string {
  if (encoding.normalizer === 'NFC') return text.normalize('NFC');
  if (encoding.normalizer === 'Metaspace') return text.replaceAll(' ', '▁');
  return text;
}

/** Exact counts for a published vocabulary. */
class EncodingCounter implements ChunkableTokenCounter {
  readonly exact = true;

  constructor(
    readonly tokenizer: EncodingName | CustomTokenizerId,
    private readonly encoding: LoadedEncoding,
  ) {}

  count(text: string): number {
    return countEncoded(this.encoding, text);
  }

  countUnits(text: string): number {
    return countEncoded(this.encoding, text);
  }

  fromUnits(units: number): number {
    return units;
  }

  tokenBoundaries(text: string): number[] {
    return tokenEndOffsets(this.encoding, text);
  }
}

/**
 * Estimates for models without a public tokenizer: o200k_base tokens (and ASCII digits) scaled by
 * the family's profile, rounded once. Its boundaries are o200k_base's, so their number differs
 * from the count.
 */
class EstimateCounter implements ChunkableTokenCounter {
  readonly exact = false;

  constructor(
    readonly tokenizer: EstimateTokenizerId,
    private readonly encoding: LoadedEncoding,
    private readonly profile: EstimateProfile,
  ) {}

  count(text: string): number {
    return this.fromUnits(this.countUnits(text));
  }

  /** Thousandths of a token: integers, so sums over chunks are exact and the rounding happens once. */
  countUnits(text: string): number {
    const { perToken, perDigit } = this.profile;
    const tokens = perToken * this.encoding.pieces.count(text);
    return perDigit === 0 ? tokens : tokens + perDigit * countAsciiDigits(text);
  }

  fromUnits(units: number): number {
    return Math.round(units / 1000);
  }

  tokenBoundaries(text: string): number[] {
    return tokenEndOffsets(this.encoding, text);
  }
}

function countAsciiDigits(text: string): number {
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) digits++;
  }
  return digits;
}

/**
 * End offset (UTF-16, exclusive) of each token of `text`, one per token. A token that ends inside
 * a multi-byte character ends, for display, where that character ends.
 */
function tokenEndOffsets(encoding: LoadedEncoding, text: string): number[] {
  const ends: number[] = [];
  if (!encoding.specials && encoding.normalizer === null) {
    pieceEndOffsets(encoding, text, 0, ends);
    return ends;
  }
  const visit = (start: number, end: number, special: boolean): void => {
    if (special) {
      ends.push(end);
      return;
    }
    const part = text.slice(start, end);
    const normalized = normalize(encoding, part);
    // ' ' → '▁' keeps every UTF-16 offset; the byte lengths walked are the normalised text's.
    if (normalized === part || encoding.normalizer === 'Metaspace') {
      pieceEndOffsets(encoding, normalized, start, ends);
      return;
    }
    // Offsets in the normalised text do not map back one to one: its tokens are spread over the part.
    const tokens = encoding.pieces.count(normalized);
    for (let i = 1; i <= tokens; i++) ends.push(start + Math.round((i * (end - start)) / tokens));
  };
  if (encoding.specials) encoding.specials.forEachPart(text, visit);
  else visit(0, text.length, false);
  return ends;
}

/** Appends the end of each token of `text` (which starts at `base` of the whole) to `ends`. */
function pieceEndOffsets(encoding: LoadedEncoding, text: string, base: number, ends: number[]): void {
  encoding.pieces.forEachPiece(text, (pieceStart, piece) => {
    let offset = pieceStart;
    let bytesBeforeOffset = 0;
    let tokenEnd = 0;
    for (const tokenLength of pieceTokenLengths(utf8Bytes(piece), encoding.ranks, encoding.wholePieceFirst, encoding.byteFallback)) {
      tokenEnd += tokenLength;
      while (bytesBeforeOffset < tokenEnd) {
        const code = text.charCodeAt(offset);
        if (code < 0x80) {
          bytesBeforeOffset += 1;
          offset += 1;
        } else if (code < 0x800) {
          bytesBeforeOffset += 2;
          offset += 1;
        } else if (code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(offset + 1))) {
          bytesBeforeOffset += 4;
          offset += 2;
        } else {
          // Other BMP characters, and lone surrogates (encoded as U+FFFD), take 3 bytes.
          bytesBeforeOffset += 3;
          offset += 1;
        }
      }
      ends.push(base + offset);
    }
  });
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
