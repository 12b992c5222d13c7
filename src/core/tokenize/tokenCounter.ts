import type { TokenCounter, TokenizerId } from '../types';
import { countPieceTokens, pieceTokenLengths, utf8Bytes } from './bytePairEncoding';
import { PieceTokenCounts } from './pieceCounter';
import { RankTable } from './rankTable';

/** The OpenAI encodings the core counts exactly. */
export type EncodingName = Exclude<TokenizerId, 'estimate'>;

/**
 * Tokens per o200k_base token for models without a public tokenizer (Claude 3+, Gemini, others).
 * Published side-by-side counts put Claude 3.x–4 at about 1.16x GPT-4o's count for English prose,
 * 1.2x for maths and 1.3x for Python; Gemini's 256k-entry vocabulary comes out close to o200k_base.
 * 1.2 keeps Claude within about ±10% and errs high (about +10–20%) for Gemini, which is the safe
 * side for a budget check.
 */
export const ESTIMATE_FACTOR = 1.2;

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
}

/** Reads the binary ranks file of an encoding (`<name>.ranks`, written by scripts/buildRanks.mjs). */
export type RanksReader = (name: EncodingName) => Promise<Uint8Array>;

// Per-process caches: an encoding is built once, on first request, and shared by every caller.
const loadedEncodings = new Map<EncodingName, LoadedEncoding>();
const pendingEncodings = new Map<EncodingName, Promise<LoadedEncoding>>();
const counters = new Map<TokenizerId, ChunkableTokenCounter>();
let readRanks: RanksReader = readRanksBesideBundle;

/** Where ranks come from, for hosts that do not load them from files next to the bundle. */
export function setRanksReader(reader: RanksReader): void {
  readRanks = reader;
}

/** A counter for `tokenizer`, loading its ranks (a few tens of ms) the first time only. */
export async function loadTokenCounter(tokenizer: TokenizerId): Promise<ChunkableTokenCounter> {
  const ready = counters.get(tokenizer);
  if (ready) return ready;
  const encoding = await loadEncoding(tokenizer === 'estimate' ? 'o200k_base' : tokenizer);
  let counter = counters.get(tokenizer);
  if (!counter) {
    counter = tokenizer === 'estimate' ? new EstimateCounter(encoding) : new EncodingCounter(tokenizer, encoding);
    counters.set(tokenizer, counter);
  }
  return counter;
}

/** The counter for `tokenizer` if its ranks are already loaded, without loading anything. */
export function getLoadedTokenCounter(tokenizer: TokenizerId): ChunkableTokenCounter | undefined {
  return counters.get(tokenizer);
}

/** True once `tokenizer`'s ranks are in memory ('estimate' rides on o200k_base). */
export function isTokenizerLoaded(tokenizer: TokenizerId): boolean {
  return loadedEncodings.has(tokenizer === 'estimate' ? 'o200k_base' : tokenizer);
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

function loadEncoding(name: EncodingName): Promise<LoadedEncoding> {
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

async function buildEncoding(name: EncodingName): Promise<LoadedEncoding> {
  const ranks = new RankTable(await readRanks(name));
  // No special tokens: a literal `<|endoftext|>` in a prompt is billed as the text it is.
  return { ranks, pieces: new PieceTokenCounts(ranks.pattern, (piece) => countPieceTokens(utf8Bytes(piece), ranks)) };
}

/**
 * Reads `<name>.ranks` from the folder of the running bundle (dist/). Compiled tests and benches
 * run from out/src/core/tokenize, four levels below the project, and read the build's dist/.
 */
async function readRanksBesideBundle(name: EncodingName): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const file = `${name}.ranks`;
  try {
    return await readFile(join(__dirname, file));
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    return await readFile(join(__dirname, '..', '..', '..', '..', 'dist', file));
  }
}

/** Exact counts for an OpenAI encoding. */
class EncodingCounter implements ChunkableTokenCounter {
  readonly exact = true;

  constructor(
    readonly tokenizer: EncodingName,
    private readonly encoding: LoadedEncoding,
  ) {}

  count(text: string): number {
    return this.encoding.pieces.count(text);
  }

  countUnits(text: string): number {
    return this.encoding.pieces.count(text);
  }

  fromUnits(units: number): number {
    return units;
  }

  tokenBoundaries(text: string): number[] {
    return tokenEndOffsets(this.encoding, text);
  }
}

/**
 * Estimates for models without a public tokenizer: o200k_base tokens times ESTIMATE_FACTOR,
 * rounded. Its boundaries are o200k_base's, so there are fewer of them than counted tokens.
 */
class EstimateCounter implements ChunkableTokenCounter {
  readonly tokenizer = 'estimate';
  readonly exact = false;

  constructor(private readonly encoding: LoadedEncoding) {}

  count(text: string): number {
    return this.fromUnits(this.encoding.pieces.count(text));
  }

  countUnits(text: string): number {
    return this.encoding.pieces.count(text);
  }

  fromUnits(units: number): number {
    return Math.round(units * ESTIMATE_FACTOR);
  }

  tokenBoundaries(text: string): number[] {
    return tokenEndOffsets(this.encoding, text);
  }
}

/**
 * End offset (UTF-16, exclusive) of each token of `text`, one per token. A token that ends inside
 * a multi-byte character ends, for display, where that character ends.
 */
function tokenEndOffsets(encoding: LoadedEncoding, text: string): number[] {
  const ends: number[] = [];
  encoding.pieces.forEachPiece(text, (pieceStart, piece) => {
    let offset = pieceStart;
    let bytesBeforeOffset = 0;
    let tokenEnd = 0;
    for (const tokenLength of pieceTokenLengths(utf8Bytes(piece), encoding.ranks)) {
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
      ends.push(offset);
    }
  });
  return ends;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
