import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { chatFramingTokens } from '../../src/core/tokenize/chatFraming';
import { chunkEnds } from '../../src/core/tokenize/chunkText';
import { loadTokenCounter, type ChunkableTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { VocabularyId } from '../../src/core/tokenize/vocabularies';

const ROOT = join(__dirname, '..', '..', '..');
const OPEN_FAMILIES = ['llama3', 'qwen3', 'deepseek_v3', 'tekken', 'gemma3'] as const satisfies readonly VocabularyId[];

/** Counts frozen from Hugging Face's reference implementation by scripts/freezeVocabularyFixtures.mjs. */
interface VocabularyFixture {
  reference: string;
  corpus: Record<string, number>;
  texts: Array<{ text: string; tokens: number }>;
}

function fixtureOf(id: VocabularyId): VocabularyFixture {
  return JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'vocabularies', `${id}.json`), 'utf8')) as VocabularyFixture;
}

/** The count of `text` summed over the chunks the live counter would cut it into (short chunks, many cuts). */
function chunkedCount(counter: ChunkableTokenCounter, text: string): number {
  let units = 0;
  let start = 0;
  for (const end of chunkEnds(text, 16)) {
    units += counter.countUnits(text.slice(start, end));
    start = end;
  }
  return counter.fromUnits(units);
}

for (const id of OPEN_FAMILIES) {
  describe(`${id} counts as the published tokenizer does`, () => {
    let counter: ChunkableTokenCounter;
    const fixture = fixtureOf(id);
    before(async () => {
      counter = await loadTokenCounter(id);
    });

    test(`every corpus file, exactly as ${fixture.reference}`, () => {
      assert.equal(counter.exact, true);
      assert.equal(counter.tokenizer, id);
      const mismatches: string[] = [];
      for (const [file, expected] of Object.entries(fixture.corpus)) {
        const text = readFileSync(join(ROOT, 'test', 'fixtures', 'corpus', file), 'utf8');
        const count = counter.count(text);
        if (count !== expected) mismatches.push(`${file}: ${count}, reference ${expected}`);
        if (chunkedCount(counter, text) !== expected) mismatches.push(`${file} in chunks: ${chunkedCount(counter, text)}, reference ${expected}`);
      }
      assert.deepEqual(mismatches, []);
    });

    test('400 random texts rich in whitespace, format characters, marks, CJK, digits, emoji and special tokens: zero mismatches, whole and in chunks', () => {
      const mismatches: string[] = [];
      for (const { text, tokens } of fixture.texts) {
        const count = counter.count(text);
        if (count !== tokens) mismatches.push(`${JSON.stringify(text)}: ${count}, reference ${tokens}`);
        const chunked = chunkedCount(counter, text);
        if (chunked !== tokens) mismatches.push(`${JSON.stringify(text)} in chunks: ${chunked}, reference ${tokens}`);
      }
      assert.equal(fixture.texts.length, 400);
      assert.deepEqual(mismatches, []);
    });

    test('token boundaries: one per token, increasing, ending at the end of the text', () => {
      for (const { text, tokens } of fixture.texts.slice(0, 100)) {
        const ends = counter.tokenBoundaries(text);
        assert.equal(ends.length, tokens, JSON.stringify(text));
        for (let i = 1; i < ends.length; i++) assert.ok(ends[i] >= ends[i - 1], JSON.stringify(text));
        if (text.length > 0) assert.equal(ends[ends.length - 1], text.length, JSON.stringify(text));
      }
    });
  });
}

describe('special-token literals in prompt text', () => {
  test('Llama 3, Qwen 3 and DeepSeek count a literal special token as one token, as Hugging Face tokenizers match it', async () => {
    assert.equal((await loadTokenCounter('qwen3')).count('<|im_start|>'), 1);
    assert.equal((await loadTokenCounter('llama3')).count('<|eot_id|>'), 1);
    assert.equal((await loadTokenCounter('deepseek_v3')).count('<｜User｜>'), 1);
  });

  test("Gemma 3 counts its added tokens as one each, as Hugging Face matches them: turn markers, unused slots, runs of line breaks, tabs and '▁'", async () => {
    const gemma = await loadTokenCounter('gemma3');
    for (const literal of ['<start_of_turn>', '<end_of_turn>', '<bos>', '<unused42>', '[multimodal]', '<table>', '\n\n\n', '\t\t', '▁▁▁▁']) assert.equal(gemma.count(literal), 1, JSON.stringify(literal));
    // 31 line breaks are the longest run it has: 40 are two tokens.
    assert.equal(gemma.count('\n'.repeat(40)), 2);
    assert.equal(gemma.count('<start_of_turn>user\nHi<end_of_turn>'), 5);
  });

  test('tekken counts `[INST]` and `<s>` as the text they are, as Mistral never matches special tokens in text', async () => {
    const tekken = await loadTokenCounter('tekken');
    assert.ok(tekken.count('[INST]') > 1);
    assert.ok(tekken.count('<s>') > 1);
  });
});

describe('chat framing per family', () => {
  const messages = [
    { label: 'system', role: 'system', text: 'You are terse.', range: { start: 0, end: 0 } },
    { label: 'user', role: 'user', text: 'Summarise this report in French.', range: { start: 0, end: 0 } },
  ];
  const rendered: Record<'llama3' | 'qwen3' | 'deepseek_v3' | 'gemma3', string> = {
    llama3:
      '<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nYou are terse.<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nSummarise this report in French.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n',
    qwen3: '<|im_start|>system\nYou are terse.<|im_end|>\n<|im_start|>user\nSummarise this report in French.<|im_end|>\n<|im_start|>assistant\n',
    deepseek_v3: '<｜begin▁of▁sentence｜>You are terse.<｜User｜>Summarise this report in French.<｜Assistant｜>',
    // Gemma 3's template puts the system prompt at the head of the first user turn.
    gemma3: '<bos><start_of_turn>user\nYou are terse.\n\nSummarise this report in French.<end_of_turn>\n<start_of_turn>model\n',
  };

  for (const [id, text] of Object.entries(rendered) as Array<[keyof typeof rendered, string]>) {
    test(`${id}: a chat counts as its chat template renders it`, async () => {
      const counter = await loadTokenCounter(id);
      const content = messages.reduce((sum, message) => sum + counter.count(message.text), 0);
      assert.equal(content + chatFramingTokens(messages, counter), counter.count(text));
    });
  }

  test("tekken: `<s>`, `[INST]…[/INST]` around the user turn, the system prompt's blank line", async () => {
    assert.equal(chatFramingTokens(messages, await loadTokenCounter('tekken')), 4);
  });
});
