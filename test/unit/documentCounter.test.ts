import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { get_encoding, type Tiktoken as WasmTiktoken } from 'tiktoken';
import { countLargeText, countLargeTextAsync, DocumentTokenCounter } from '../../src/core/tokenize/documentCounter';
import { countingCounter } from '../countingCounter';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { TokenizerId } from '../../src/core/types';

/** Realistic fragments: words, space runs, newlines, blank lines, `//` lines, CJK, emoji, digits, CRLF. */
const fragment = fc.oneof(
  fc.constantFrom('the', ' the', ' model', 'Budget', "it's", 'x', ' y;', 'naïve'),
  fc.constantFrom(' ', '  ', '    ', '\t'),
  fc.constantFrom('\n', '\n\n', '\r\n', '  \n', '\n   \n', '\r'),
  fc.constantFrom('// comment', '//', '/', ';', '.', '{', '}', '<|endoftext|>', '<start_of_turn>', '>', '▁'),
  fc.constantFrom('東京は日本の首都です', '机器学习', '🙂', '👍🏽', '👩‍💻'),
  fc.constantFrom('1', '42', '12345', '3.14'),
);
const documentText = fc.array(fragment, { maxLength: 80 }).map((parts) => parts.join(''));
const edit = fc.record({
  at: fc.nat(),
  // Edits at the start of a line are where a chunk's end can stop being a safe cut.
  atLineStart: fc.boolean(),
  deleted: fc.nat({ max: 12 }),
  inserted: fc.array(fragment, { maxLength: 3 }).map((parts) => parts.join('')),
});

describe('DocumentTokenCounter', () => {
  let reference: WasmTiktoken;
  before(() => {
    reference = get_encoding('o200k_base');
  });
  after(() => reference.free());

  for (const tokenizer of ['o200k_base', 'cl100k_base', 'llama3', 'qwen3', 'deepseek_v3', 'tekken', 'gemma3', 'estimate'] as TokenizerId[]) {
    test(`stays equal to a full ${tokenizer} count through random edits`, async () => {
      const counter = await loadTokenCounter(tokenizer);
      fc.assert(
        fc.property(documentText, fc.array(edit, { minLength: 1, maxLength: 12 }), fc.constantFrom(8, 64, 2048), (text, edits, maxChunkLength) => {
          const document = new DocumentTokenCounter(counter, text, { maxChunkLength });
          let expectedText = text;
          for (const { at, atLineStart, deleted, inserted } of edits) {
            let offset = at % (expectedText.length + 1);
            if (atLineStart) offset = expectedText.lastIndexOf('\n', offset - 1) + 1;
            const deletedLength = Math.min(deleted, expectedText.length - offset);
            document.applyEdit(offset, deletedLength, inserted);
            expectedText = expectedText.slice(0, offset) + inserted + expectedText.slice(offset + deletedLength);
            assert.equal(document.getText(), expectedText);
            assert.equal(document.total, counter.count(expectedText));
          }
          if (tokenizer === 'o200k_base') assert.equal(document.total, reference.encode(expectedText, [], []).length);
        }),
        { numRuns: 250 },
      );
    });
  }

  test('recounts only the chunks around a one-character edit', async () => {
    const o200k = await loadTokenCounter('o200k_base');
    const spy = countingCounter(o200k);
    const lines = Array.from({ length: 2000 }, (_, i) => `Line ${i} of the prompt, with some words.\n`);
    const document = new DocumentTokenCounter(spy.counter, lines.join(''));
    spy.reset();
    document.applyEdit(40_000, 0, 'x');
    assert.ok(spy.counted() < 200, `recounted ${spy.counted()} characters`);
    assert.equal(document.total, o200k.count(document.getText()));
  });

  test('setText replaces the text and its count', async () => {
    const counter = await loadTokenCounter('cl100k_base');
    const document = new DocumentTokenCounter(counter, 'first version\n');
    document.setText('');
    assert.equal(document.total, 0);
    assert.equal(document.chunkCount, 0);
    document.applyEdit(0, 0, 'typed into an empty document\nsecond line');
    assert.equal(document.total, counter.count('typed into an empty document\nsecond line'));
    assert.equal(document.length, 40);
  });

  test('rejects an edit outside the text', async () => {
    const document = new DocumentTokenCounter(await loadTokenCounter('o200k_base'), 'short');
    assert.throws(() => document.applyEdit(3, 5, ''), RangeError);
    assert.throws(() => document.applyEdit(-1, 0, 'x'), RangeError);
  });

  test('a pasted text of many chunks is counted exactly', async () => {
    const counter = await loadTokenCounter('o200k_base');
    const pasted = 'pasted line; with words\n'.repeat(30_000);
    const document = new DocumentTokenCounter(counter, 'head\ntail\n');
    document.applyEdit(5, 0, pasted);
    assert.equal(document.total, counter.count(`head\n${pasted}tail\n`));
  });
});

describe('counting large texts', () => {
  const text = 'A prompt paragraph with numbers 12345 and 東京 🙂.\n\n  // indented comment;\n'.repeat(5000);

  test('countLargeText sums chunk counts to the whole-text count', async () => {
    for (const tokenizer of ['o200k_base', 'cl100k_base', 'llama3', 'qwen3', 'deepseek_v3', 'tekken', 'gemma3', 'estimate'] as TokenizerId[]) {
      const counter = await loadTokenCounter(tokenizer);
      assert.equal(countLargeText(counter, text), counter.count(text), tokenizer);
    }
  });

  test('countLargeTextAsync yields to the event loop and can be cancelled', async () => {
    const counter = await loadTokenCounter('o200k_base');
    let yields = 0;
    const yieldToEventLoop = async (): Promise<void> => {
      yields++;
    };
    assert.equal(await countLargeTextAsync(counter, text, { sliceMs: 0, yieldToEventLoop }), counter.count(text));
    assert.ok(yields > 10, `yielded ${yields} times`);

    const controller = new AbortController();
    const stopping = countLargeTextAsync(counter, text, {
      sliceMs: 0,
      signal: controller.signal,
      yieldToEventLoop: async () => controller.abort(new Error('document closed')),
    });
    await assert.rejects(stopping, /document closed/);
  });
});
