// Prompt files written to mislead the count: aliases, broken caps, odd chat messages. Each one is
// counted as it is sent, or reported where it is written; never a smaller number without a word.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { decodePromptText } from '../../src/core/io/decodePromptText';
import { countPrompt } from '../../src/core/prompts/countPrompt';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';
import type { ParsedPrompt, Problem } from '../../src/core/types';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../runCliInProcess';

const parsePrompty = (text: string) => parsePrompt('t.prompty', text);
const rules = (parsed: ParsedPrompt) => parsed.problems.map((problem) => problem.rule);
const errorsOf = (parsed: ParsedPrompt, rule: string): Problem[] => parsed.problems.filter((problem) => problem.rule === rule && problem.severity === 'error');

describe('YAML aliases in a .prompt.yml', () => {
  const message = 'Reply in the customer’s language and cite the policy section you rely on. '.repeat(200);

  test('an aliased message is counted each time it is sent', async () => {
    const aliases = Array.from({ length: 50 }, () => '  - *m').join('\n');
    const text = `model: gpt-4o\nmessages:\n  - &m\n    role: user\n    content: "${message}"\n${aliases}\n`;
    const parsed = parsePrompt('bomb.prompt.yml', text);
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.segments.length, 51);
    assert.ok(parsed.segments.every((segment) => segment.text === message && segment.role === 'user'));
    // Each aliased message is ranged over its own `*m`, where its inline count belongs.
    assert.equal(text.slice(parsed.segments[1].range.start, parsed.segments[1].range.end), '*m');

    const counter = await loadTokenCounter('o200k_base');
    const one = countPrompt(parsePrompt('one.prompt.yml', `messages:\n  - role: user\n    content: "${message}"\n`), counter);
    const all = countPrompt(parsed, counter);
    assert.ok(all.tokens > 50 * one.tokens, `${all.tokens} tokens for 51 messages of ${one.tokens}`);
  });

  test('aliased roles, contents and a whole aliased message list count too', () => {
    const text = 'defs:\n  r: &r system\n  c: &c Be brief.\n  list: &list\n    - role: *r\n      content: *c\nmessages: *list\n';
    const parsed = parsePrompt('aliases.prompt.yml', text);
    assert.deepEqual(parsed.segments.map((segment) => [segment.role, segment.text]), [['system', 'Be brief.']]);
  });

  test('an alias bomb in a content is refused as an error, not counted as nothing', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) levels.push(`l${level}: &l${level} [${Array(10).fill(level === 1 ? '*a' : `*l${level - 1}`).join(', ')}]`);
    const text = `defs:\n${levels.map((line) => `  ${line}`).join('\n')}\nmessages:\n  - role: user\n    content: *l8\n`;
    const parsed = parsePrompt('bomb.prompt.yml', text);
    assert.equal(errorsOf(parsed, 'yaml-aliases').length, 1);
    assert.match(errorsOf(parsed, 'yaml-aliases')[0].message, /expands too many aliases to count/);
  });

  test('an alias bomb in testData or a Prompty sample is an error, not a sample rendered as nothing', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level < 9; level++) levels.push(`l${level}: &l${level} [${Array(10).fill(level === 1 ? '*a' : `*l${level - 1}`).join(', ')}]`);
    const defs = `defs:\n${levels.map((line) => `  ${line}`).join('\n')}\n`;
    const github = parsePrompt('t.prompt.yml', `${defs}messages:\n  - role: user\n    content: "Summarize {{doc}}"\ntestData:\n  - doc: *l8\n`);
    assert.match(errorsOf(github, 'yaml-aliases')[0]?.message ?? '', /sample value of 'doc' expands too many aliases/);
    const prompty = parsePrompty(`---\n${defs}sample:\n  doc: *l8\n---\nuser:\nSummarize {{doc}}\n`);
    assert.match(errorsOf(prompty, 'yaml-aliases')[0]?.message ?? '', /sample value of 'doc' expands too many aliases/);
  });

  test('a message without a role is reported, not silently dropped', () => {
    const parsed = parsePrompt('x.prompt.yml', 'messages:\n  - content: lost\n  - role: user\n    content: kept\n');
    assert.deepEqual(parsed.segments.map((segment) => segment.text), ['kept']);
    assert.equal(errorsOf(parsed, 'chat-message')[0]?.line, 2);
  });
});

describe('a declared max output that is not a whole number of tokens', () => {
  for (const bad of ['1e23', '-5', '20000.5', 'lots']) {
    test(`'${bad}' is an error where it is declared, in every format`, () => {
      const cases: [string, string, number][] = [
        ['a.prompt.md', `---\nmodel: gpt-4o\nmaxOutputTokens: ${bad}\n---\nHi\n`, 3],
        ['a.prompty', `---\nmodel:\n  id: gpt-4o\n  options:\n    maxOutputTokens: ${bad}\n---\nuser:\nHi\n`, 5],
        ['a.prompt.yml', `model: gpt-4o\nmodelParameters:\n  maxTokens: ${bad}\nmessages:\n  - role: user\n    content: Hi\n`, 3],
        ['a.json', `{"model": "gpt-4o",\n "max_tokens": ${/^[-\d.e]+$/.test(bad) ? bad : JSON.stringify(bad)},\n "messages": [{"role": "user", "content": "Hi"}]}`, 2],
      ];
      for (const [file, text, line] of cases) {
        const parsed = parsePrompt(file, text);
        assert.equal(parsed.maxOutputTokens, undefined, file);
        const [problem] = errorsOf(parsed, 'invalid-max-output');
        assert.ok(problem, `${file} reports ${bad}: ${JSON.stringify(parsed.problems)}`);
        assert.equal(problem.line, line, file);
        assert.match(problem.message, /must be a whole number of tokens/);
      }
    });
  }

  test('a whole number, or no value at all, is no problem', () => {
    assert.equal(parsePrompt('a.prompt.md', '---\nmaxOutputTokens: 500\n---\nHi\n').maxOutputTokens?.value, 500);
    assert.deepEqual(parsePrompt('a.prompt.md', '---\nmaxOutputTokens:\n---\nHi\n').problems, []);
    assert.deepEqual(parsePrompt('a.json', '{"max_tokens": null, "messages": [{"role": "user", "content": "Hi"}]}').problems, []);
  });
});

describe('a chat JSON file with one odd message', () => {
  test('names the odd message and counts the rest as chat, never the JSON syntax as text', () => {
    const text = '[\n  {"role": "system", "content": "Be brief."},\n  {"role": 7, "content": "odd role"},\n  {"role": "user", "content": {"text": "object"}},\n  {"role": "user", "content": "Hello"}\n]';
    const parsed = parsePrompt('chat.json', text);
    assert.equal(parsed.format, 'chat-json');
    assert.equal(parsed.isChat, true);
    assert.deepEqual(parsed.segments.map((segment) => segment.text), ['Be brief.', 'Hello']);
    const odd = errorsOf(parsed, 'chat-message');
    assert.deepEqual(odd.map((problem) => [problem.line, problem.message]), [
      [3, "Message 2: 'role' must be a string, not a number; it is not counted."],
      [4, "Message 3: 'content' must be a string or a list of parts, not an object; it is not counted."],
    ]);
    assert.ok(!rules(parsed).includes('chat-shape'));
  });

  test('a JSON file that only has a role key here and there is not taken for chat', () => {
    const parsed = parsePrompt('users.json', '[{"name": "ann", "role": "admin"}, {"name": "bob"}]', 'chat-json');
    assert.deepEqual(rules(parsed), ['chat-shape']);
  });
});

describe('a hostile prompt-budget.yaml', () => {
  test('a token count past 2^53 (1e23) is an error where it is written, not a number that lost its digits', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', 'models:\n  m:\n    maxOutputTokens: 1e23\n');
    assert.equal(config, undefined);
    assert.deepEqual(problems.map((problem) => [problem.line, problem.column, problem.message]), [[3, 22, "'maxOutputTokens' must be at most 9007199254740991."]]);
  });

  test('control characters from the file are escaped in messages, never printed raw', () => {
    const [problem] = parseBudgetConfig('prompt-budget.yaml', 'bud\rgets: 1\n').problems;
    assert.equal(problem.message.includes('\r'), false);
    assert.match(problem.message, /bud\\u000dgets/);
  });

  test('with two BOMs, the decoder drops one and positions count the other, as the editor shows it', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, ...new TextEncoder().encode('warnAt: 2\n')]);
    const decoded = decodePromptText('prompt-budget.yaml', bytes);
    assert.ok('text' in decoded);
    assert.equal(decoded.text, '\uFEFFwarnAt: 2\n');
    const [problem] = parseBudgetConfig('prompt-budget.yaml', decoded.text).problems;
    assert.equal(problem.rule, 'invalid-value');
    assert.equal(problem.column, 10, "the value after the editor's visible BOM");
  });
});

describe('the CLI on hostile prompts', () => {
  test('check fails on a broken max output where it is declared, and count counts aliased messages', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'prompt-budget-hostile-'));
    try {
      await writeFile(join(folder, 'capped.prompt.md'), '---\nmodel: gpt-4o\nmaxOutputTokens: -5\n---\nLabel this ticket.\n');
      const check = await runCliInProcess(['check', '.'], folder);
      assert.equal(check.code, 2, 'a malformed declaration is input that could not be parsed');
      assert.match(check.stdout, /^capped\.prompt\.md:3:18: error: 'maxOutputTokens' must be a whole number of tokens .*not '-5'; it is ignored\./m);

      const message = 'Answer in one short sentence, citing the section. '.repeat(40);
      await writeFile(join(folder, 'one.prompt.yml'), `messages:\n  - role: user\n    content: "${message}"\n`);
      await writeFile(join(folder, 'many.prompt.yml'), `messages:\n  - &m\n    role: user\n    content: "${message}"\n${'  - *m\n'.repeat(20)}`);
      const counted = await runCliInProcess(['count', 'one.prompt.yml', 'many.prompt.yml', '--json'], folder);
      assert.equal(counted.code, 0, counted.stderr);
      const [one, many] = JSON.parse(counted.stdout) as { tokens: number }[];
      assert.ok(many.tokens > 20 * one.tokens, `${many.tokens} tokens for 21 copies of a ${one.tokens}-token message`);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
