import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Tiktoken, type TiktokenBPE } from 'js-tiktoken/lite';
import { countPrompt } from '../../src/core/prompts/countPrompt';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { ParsedPrompt, PromptSegment, TokenCounter } from '../../src/core/types';

const fixtures = path.resolve(__dirname, '../../../test/fixtures/prompts');

/** One token per character: makes the overhead arithmetic visible. */
const charCounter: TokenCounter = {
  tokenizer: 'estimate',
  exact: false,
  count: (text) => text.length,
  tokenBoundaries: (text) => Array.from({ length: text.length }, (_, i) => i + 1),
};

/** One token per run of non-space characters: 'ab' + 'cd' is 2 tokens apart but 1 together. */
const wordCounter: TokenCounter = {
  tokenizer: 'estimate',
  exact: false,
  count: (text) => text.match(/\S+/g)?.length ?? 0,
  tokenBoundaries: () => [],
};

// Built here from js-tiktoken directly, so this test checks the formula, not our loader.
const o200k = require('js-tiktoken/ranks/o200k_base') as TiktokenBPE;
const encoder = new Tiktoken(o200k);
const o200kCounter: TokenCounter = {
  tokenizer: 'o200k_base',
  exact: true,
  count: (text) => encoder.encode(text, [], []).length,
  tokenBoundaries: () => [],
};

function chat(messages: Omit<PromptSegment, 'range' | 'label'>[], rendered?: string[]): ParsedPrompt {
  const segments = messages.map((message) => ({ ...message, label: message.role ?? '', range: { start: 0, end: 0 } }));
  return {
    format: 'chat-json',
    isChat: true,
    segments,
    bodyRange: { start: 0, end: 0 },
    variables: [],
    rendered: rendered?.map((text, i) => ({ ...segments[i], text })),
    problems: [],
  };
}

describe('countPrompt', () => {
  test('adds 3 per message, the role and name tokens, 1 per name, and 3 to prime the reply', () => {
    const parsed = chat([
      { role: 'system', text: 'Be brief.' },
      { role: 'user', name: 'bob', text: 'Hi!' },
    ]);
    const count = countPrompt(parsed, charCounter);
    assert.deepEqual(count.segmentTokens, [9, 3]);
    // 3 (reply) + [3 + 'system'] + [3 + 'user' + 1 + 'bob']
    assert.equal(count.overheadTokens, 3 + (3 + 6) + (3 + 4 + 1 + 3));
    assert.equal(count.tokens, 9 + 3 + count.overheadTokens);
    assert.equal(count.exact, false);
    assert.equal(count.tokenizer, 'estimate');
    assert.equal(count.renderedTokens, undefined);
  });

  test('counts the rendered messages with the same framing', () => {
    const parsed = chat([{ role: 'user', text: 'Hi {{name}}' }], ['Hi Jane']);
    const count = countPrompt(parsed, charCounter);
    assert.equal(count.tokens, 11 + 3 + (3 + 4));
    assert.equal(count.renderedTokens, 7 + 3 + (3 + 4));
  });

  test('a chat with no messages costs nothing', () => {
    const count = countPrompt(chat([]), charCounter);
    assert.equal(count.tokens, 0);
    assert.equal(count.overheadTokens, 0);
  });

  test('counts a non-chat body as one string, and each segment for display', () => {
    const parsed = parsePrompt('joined.md', 'ab\n# cd');
    assert.deepEqual(
      parsed.segments.map((segment) => segment.text),
      ['ab\n', '# cd'],
    );
    const count = countPrompt(parsed, wordCounter);
    assert.deepEqual(count.segmentTokens, [1, 2]);
    assert.equal(count.tokens, 3);
    const glued = countPrompt({ ...parsed, segments: [{ ...parsed.segments[0], text: 'ab' }, { ...parsed.segments[1], text: 'cd' }] }, wordCounter);
    assert.deepEqual(glued.segmentTokens, [1, 1]);
    assert.equal(glued.tokens, 1, 'the joined text, not the sum of the parts');
    assert.equal(glued.overheadTokens, 0);
  });

  test('leaves frontmatter out of a .prompt.md count', () => {
    const text = readFileSync(path.join(fixtures, 'support-agent.prompt.md'), 'utf8');
    const parsed = parsePrompt('support-agent.prompt.md', text);
    const body = text.slice(parsed.bodyRange.start);
    assert.equal(countPrompt(parsed, o200kCounter).tokens, o200kCounter.count(body));
    assert.ok(o200kCounter.count(body) < o200kCounter.count(text));
  });

  test('counts a chat file the way OpenAI bills it (o200k, the cookbook formula)', () => {
    const text = readFileSync(path.join(fixtures, 'conversation.json'), 'utf8');
    const messages = JSON.parse(text) as Record<string, string>[];
    // openai-cookbook "How to count tokens with tiktoken", num_tokens_from_messages for gpt-4o.
    let expected = 0;
    for (const message of messages) {
      expected += 3;
      for (const [key, value] of Object.entries(message)) {
        expected += encoder.encode(value).length;
        if (key === 'name') expected += 1;
      }
    }
    expected += 3;

    const count = countPrompt(parsePrompt('conversation.json', text), o200kCounter);
    assert.equal(count.tokens, expected);
    assert.equal(count.exact, true);
    assert.equal(count.tokenizer, 'o200k_base');
    assert.equal(count.segmentTokens.reduce((a, b) => a + b, 0) + count.overheadTokens, count.tokens);
  });

  test('counts the rendered .prompt.yml with its first testData row', () => {
    const text = readFileSync(path.join(fixtures, 'summarizer.prompt.yml'), 'utf8');
    const count = countPrompt(parsePrompt('summarizer.prompt.yml', text), o200kCounter);
    assert.ok(count.renderedTokens !== undefined && count.renderedTokens > count.tokens);
  });
});

// A Markdown body whose sections meet at safe cuts is counted as the sum of its sections (once, in
// the counter's units); anything else as one string. Either way the total must be the whole body's.
describe('countPrompt of Markdown sections, against a count of the whole body', () => {
  const fragment = fc.oneof(
    fc.constantFrom('# Role', '## Rules', '### 3. Steps', '#', '#nospace', '    # indented code', '```', '```ts', '~~~'),
    fc.constantFrom('the', ' the', ' model', 'Budget', "it's", 'x', ' y;', 'naïve', '{{name}}'),
    fc.constantFrom(' ', '  ', '\t'),
    fc.constantFrom('\n', '\n', '\n\n', '\r\n', '  \n', '\n   \n', '\r', '\n/', '\n// note', '\n\t'),
    fc.constantFrom('/', '//', ';', '.', '!', '<|endoftext|>'),
    fc.constantFrom('東京は日本の首都です', '🙂', '👩‍💻', '12345', '3.14'),
  );
  const body = fc.array(fragment, { maxLength: 60 }).map((parts) => parts.join(''));

  for (const tokenizer of ['o200k_base', 'cl100k_base', 'estimate'] as const) {
    test(`${tokenizer}: the total is the whole body's count, and each section's count its own`, async () => {
      const counter = await loadTokenCounter(tokenizer);
      fc.assert(
        fc.property(body, fc.constantFrom('prompt.md', 'notes.txt', 'agent.prompt.md'), (text, fileName) => {
          const parsed = parsePrompt(fileName, text);
          const count = countPrompt(parsed, counter);
          assert.equal(count.tokens, counter.count(parsed.segments.map((segment) => segment.text).join('')));
          assert.deepEqual(count.segmentTokens, parsed.segments.map((segment) => counter.count(segment.text)));
        }),
        { numRuns: 3000 },
      );
    });
  }

  test('a body of one section, or of sections that meet at headings, is counted once', async () => {
    const o200kOwn = await loadTokenCounter('o200k_base');
    let counted = 0;
    const spy: TokenCounter = Object.assign(Object.create(o200kOwn) as TokenCounter, {
      countUnits: (text: string) => {
        counted += text.length;
        return (o200kOwn as unknown as { countUnits(text: string): number }).countUnits(text);
      },
      count: (text: string) => {
        counted += text.length;
        return o200kOwn.count(text);
      },
    });
    const text = '# One\n\nFirst part.\n\n# Two\n\nSecond part.\n';
    assert.equal(countPrompt(parsePrompt('a.md', text), spy).tokens, o200kCounter.count(text));
    assert.equal(counted, text.length);
  });
});
