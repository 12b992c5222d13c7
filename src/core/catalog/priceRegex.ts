// Price data is data: a `regex` match rule must not decide how long matching takes. JavaScript's
// regex engine backtracks, so rules that can backtrack catastrophically are refused, and the ids a
// regex is tried on are short (a model id, never a prompt).

/** Longest regex source accepted in price data; the published data's longest is about 120 characters. */
export const MAX_REGEX_SOURCE_LENGTH = 500;

/** Model names longer than this never match a `regex` rule (real ids are well under 100 characters). */
export const MAX_REGEX_INPUT_LENGTH = 256;

// Unbounded quantifiers (and ranges wider than one, `{0,40}`) in sequence cost about n^k steps on an
// id of length n: with k <= 3 and n <= 256 that stays in the tens of milliseconds at worst.
const MAX_UNBOUNDED_QUANTIFIERS = 3;
// Each optional or ranged quantifier can double the paths tried (`a?a?a?…aaa`); the published data uses at most 2.
const MAX_VARIABLE_QUANTIFIERS = 8;

interface Group {
  /** The group holds a quantifier or an alternation (directly or in a nested group). */
  varies: boolean;
}

/**
 * Why a regex source may backtrack catastrophically, or undefined when it is safe to run: a repeated
 * group that holds a quantifier or an alternation (`(a+)+`, `(a|ab)*`), a backreference, more than
 * three unbounded quantifiers or eight quantifiers in all that leave a choice, or an overlong source.
 * Conservative: a few harmless patterns are refused too.
 */
export function unsafeRegexReason(source: string): string | undefined {
  if (source.length > MAX_REGEX_SOURCE_LENGTH) return `longer than ${MAX_REGEX_SOURCE_LENGTH} characters`;
  const groups: Group[] = [{ varies: false }];
  let unbounded = 0;
  let variable = 0;
  let i = 0;
  /** The quantifier at `at`, if any: its length, whether it repeats (more than once), is unbounded, and leaves a choice (not `{n}`). */
  const quantifierAt = (at: number): { length: number; repeats: boolean; unbounded: boolean; variable: boolean } | undefined => {
    const c = source[at];
    let length = 0;
    let repeats = false;
    let isUnbounded = false;
    if (c === '*' || c === '+') {
      length = 1;
      repeats = true;
      isUnbounded = true;
    } else if (c === '?') {
      length = 1;
    } else if (c === '{') {
      const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(at));
      if (!braces) return undefined;
      length = braces[0].length;
      const min = Number(braces[1]);
      const max = braces[2] === undefined ? min : braces[3] === '' ? Number.POSITIVE_INFINITY : Number(braces[3]);
      repeats = max > 1;
      // A wide range costs what an unbounded quantifier costs: `a{0,40}` six times over takes seconds.
      isUnbounded = max - min > 1;
      if (min === max) return { length, repeats, unbounded: false, variable: false };
    } else {
      return undefined;
    }
    // A lazy or possessive-looking suffix belongs to the same quantifier.
    if (source[at + length] === '?') length++;
    return { length, repeats, unbounded: isUnbounded, variable: true };
  };
  const afterAtom = (): string | undefined => {
    const quantifier = quantifierAt(i);
    if (!quantifier) return undefined;
    i += quantifier.length;
    if (quantifier.variable) {
      groups[groups.length - 1].varies = true;
      if (++variable > MAX_VARIABLE_QUANTIFIERS) return `more than ${MAX_VARIABLE_QUANTIFIERS} quantifiers that leave a choice`;
    }
    if (quantifier.unbounded && ++unbounded > MAX_UNBOUNDED_QUANTIFIERS) return `more than ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers`;
    return undefined;
  };
  while (i < source.length) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') return 'a backreference';
      i += 2;
      const problem = afterAtom();
      if (problem) return problem;
    } else if (c === '[') {
      // A character class: quantifier characters inside it are literal.
      i++;
      if (source[i] === '^') i++;
      if (source[i] === ']') i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
      const problem = afterAtom();
      if (problem) return problem;
    } else if (c === '(') {
      groups.push({ varies: false });
      i++;
      // Skip the group's prefix (`?:`, `?=`, `?!`, `?<=`, `?<!`, `?<name>`) so its `?` is not read as a quantifier.
      const prefix = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(source.slice(i));
      if (prefix) i += prefix[0].length;
    } else if (c === ')') {
      const group = groups.length > 1 ? groups.pop()! : { varies: false };
      i++;
      const quantifier = quantifierAt(i);
      if (quantifier?.repeats && group.varies) return 'a repeated group holding a quantifier or an alternation';
      if (group.varies) groups[groups.length - 1].varies = true;
      const problem = afterAtom();
      if (problem) return problem;
    } else if (c === '|') {
      groups[groups.length - 1].varies = true;
      i++;
    } else {
      i++;
      const problem = afterAtom();
      if (problem) return problem;
    }
  }
  return undefined;
}
