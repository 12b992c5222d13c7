import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { get_encoding } from 'tiktoken';
import type { CountRow } from '../../src/cli/countCommand';
import type { PromptDiff } from '../../src/core/promptDiff/diffPromptChecks';
import { escapeMarkdownText } from '../../src/core/report/escapeMarkdownText';
import { runCliInProcess } from '../runCliInProcess';

const run = promisify(execFile);
const TINY_TOKENIZER = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'workspace', 'tokenizers', 'tiny-tokenizer.json');

let encoder: ReturnType<typeof get_encoding> | undefined;
/** OpenAI's reference count (tiktoken WASM) of a plain prompt's text. */
function referenceCount(text: string): number {
  encoder ??= get_encoding('o200k_base');
  return encoder.encode(text, [], []).length;
}

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'prompt-budget-diff-'));
});
after(async () => {
  encoder?.free();
  await rm(scratch, { recursive: true, force: true });
});

/** A fresh git repository with `files` committed as its first commit. */
async function repository(name: string, files: Record<string, string>): Promise<string> {
  const folder = join(scratch, name);
  await mkdir(folder, { recursive: true });
  await git(folder, 'init', '-q');
  await git(folder, 'config', 'user.name', 'Prompt Budget Test');
  await git(folder, 'config', 'user.email', 'test@example.com');
  await git(folder, 'config', 'commit.gpgsign', 'false');
  await write(folder, files);
  await git(folder, 'add', '-A');
  await git(folder, 'commit', '-qm', 'base');
  return folder;
}

async function write(folder: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(folder, path)), { recursive: true });
    await writeFile(join(folder, path), text);
  }
}

async function git(folder: string, ...args: string[]): Promise<string> {
  return (await run('git', args, { cwd: folder })).stdout;
}

async function diff(folder: string, ...args: string[]): Promise<{ code: number; result: PromptDiff; stderr: string }> {
  const { code, stdout, stderr } = await runCliInProcess(['diff', '--format', 'json', ...args], folder);
  return { code, result: JSON.parse(stdout) as PromptDiff, stderr };
}

const CONFIG = [
  'version: 1',
  'budgets:',
  '  - name: support',
  '    files: ["prompts/**/*.prompt.md"]',
  '    model: gpt-4o',
  '    expectedOutputTokens: 200',
  '    callsPerDay: 1000',
  '    maxInputTokens: 4000',
  '',
].join('\n');

const SHORT = 'You are a support agent. Answer briefly.\n';
const LONG = `${SHORT}Cite the knowledge base article behind each answer; never invent article numbers. Escalate refunds over 100 dollars to a person, and say so.\n`;

describe('prompt-budget diff', () => {
  test('names each changed prompt: grown, shrunk, added, deleted, renamed and model changed, with the engine’s counts', async () => {
    const folder = await repository('statuses', {
      'prompt-budget.yaml': CONFIG,
      'prompts/grows.prompt.md': SHORT,
      'prompts/shrinks.prompt.md': LONG,
      'prompts/goes.prompt.md': 'Classify the ticket by urgency.\n',
      'prompts/moves.prompt.md': 'Summarize the conversation for the next agent on shift, in three bullet points.\n',
      'prompts/switches.prompt.md': '---\nmodel: gpt-4o\n---\nTranslate the reply into French.\n',
      'prompts/same.prompt.md': 'Nothing changes here.\n',
    });
    await write(folder, {
      'prompts/grows.prompt.md': LONG,
      'prompts/shrinks.prompt.md': SHORT,
      'prompts/comes.prompt.md': 'Draft a polite follow-up email.\n',
      'prompts/switches.prompt.md': '---\nmodel: gpt-4.1\n---\nTranslate the reply into French.\n',
    });
    await rm(join(folder, 'prompts/goes.prompt.md'));
    await git(folder, 'mv', 'prompts/moves.prompt.md', 'prompts/handover.prompt.md');

    const { code, result } = await diff(folder);
    assert.equal(code, 0);
    assert.equal(result.base, 'HEAD');
    assert.equal(result.head, 'working tree');
    const byFile = new Map(result.files.map((change) => [change.file, change]));
    assert.deepEqual(
      [...byFile].map(([file, change]) => `${file}: ${change.status}`).sort(),
      [
        'prompts/comes.prompt.md: added',
        'prompts/goes.prompt.md: deleted',
        'prompts/grows.prompt.md: grown',
        'prompts/handover.prompt.md: renamed',
        'prompts/shrinks.prompt.md: shrunk',
        'prompts/switches.prompt.md: model changed',
      ],
      'the unchanged prompt is left out',
    );
    const grown = byFile.get('prompts/grows.prompt.md')!;
    assert.equal(grown.before!.tokens, referenceCount(SHORT));
    assert.equal(grown.after!.tokens, referenceCount(LONG));
    assert.equal(grown.delta.tokens, referenceCount(LONG) - referenceCount(SHORT));
    assert.equal(byFile.get('prompts/shrinks.prompt.md')!.delta.tokens, referenceCount(SHORT) - referenceCount(LONG));
    assert.equal(byFile.get('prompts/comes.prompt.md')!.before, null);
    assert.equal(byFile.get('prompts/goes.prompt.md')!.after, null);
    assert.equal(byFile.get('prompts/goes.prompt.md')!.delta.tokens, -referenceCount('Classify the ticket by urgency.\n'));
    const renamed = byFile.get('prompts/handover.prompt.md')!;
    assert.equal(renamed.previousFile, 'prompts/moves.prompt.md');
    assert.equal(renamed.delta.tokens, 0);
    const switched = byFile.get('prompts/switches.prompt.md')!;
    assert.equal(switched.before!.model, 'gpt-4o');
    assert.equal(switched.after!.model, 'gpt-4.1');
    // gpt-4o costs $2.50/$10 per million, gpt-4.1 $2/$8: the same prompt is cheaper per call.
    assert.ok(switched.delta.cost! < 0);

    // The same figures as `check` at the head.
    const check = JSON.parse((await runCliInProcess(['check', '--format', 'json'], folder)).stdout);
    const support = check.budgets.find((budget: { name: string }) => budget.name === 'support');
    assert.equal(Math.max(...result.files.flatMap((change) => (change.after ? [change.after.tokens] : []))), support.tokens);
  });

  test('leaves out files git ignores (build copies), as the editor does, and counts an untracked prompt as added', async () => {
    const folder = await repository('ignored', { 'prompt-budget.yaml': CONFIG, '.gitignore': 'build/\n', 'prompts/a.prompt.md': SHORT });
    await write(folder, { 'build/prompts/a.prompt.md': LONG, 'prompts/new.prompt.md': SHORT });
    const { code, result } = await diff(folder);
    assert.equal(code, 0);
    assert.deepEqual(result.files.map((change) => [change.status, change.file]), [['added', 'prompts/new.prompt.md']]);
  });

  test('escapes control characters in the names it prints', async () => {
    const folder = await repository('escapes', { 'prompt-budget.yaml': CONFIG, 'prompts/a.prompt.md': SHORT });
    await write(folder, { 'prompts/e\u001b[31mRED.prompt.md': SHORT });
    const { stdout } = await runCliInProcess(['diff'], folder);
    assert.match(stdout, /added/);
    assert.ok(!stdout.includes('\u001b'), stdout);
  });

  test('prices the month from callsPerDay, and sorts the biggest change first', async () => {
    const folder = await repository('monthly', { 'prompt-budget.yaml': CONFIG, 'prompts/a.prompt.md': SHORT, 'prompts/b.prompt.md': SHORT });
    await write(folder, { 'prompts/a.prompt.md': `${SHORT}One more line.\n`, 'prompts/b.prompt.md': LONG });
    const { result } = await diff(folder);
    assert.deepEqual(result.files.map((change) => change.file), ['prompts/b.prompt.md', 'prompts/a.prompt.md']);
    const [change] = result.files;
    assert.equal(change.monthly!.basis, 'callsPerDay');
    // gpt-4o: $2.50 per million input tokens, $10 per million output; 200 expected output tokens.
    const perCall = (tokens: number) => (tokens * 2.5 + 200 * 10) / 1e6;
    assert.ok(Math.abs(change.after!.cost! - perCall(referenceCount(LONG))) < 1e-12);
    assert.ok(Math.abs(change.monthly!.after! - perCall(referenceCount(LONG)) * 1000 * 30) < 1e-9);
    assert.ok(Math.abs(change.monthly!.delta - ((referenceCount(LONG) - referenceCount(SHORT)) * 2.5 * 1000 * 30) / 1e6) < 1e-9);
    assert.match(change.monthly!.note, /1000 calls\/day \(callsPerDay of budget 'support'\)/);
    const [budget] = result.budgets;
    assert.equal(budget.name, 'support');
    assert.ok(Math.abs(budget.delta.monthlyCost! - (change.monthly!.delta + result.files[1].monthly!.delta)) < 1e-9);
  });

  test('prices the month from the usage ledger’s actual calls per day for the budget’s usageTags', async () => {
    const config = CONFIG.replace('    callsPerDay: 1000\n', '    callsPerDay: 1000\n    usageTags: [support]\n') + 'usage:\n  files: ["logs/*.jsonl"]\n';
    const folder = await repository('ledger', { 'prompt-budget.yaml': config, 'prompts/a.prompt.md': SHORT });
    const day = (date: string, index: number) =>
      JSON.stringify({
        tags: ['support'],
        response: { id: `chatcmpl-${date}-${index}`, object: 'chat.completion', created: Date.parse(`${date}T12:00:00Z`) / 1000, model: 'gpt-4o', usage: { prompt_tokens: 10, completion_tokens: 5 } },
      });
    // 30 calls over 2 days: 15 calls a day, whatever callsPerDay says.
    const lines = [...Array.from({ length: 10 }, (_, index) => day('2026-11-02', index)), ...Array.from({ length: 20 }, (_, index) => day('2026-11-03', index))];
    await write(folder, { 'logs/calls.jsonl': lines.join('\n') + '\n', 'prompts/a.prompt.md': LONG });
    const { result, stderr } = await diff(folder);
    const [change] = result.files;
    assert.equal(change.monthly!.basis, 'ledger', stderr);
    assert.match(change.monthly!.note, /15 calls\/day of budget 'support' in the usage logs \(2 days\)/);
    assert.ok(Math.abs(change.monthly!.after! - change.after!.cost! * 15 * 30) < 1e-9);
  });

  test('a budget changed in the config is part of the diff, and a limit it newly breaks exits 1', async () => {
    const folder = await repository('config', { 'prompt-budget.yaml': CONFIG, 'prompts/a.prompt.md': LONG });
    await write(folder, { 'prompt-budget.yaml': CONFIG.replace('maxInputTokens: 4000', 'maxInputTokens: 20').replace('callsPerDay: 1000', 'callsPerDay: 2000') });
    const { code, result } = await diff(folder);
    assert.equal(code, 1);
    const [change] = result.files;
    assert.equal(change.status, 'budget changed');
    assert.equal(change.delta.tokens, 0);
    assert.ok(Math.abs(change.monthly!.after! - 2 * change.monthly!.before!) < 1e-9, 'twice the calls, twice the month');
    assert.deepEqual(
      result.problems.map((problem) => [problem.file, problem.rule, problem.severity]),
      [['prompts/a.prompt.md', 'budget-input-tokens', 'error']],
    );
    assert.equal(result.budgets[0].before!.status, 'ok');
    assert.equal(result.budgets[0].after!.status, 'over');

    // A limit broken before the change is not the change's doing.
    await git(folder, 'commit', '-qam', 'tighter');
    await write(folder, { 'prompts/a.prompt.md': `${LONG}More.\n` });
    const again = await diff(folder);
    assert.equal(again.code, 0);
    assert.deepEqual(again.result.problems, []);
  });

  test('compares two commits with --base and --head, and reads the old config from the base', async () => {
    const folder = await repository('commits', { 'prompt-budget.yaml': CONFIG.replace('model: gpt-4o', 'model: gpt-4.1'), 'prompts/a.prompt.md': SHORT });
    await write(folder, { 'prompt-budget.yaml': CONFIG });
    await git(folder, 'commit', '-qam', 'move to gpt-4o');
    // Uncommitted work is not part of a commit-to-commit diff.
    await write(folder, { 'prompts/a.prompt.md': LONG });
    const { code, result } = await diff(folder, '--base', 'HEAD~1', '--head', 'HEAD');
    assert.equal(code, 0);
    assert.equal(result.head, 'HEAD');
    assert.equal(result.files.length, 1);
    assert.equal(result.files[0].status, 'model changed');
    assert.equal(result.files[0].before!.model, 'gpt-4.1');
    assert.equal(result.files[0].after!.model, 'gpt-4o');
    assert.equal(result.files[0].delta.tokens, 0);
  });

  test('exits 2 outside a git repository and on an unknown revision, naming the problem', async () => {
    const plain = join(scratch, 'not-a-repo');
    await mkdir(plain, { recursive: true });
    const outside = await runCliInProcess(['diff'], plain);
    assert.equal(outside.code, 2);
    assert.match(outside.stderr, /not in a git repository/);
    const folder = await repository('revisions', { 'prompt-budget.yaml': CONFIG, 'prompts/a.prompt.md': SHORT });
    const unknown = await runCliInProcess(['diff', '--base', 'no-such-branch'], folder);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown revision 'no-such-branch' \(--base\)/);
    const missing = await runCliInProcess(['diff', 'no-such-folder'], folder);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no-such-folder: no such folder/);
    const option = await runCliInProcess(['diff', '--head', '--output=/tmp/x'], folder);
    assert.equal(option.code, 2, 'a revision that looks like an option is refused');
    const format = await runCliInProcess(['diff', '--format', 'sarif'], folder);
    assert.equal(format.code, 2);
    const model = await runCliInProcess(['diff', '--model', 'no-such-model'], folder);
    assert.equal(model.code, 2);
    assert.match(model.stderr, /--model: /);
    const clean = await runCliInProcess(['diff'], folder);
    assert.equal(clean.code, 0);
    assert.match(clean.stdout, /HEAD → working tree: 0 prompt files changed/);
  });

  test('--format md is a pull-request comment: biggest change first, totals, new problems, names escaped', async () => {
    const hostile = 'prompts/<img src=x>|@octocat #1.prompt.md';
    const folder = await repository('markdown', { 'prompt-budget.yaml': CONFIG, 'prompts/a.prompt.md': SHORT, [hostile]: SHORT });
    await write(folder, { 'prompts/a.prompt.md': LONG, [hostile]: `${SHORT}Two more words.\n`, 'prompt-budget.yaml': CONFIG.replace('maxInputTokens: 4000', 'maxInputTokens: 30') });
    const { code, stdout } = await runCliInProcess(['diff', '--format', 'md'], folder);
    assert.equal(code, 1);
    const lines = stdout.split('\n');
    const rows = lines.filter((line) => line.startsWith('| prompts/'));
    assert.equal(rows.length, 2);
    assert.match(rows[0], /^\| prompts\/a\.prompt\.md \| grown \| gpt-4o \| \d+ → \d+ \| \+\d+ \|/, 'the bigger change first');
    assert.ok(rows[1].startsWith(`| ${escapeMarkdownText(hostile)} |`));
    assert.ok(!stdout.includes('<img'), 'no HTML from a file name');
    assert.ok(!stdout.includes('@octocat'), 'no mention from a file name');
    assert.equal(rows[1].split(/(?<!\\)\|/).length, 11, 'a | in a name does not add a column');
    assert.ok(lines.some((line) => line.startsWith('| **All prompts** |')));
    assert.ok(lines.some((line) => line.startsWith('| support |') && line.includes('ok → over')));
    assert.ok(lines.includes('**New problems (1)**'));
    assert.ok(lines.some((line) => line.startsWith('- ❌ prompts/a.prompt.md:1 (budget-input-tokens):')));
    assert.match(stdout, /Calls: 1000 calls\/day \(callsPerDay of budget 'support'\)/);
  });

  test('counts a model with a custom tokenizer file exactly, as `count` does for the same file', async () => {
    const savedCacheDir = process.env.PROMPT_BUDGET_CACHE_DIR;
    process.env.PROMPT_BUDGET_CACHE_DIR = join(scratch, 'custom-tokenizer-cache');
    try {
      const folder = await repository('custom-tokenizer', {
        'prompt-budget.yaml': [
          'version: 1',
          'models:',
          '  acme-ft:',
          '    contextWindow: 8192',
          '    inputPerMillion: 1',
          '    tokenizer: ./tokenizers/tiny-tokenizer.json',
          'budgets:',
          '  - name: support',
          '    files: ["prompts/**"]',
          '    model: acme-ft',
          '',
        ].join('\n'),
        'tokenizers/tiny-tokenizer.json': await readFile(TINY_TOKENIZER, 'utf8'),
        'prompts/greet.prompt.md': 'hello hello\n',
      });
      await write(folder, { 'prompts/greet.prompt.md': 'hello hello hello, hello\n' });

      const { code, result, stderr } = await diff(folder);
      assert.equal(stderr, '');
      assert.equal(code, 0);
      const counted = await runCliInProcess(['count', '--json', 'prompts/greet.prompt.md'], folder);
      assert.equal(counted.stderr, '');
      const [row] = JSON.parse(counted.stdout) as CountRow[];
      assert.equal(row.exact, true, 'count resolves the tokenizer file');
      assert.match(row.tokenizer, /^custom:[0-9a-f]{12}$/);
      const [change] = result.files;
      assert.equal(change.file, 'prompts/greet.prompt.md');
      assert.deepEqual(
        { tokens: change.after?.tokens, exact: change.after?.exact, model: change.after?.model },
        { tokens: row.tokens, exact: true, model: 'acme-ft' },
      );
      assert.equal(change.before?.exact, true, 'the base revision is counted with the same file');
    } finally {
      if (savedCacheDir === undefined) delete process.env.PROMPT_BUDGET_CACHE_DIR;
      else process.env.PROMPT_BUDGET_CACHE_DIR = savedCacheDir;
    }
  });

  test('--format github writes workflow annotations for new problems and changed prompts', async () => {
    const folder = await repository('github', { 'prompt-budget.yaml': CONFIG, 'prompts/a.prompt.md': SHORT });
    await write(folder, { 'prompts/a.prompt.md': LONG, 'prompt-budget.yaml': CONFIG.replace('maxInputTokens: 4000', 'maxInputTokens: 30') });
    const { code, stdout } = await runCliInProcess(['diff', '--format', 'github'], folder);
    assert.equal(code, 1);
    const lines = stdout.split('\n');
    assert.match(lines[0], /^::error file=prompts\/a\.prompt\.md,line=1,col=1,title=Prompt Budget%3A budget-input-tokens::prompts\/a\.prompt\.md is \d+ tokens; budget 'support' allows 30\.$/);
    assert.match(lines[1], /^::notice file=prompts\/a\.prompt\.md,line=1,title=Prompt Budget%3A prompt changed::\+\d+ tok \(\+\$[\d.]+\/month\) against HEAD \(grown\)$/);
  });
});
