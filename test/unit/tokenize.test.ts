import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';
import { get_encoding, type Tiktoken as WasmTiktoken } from 'tiktoken';
import {
  ESTIMATE_FACTOR,
  getLoadedTokenCounter,
  isTokenizerLoaded,
  loadTokenCounter,
  type EncodingName,
} from '../../src/core/tokenize/tokenCounter';
import { PieceTokenCounts } from '../../src/core/tokenize/pieceCounter';
import { countPieceTokens, pieceTokenLengths, utf8Bytes } from '../../src/core/tokenize/bytePairEncoding';
import { NO_RANK, RankTable } from '../../src/core/tokenize/rankTable';
import { canCutAfterNewline, chunkEnds } from '../../src/core/tokenize/chunkText';
import type { TokenCounter } from '../../src/core/types';

const CORPUS_DIR = path.resolve(__dirname, '../../../test/fixtures/corpus');
const corpus = fs
  .readdirSync(CORPUS_DIR)
  .filter((name) => !name.startsWith('.'))
  .map((name) => ({ name, text: fs.readFileSync(path.join(CORPUS_DIR, name), 'utf8') }));
const DIST_DIR = path.resolve(__dirname, '../../../dist');
const ENCODINGS = ['o200k_base', 'cl100k_base'] as const satisfies readonly EncodingName[];

/** Realistic fragments random documents are built from. */
const fragment = fc.oneof(
  fc.constantFrom('the', ' the', 'Token', ' budgets', "it's", " don't", 'HTTPServer', 'naïve', 'e\u0301'),
  fc.constantFrom(' ', '  ', '   ', '\t', '\u00a0', '\u3000'),
  fc.constantFrom('\n', '\n\n', '\r\n', '\r', '  \n', '\n  \n'),
  fc.constantFrom('// note', '/', '//', '/* x */', ';', '.', '{', '}', '();', '->', '!!'),
  fc.constantFrom('東京は日本の首都です', '机器学习', '한국어', '🙂', '👍🏽', '👩‍💻', '🇯🇵'),
  fc.constantFrom('1', '12', '1234', '3.14159', '2024-05-01', '1,000,000'),
  fc.constantFrom('<|endoftext|>', '<|fim_prefix|>', '<|endofprompt|>'),
  fc.string({ unit: 'grapheme', maxLength: 4 }),
);
const documentText = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

/** Counts with the tiktoken WASM reference, treating special-token literals as text. */
function referenceCount(encoding: WasmTiktoken, text: string): number {
  return encoding.encode(text, [], []).length;
}

describe('loading tokenizers', () => {
  test('importing the tokenizer module loads no ranks until a counter is asked for, and never js-tiktoken', () => {
    assert.equal(isTokenizerLoaded('o200k_base'), false);
    assert.equal(isTokenizerLoaded('cl100k_base'), false);
    assert.equal(isTokenizerLoaded('estimate'), false);
    assert.equal(getLoadedTokenCounter('o200k_base'), undefined);
    const jsTiktokenModules = Object.keys(require.cache).filter((id) => id.includes(`${path.sep}js-tiktoken${path.sep}`));
    assert.deepEqual(jsTiktokenModules, []);
  });

  test('loads an encoding on first request, once, and shares the counter', async () => {
    const [first, second] = await Promise.all([loadTokenCounter('cl100k_base'), loadTokenCounter('cl100k_base')]);
    assert.equal(first, second);
    assert.equal(isTokenizerLoaded('cl100k_base'), true);
    assert.equal(isTokenizerLoaded('o200k_base'), false, 'only the requested encoding is loaded');
    assert.equal(getLoadedTokenCounter('cl100k_base'), first);
    assert.equal(first.exact, true);
    assert.equal(first.tokenizer, 'cl100k_base');
  });
});

for (const name of ENCODINGS) {
  describe(`${name} counts`, () => {
    let counter: TokenCounter;
    let reference: WasmTiktoken;
    before(async () => {
      counter = await loadTokenCounter(name);
      reference = get_encoding(name);
    });
    after(() => reference.free());

    test('counts every corpus file exactly as tiktoken does', () => {
      for (const { name: file, text } of corpus) {
        assert.equal(counter.count(text), referenceCount(reference, text), file);
        // A second, warm-memo count must not drift.
        assert.equal(counter.count(text), referenceCount(reference, text), `${file} (warm)`);
      }
    });

    test('counts a literal <|endoftext|> as the plain text it is', () => {
      const text = 'before <|endoftext|> after';
      assert.equal(counter.count(text), referenceCount(reference, text));
      assert.ok(counter.count('<|endoftext|>') > 1, 'not collapsed into one special token');
    });

    test('counts random documents exactly as tiktoken does', () => {
      fc.assert(
        fc.property(documentText, (text) => counter.count(text) === referenceCount(reference, text)),
        { numRuns: 300 },
      );
    });

    test('the piece memo stays exact while it evicts', () => {
      const patterns = require(`js-tiktoken/ranks/${name}`) as { pat_str: string };
      let encoderCalls = 0;
      const tiny = new PieceTokenCounts(
        patterns.pat_str,
        (piece) => {
          encoderCalls++;
          return referenceCount(reference, piece);
        },
        8,
      );
      const all = corpus.map((file) => file.text).join('\n');
      assert.equal(tiny.count(all), referenceCount(reference, all));
      assert.equal(tiny.count(all), referenceCount(reference, all));
      assert.ok(tiny.size <= 16, `holds at most two generations, held ${tiny.size}`);
      const callsAfterTwoPasses = encoderCalls;
      const large = new PieceTokenCounts(patterns.pat_str, (piece) => referenceCount(reference, piece));
      large.count(all);
      assert.ok(callsAfterTwoPasses > 0);
    });

    test('the built ranks file holds exactly js-tiktoken\'s ranks and pattern', () => {
      const source = require(`js-tiktoken/ranks/${name}`) as { pat_str: string; bpe_ranks: string };
      const table = new RankTable(fs.readFileSync(path.join(DIST_DIR, `${name}.ranks`)));
      assert.equal(table.pattern, source.pat_str);
      let checked = 0;
      for (const line of source.bpe_ranks.split('\n')) {
        const fields = line.split(' ');
        const firstRank = Number.parseInt(fields[1], 10);
        for (let i = 2; i < fields.length; i++) {
          const bytes = Buffer.from(fields[i], 'base64');
          assert.equal(table.rankOf(bytes, 0, bytes.length), firstRank + i - 2);
          checked++;
        }
      }
      assert.ok(checked > 100_000, `${checked} tokens`);
      const notAToken = Buffer.from('a token this long and odd is in no vocabulary');
      assert.equal(table.rankOf(notAToken, 0, notAToken.length), NO_RANK);
    });

    test('our byte-pair merge gives the same tokens as tiktoken for every piece, long runs included', async () => {
      const table = new RankTable(fs.readFileSync(path.join(DIST_DIR, `${name}.ranks`)));
      const countByOurMerge = (text: string): number => {
        let total = 0;
        for (const match of text.matchAll(new RegExp(table.pattern, 'gu'))) total += countPieceTokens(utf8Bytes(match[0]), table);
        return total;
      };
      for (const { name: file, text } of corpus) assert.equal(countByOurMerge(text), referenceCount(reference, text), file);
      fc.assert(fc.property(documentText, (text) => countByOurMerge(text) === referenceCount(reference, text)), { numRuns: 200 });
      // Pieces of hundreds to thousands of bytes take the heap merge: its tokens, not just their number, must match.
      const longPiece = fc
        .tuple(fc.constantFrom('a', 'ab', ' ', '-', '=', '東', '京は', '0', 'x1', '🙂', 'é', 'the'), fc.integer({ min: 40, max: 1500 }), fc.constantFrom('', 'b', ' x', '!'))
        .map(([unit, times, tail]) => unit.repeat(times) + tail);
      fc.assert(
        fc.property(longPiece, (text) => {
          for (const match of text.matchAll(new RegExp(table.pattern, 'gu'))) {
            const bytes = utf8Bytes(match[0]);
            const expected = reference.encode(match[0], [], []);
            const lengths = pieceTokenLengths(bytes, table);
            if (lengths.length !== expected.length) return false;
            if (lengths.some((length, i) => length !== reference.decode_single_token_bytes(expected[i]).length)) return false;
          }
          return true;
        }),
        { numRuns: 60 },
      );
      // Runs that are one piece each; the reference needs seconds for these (it is quadratic), our merge milliseconds.
      const longRuns = ['-'.repeat(4000), ' '.repeat(3000) + 'x', '東京は日本の首都です'.repeat(300), 'QmFzZTY0'.repeat(500), 'a'.repeat(20_000), ' '.repeat(20_000), '7'.repeat(20_000), '東'.repeat(5_000)];
      for (const text of longRuns) assert.equal(counter.count(text), referenceCount(reference, text), `${text.slice(0, 8)}… × ${text.length}`);
    });

    test('token boundaries cover the text, one per token, on character boundaries', () => {
      for (const { name: file, text } of corpus) {
        const ends = counter.tokenBoundaries(text);
        const tokens = reference.encode(text, [], []);
        assert.equal(ends.length, tokens.length, file);
        assert.equal(ends.at(-1), text.length, file);
        // Expected ends from the reference's own token bytes, rounded up to whole characters.
        const expected: number[] = [];
        let bytes = 0;
        let offset = 0;
        let consumed = 0;
        for (const token of tokens) {
          bytes += reference.decode_single_token_bytes(token).length;
          while (consumed < bytes) {
            const codePoint = text.codePointAt(offset) ?? 0;
            consumed += Buffer.byteLength(String.fromCodePoint(codePoint));
            offset += codePoint > 0xffff ? 2 : 1;
          }
          expected.push(offset);
        }
        assert.deepEqual(ends, expected, file);
        const pieces = ends.map((end, i) => text.slice(i === 0 ? 0 : ends[i - 1], end));
        assert.equal(pieces.join(''), text, file);
      }
    });

    test('chunks of the corpus sum to the whole-text count', () => {
      for (const { name: file, text } of corpus) {
        assert.equal(sumOfChunks(reference, text, 24), referenceCount(reference, text), file);
      }
    });

    test('chunks of random documents sum to the whole-text count, long lines cut after words', () => {
      fc.assert(
        fc.property(documentText, fc.integer({ min: 1, max: 40 }), (text, maxLength) => {
          return sumOfChunks(reference, text, maxLength) === referenceCount(reference, text);
        }),
        { numRuns: 400 },
      );
    });
  });
}

describe('chunk rule', () => {
  let reference: WasmTiktoken;
  before(() => {
    reference = get_encoding('o200k_base');
  });
  after(() => reference.free());

  test('a lone carriage return after a newline keeps the two lines together', () => {
    // "Cut unless the next line is blank or starts with /" cuts here: `.\n\r/` is one piece.
    const text = 'x.\n\r/y';
    assert.notEqual(referenceCount(reference, 'x.\n') + referenceCount(reference, '\r/y'), referenceCount(reference, text));
    assert.equal(canCutAfterNewline(text, 2), false);
    assert.deepEqual(chunkEnds(text), [text.length]);
  });

  test('a // line after punctuation stays with it, as o200k_base joins them', () => {
    const text = 'x = 1;\n// why\ny = 2;\nz';
    assert.notEqual(referenceCount(reference, 'x = 1;\n') + referenceCount(reference, '// why\ny = 2;\nz'), referenceCount(reference, text));
    assert.deepEqual(chunkEnds(text), [14, 21, 22]);
  });

  test('blank lines stay with the line before', () => {
    assert.deepEqual(chunkEnds('one\n\n\ntwo\n  \nthree'), [6, 13, 18]);
  });
});

describe('estimates', () => {
  test('scale o200k_base counts for models without a public tokenizer', async () => {
    const estimate = await loadTokenCounter('estimate');
    const o200k = await loadTokenCounter('o200k_base');
    assert.equal(estimate.exact, false);
    assert.equal(estimate.tokenizer, 'estimate');
    assert.equal(isTokenizerLoaded('estimate'), true);
    for (const { name: file, text } of corpus) {
      assert.equal(estimate.count(text), Math.round(o200k.count(text) * ESTIMATE_FACTOR), file);
      assert.equal(estimate.tokenBoundaries(text).at(-1), text.length, file);
    }
    assert.equal(estimate.count(''), 0);
  });
});

function sumOfChunks(reference: WasmTiktoken, text: string, maxLength: number): number {
  let total = 0;
  let start = 0;
  for (const end of chunkEnds(text, maxLength)) {
    total += referenceCount(reference, text.slice(start, end));
    start = end;
  }
  return total;
}
