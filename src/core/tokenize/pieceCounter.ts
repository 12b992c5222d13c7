import { asciiPieceScanner, NOT_ASCII, type AsciiPieceScanner } from './asciiPieces';
import { copyString } from './copyString';
import { metaspacePieceScanner } from './metaspacePieces';
import { toJavaScriptPattern } from './javaScriptPattern';

/** Pieces longer than this are counted but not remembered: they rarely repeat. */
const MAX_REMEMBERED_PIECE_LENGTH = 256;

/**
 * Counts tokens the way tiktoken does — split with the encoding's pre-tokenizer regex, then
 * byte-pair-encode each piece on its own — but remembers each piece's token count, so the slow
 * byte-pair step runs once per distinct piece. Exact by construction: the count of a text is the
 * sum over its pieces, and each piece's count comes from the real encoder.
 */
export class PieceTokenCounts {
  private readonly pieces: RegExp;
  // The same pattern, sticky: `test` at the end of the previous piece finds the next one without
  // allocating a match array (the pattern matches at every position, so pieces are contiguous).
  private readonly nextPiece: RegExp;
  // Splits applied before the main pattern (DeepSeek isolates digit groups, then CJK runs): each
  // splits every piece of the one before into its matches and the text between them.
  private readonly isolating: readonly RegExp[];
  // The same pieces found by reading character codes, where the text is ASCII (asciiPieces.ts), or
  // in any text for a SentencePiece vocabulary's split (metaspacePieces.ts).
  private readonly asciiPieceEnd: AsciiPieceScanner | undefined;
  // Two generations give a cheap bounded LRU: when `recent` is full it becomes `older`, and
  // pieces still in use are promoted back on their next hit.
  private recent = new Map<string, number>();
  private older = new Map<string, number>();

  /**
   * @param pattern the encoding's `pat_str`, as shipped with its ranks (Rust regex syntax, translated);
   *   or a tokenizer.json's Split patterns in order, the last one the main pattern
   * @param countPiece tokens of one piece, from the real encoder
   * @param capacity pieces per generation (at most twice this many are held)
   */
  constructor(
    pattern: string | readonly string[],
    private readonly countPiece: (piece: string) => number,
    private readonly capacity: number = 100_000,
  ) {
    const patterns = typeof pattern === 'string' ? [pattern] : pattern;
    const main = patterns[patterns.length - 1];
    const source = toJavaScriptPattern(main);
    this.pieces = new RegExp(source, 'gu');
    this.nextPiece = new RegExp(source, 'yu');
    this.isolating = patterns.slice(0, -1).map((earlier) => new RegExp(toJavaScriptPattern(earlier), 'gu'));
    this.asciiPieceEnd = patterns.length === 1 ? (asciiPieceScanner(main) ?? metaspacePieceScanner(main)) : undefined;
  }

  /** Tokens in `text`. */
  count(text: string): number {
    if (this.isolating.length === 0) return this.countMain(text);
    let total = 0;
    this.forEachIsolated(text, 0, 0, (_, piece) => {
      total += this.countMain(piece);
    });
    return total;
  }

  /** Tokens in `text` split by the main pattern alone. */
  private countMain(text: string): number {
    const next = this.nextPiece;
    let total = 0;
    let start = 0;
    const asciiPieceEnd = this.asciiPieceEnd;
    while (start < text.length) {
      let piece: string;
      const end = asciiPieceEnd ? asciiPieceEnd(text, start) : NOT_ASCII;
      next.lastIndex = start;
      if (end !== NOT_ASCII) {
        piece = text.slice(start, end);
        start = end;
      } else if (next.test(text) && next.lastIndex > start) {
        piece = text.slice(start, next.lastIndex);
        start = next.lastIndex;
      } else {
        // Nothing matches here (no OpenAI pattern does that; digits reach DeepSeek's main pattern
        // unmatched): the text up to the next match is a piece of its own, as a Split keeps it.
        this.pieces.lastIndex = start;
        const match = this.pieces.exec(text);
        const gapEnd = match === null || match[0].length === 0 ? text.length : match.index;
        piece = text.slice(start, gapEnd);
        start = gapEnd;
      }
      const known = this.recent.get(piece);
      total += known === undefined ? this.countUnseen(piece) : known;
    }
    return total;
  }

  /**
   * Calls `visit` with each piece the isolating splits from `stage` on make of `text` (which starts
   * at `offset` of the whole): matches and the text between them, each split again by the next stage.
   */
  private forEachIsolated(text: string, stage: number, offset: number, visit: (start: number, piece: string) => void): void {
    if (stage === this.isolating.length) {
      visit(offset, text);
      return;
    }
    const split = this.isolating[stage];
    split.lastIndex = 0;
    let start = 0;
    const matches: Array<[number, number]> = [];
    for (let match = split.exec(text); match !== null; match = split.exec(text)) {
      if (match[0].length === 0) {
        split.lastIndex++;
        continue;
      }
      matches.push([match.index, match.index + match[0].length]);
    }
    // Collected first: the next stage reuses its own regex, never this one.
    for (const [matchStart, matchEnd] of matches) {
      if (matchStart > start) this.forEachIsolated(text.slice(start, matchStart), stage + 1, offset + start, visit);
      this.forEachIsolated(text.slice(matchStart, matchEnd), stage + 1, offset + matchStart, visit);
      start = matchEnd;
    }
    if (start < text.length) this.forEachIsolated(start === 0 ? text : text.slice(start), stage + 1, offset + start, visit);
  }

  /** Calls `visit` with the start offset and text of each pre-tokenizer piece of `text`. */
  forEachPiece(text: string, visit: (start: number, piece: string) => void): void {
    // A private regex: `visit` may call back into `count`.
    const pieces = new RegExp(this.pieces.source, 'gu');
    const visitMain = (offset: number, part: string): void => {
      let start = 0;
      for (let match = pieces.exec(part); match !== null; match = pieces.exec(part)) {
        if (match.index > start) visit(offset + start, part.slice(start, match.index));
        visit(offset + match.index, match[0]);
        start = match.index + match[0].length;
      }
      if (start < part.length) visit(offset + start, part.slice(start));
    };
    if (this.isolating.length === 0) visitMain(0, text);
    else this.forEachIsolated(text, 0, 0, visitMain);
  }

  /** Number of pieces currently remembered (both generations). */
  get size(): number {
    return this.recent.size + this.older.size;
  }

  private countUnseen(piece: string): number {
    let tokens = this.older.get(piece);
    if (tokens === undefined) {
      tokens = this.countPiece(piece);
      if (piece.length > MAX_REMEMBERED_PIECE_LENGTH) return tokens;
    }
    if (this.recent.size >= this.capacity) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(copyString(piece), tokens);
    return tokens;
  }
}
