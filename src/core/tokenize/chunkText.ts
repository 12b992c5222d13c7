import { isUnicodeWhiteSpace } from './unicodeWhiteSpace';

// Where a text can be cut so that counting the pieces separately gives exactly the count of
// the whole. Both OpenAI encodings first split text with a regex (the "pre-tokenizer"); a cut is
// safe when it falls on a boundary of that split AND neither side's regex match depends on the
// other side. The rules below are derived from the o200k_base and cl100k_base patterns:
//   `\s*[\r\n]+`                 runs on across blank lines (and lone `\r`) after a newline;
//   ` ?[^\s\p{L}\p{N}]+[\r\n/]*` glues newlines, and in o200k `/`, onto trailing punctuation;
//   `\s+(?!\S)`                  looks one character ahead, so never cut inside whitespace;
//   letter and digit runs stop at a space, and nothing matched after a space reaches back.

/** Longest chunk the splitter aims for; longer lines are cut after a word when possible. */
export const MAX_CHUNK_LENGTH = 2048;

const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const SLASH = 47;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;

function isLetterOrDigit(code: number): boolean {
  if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)) return true;
  // Surrogate halves are rejected: being conservative only makes chunks longer.
  if (code < 0x80 || (code >= 0xd800 && code <= 0xdfff)) return false;
  return LETTER_OR_DIGIT.test(String.fromCharCode(code));
}

/** True when a cut right after the `\n` at `index` cannot change any token of `text`. */
export function canCutAfterNewline(text: string, index: number): boolean {
  return canCutAtLineStart(text, index + 1);
}

/**
 * True when a cut right before `next`, the start of a line that follows a `\n`, cannot change any
 * token, whatever precedes that `\n`. Only `text` from `next` on is read: text that ends before the
 * rule can decide gives false.
 */
export function canCutAtLineStart(text: string, next: number): boolean {
  if (next >= text.length || text.charCodeAt(next) === SLASH) return false;
  // The newline's token ends here only if the next line's indent is followed by text, not by
  // another line break (a blank line, or a lone `\r`, joins the run).
  for (let i = next; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === LINE_FEED || code === CARRIAGE_RETURN) return false;
    // `\s` as the encodings' regex engines read it: Unicode White_Space (U+0085 in, U+FEFF out).
    if (!isUnicodeWhiteSpace(code)) return true;
  }
  return false;
}

/** True when a cut before the space at `index` cannot change any token: a word or number ends there. */
export function canCutBeforeSpace(text: string, index: number): boolean {
  return index > 0 && text.charCodeAt(index) === SPACE && isLetterOrDigit(text.charCodeAt(index - 1));
}

/**
 * End offsets of the chunks of `text`, the last one `text.length` (none for ''). Counting each
 * chunk on its own sums to the count of the whole text. Nothing is cut near the end of `text`
 * that would depend on what follows it, so any stretch that ends at a chunk end can be re-chunked
 * on its own.
 */
export function chunkEnds(text: string, maxLength: number = MAX_CHUNK_LENGTH): number[] {
  return Array.from(iterateChunkEnds(text, maxLength));
}

/** The same ends as `chunkEnds`, one at a time, for texts too large to list them all. */
export function* iterateChunkEnds(text: string, maxLength: number = MAX_CHUNK_LENGTH): Generator<number, void, undefined> {
  let start = 0;
  let newline = text.indexOf('\n');
  while (newline !== -1) {
    if (canCutAfterNewline(text, newline)) {
      yield* cutLongChunk(text, start, newline + 1, maxLength);
      start = newline + 1;
    }
    newline = text.indexOf('\n', newline + 1);
  }
  if (start < text.length) yield* cutLongChunk(text, start, text.length, maxLength);
}

/** Ends of one chunk [start, end), first cut after words when long, so an edit recounts little. */
function* cutLongChunk(text: string, start: number, end: number, maxLength: number): Generator<number, void, undefined> {
  let from = start;
  while (end - from > maxLength) {
    const cut = findSpaceCut(text, from, from + maxLength, end);
    if (cut === -1) break;
    yield cut;
    from = cut;
  }
  yield end;
}

/** A word-ending space near `target` (backwards first), strictly inside (from, end); -1 if none. */
function findSpaceCut(text: string, from: number, target: number, end: number): number {
  for (let i = target; i > from; i--) {
    if (canCutBeforeSpace(text, i)) return i;
  }
  for (let i = target + 1; i < end; i++) {
    if (canCutBeforeSpace(text, i)) return i;
  }
  return -1;
}
