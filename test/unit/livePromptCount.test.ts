import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { LivePromptCount, type TextChange } from '../../src/core/count/livePromptCount';
import { countPrompt } from '../../src/core/prompts/countPrompt';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';
import { findVariables, noteVariables, variablesOfPieces } from '../../src/core/prompts/variables';
import { countingCounter } from '../countingCounter';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { TokenizerId } from '../../src/core/types';

// Pieces a prompt is made of, including the ones that stress chunk joins and frontmatter.
const PIECES = [
  'You are a helpful assistant.',
  ' ',
  '   ',
  '\n',
  '\n\n',
  '\r\n',
  '# Role\n',
  '## Examples\n',
  '---\n',
  'model: GPT-4o\n',
  'maxOutputTokens: 512\n',
  '// note\n',
  '/path/to/file',
  '```js\nconst x = 1;\n```\n',
  '{{customer_name}}',
  '${input:topic}',
  'système 你好 🙂',
  '1234567',
  '<|endoftext|>',
  'user:\n',
  'assistant:\n',
  // Fences and headings that only count outside a fence, and variables split across lines.
  '~~~\n',
  '````\n',
  '   ### Deep ###\n',
  '    # indented, not a heading\n',
  '#\n',
  '\r',
  '{{\n  topic\n}}',
  '${input:tone:a friendly tone}',
  '${input:x:',
  '}',
  '{',
  '$',
  '}}',
  // Long enough that chunks are cut inside the line, at spaces.
  `# ${'long heading '.repeat(170)}\n`,
  `{{ ${'lorem '.repeat(400)}}}`,
];

const documentText = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(''));
const frontmatterDocument = documentText.map((body) => `---\nmodel: GPT-4o\nmaxOutputTokens: 100\n---\n${body}`);
// With or without a BOM, a frontmatter (closed by \n, \r or the end of the text), or a rule.
const anyHeadDocument = fc
  .tuple(fc.constantFrom('', '\ufeff'), fc.constantFrom('', '---\nmodel: GPT-4o\n---\n', '---\r\nmodel: GPT-4o\r\n---\r', '---\nmodel: x\n---', '---\n', '--'), documentText)
  .map((parts) => parts.join(''));

/** A random edit of `text`: its range is picked by fractions so it always fits. */
const edit = fc.record({
  start: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.double({ min: 0, max: 0.3, noNaN: true }),
  text: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((parts) => parts.join('')),
});

function toChange(text: string, raw: { start: number; length: number; text: string }): TextChange {
  const offset = Math.floor(raw.start * text.length);
  const deletedLength = Math.min(text.length - offset, Math.floor(raw.length * text.length));
  return { offset, deletedLength, text: raw.text };
}

async function assertLiveEqualsFresh(fileName: string, tokenizer: TokenizerId, initial: fc.Arbitrary<string>): Promise<void> {
  const counter = await loadTokenCounter(tokenizer);
  fc.assert(
    fc.property(initial, fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (text, batches) => {
      const live = new LivePromptCount(fileName, text, counter);
      let current = text;
      for (const batch of batches) {
        // One event may carry several changes (multi-cursor), each relative to the text the previous left.
        const changes = batch.map((raw) => {
          const change = toChange(current, raw);
          current = current.slice(0, change.offset) + change.text + current.slice(change.offset + change.deletedLength);
          return change;
        });
        live.applyChanges(changes);
        const freshParse = parsePrompt(fileName, current);
        const fresh = countPrompt(freshParse, counter);
        const { count, parsed } = live.result();
        assert.equal(live.currentText, current);
        // The same parse as a fresh one, segment texts aside (the live parse does not carry them).
        assert.deepEqual(parsed, { ...freshParse, segments: freshParse.segments.map((segment) => ({ ...segment, text: '' })), rendered: undefined }, `parse after editing to ${JSON.stringify(current)}`);
        assert.equal(count.tokens, fresh.tokens, `tokens after editing to ${JSON.stringify(current)}`);
        assert.deepEqual(count.segmentTokens, fresh.segmentTokens);
      }
    }),
    { numRuns: 150 },
  );
}

describe('live counting in the editor', () => {
  test('a Markdown prompt edited at random counts what a fresh count of the new text gives', async () => {
    await assertLiveEqualsFresh('notes.md', 'o200k_base', documentText);
  });

  test('a .prompt.md whose frontmatter and body are edited stays exact (cl100k_base)', async () => {
    await assertLiveEqualsFresh('agent.prompt.md', 'cl100k_base', frontmatterDocument);
  });

  test('a Markdown prompt with any head (BOM, frontmatter closed any way, a rule) stays exact, parse included', async () => {
    await assertLiveEqualsFresh('notes.md', 'o200k_base', anyHeadDocument);
    await assertLiveEqualsFresh('agent.prompt.md', 'o200k_base', anyHeadDocument);
    await assertLiveEqualsFresh('draft.txt', 'o200k_base', anyHeadDocument);
  });

  test('every small edit at every offset of awkward heads gives the fresh parse and count', async () => {
    const counter = await loadTokenCounter('o200k_base');
    const documents = [
      '---\r\nmodel: GPT-4o\r\n---\r# A\n{{x}}\n',
      '\ufeff# T\n```\n# no\n```\n## B\n${input:y}',
      '---\nmodel: x\n---',
      'ab',
      '--- \n# h\n',
      '# A\r\n\r\nb {{ c\n}}',
      // A frontmatter never closed, and a rule of dashes: any edit below may change the head.
      '---\nm: 1\n# A\n```\n# B',
      '----\n# A\r\n-- x',
    ];
    const inserts = ['', '\n', '\r', '-', 'x', '#', '}', '\ufeff', '---\n'];
    for (const fileName of ['notes.md', 'a.prompt.md', 'd.txt']) {
      for (const text of documents) {
        for (let offset = 0; offset <= text.length; offset++) {
          for (let deletedLength = 0; deletedLength <= Math.min(2, text.length - offset); deletedLength++) {
            for (const insert of inserts) {
              const live = new LivePromptCount(fileName, text, counter);
              live.applyChanges([{ offset, deletedLength, text: insert }]);
              const current = text.slice(0, offset) + insert + text.slice(offset + deletedLength);
              const fresh = parsePrompt(fileName, current);
              const { parsed, count } = live.result();
              const what = `${fileName} ${JSON.stringify(text)} -> ${JSON.stringify(current)}`;
              assert.deepEqual(parsed, { ...fresh, segments: fresh.segments.map((segment) => ({ ...segment, text: '' })), rendered: undefined }, what);
              assert.deepEqual(count.segmentTokens, countPrompt(fresh, counter).segmentTokens, what);
            }
          }
        }
      }
    }
  });

  test('variables read from pieces are those of the joined text, also when a piece kept from before gains pieces after it', () => {
    const pieces = ['Dear {{\n', '  customer', '}', '}, see ${input:x:', 'a', '} ok\n'];
    const notes = pieces.map(noteVariables);
    assert.deepEqual(variablesOfPieces(pieces, notes), findVariables([pieces.join('')]));
    assert.deepEqual(variablesOfPieces(pieces, notes), ['customer', 'x']);
    // The same first piece, read before the rest was typed, then after.
    const first = noteVariables('{{ name ');
    assert.deepEqual(variablesOfPieces(['{{ name '], [first]), []);
    assert.deepEqual(variablesOfPieces(['{{ name ', '}}'], [first, noteVariables('}}')]), ['name']);
  });

  test('two edits in a row, or in one event, at every pair of offsets of short heads give the fresh parse and count', async () => {
    const counter = await loadTokenCounter('o200k_base');
    const inserts = ['', '\n', '-', '#'];
    const editsOf = (text: string): TextChange[] => {
      const edits: TextChange[] = [];
      for (let offset = 0; offset <= text.length; offset++) {
        for (let deletedLength = 0; deletedLength <= Math.min(1, text.length - offset); deletedLength++) {
          for (const insert of inserts) if (deletedLength > 0 || insert) edits.push({ offset, deletedLength, text: insert });
        }
      }
      return edits;
    };
    const apply = (text: string, change: TextChange) => text.slice(0, change.offset) + change.text + text.slice(change.offset + change.deletedLength);
    for (const [fileName, text] of [
      ['a.md', '--\n# A\n-'],
      ['a.prompt.md', '---\nm\n# A'],
      ['a.txt', 'a\nb'],
    ]) {
      for (const first of editsOf(text)) {
        const between = apply(text, first);
        for (const second of editsOf(between)) {
          const current = apply(between, second);
          const fresh = parsePrompt(fileName, current);
          const expected = { ...fresh, segments: fresh.segments.map((segment) => ({ ...segment, text: '' })), rendered: undefined };
          const what = `${fileName} ${JSON.stringify(text)} -> ${JSON.stringify(between)} -> ${JSON.stringify(current)}`;
          for (const together of [false, true]) {
            const live = new LivePromptCount(fileName, text, counter);
            if (together) live.applyChanges([first, second]);
            else {
              live.applyChanges([first]);
              live.result();
              live.applyChanges([second]);
            }
            const { parsed, count } = live.result();
            assert.deepEqual(parsed, expected, what);
            assert.equal(count.tokens, counter.count(fresh.segments.map((segment) => segment.text).join('')), what);
          }
        }
      }
    }
  });

  test('typing in the first heading of a long Markdown or text file recounts only the lines around the edit', async () => {
    const o200k = await loadTokenCounter('o200k_base');
    const long = Array.from({ length: 3000 }, (_, i) => `Line ${i} of the body, with some words.\n`).join('');
    for (const [fileName, text, offset] of [
      ['long.md', `# Title\n\n${long}`, 2],
      ['long.md', `---- \n# Title\n\n${long}`, 9],
      ['long.prompt.md', `---\nmodel: x\n# Title, frontmatter never closed\n\n${long}`, 16],
      ['long.txt', `Title\n\n${long}`, 0],
    ] as const) {
      const spy = countingCounter(o200k);
      const live = new LivePromptCount(fileName, text, spy.counter);
      live.result();
      spy.reset();
      live.applyChanges([{ offset, deletedLength: 0, text: 'A' }]);
      const { count } = live.result();
      assert.ok(spy.counted() < 200, `${fileName}: recounted ${spy.counted()} characters`);
      assert.equal(count.tokens, countPrompt(parsePrompt(fileName, live.currentText), o200k).tokens, fileName);
    }
  });

  test('a Prompty chat file stays exact, message framing included', async () => {
    await assertLiveEqualsFresh('chat.prompty', 'o200k_base', frontmatterDocument);
  });

  test('estimates stay the same however the edits fall', async () => {
    await assertLiveEqualsFresh('draft.txt', 'estimate', documentText);
  });

  test('several changes in one event (multi-cursor) apply in order', async () => {
    const counter = await loadTokenCounter('o200k_base');
    const live = new LivePromptCount('a.md', '# A\nalpha\n# B\nbeta\n', counter);
    // VS Code reports multi-cursor edits last-first, each relative to the text the previous left.
    live.applyChanges([
      { offset: 14, deletedLength: 4, text: 'BETA' },
      { offset: 4, deletedLength: 5, text: 'ALPHA' },
    ]);
    assert.equal(live.currentText, '# A\nALPHA\n# B\nBETA\n');
    assert.equal(live.result().count.tokens, counter.count('# A\nALPHA\n# B\nBETA\n'));
  });

  test('switching tokenizer recounts with the new one', async () => {
    const o200k = await loadTokenCounter('o200k_base');
    const cl100k = await loadTokenCounter('cl100k_base');
    const text = 'Réponds en français, s’il te plaît. 東京の天気は？\n';
    const live = new LivePromptCount('p.txt', text, o200k);
    live.setCounter(cl100k);
    assert.equal(live.result().count.tokens, cl100k.count(text));
    assert.equal(live.result().count.tokenizer, 'cl100k_base');
  });

  test('typing at the end of a long Markdown section recounts only the lines around the edit, sections included', async () => {
    const o200k = await loadTokenCounter('o200k_base');
    const spy = countingCounter(o200k);
    const long = Array.from({ length: 3000 }, (_, i) => `Line ${i} of the long section, with some words.\n`).join('');
    const text = `# Intro\n\nShort.\n\n# Details\n\n${long}`;
    const live = new LivePromptCount('long.md', text, spy.counter);
    live.result();
    spy.reset();
    live.applyChanges([{ offset: text.length, deletedLength: 0, text: 'More words' }]);
    const { count } = live.result();
    assert.ok(spy.counted() < 200, `recounted ${spy.counted()} characters`);
    const fresh = countPrompt(parsePrompt('long.md', live.currentText), o200k);
    assert.equal(count.tokens, fresh.tokens);
    assert.deepEqual(count.segmentTokens, fresh.segmentTokens);
  });
});
