import { copyString } from './copyString';

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
  // Two generations give a cheap bounded LRU: when `recent` is full it becomes `older`, and
  // pieces still in use are promoted back on their next hit.
  private recent = new Map<string, number>();
  private older = new Map<string, number>();

  /**
   * @param pattern the encoding's `pat_str`, as shipped with its ranks
   * @param countPiece tokens of one piece, from the real encoder
   * @param capacity pieces per generation (at most twice this many are held)
   */
  constructor(
    pattern: string,
    private readonly countPiece: (piece: string) => number,
    private readonly capacity: number = 100_000,
  ) {
    this.pieces = new RegExp(pattern, 'gu');
  }

  /** Tokens in `text`. */
  count(text: string): number {
    const pieces = this.pieces;
    pieces.lastIndex = 0;
    let total = 0;
    for (let match = pieces.exec(text); match !== null; match = pieces.exec(text)) {
      const piece = match[0];
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
