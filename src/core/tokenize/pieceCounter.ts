import { asciiPieceScanner, NOT_ASCII, type AsciiPieceScanner } from './asciiPieces';
import { copyString } from './copyString';
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
  // The same pieces found by reading character codes, where the text is ASCII (asciiPieces.ts).
  private readonly asciiPieceEnd: AsciiPieceScanner | undefined;
  // Two generations give a cheap bounded LRU: when `recent` is full it becomes `older`, and
  // pieces still in use are promoted back on their next hit.
  private recent = new Map<string, number>();
  private older = new Map<string, number>();

  /**
   * @param pattern the encoding's `pat_str`, as shipped with its ranks (Rust regex syntax, translated)
   * @param countPiece tokens of one piece, from the real encoder
   * @param capacity pieces per generation (at most twice this many are held)
   */
  constructor(
    pattern: string,
    private readonly countPiece: (piece: string) => number,
    private readonly capacity: number = 100_000,
  ) {
    const source = toJavaScriptPattern(pattern);
    this.pieces = new RegExp(source, 'gu');
    this.nextPiece = new RegExp(source, 'yu');
    this.asciiPieceEnd = asciiPieceScanner(pattern);
  }

  /** Tokens in `text`. */
  count(text: string): number {
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
        // Nothing matches here (no pattern shipped does that): skip ahead as a global search would.
        this.pieces.lastIndex = start;
        const match = this.pieces.exec(text);
        if (match === null || match[0].length === 0) break;
        piece = match[0];
        start = match.index + piece.length;
      }
      const known = this.recent.get(piece);
      total += known === undefined ? this.countUnseen(piece) : known;
    }
    return total;
  }

  /** Calls `visit` with the start offset and text of each pre-tokenizer piece of `text`. */
  forEachPiece(text: string, visit: (start: number, piece: string) => void): void {
    // A private regex: `visit` may call back into `count`.
    const pieces = new RegExp(this.pieces.source, 'gu');
    for (let match = pieces.exec(text); match !== null; match = pieces.exec(text)) {
      visit(match.index, match[0]);
    }
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
