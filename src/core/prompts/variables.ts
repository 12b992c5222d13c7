// Template variables: `{{x}}` / `{{ x }}` (Mustache, Jinja, GitHub Models) and `${input:x}` /
// `${input:x:placeholder}` (VS Code prompt files).

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}|\$\{input:\s*([^}:\s]+)\s*(?::[^}]*)?\}/g;

/** Variable names used in `texts`, deduplicated, in order of first use. */
export function findVariables(texts: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(VARIABLE)) {
      seen.add(match[1] ?? match[2]);
    }
  }
  return [...seen];
}

/**
 * What a piece of a longer text holds of variables: their names, and whether the piece can be
 * read on its own. A match or a failed try starts at `{` or `$` and reads no further than one
 * character past the next `}`; so when the last `{`/`$` of a piece has a `}` after it, short of
 * the piece's last character, nothing found in the piece depends on what follows it.
 */
export interface VariableNote {
  names: readonly string[];
  standsAlone: boolean;
  /** For a piece that does not stand alone: the pieces last read with it and what they held. */
  group?: { pieces: readonly string[]; names: readonly string[]; closed: boolean };
}

const NO_VARIABLES: VariableNote = { names: [], standsAlone: true };

export function noteVariables(piece: string): VariableNote {
  if (piece.indexOf('{') === -1 && piece.indexOf('$') === -1) return NO_VARIABLES;
  return { names: findVariables([piece]), standsAlone: readState(piece, 'alone') === 'alone' };
}

/**
 * Whether a text read so far can be cut after `piece`: 'alone' when it can, 'open' when its last
 * `{`/`$` has no `}` after it yet, 'closeAtEnd' when that `}` is its last character (a `}}` may be
 * split). `before` is the state of the text before `piece`.
 */
function readState(piece: string, before: 'alone' | 'open' | 'closeAtEnd'): 'alone' | 'open' | 'closeAtEnd' {
  const lastOpen = Math.max(piece.lastIndexOf('{'), piece.lastIndexOf('$'));
  if (lastOpen === -1 && before !== 'open') return 'alone';
  const close = piece.indexOf('}', lastOpen + 1);
  if (close === -1) return 'open';
  return close <= piece.length - 2 ? 'alone' : 'closeAtEnd';
}

/**
 * `findVariables` of the concatenation of `pieces` (none empty), from their notes: a piece that
 * cannot stand alone is read again together with the pieces after it, up to where the joined text can.
 */
export function variablesOfPieces(pieces: readonly string[], notes: readonly VariableNote[]): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < pieces.length; i++) {
    const note = notes[i];
    if (note.standsAlone) {
      for (const name of note.names) seen.add(name);
      continue;
    }
    // Read again only when the pieces after it changed: a code block's lines are a group each time.
    let group = note.group;
    // (A group that ran to the end of the text grows with what is typed after it.)
    if (!group || !group.pieces.every((piece, k) => pieces[i + k] === piece) || (!group.closed && i + group.pieces.length < pieces.length)) {
      const grouped = [pieces[i]];
      let state = readState(pieces[i], 'alone');
      while (state !== 'alone' && i + grouped.length < pieces.length) {
        const next = pieces[i + grouped.length];
        grouped.push(next);
        state = readState(next, state);
      }
      group = { pieces: grouped, names: findVariables([grouped.join('')]), closed: state === 'alone' };
      note.group = group;
    }
    for (const name of group.names) seen.add(name);
    i += group.pieces.length - 1;
  }
  return [...seen];
}

/** `text` with each variable that has a value in `values` replaced by it; others are left as written. */
export function renderVariables(text: string, values: ReadonlyMap<string, string>): string {
  return text.replace(VARIABLE, (whole: string, mustache: string | undefined, input: string | undefined) => {
    const value = values.get(mustache ?? input ?? '');
    return value ?? whole;
  });
}

/** A sample value as a template engine would print it: strings as they are, anything else as JSON. */
export function sampleText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}
