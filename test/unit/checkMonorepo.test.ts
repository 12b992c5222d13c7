import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCliInProcess } from '../runCliInProcess';

const PROMPT = 'Summarise this ticket in two short sentences please.\n';

/** A monorepo: a root config for everything, and package a with a stricter config of its own. */
const FILES: Record<string, string> = {
  'prompt-budget.yaml': 'version: 1\nbudgets:\n  - name: root\n    files: ["**/*.prompt.md"]\n    maxInputTokens: 1000\n',
  'packages/a/prompt-budget.yaml': 'version: 1\nbudgets:\n  - name: package a\n    files: ["prompts/**"]\n    maxInputTokens: 3\n',
  'packages/a/prompts/one.prompt.md': PROMPT,
  'packages/b/prompts/two.prompt.md': PROMPT,
  'prompts/three.prompt.md': PROMPT,
};

describe('prompt-budget check in a monorepo', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'prompt-budget-monorepo-'));
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
  });
  after(async () => {
    if (root) await rm(root, { recursive: true, force: true });
  });

  test('from the root, the nearest prompt-budget.yaml above each file governs it', async () => {
    const { code, stdout } = await runCliInProcess(['check', '--format', 'json'], root);
    assert.equal(code, 1, 'package a is over its own budget');
    const result = JSON.parse(stdout) as { budgets: { name: string; files: string[]; status: string }[]; problems: { file: string; rule: string }[] };
    assert.deepEqual(
      result.budgets.map((budget) => [budget.name, budget.files.sort(), budget.status]),
      [
        ['root', ['packages/b/prompts/two.prompt.md', 'prompts/three.prompt.md'], 'ok'],
        ['package a', ['packages/a/prompts/one.prompt.md'], 'over'],
      ],
    );
    assert.deepEqual(
      result.problems.map((problem) => [problem.file, problem.rule]),
      [['packages/a/prompts/one.prompt.md', 'budget-input-tokens']],
    );
  });

  test("from the root, a package's budget message names the file as its location does", async () => {
    const { stdout } = await runCliInProcess(['check'], root);
    const line = stdout.split('\n').find((each) => each.includes('budget-input-tokens') || each.includes("budget 'package a'"));
    assert.ok(line, stdout);
    assert.match(line, /^packages\/a\/prompts\/one\.prompt\.md:\d+:\d+: error: packages\/a\/prompts\/one\.prompt\.md is \d+ tokens; budget 'package a' allows 3\.$/);
  });

  test('from a folder without a config, the one above governs; --config applies one config to all', async () => {
    const below = await runCliInProcess(['check', 'b', '--format', 'json'], join(root, 'packages'));
    assert.equal(below.code, 0);
    assert.deepEqual((JSON.parse(below.stdout) as { budgets: { name: string }[] }).budgets.map((budget) => budget.name), ['root']);
    const one = await runCliInProcess(['check', '--config', 'prompt-budget.yaml', '--format', 'json'], root);
    assert.equal(one.code, 0, 'the root budget allows all three');
    assert.deepEqual((JSON.parse(one.stdout) as { budgets: { name: string; files: string[] }[] }).budgets.map((budget) => [budget.name, budget.files.length]), [['root', 3]]);
  });
});
