import type { TiktokenBPE } from 'js-tiktoken/lite';

/** Token ranks keyed by the token's bytes as a Latin-1 string (one char per byte). */
export type RankLookup = Map<string, number>;

/** Reads every token's rank from the ranks file (`<prefix> <first rank> <base64>...` lines). */
export function buildRankLookup(ranks: TiktokenBPE): RankLookup {
  const lookup: RankLookup = new Map();
  for (const line of ranks.bpe_ranks.split('\n')) {
    if (!line) continue;
    const fields = line.split(' ');
    const firstRank = Number.parseInt(fields[1], 10);
    // `atob` decodes base64 straight to a Latin-1 string, the key shape used here.
    for (let i = 2; i < fields.length; i++) lookup.set(atob(fields[i]), firstRank + i - 2);
  }
  return lookup;
}

const textEncoder = new TextEncoder();

/** The UTF-8 bytes of `text` as a Latin-1 string, which slices and hashes cheaply as a Map key. */
export function utf8Latin1(text: string): string {
  const bytes = textEncoder.encode(text);
  let latin1 = '';
  // fromCharCode takes its bytes as arguments: stay well under the engine's argument limit.
  for (let i = 0; i < bytes.length; i += 8192) latin1 += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return latin1;
}

/**
 * Byte lengths of the tokens byte-pair encoding makes of one pre-tokenizer piece (its UTF-8
 * bytes as Latin-1), using tiktoken's rule: repeatedly merge the adjacent pair whose merged bytes
 * have the lowest rank, the leftmost on ties. Unlike js-tiktoken's merge, which rebuilds a
 * comma-joined key for every pair on every round, this costs O(n) per merge with cheap steps,
 * so a 4,000-character run of CJK or dashes takes milliseconds rather than tens of seconds.
 */
export function bytePairTokenLengths(piece: string, rankOf: RankLookup): number[] {
  const length = piece.length;
  if (length === 0) return [];
  if (length === 1 || rankOf.has(piece)) return [length];
  // Parts as a linked list over byte positions: partStart[i] is where part i starts, next/previous
  // link the parts still alive, pairRank[i] is the rank of part i merged with the part after it.
  const next = new Int32Array(length);
  const previous = new Int32Array(length);
  const pairRank = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    next[i] = i + 1;
    previous[i] = i - 1;
  }
  const rankOfSpan = (start: number, end: number): number => rankOf.get(piece.slice(start, end)) ?? Infinity;
  for (let i = 0; i < length - 1; i++) pairRank[i] = rankOfSpan(i, i + 2);
  pairRank[length - 1] = Infinity;

  for (;;) {
    let best = -1;
    let bestRank = Infinity;
    for (let i = 0; i < length; i = next[i]) {
      if (pairRank[i] < bestRank) {
        bestRank = pairRank[i];
        best = i;
      }
    }
    if (best === -1) break;
    // Merge part `best` with the part after it.
    const removed = next[best];
    const after = next[removed];
    next[best] = after;
    if (after < length) previous[after] = best;
    pairRank[best] = after < length ? rankOfSpan(best, next[after]) : Infinity;
    const before = previous[best];
    if (before >= 0) pairRank[before] = rankOfSpan(before, after);
  }

  const lengths: number[] = [];
  for (let i = 0; i < length; i = next[i]) lengths.push(next[i] - i);
  return lengths;
}
