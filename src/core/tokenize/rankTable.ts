/** Rank of a byte span that is no token. */
export const NO_RANK = 0x7fffffff;

const MAGIC = 'PBR1';

/**
 * An encoding's token ranks, read from its binary ranks file (written at build time by
 * scripts/buildRanks.mjs through `encodeRanksFile`): the tokens' bytes in rank order and an
 * open-addressing hash table over them, both used in place, so loading builds no map of 200,000
 * strings and takes a few milliseconds. Spans are looked up in a byte buffer, no string per lookup.
 */
export class RankTable {
  /** The encoding's pre-tokenizer regex (`pat_str`). */
  readonly pattern: string;
  /** Longest token, in bytes: longer spans are never looked up. */
  readonly maxTokenLength: number;
  private readonly tokenBytes: Uint8Array;
  private readonly tokenStart: Int32Array;
  private readonly tokenLength: Uint8Array;
  // Slot -> rank + 1 (0: empty), at most half full so probe runs stay short.
  private readonly slots: Int32Array;
  private readonly slotMask: number;
  // Ranks of the one- and two-byte tokens, indexed by their bytes: every merge starts from these.
  private readonly singleRank = new Int32Array(256).fill(NO_RANK);
  private readonly pairRank = new Int32Array(65536).fill(NO_RANK);

  /** Reads a ranks file; throws on one that is not in the expected format. */
  constructor(file: Uint8Array) {
    const layout = readLayout(file);
    this.pattern = layout.pattern;
    this.tokenLength = layout.lengths;
    this.tokenBytes = layout.bytes;
    this.tokenStart = new Int32Array(layout.lengths.length);
    const { end, maxLength } = indexTokens(this.tokenBytes, this.tokenLength, this.tokenStart, this.singleRank, this.pairRank);
    if (end !== this.tokenBytes.length) throw new Error('ranks file is truncated or has extra bytes');
    this.maxTokenLength = maxLength;
    // A file written without its table (half the size) gets it built here, in a few milliseconds.
    this.slots = layout.slots.length > 0 ? layout.slots : buildSlots(this.tokenBytes, this.tokenLength, this.tokenStart);
    this.slotMask = this.slots.length - 1;
  }

  /** Rank of the token whose bytes are `bytes[start..end)`, or NO_RANK. */
  rankOf(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length === 1) return this.singleRank[bytes[start]];
    if (length === 2) return this.pairRank[(bytes[start] << 8) | bytes[start + 1]];
    if (length > this.maxTokenLength || length <= 0) return NO_RANK;
    return this.rankOfHashed(bytes, start, end, hashSpan(bytes, start, end));
  }

  /** `rankOf` for a span whose `hashSpan` is known. */
  rankOfHashed(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    if (length > this.maxTokenLength) return NO_RANK;
    const tokenBytes = this.tokenBytes;
    for (let slot = mix(hash) & this.slotMask; ; slot = (slot + 1) & this.slotMask) {
      const entry = this.slots[slot];
      if (entry === 0) return NO_RANK;
      const rank = entry - 1;
      if (this.tokenLength[rank] !== length) continue;
      let at = this.tokenStart[rank];
      let i = start;
      while (i < end && tokenBytes[at] === bytes[i]) {
        at++;
        i++;
      }
      if (i === end) return rank;
    }
  }
}

/**
 * The ranks file for `tokens` (the bytes of the token of each rank; a hole where no token has
 * that rank). Little-endian layout, 4-byte aligned so the table is read without copying:
 *   "PBR1", u32 patternLength, pattern (UTF-8), padding to 4,
 *   u32 tokenCount, u32 slotCount, i32 slot[slotCount] (rank + 1, 0 empty; slotCount 0: built on load),
 *   u8 length[tokenCount], the tokens' bytes in rank order.
 */
export function encodeRanksFile(pattern: string, tokens: ReadonlyArray<Uint8Array | undefined>, options: { withTable?: boolean } = {}): Uint8Array {
  const patternBytes = new TextEncoder().encode(pattern);
  let byteCount = 0;
  for (let rank = 0; rank < tokens.length; rank++) {
    const token = tokens[rank];
    if (token && token.length > 255) throw new Error(`token ${rank} is ${token.length} bytes: the format holds at most 255`);
    byteCount += token?.length ?? 0;
  }
  // Without the table (slotCount 0) the reader builds it: a smaller file, a few ms more to load.
  const slots = options.withTable === false ? new Int32Array(0) : buildSlots(tokens);
  const slotCount = slots.length;
  const tableStart = align4(8 + patternBytes.length) + 8;
  const lengthsStart = tableStart + slotCount * 4;
  const file = new Uint8Array(lengthsStart + tokens.length + byteCount);
  const view = new DataView(file.buffer);
  for (let i = 0; i < 4; i++) file[i] = MAGIC.charCodeAt(i);
  view.setUint32(4, patternBytes.length, true);
  file.set(patternBytes, 8);
  view.setUint32(tableStart - 8, tokens.length, true);
  view.setUint32(tableStart - 4, slotCount, true);
  for (let slot = 0; slot < slotCount; slot++) view.setInt32(tableStart + slot * 4, slots[slot], true);
  let at = lengthsStart + tokens.length;
  for (let rank = 0; rank < tokens.length; rank++) {
    const token = tokens[rank];
    file[lengthsStart + rank] = token?.length ?? 0;
    if (token) {
      file.set(token, at);
      at += token.length;
    }
  }
  return file;
}

/** The same ranks file with its hash table written in (a file without one loads tens of ms slower). */
export function withHashTable(file: Uint8Array): Uint8Array {
  const { pattern, lengths, bytes } = readLayout(file);
  const tokens: Array<Uint8Array | undefined> = [];
  let at = 0;
  for (let rank = 0; rank < lengths.length; rank++) {
    tokens.push(lengths[rank] > 0 ? bytes.subarray(at, at + lengths[rank]) : undefined);
    at += lengths[rank];
  }
  return encodeRanksFile(pattern, tokens);
}

function readLayout(file: Uint8Array): { pattern: string; slots: Int32Array; lengths: Uint8Array; bytes: Uint8Array } {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const fail = (): never => {
    throw new Error('not a Prompt Budget ranks file');
  };
  if (file.byteLength < 16 || String.fromCharCode(file[0], file[1], file[2], file[3]) !== MAGIC) fail();
  const patternLength = view.getUint32(4, true);
  const tableStart = align4(8 + patternLength) + 8;
  if (tableStart > file.byteLength) fail();
  const tokenCount = view.getUint32(tableStart - 8, true);
  const slotCount = view.getUint32(tableStart - 4, true);
  const lengthsStart = tableStart + slotCount * 4;
  if ((slotCount & (slotCount - 1)) !== 0 || (slotCount !== 0 && slotCount < tokenCount) || lengthsStart + tokenCount > file.byteLength) fail();
  // The table is used in place when the file's bytes are 4-byte aligned (Node's file buffers are),
  // and assumes a little-endian machine, as every platform VS Code runs on is.
  const aligned = (file.byteOffset + tableStart) % 4 === 0;
  const slots = aligned
    ? new Int32Array(file.buffer, file.byteOffset + tableStart, slotCount)
    : new Int32Array(file.slice(tableStart, lengthsStart).buffer);
  return {
    pattern: new TextDecoder().decode(file.subarray(8, 8 + patternLength)),
    slots,
    lengths: file.subarray(lengthsStart, lengthsStart + tokenCount),
    bytes: file.subarray(lengthsStart + tokenCount),
  };
}

/**
 * The hash table over the tokens: slot -> rank + 1 (0 empty), at least twice as many slots as
 * tokens. Takes the tokens as byte arrays (when writing a file) or as one buffer with starts and
 * lengths (when a file came without its table).
 */
function buildSlots(tokens: ReadonlyArray<Uint8Array | undefined>): Int32Array;
function buildSlots(bytes: Uint8Array, lengths: Uint8Array, starts: Int32Array): Int32Array;
function buildSlots(tokensOrBytes: ReadonlyArray<Uint8Array | undefined> | Uint8Array, lengths?: Uint8Array, starts?: Int32Array): Int32Array {
  const count = lengths ? lengths.length : tokensOrBytes.length;
  let slotCount = 1;
  while (slotCount < count * 2) slotCount *= 2;
  const mask = slotCount - 1;
  const slots = new Int32Array(slotCount);
  for (let rank = 0; rank < count; rank++) {
    let hash: number;
    if (lengths && starts) {
      if (lengths[rank] === 0) continue;
      hash = hashSpan(tokensOrBytes as Uint8Array, starts[rank], starts[rank] + lengths[rank]);
    } else {
      const token = (tokensOrBytes as ReadonlyArray<Uint8Array | undefined>)[rank];
      if (!token) continue;
      hash = hashSpan(token, 0, token.length);
    }
    let slot = mix(hash) & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = rank + 1;
  }
  return slots;
}

/** Each token's start (a running sum of lengths) and the direct one- and two-byte tables. */
function indexTokens(bytes: Uint8Array, lengths: Uint8Array, starts: Int32Array, singleRank: Int32Array, pairRank: Int32Array): { end: number; maxLength: number } {
  let start = 0;
  let maxLength = 0;
  for (let rank = 0; rank < lengths.length; rank++) {
    const length = lengths[rank];
    starts[rank] = start;
    if (length === 1) singleRank[bytes[start]] = rank;
    else if (length === 2) pairRank[(bytes[start] << 8) | bytes[start + 1]] = rank;
    if (length > maxLength) maxLength = length;
    start += length;
  }
  return { end: start, maxLength };
}

function align4(offset: number): number {
  return (offset + 3) & ~3;
}

const HASH_MULTIPLIER = 0x01000193;
const multiplierPowers = new Int32Array(257);
multiplierPowers[0] = 1;
for (let i = 1; i < multiplierPowers.length; i++) multiplierPowers[i] = Math.imul(multiplierPowers[i - 1], HASH_MULTIPLIER);

/**
 * A polynomial hash of a byte span (mod 2^32). The hash of two spans joined is
 * `joinHashes(left, right, right's length)`, so a merge looks its result up without re-reading it.
 */
export function hashSpan(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0;
  for (let i = start; i < end; i++) hash = (Math.imul(hash, HASH_MULTIPLIER) + bytes[i] + 1) | 0;
  return hash;
}

/** The hash of span A followed by span B, from their hashes (B at most 256 bytes long). */
export function joinHashes(left: number, right: number, rightLength: number): number {
  return (Math.imul(left, multiplierPowers[rightLength]) + right) | 0;
}

/** Spreads a hash's high bits into the low ones the table indexes by. */
function mix(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  return hash ^ (hash >>> 13);
}
