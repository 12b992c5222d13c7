import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as fc from 'fast-check';
import { toJavaScriptPattern } from '../../src/core/tokenize/javaScriptPattern';
import { metaspacePieceScanner } from '../../src/core/tokenize/metaspacePieces';
import { sentencePieceVocabularyFromTokenizerJson } from '../../src/core/tokenize/sentencePieceVocabulary';
import { loadTokenCounter, setRanksReader, type ChunkableTokenCounter } from '../../src/core/tokenize/tokenCounter';

const ORIGIN = { source: 'a test tokenizer', sha256: '0'.repeat(64), matchSpecialTokens: true };

/**
 * A tokenizer.json shaped like Gemma 3's, small enough to reason about: 'ab' and 'cd' have lower ids
 * than 'bc', but 'bc' is merged first.
 */
function tokenizerJson(changes: { pieces?: string[]; merges?: Array<[string, string]>; normalizer?: unknown } = {}): Record<string, unknown> {
  const vocab: Record<string, number> = { '<unk>': 0, '<eot>': 1 };
  for (let byte = 0; byte < 256; byte++) vocab[`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`] = Object.keys(vocab).length;
  for (const piece of ['a', 'b', 'c', 'd', '▁', 'ab', 'cd', 'bc', '▁a', ...(changes.pieces ?? [])]) vocab[piece] = Object.keys(vocab).length;
  const added = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    added_tokens: [added(0, '<unk>'), added(1, '<eot>')],
    normalizer: changes.normalizer ?? { type: 'Replace', pattern: { String: ' ' }, content: '▁' },
    pre_tokenizer: { type: 'Split', pattern: { String: ' ' }, behavior: 'MergedWithPrevious', invert: false },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab,
      merges: [['b', 'c'], ['a', 'b'], ['c', 'd'], ['▁', 'a'], ...(changes.merges ?? [])],
    },
  };
}

describe('a SentencePiece tokenizer.json converted for counting', () => {
  let counter: ChunkableTokenCounter;
  before(async () => {
    const file = sentencePieceVocabularyFromTokenizerJson(tokenizerJson(), ORIGIN);
    setRanksReader(async (name) => {
      if (name !== 'gemma3') throw new Error(`no ${name} in this test`);
      return file;
    });
    counter = await loadTokenCounter('gemma3');
  });

  test('merges in the order of first merges, not of ids: "abcd" is a, bc, d', () => {
    assert.equal(counter.count('abcd'), 3);
    assert.deepEqual(counter.tokenBoundaries('abcd'), [1, 3, 4]);
  });

  test("a space is '▁' and merges with the word after it; no space is added in front of the text", () => {
    assert.equal(counter.count(' a'), 1);
    assert.equal(counter.count('a a'), 2);
  });

  test('a character that is no piece counts one token per UTF-8 byte and merges with nothing', () => {
    assert.equal(counter.count('é'), 2);
    assert.equal(counter.count('aébc'), 4);
    assert.equal(counter.count('🙂'), 4);
  });

  test('added tokens written in text are one token each', () => {
    assert.equal(counter.count('<eot>'), 1);
    assert.equal(counter.count('ab<eot>cd'), 3);
  });
});

describe('tokenizer.json files it refuses, rather than count them differently', () => {
  test('another normalizer (a dummy prefix added in front of the text)', () => {
    const prepend = { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, { type: 'Replace', pattern: { String: ' ' }, content: '▁' }] };
    assert.throws(() => sentencePieceVocabularyFromTokenizerJson(tokenizerJson({ normalizer: prepend }), ORIGIN), /normalizer/);
  });

  test('a piece made of two pieces that no merge joins (ranking by piece would join them)', () => {
    assert.throws(() => sentencePieceVocabularyFromTokenizerJson(tokenizerJson({ pieces: ['abc'], merges: [['ab', 'c']] }), ORIGIN), /"a" and "bc", but no merge joins them/);
  });

  test('a piece across a place where the live counter cuts text (a word and the space after it)', () => {
    assert.throws(() => sentencePieceVocabularyFromTokenizerJson(tokenizerJson({ pieces: ['a▁'], merges: [['a', '▁']] }), ORIGIN), /live counter cuts text/);
  });
});

describe("the split of Gemma 3's text into pieces", () => {
  const patterns = ['[ ▁]*(?:[^ ▁>]|[>][ ▁]*)+|[ ▁]+', '[ ▁]*[^ ▁]+|[ ▁]+'];
  const text = fc.array(fc.constantFrom(' ', '  ', '▁', '>', '</td>', 'a', 'word', '東京', '🙂', '\n', '\t', '-', ']'), { maxLength: 30 }).map((parts) => parts.join(''));

  for (const pattern of patterns) {
    test(`reading character codes finds the pieces the regex finds: ${pattern}`, () => {
      const scanner = metaspacePieceScanner(pattern);
      assert.ok(scanner);
      const regex = new RegExp(toJavaScriptPattern(pattern), 'gu');
      fc.assert(
        fc.property(text, (sample) => {
          const scanned: string[] = [];
          for (let start = 0; start < sample.length; ) {
            const end = scanner(sample, start);
            scanned.push(sample.slice(start, end));
            start = end;
          }
          assert.deepEqual(scanned, sample.match(regex) ?? []);
        }),
        { numRuns: 500 },
      );
    });
  }

  test('any other pattern is left to the regex', () => {
    assert.equal(metaspacePieceScanner('\\s+|\\S+'), undefined);
  });
});
