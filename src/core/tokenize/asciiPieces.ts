// The pre-tokenizer patterns of o200k_base and cl100k_base, and of the open families built like them
// (Llama 3 and Qwen 3 like cl100k, tekken like o200k), hand-run over ASCII text. Most prompt
// text is ASCII, and the regex engine spends about as long finding pieces as the rest of counting;
// this finds the same pieces by reading character codes. It answers only when every character it
// reads is ASCII (where \p{L}, \p{N} and \s are plain ranges), and the caller uses the regex for
// any piece it declines, so the pieces are the regex's by construction (a test compares the two).

/** o200k_base's `pat_str`, as in its ranks file: also the pattern of a custom tiktoken ranks file. */
export const O200K_PATTERN =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)?|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const CL100K_PATTERN =
  "('s|'S|'t|'T|'re|'rE|'Re|'RE|'ve|'vE|'Ve|'VE|'m|'M|'ll|'lL|'Ll|'LL|'d|'D)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

// The open families' Split patterns, as their tokenizer.json writes them. Over ASCII, Llama 3's
// `(?i:'s|…)` is cl100k's list of cases, and Qwen 3 differs from it only in taking digits one by one;
// tekken is o200k without the contractions, digits one by one.
const LLAMA3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const QWEN3_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const TEKKEN_PATTERN =
  "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

/** Returned when a piece depends on a character that is not ASCII: the regex decides it. */
export const NOT_ASCII = -1;

/** End of the piece that starts at `start` (< text.length), or NOT_ASCII. */
export type AsciiPieceScanner = (text: string, start: number) => number;

/** The hand-run scanner for `pattern`, if it is one of those this file implements. */
export function asciiPieceScanner(pattern: string): AsciiPieceScanner | undefined {
  if (pattern === O200K_PATTERN) return o200kPieceEnd;
  if (pattern === CL100K_PATTERN || pattern === LLAMA3_PATTERN) return cl100kPieceEnd;
  if (pattern === QWEN3_PATTERN) return (text, start) => cl100kLikePieceEnd(text, start, 1);
  if (pattern === TEKKEN_PATTERN) return (text, start) => o200kLikePieceEnd(text, start, 1, false);
  return undefined;
}

// Character classes over ASCII codes; END (-1) is past the end of the text, NON_ASCII anything above 0x7f.
const END = -1;
const NON_ASCII = -2;
const APOSTROPHE = 0x27;

function at(text: string, index: number): number {
  if (index >= text.length) return END;
  const code = text.charCodeAt(index);
  return code < 0x80 ? code : NON_ASCII;
}

const isUpper = (code: number): boolean => code >= 65 && code <= 90;
const isLower = (code: number): boolean => code >= 97 && code <= 122;
const isLetter = (code: number): boolean => isUpper(code) || isLower(code);
const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const isLineBreak = (code: number): boolean => code === 10 || code === 13;
// JavaScript's \s among ASCII: tab, line feed, vertical tab, form feed, carriage return, space.
const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13);
/** [^\r\n\p{L}\p{N}]: the optional character before a word. */
const isWordPrefix = (code: number): boolean => code >= 0 && !isLineBreak(code) && !isLetter(code) && !isDigit(code);
/** [^\s\p{L}\p{N}]: punctuation, symbols and control characters. */
const isOther = (code: number): boolean => code >= 0 && !isSpace(code) && !isLetter(code) && !isDigit(code);

/** After `'` at `index`: the end of a contraction ('s 't 're 've 'm 'll 'd, any case), `index` if none, NOT_ASCII if undecidable. */
function contractionEnd(text: string, index: number): number {
  if (at(text, index) !== APOSTROPHE) return at(text, index) === NON_ASCII ? NOT_ASCII : index;
  const first = at(text, index + 1);
  if (first === NON_ASCII) return NOT_ASCII;
  const lower = first | 0x20;
  if (lower === 0x73 || lower === 0x74 || lower === 0x6d || lower === 0x64) return index + 2; // s t m d
  if (lower === 0x72 || lower === 0x76 || lower === 0x6c) {
    // r → re, v → ve, l → ll
    const second = at(text, index + 2);
    if (second === NON_ASCII) return NOT_ASCII;
    const wanted = lower === 0x6c ? 0x6c : 0x65;
    return (second | 0x20) === wanted && second !== END ? index + 3 : index;
  }
  return index;
}

/** End of the run from `index` of characters that pass `test`, NOT_ASCII if it stops at one that is not ASCII. */
function runEnd(text: string, index: number, test: (code: number) => boolean): number {
  let code = at(text, index);
  while (test(code)) code = at(text, ++index);
  return code === NON_ASCII ? NOT_ASCII : index;
}

/** \p{N}{1,max}: at most `max` digits; the next one is not read. */
function digitsEnd(text: string, start: number, max: number): number {
  let end = start;
  while (end < start + max) {
    const code = at(text, end);
    if (code === NON_ASCII) return NOT_ASCII;
    if (!isDigit(code)) break;
    end++;
  }
  return end;
}

/** The whitespace alternatives, shared: \s*[\r\n]+ | \s+(?!\S) | \s+ (start is whitespace). */
function spaceEnd(text: string, start: number): number {
  const end = runEnd(text, start, isSpace);
  if (end === NOT_ASCII) return NOT_ASCII;
  // \s*[\r\n]+: up to the last line break in the run.
  for (let i = end - 1; i >= start; i--) if (isLineBreak(text.charCodeAt(i))) return i + 1;
  // \s+(?!\S): all of it at the end of the text, else all but the last (which then starts the next
  // piece, e.g. ` word`); \s+ when that leaves nothing.
  if (end === text.length || end - start === 1) return end;
  return end - 1;
}

/** ` ?[^\s\p{L}\p{N}]+` and its tail of `tail` characters, or undefined when it does not match. */
function otherEnd(text: string, start: number, tail: (code: number) => boolean): number | undefined {
  const from = at(text, start) === 32 ? start + 1 : start;
  const others = runEnd(text, from, isOther);
  if (others === NOT_ASCII) return NOT_ASCII;
  if (others === from) return undefined;
  return runEnd(text, others, tail);
}

function o200kPieceEnd(text: string, start: number): number {
  return o200kLikePieceEnd(text, start, 3, true);
}

/** o200k's pattern, with `\p{N}{1,maxDigits}` and with or without the contractions after a word. */
function o200kLikePieceEnd(text: string, start: number, maxDigits: number, contractions: boolean): number {
  const first = at(text, start);
  if (first === NON_ASCII) return NOT_ASCII;
  // [^\r\n\p{L}\p{N}]? [upper]* [lower]+ contraction?  then  [^\r\n\p{L}\p{N}]? [upper]+ [lower]* contraction?
  const wordStart = isWordPrefix(first) ? start + 1 : start;
  const upperEnd = runEnd(text, wordStart, isUpper);
  if (upperEnd === NOT_ASCII) return NOT_ASCII;
  const lowerEnd = runEnd(text, upperEnd, isLower);
  if (lowerEnd === NOT_ASCII) return NOT_ASCII;
  if (lowerEnd > upperEnd || upperEnd > wordStart) return contractions ? contractionEnd(text, lowerEnd) : lowerEnd;
  // (Without the prefix the word alternatives start on a non-letter here, so they fail too.)
  if (isDigit(first)) return digitsEnd(text, start, maxDigits);
  const other = otherEnd(text, start, (code) => isLineBreak(code) || code === 0x2f);
  if (other !== undefined) return other;
  return isSpace(first) ? spaceEnd(text, start) : NOT_ASCII;
}

function cl100kPieceEnd(text: string, start: number): number {
  return cl100kLikePieceEnd(text, start, 3);
}

/** cl100k's pattern, with `\p{N}{1,maxDigits}`. */
function cl100kLikePieceEnd(text: string, start: number, maxDigits: number): number {
  const first = at(text, start);
  if (first === NON_ASCII) return NOT_ASCII;
  if (first === APOSTROPHE) {
    const contraction = contractionEnd(text, start);
    if (contraction !== start) return contraction;
  }
  // [^\r\n\p{L}\p{N}]? \p{L}+
  const wordStart = isWordPrefix(first) ? start + 1 : start;
  const letters = runEnd(text, wordStart, isLetter);
  if (letters === NOT_ASCII) return NOT_ASCII;
  if (letters > wordStart) return letters;
  if (isDigit(first)) return digitsEnd(text, start, maxDigits);
  const other = otherEnd(text, start, isLineBreak);
  if (other !== undefined) return other;
  return isSpace(first) ? spaceEnd(text, start) : NOT_ASCII;
}
