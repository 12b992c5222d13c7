import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { get_encoding, type Tiktoken } from 'tiktoken';
import { chunkEnds } from '../../src/core/tokenize/chunkText';
import { toJavaScriptPattern } from '../../src/core/tokenize/javaScriptPattern';
import { loadTokenCounter, type ChunkableTokenCounter } from '../../src/core/tokenize/tokenCounter';
import { isUnicodeWhiteSpace } from '../../src/core/tokenize/unicodeWhiteSpace';

// The 25 characters of Unicode White_Space, and format characters that sit next to them in real
// text (BOM / zero-width no-break space, zero-width space and joiners, word joiner, Mongolian vowel separator).
const WHITE_SPACE = ['\t', '\n', '\v', '\f', '\r', ' ', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000'];
const FORMAT = ['\ufeff', '\u200b', '\u200c', '\u200d', '\u2060', '\u180e'];
const WORDS = ['word', 'Word', "'t", "'s", "'LL", 'x', '1', '123', '.', '/', '!', 'é', '東京'];

const spaceRichText = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...WHITE_SPACE) }, { weight: 2, arbitrary: fc.constantFrom(...FORMAT) }, { weight: 2, arbitrary: fc.constantFrom(...WORDS) }), { maxLength: 40 })
  .map((parts) => parts.join(''));

describe('whitespace as tiktoken reads it (Unicode White_Space)', () => {
  test('the 25 White_Space characters are whitespace, U+FEFF and the other format characters are not', () => {
    assert.equal(WHITE_SPACE.length, 25);
    for (const char of WHITE_SPACE) assert.equal(isUnicodeWhiteSpace(char.charCodeAt(0)), true, escape(char));
    for (const char of FORMAT) assert.equal(isUnicodeWhiteSpace(char.charCodeAt(0)), false, escape(char));
    // Every other BMP code unit agrees with JavaScript's \s.
    for (let code = 0; code < 0x10000; code++) {
      if (code === 0x85 || code === 0xfeff) continue;
      if (isUnicodeWhiteSpace(code) !== /\s/.test(String.fromCharCode(code))) assert.fail(`U+${code.toString(16)}`);
    }
  });

  test('patterns are translated: \\s and \\S as White_Space, (?i:...) spelled out', () => {
    const space = new RegExp(`^${toJavaScriptPattern('\\s+')}$`, 'u');
    assert.equal(space.test('\u0085 '), true);
    assert.equal(space.test('\ufeff'), false);
    const contraction = new RegExp(`^${toJavaScriptPattern("(?i:'s|'ll)")}$`, 'u');
    for (const text of ["'s", "'S", "'\u017f", "'ll", "'Ll", "'LL"]) assert.equal(contraction.test(text), true, text);
    assert.equal(contraction.test("'x"), false);
    assert.throws(() => toJavaScriptPattern('(?x:a)'), /unsupported group/);
  });

  for (const name of ['o200k_base', 'cl100k_base'] as const) {
    describe(name, () => {
      let counter: ChunkableTokenCounter;
      let reference: Tiktoken;
      before(async () => {
        counter = await loadTokenCounter(name);
        reference = get_encoding(name);
      });
      after(() => reference.free());

      test("the issue's examples count as tiktoken does", () => {
        assert.equal(counter.count(' \ufeffword'.repeat(500)), 1000);
        assert.equal(counter.count("\u0085't".repeat(1000)), 3000);
        assert.equal(counter.count('x   \ufeff\ufeff end'), reference.encode('x   \ufeff\ufeff end', [], []).length);
      });

      test('random text rich in space and format characters counts as tiktoken does, whole and in chunks', () => {
        fc.assert(
          fc.property(spaceRichText, (text) => {
            const expected = reference.encode(text, [], []).length;
            const count = counter.count(text);
            if (count !== expected) assert.equal(count, expected, JSON.stringify(text));
            let units = 0;
            let start = 0;
            for (const end of chunkEnds(text, 8)) {
              units += counter.countUnits(text.slice(start, end));
              start = end;
            }
            if (units !== expected) assert.equal(units, expected, `chunked: ${JSON.stringify(text)}`);
          }),
          { numRuns: 3000 },
        );
      });
    });
  }
});
