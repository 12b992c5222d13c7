import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { asciiPieceScanner, NOT_ASCII } from '../../src/core/tokenize/asciiPieces';
import { toJavaScriptPattern } from '../../src/core/tokenize/javaScriptPattern';
import { RankTable } from '../../src/core/tokenize/rankTable';
import { parseVocabularyHeader } from '../../src/core/tokenize/vocabularyHeader';
import { mixedText } from '../bench/mixedText';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Characters the patterns treat differently: cases and contractions, digits, every ASCII space,
// line breaks, punctuation (with `/`), control characters; and beside them letters, digits, marks
// and spaces that are not ASCII (where the scanner must hand over to the regex).
const ASCII = [...'abstdmlrevABSTDMLREVI0129\'" \t\n\r\v\f.,/-(){}$#`~', '\x00', '\x1b', '\x1f', '  ', "'s", "'LL", "'re", 'n\'t'];
const OTHER = ['é', 'É', '東', '\u00a0', '\u2028', '\u0301', '٣', 'ſ', '🙂', '\u200b', '\ufeff', '\u0085', 'K'];

type ScannedEncoding = 'o200k_base' | 'cl100k_base' | 'llama3' | 'qwen3' | 'tekken';

/** The encoding's pattern: OpenAI's `pat_str`, or the open family's main Split pattern from its header. */
function patternOf(encoding: ScannedEncoding): string {
  const pattern = new RankTable(readFileSync(join(__dirname, '..', '..', '..', 'dist', `${encoding}.ranks`))).pattern;
  const header = parseVocabularyHeader(pattern);
  return header ? header.splits[header.splits.length - 1] : pattern;
}

/** Pieces as `start:text`, from the regex alone. */
function regexPieces(pattern: string, text: string): string[] {
  return [...text.matchAll(new RegExp(toJavaScriptPattern(pattern), 'gu'))].map((match) => `${match.index}:${match[0]}`);
}

/** Pieces from the scanner, the regex taking each piece it declines; and how many it declined. */
function scannedPieces(pattern: string, text: string): { pieces: string[]; declined: number } {
  const scan = asciiPieceScanner(pattern)!;
  const sticky = new RegExp(toJavaScriptPattern(pattern), 'yu');
  const pieces: string[] = [];
  let declined = 0;
  for (let start = 0; start < text.length; ) {
    let end = scan(text, start);
    if (end === NOT_ASCII) {
      declined++;
      sticky.lastIndex = start;
      if (!sticky.test(text)) assert.fail(`the regex matches at ${start}`);
      end = sticky.lastIndex;
    }
    // The message is built only on failure: the texts run to 200,000 characters.
    if (end <= start) assert.fail(`no progress at ${start} of ${JSON.stringify(text)}`);
    pieces.push(`${start}:${text.slice(start, end)}`);
    start = end;
  }
  return { pieces, declined };
}

describe('pre-tokenizer pieces read over ASCII', () => {
  for (const encoding of ['o200k_base', 'cl100k_base', 'llama3', 'qwen3', 'tekken'] as const) {
    test(`${encoding}: the same pieces as the encoding's regex, on any text`, () => {
      const pattern = patternOf(encoding);
      const mostlyAscii = fc.array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ASCII) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER) }), { maxLength: 30 });
      fc.assert(
        fc.property(mostlyAscii, (parts) => {
          const text = parts.join('');
          const scanned = scannedPieces(pattern, text).pieces;
          const expected = regexPieces(pattern, text);
          if (scanned.join('\u0000') !== expected.join('\u0000')) assert.deepEqual(scanned, expected, JSON.stringify(text));
        }),
        { numRuns: 20_000 },
      );
      // Any UTF-16 text at all, lone surrogates included.
      fc.assert(
        fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
          assert.deepEqual(scannedPieces(pattern, text).pieces, regexPieces(pattern, text));
        }),
        { numRuns: 5_000 },
      );
    });

    test(`${encoding}: ASCII text is read without the regex, and a generated megabyte splits the same`, () => {
      const pattern = patternOf(encoding);
      const ascii = "It's 10:45 — no: it's 10:45.\n\n  def f(x):\n\treturn x ** 2  # don't\r\nHELLO World's 1234567 //path/to\n".replace('—', '-');
      const { pieces, declined } = scannedPieces(pattern, ascii);
      assert.equal(declined, 0);
      assert.deepEqual(pieces, regexPieces(pattern, ascii));
      const text = mixedText(200_000);
      assert.deepEqual(scannedPieces(pattern, text).pieces, regexPieces(pattern, text));
    });
  }

  test('only the patterns it implements get a scanner: the shipped vocabularies all do but DeepSeek', () => {
    assert.equal(asciiPieceScanner('\\s+|\\S+'), undefined);
    for (const encoding of ['o200k_base', 'cl100k_base', 'llama3', 'qwen3', 'tekken'] as const) assert.ok(asciiPieceScanner(patternOf(encoding)), encoding);
  });
});
