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
        out += unicodeProperty(next, pattern.slice(i + 3, end));
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
    if (char === '[' && intersectionAt(pattern, i)) {
      const { source, end } = intersection(pattern, i);
      out += source;
      i = end;
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

/**
 * `\p{Han}`: Rust regex reads a bare script name as that Script (checked against tiktoken: U+3001
 * is not Han), which JavaScript spells `\p{sc=Han}`; general categories stay as they are.
 */
function unicodeProperty(kind: string, name: string): string {
  try {
    new RegExp(`\\p{${name}}`, 'u');
    return `\\${kind}{${name}}`;
  } catch {
    new RegExp(`\\p{sc=${name}}`, 'u');
    return `\\${kind}{sc=${name}}`;
  }
}

/** True where a character class at `start` holds an intersection (`[A&&[^B]]`, Kimi K2's letters that are not Han). */
function intersectionAt(pattern: string, start: number): boolean {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return false;
    else if (pattern.startsWith('&&', i)) return true;
  }
  return false;
}

/**
 * `[A&&[B]]` as `(?:(?=[B])[A])`: a character of A that is also one of B. Only the form with one
 * plain class on each side is translated; others throw.
 */
function intersection(pattern: string, start: number): { source: string; end: number } {
  const and = pattern.indexOf('&&', start);
  const left = pattern.slice(start + 1, and);
  if (pattern[and + 2] !== '[') throw new Error('an intersection with a class that is not in brackets is not supported');
  const rightEnd = pattern.indexOf(']', and + 3);
  const right = pattern.slice(and + 2, rightEnd + 1);
  if (pattern[rightEnd + 1] !== ']' || left.includes('[') || right.slice(1).includes('[')) throw new Error('unsupported class intersection');
  const translated = (members: string) => toJavaScriptPattern(members);
  return { source: `(?:(?=${translated(right)})${translated(`[${left}]`)})`, end: rightEnd + 2 };
}

function caseVariants(letter: string): string {
  const lower = letter.toLowerCase();
  return `[${lower}${letter.toUpperCase()}${EXTRA_CASE_VARIANTS[lower] ?? ''}]`;
}
