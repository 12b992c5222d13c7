import { hashSpan, joinHashes, NO_RANK, type RankTable } from './rankTable';

/**
 * Pieces up to this many bytes merge by scanning all pairs for the lowest rank (quadratic, but
 * with no setup); longer ones keep their pairs in a heap, so a megabyte-long run of one
 * character merges in O(n log n).
 */
const SCAN_MERGE_MAX_BYTES = 128;

const textEncoder = new TextEncoder();
// Reused for ordinary pieces; pieces larger than this get a buffer of their own, so one huge
// piece does not pin megabytes for the life of the process.
const SCRATCH_BYTES = 1 << 16;
const scratchBytes = new Uint8Array(SCRATCH_BYTES);
const scratchNext = new Int32Array(SCAN_MERGE_MAX_BYTES + 1);
const scratchRank = new Int32Array(SCAN_MERGE_MAX_BYTES);

/** The UTF-8 bytes of `text` (lone surrogates as U+FFFD, as tiktoken receives them), possibly in a shared buffer. */
export function utf8Bytes(text: string): Uint8Array {
  const capacity = text.length * 3;
  const buffer = capacity <= SCRATCH_BYTES ? scratchBytes : new Uint8Array(capacity);
  const { written } = textEncoder.encodeInto(text, buffer);
  return buffer.subarray(0, written);
}

/**
 * Tokens tiktoken's byte-pair encoding makes of one pre-tokenizer piece's bytes. A piece that is a
 * token is one token (tiktoken's rule, and Hugging Face's `ignore_merges`); with `wholePieceFirst`
 * false it is merged like any other, as Hugging Face tokenizers without `ignore_merges` do.
 */
export function countPieceTokens(bytes: Uint8Array, ranks: RankTable, wholePieceFirst = true, byteFallback = false): number {
  const length = bytes.length;
  if (length <= 1) return length;
  if (wholePieceFirst && ranks.rankOf(bytes, 0, length) !== NO_RANK) return 1;
  if (byteFallback) {
    let tokens = 0;
    forEachFallbackSegment(bytes, ranks, (start, end, fallback) => {
      tokens += fallback ? end - start : mergePiece(bytes.subarray(start, end), ranks, true).parts;
    });
    return tokens;
  }
  const { parts } = mergePiece(bytes, ranks, false);
  return parts;
}

/** Byte lengths of the tokens of one piece, in order (`wholePieceFirst` and `byteFallback` as in countPieceTokens). */
export function pieceTokenLengths(bytes: Uint8Array, ranks: RankTable, wholePieceFirst = true, byteFallback = false): number[] {
  const length = bytes.length;
  if (length === 0) return [];
  if (length === 1 || (wholePieceFirst && ranks.rankOf(bytes, 0, length) !== NO_RANK)) return [length];
  const lengths: number[] = [];
  if (byteFallback) {
    forEachFallbackSegment(bytes, ranks, (start, end, fallback) => {
      if (fallback) {
        for (let i = start; i < end; i++) lengths.push(1);
        return;
      }
      const { next } = mergePiece(bytes.subarray(start, end), ranks, true);
      for (let i = 0; i < end - start; i = next[i]) lengths.push(next[i] - i);
    });
    return lengths;
  }
  const { next } = mergePiece(bytes, ranks, false);
  for (let i = 0; i < length; i = next[i]) lengths.push(next[i] - i);
  return lengths;
}

/**
 * Cuts a SentencePiece word at each character that is not a piece: such a character is one token
 * per byte (`<0xNN>`) and never merges, so the stretches between them merge on their own.
 */
function forEachFallbackSegment(bytes: Uint8Array, ranks: RankTable, visit: (start: number, end: number, fallback: boolean) => void): void {
  let segmentStart = 0;
  for (let i = 0; i < bytes.length; ) {
    const end = Math.min(bytes.length, i + utf8CharLength(bytes[i]));
    if (ranks.rankOf(bytes, i, end) === NO_RANK) {
      if (i > segmentStart) visit(segmentStart, i, false);
      visit(i, end, true);
      segmentStart = end;
    }
    i = end;
  }
  if (segmentStart < bytes.length) visit(segmentStart, bytes.length, false);
}

/** Bytes of the UTF-8 character that starts with `lead`. */
function utf8CharLength(lead: number): number {
  return lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
}

/** Where the first part that starts at `i` ends: the next byte, or (`byCharacter`) the end of its character. */
function firstPartEnd(bytes: Uint8Array, i: number, byCharacter: boolean): number {
  return byCharacter ? Math.min(bytes.length, i + utf8CharLength(bytes[i])) : i + 1;
}

/**
 * tiktoken's rule: repeatedly merge the adjacent pair of parts whose merged bytes have the
 * lowest rank, the leftmost on ties, until no merged pair is a token. Parts are a linked list
 * over byte positions: `next[i]` is where the part starting at `i` ends. They start as single
 * bytes, or (`byCharacter`, SentencePiece) as whole characters.
 */
function mergePiece(bytes: Uint8Array, ranks: RankTable, byCharacter: boolean): { parts: number; next: Int32Array } {
  return bytes.length <= SCAN_MERGE_MAX_BYTES ? scanMerge(bytes, ranks, byCharacter) : heapMerge(bytes, ranks, byCharacter);
}

/** Finds each merge by scanning every pair: the least setup, for short pieces. */
function scanMerge(bytes: Uint8Array, ranks: RankTable, byCharacter: boolean): { parts: number; next: Int32Array } {
  const length = bytes.length;
  const next = scratchNext;
  const rank = scratchRank;
  let parts = 0;
  if (byCharacter) {
    for (let i = 0; i < length; i = next[i], parts++) next[i] = firstPartEnd(bytes, i, true);
    for (let i = 0; i < length; i = next[i]) rank[i] = next[i] < length ? ranks.rankOf(bytes, i, next[next[i]]) : NO_RANK;
  } else {
    for (let i = 0; i < length; i++) {
      next[i] = i + 1;
      rank[i] = i + 2 <= length ? ranks.rankOf(bytes, i, i + 2) : NO_RANK;
    }
    parts = length;
  }
  for (;;) {
    let best = -1;
    let beforeBest = -1;
    let bestRank = NO_RANK;
    for (let i = 0, before = -1; i < length; before = i, i = next[i]) {
      if (rank[i] < bestRank) {
        bestRank = rank[i];
        best = i;
        beforeBest = before;
      }
    }
    if (best === -1) break;
    const after = next[next[best]];
    next[best] = after;
    parts--;
    rank[best] = after < length ? ranks.rankOf(bytes, best, next[after]) : NO_RANK;
    if (beforeBest >= 0) rank[beforeBest] = ranks.rankOf(bytes, beforeBest, after);
  }
  return { parts, next };
}

// Heap keys pack (rank, position) into one double: ranks are below 2^20 and positions below
// 2^32, so the product stays an exact integer and compares in the scan's order.
const POSITION_RANGE = 2 ** 32;

/**
 * The same merges, with the pairs in a binary heap keyed by (rank, position): the top is always
 * the pair the scan would pick. A merge changes two pairs; their old heap entries are left in
 * place and skipped when they surface (their rank no longer matches). Each part keeps the hash
 * of its bytes, so a merged pair is looked up without re-reading it. O(n log n) for n bytes.
 */
function heapMerge(bytes: Uint8Array, ranks: RankTable, byCharacter: boolean): { parts: number; next: Int32Array } {
  const length = bytes.length;
  const next = new Int32Array(length + 1);
  const previous = new Int32Array(length);
  // The rank of each part merged with the one after it; -1 for a part merged away.
  const rank = new Int32Array(length);
  const hash = new Int32Array(length);
  // Each merge pops one entry and pushes at most two, so the heap never exceeds 2n entries.
  const heap = new Float64Array(2 * length + 2);
  let size = 0;

  const push = (key: number): void => {
    let k = size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (heap[parent] <= key) break;
      heap[k] = heap[parent];
      k = parent;
    }
    heap[k] = key;
  };
  const siftDown = (k: number): void => {
    const key = heap[k];
    for (;;) {
      let child = 2 * k + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1] < heap[child]) child++;
      if (heap[child] >= key) break;
      heap[k] = heap[child];
      k = child;
    }
    heap[k] = key;
  };
  // Rank of part `left` joined with the part `right` (which ends at `end`).
  const pairRank = (left: number, right: number, end: number): number => {
    if (end - left > ranks.maxTokenLength) return NO_RANK;
    return ranks.rankOfHashed(bytes, left, end, joinHashes(hash[left], hash[right], end - right));
  };

  let parts = 0;
  for (let i = 0, before = -1; i < length; before = i, i = next[i], parts++) {
    next[i] = firstPartEnd(bytes, i, byCharacter);
    previous[i] = before;
    hash[i] = hashSpan(bytes, i, next[i]);
  }
  for (let i = 0; i < length; i = next[i]) {
    rank[i] = next[i] < length ? ranks.rankOf(bytes, i, next[next[i]]) : NO_RANK;
    if (rank[i] !== NO_RANK) heap[size++] = rank[i] * POSITION_RANGE + i;
  }
  next[length] = length + 1;
  for (let k = (size >> 1) - 1; k >= 0; k--) siftDown(k);

  while (size > 0) {
    const key = heap[0];
    heap[0] = heap[--size];
    siftDown(0);
    const keyRank = Math.floor(key / POSITION_RANGE);
    const best = key - keyRank * POSITION_RANGE;
    if (rank[best] !== keyRank) continue;
    // Merge part `best` with the part after it.
    const removed = next[best];
    const after = next[removed];
    hash[best] = joinHashes(hash[best], hash[removed], after - removed);
    rank[removed] = -1;
    next[best] = after;
    if (after < length) previous[after] = best;
    parts--;
    rank[best] = after < length ? pairRank(best, after, next[after]) : NO_RANK;
    if (rank[best] !== NO_RANK) push(rank[best] * POSITION_RANGE + best);
    const beforeBest = previous[best];
    if (beforeBest >= 0) {
      rank[beforeBest] = pairRank(beforeBest, best, after);
      if (rank[beforeBest] !== NO_RANK) push(rank[beforeBest] * POSITION_RANGE + beforeBest);
    }
  }
  return { parts, next };
}
