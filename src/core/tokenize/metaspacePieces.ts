import type { AsciiPieceScanner } from './asciiPieces';

const SPACE = 0x20;
const METASPACE = 0x2581;
// The two forms of split sentencePieceVocabulary.ts writes: without glue characters, and with some
// (characters after which a run of spaces stays in the piece), which must be plain BMP characters here.
const PLAIN_SPLIT = '[ ▁]*[^ ▁]+|[ ▁]+';
const GLUED_SPLIT = /^\[ ▁\]\*\(\?:\[\^ ▁([^\\\]^\-\uD800-\uDFFF]+)\]\|\[\1\]\[ ▁\]\*\)\+\|\[ ▁\]\+$/u;

/**
 * A scanner for a SentencePiece vocabulary's split (a piece ends before a run of spaces or '▁'
 * unless a glue character precedes it) that reads character codes instead of running the regex:
 * the same pieces, for any text. Undefined for any other pattern.
 */
export function metaspacePieceScanner(pattern: string): AsciiPieceScanner | undefined {
  let glue: ReadonlySet<number>;
  if (pattern === PLAIN_SPLIT) {
    glue = new Set();
  } else {
    const match = GLUED_SPLIT.exec(pattern);
    if (!match) return undefined;
    glue = new Set([...match[1]].map((char) => char.charCodeAt(0)));
  }
  const isSpace = (code: number): boolean => code === SPACE || code === METASPACE;
  return (text, start) => {
    let i = start;
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    while (i < text.length) {
      const code = text.charCodeAt(i);
      if (isSpace(code)) break;
      i++;
      if (glue.has(code)) while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    }
    return i;
  };
}
