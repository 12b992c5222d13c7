// The tokenizers' regex engines (Rust's regex in tiktoken, Oniguruma in Hugging Face tokenizers)
// read `\s` as Unicode White_Space. JavaScript's `\s` differs in two characters: it includes
// U+FEFF (not White_Space) and leaves out U+0085 (NEXT LINE, which is). Counting with JS's `\s`
// gives other pieces, and other counts, for text with either character.

/** The members of Unicode White_Space, written for use inside a regex character class. */
export const WHITE_SPACE_CLASS_MEMBERS = '\\t-\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

/** True for a UTF-16 code unit in Unicode White_Space, the tokenizers' `\s`. */
export function isUnicodeWhiteSpace(code: number): boolean {
  if (code === 0x20 || (code >= 0x09 && code <= 0x0d)) return true;
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}
