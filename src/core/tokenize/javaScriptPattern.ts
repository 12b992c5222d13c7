import { WHITE_SPACE_CLASS_MEMBERS } from './unicodeWhiteSpace';

// Case variants under Unicode simple case folding, where they go beyond the ASCII pair
// (KELVIN SIGN folds to k, LATIN SMALL LETTER LONG S to s), as `(?i:...)` matches them.
const EXTRA_CASE_VARIANTS: Readonly<Record<string, string>> = { k: '\\u212a', s: '\\u017f' };

/**
 * A tokenizer's pre-tokenizer pattern (Rust regex / Oniguruma syntax, as in tiktoken's `pat_str`
 * and a tokenizer.json Split) rewritten for JavaScript's `u` flag with the same meaning: `\s` and
 * `\S` as Unicode White_Space, and `(?i:...)` groups (which Node 20 cannot parse) spelled out as
 * character classes. Throws on syntax it does not translate, rather than count differently.
 */
export function toJavaScriptPattern(pattern: string): string {
  let out = '';
  let inClass = false;
  // One entry per open group: true for a case-insensitive one.
  const groups: boolean[] = [];
  let caseless = 0;
  for (let i = 0; i < pattern.length; ) {
    const char = pattern[i];
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next === 's') {
        out += inClass ? WHITE_SPACE_CLASS_MEMBERS : `[${WHITE_SPACE_CLASS_MEMBERS}]`;
        i += 2;
      } else if (next === 'S') {
        if (inClass) throw new Error('\\S inside a character class is not supported');
        out += `[^${WHITE_SPACE_CLASS_MEMBERS}]`;
        i += 2;
      } else if ((next === 'p' || next === 'P') && pattern[i + 2] === '{') {
        const end = pattern.indexOf('}', i);
        out += pattern.slice(i, end + 1);
        i = end + 1;
      } else {
        out += pattern.slice(i, i + 2);
        i += 2;
      }
      continue;
    }
    if (inClass) {
      if (caseless > 0 && /[A-Za-z]/.test(char)) throw new Error('letters in a class inside (?i:...) are not supported');
      if (char === '[') throw new Error('nested character classes are not supported');
      if (char === ']') inClass = false;
      out += char;
      i++;
      continue;
    }
    if (char === '[') {
      inClass = true;
      // A `]` right after `[` or `[^` is a literal member.
      const head = pattern.startsWith('[^', i) ? 2 : 1;
      out += pattern.slice(i, i + head);
      i += head;
      if (pattern[i] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (pattern.startsWith('(?i:', i)) {
      groups.push(true);
      caseless++;
      out += '(?:';
      i += 4;
      continue;
    }
    if (pattern.startsWith('(?', i) && !/^\(\?(?::|=|!|<=|<!)/.test(pattern.slice(i, i + 4))) {
      throw new Error(`unsupported group ${pattern.slice(i, i + 4)}`);
    }
    if (char === '(') groups.push(false);
    if (char === ')' && groups.pop()) caseless--;
    out += caseless > 0 && /[A-Za-z]/.test(char) ? caseVariants(char) : char;
    i++;
  }
  return out;
}

function caseVariants(letter: string): string {
  const lower = letter.toLowerCase();
  return `[${lower}${letter.toUpperCase()}${EXTRA_CASE_VARIANTS[lower] ?? ''}]`;
}
