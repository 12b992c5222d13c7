// YAML frontmatter: `---` on the very first line, closed by a `---` line.
import type { TextRange } from '../types';

export type FrontmatterSplit =
  | { kind: 'none' }
  /** `yaml` is the text between the fences; the body starts after the closing fence's line break. */
  | { kind: 'closed'; yaml: TextRange; bodyStart: number }
  /** An opening fence with no closing one; `open` is the opening fence. */
  | { kind: 'unclosed'; open: TextRange };

const OPEN = /^---[ \t]*(?:\r\n|\n|\r)/;
const CLOSE = /^---[ \t]*(?:\r\n|\n|\r|$)/gm;

/** Finds the frontmatter at the start of `text`. */
export function splitFrontmatter(text: string): FrontmatterSplit {
  const open = OPEN.exec(text);
  if (!open) return { kind: 'none' };
  const yamlStart = open[0].length;
  CLOSE.lastIndex = yamlStart;
  // With `m`, `^` matches after any line terminator (\u2028 and \u2029 too), so the character
  // before the fence is checked by hand: only \n or \r counts. (`$` still matches before \u2028.)
  for (let match = CLOSE.exec(text); match; match = CLOSE.exec(text)) {
    const before = match.index === yamlStart ? '\n' : text[match.index - 1];
    if (before === '\n' || before === '\r') {
      return { kind: 'closed', yaml: { start: yamlStart, end: match.index }, bodyStart: match.index + match[0].length };
    }
  }
  return { kind: 'unclosed', open: { start: 0, end: 3 } };
}
