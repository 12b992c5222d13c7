/** Rank of a byte span that is no token. */
export const NO_RANK = 0x7fffffff;

/**
 * An encoding's token ranks, read from its binary ranks file (scripts/buildRanks.mjs): token
 * bytes in rank order plus an open-addressing hash table over them, built in a few milliseconds.
 * Spans are looked up in place, in a byte buffer, so no string is made per lookup.
 */
export class RankTable {
  /** The encoding's pre-tokenizer regex (`pat_str`). */
  readonly pattern: string;
  /** Longest token, in bytes: longer spans are never looked up. */
  readonly maxTokenLength: number;
  private readonly tokenBytes: Uint8Array;
  private readonly tokenStart: Int32Array;
  private readonly tokenLength: Uint8Array;
  // Slot -> rank + 1 (0: empty). Twice as many slots as tokens keeps probe runs short.
  private readonly slots: Int32Array;
  private readonly slotMask: number;
  // Ranks of the one- and two-byte tokens, indexed by their bytes: every merge starts from these.
  private readonly singleRank = new Int32Array(256).fill(NO_RANK);
  private readonly pairRank = new Int32Array(65536).fill(NO_RANK);

  /** Reads a ranks file; throws on one that is not in the expected format. */
  constructor(file: Uint8Array) {
    const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
    if (file.byteLength < 12 || String.fromCharCode(file[0], file[1], file[2], file[3]) !== 'PBR1') throw new Error('not a Prompt Budget ranks file');
    const patternLength = view.getUint32(4, true);
    this.pattern = new TextDecoder().decode(file.subarray(8, 8 + patternLength));
    let at = 8 + patternLength;
    const tokenCount = view.getUint32(at, true);
    at += 4;
    this.tokenLength = file.subarray(at, at + tokenCount);
    at += tokenCount;
    this.tokenBytes = file.subarray(at);
    this.tokenStart = new Int32Array(tokenCount);

    let size = 1;
    while (size < tokenCount * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.slotMask = size - 1;
    let start = 0;
    let maxLength = 0;
    const bytes = this.tokenBytes;
    for (let rank = 0; rank < tokenCount; rank++) {
      const length = this.tokenLength[rank];
      this.tokenStart[rank] = start;
      if (length === 0) continue;
      if (length > maxLength) maxLength = length;
      if (length === 1) this.singleRank[bytes[start]] = rank;
      else if (length === 2) this.pairRank[(bytes[start] << 8) | bytes[start + 1]] = rank;
      let slot = mix(hashSpan(bytes, start, start + length)) & this.slotMask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & this.slotMask;
      this.slots[slot] = rank + 1;
      start += length;
    }
    if (start !== bytes.length) throw new Error('ranks file is truncated or has extra bytes');
    this.maxTokenLength = maxLength;
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
