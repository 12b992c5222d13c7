import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { analyzeFiles, checkFolder } from '../../src/core/check/checkFolder';
import { describeReadError } from '../../src/core/io/readError';

const CONFIG = `version: 1
budgets:
  - name: Support agent
    files: ["support/**"]
    model: gpt-4o-mini
    maxInputTokens: 5
`;

/** An in-memory folder: a path maps to its text, or to the Node error code reading it fails with. */
function memoryFolder(files: Record<string, string | { code: string }>) {
  return {
    listFiles: async () => Object.keys(files),
    readFile: async (path: string) => {
      const entry = files[path];
      if (entry === undefined) throw Object.assign(new Error('gone'), { code: 'ENOENT' });
      if (typeof entry !== 'string') throw Object.assign(new Error('failed'), entry);
      return new TextEncoder().encode(entry);
    },
  };
}

describe('checkFolder (the engine behind `prompt-budget check` and the budgets view)', () => {
  const { config } = parseBudgetConfig('prompt-budget.yaml', CONFIG);
  const sources = { catalog: ModelCatalog.builtIn(), config };

  test('reads each prompt file through the I/O it is given and evaluates the budgets', async () => {
    const folder = memoryFolder({
      'support/triage.prompt.md': 'Classify the ticket by urgency and product area, then route it.',
      'support/locked.prompt.md': { code: 'EACCES' },
      'notes.txt': 'not a prompt: no budget lists it',
    });
    const progress: string[] = [];
    const check = await checkFolder({ ...folder, onProgress: (done, total) => progress.push(`${done}/${total}`) }, config, sources);
    assert.deepEqual(progress, ['1/2', '2/2']);
    assert.deepEqual(check.files.map((file) => file.relativePath), ['support/triage.prompt.md', 'support/locked.prompt.md']);
    assert.equal(check.budgets[0].name, 'Support agent');
    assert.equal(check.budgets[0].status, 'over');
    assert.equal(check.files[0].analysis?.resolved.model?.id, 'gpt-4o-mini');
    const unreadable = check.problems.find((problem) => problem.rule === 'unreadable');
    assert.deepEqual(unreadable && [unreadable.file, unreadable.message], ['support/locked.prompt.md', 'support/locked.prompt.md: permission denied']);
  });

  test("puts a budget's per-file finding on the body's first non-blank line, where the editor shows it", async () => {
    const text = '---\nmodel: gpt-4o-mini\n---\n\n  Classify the ticket by urgency and product area.  \n';
    const check = await checkFolder(memoryFolder({ 'support/triage.prompt.md': text }), config, sources);
    const finding = check.problems.find((problem) => problem.rule === 'budget-input-tokens');
    assert.deepEqual(finding && [finding.line, finding.column, finding.endLine, finding.endColumn], [5, 3, 5, 51]);
  });

  test('names files in messages as the caller shows them, and keeps problems on the relative path', async () => {
    const folder = memoryFolder({ 'a.prompt.md': 'ok\u0000binary' });
    const check = await checkFolder({ ...folder, label: (path) => `sub/${path}` }, undefined, { catalog: ModelCatalog.builtIn() });
    assert.equal(check.problems[0].file, 'a.prompt.md');
    assert.match(check.problems[0].message, /^sub\/a\.prompt\.md is a binary file/);
  });

  test('hands a file deleted after listing to onMissing instead of reporting it, when asked', async () => {
    const folder = memoryFolder({ 'a.prompt.md': 'Hello' });
    const results: string[] = [];
    const missing: string[] = [];
    await analyzeFiles(['a.prompt.md', 'gone.prompt.md'], folder.readFile, undefined, { catalog: ModelCatalog.builtIn() }, (result) => results.push(result.relativePath), {
      onMissing: (path) => missing.push(path),
    });
    assert.deepEqual([results, missing], [['a.prompt.md'], ['gone.prompt.md']]);
  });

  test("a budget judges an estimated prompt by its upper bound too: just under the cap, it may exceed it", async () => {
    const text = 'Summarise the customer\'s ticket in two sentences, then list the product areas it touches and how urgent it is.';
    const folderFor = (model: string, maxInputTokens: number) => {
      const yaml = `version: 1\nbudgets:\n  - name: Support agent\n    files: ["support/**"]\n    model: ${model}\n    maxInputTokens: ${maxInputTokens}\n    warnAt: 1\n`;
      const parsed = parseBudgetConfig('prompt-budget.yaml', yaml).config;
      return { parsed, folder: memoryFolder({ 'support/triage.prompt.md': text }) };
    };
    // Count first, then set the cap one token above the count: the count fits, the estimate's spread does not.
    const probe = folderFor('claude-sonnet-4-5', 100000);
    const counted = await checkFolder(probe.folder, probe.parsed, { catalog: ModelCatalog.builtIn(), config: probe.parsed });
    const tokens = counted.budgets[0].tokens;
    assert.equal(counted.budgets[0].exact, false);

    const tight = folderFor('claude-sonnet-4-5', tokens + 1);
    const check = await checkFolder(tight.folder, tight.parsed, { catalog: ModelCatalog.builtIn(), config: tight.parsed });
    const finding = check.problems.find((problem) => problem.rule === 'budget-input-tokens');
    assert.equal(finding?.severity, 'warning');
    assert.match(finding?.message ?? '', new RegExp(`is ≈${tokens} tokens and may exceed the ${tokens + 1} budget 'Support agent' allows: the estimate allows up to \\d+\\.`));

    // The same cap on an exactly counted model is judged by the count alone: no finding.
    const exact = folderFor('gpt-4o-mini', 100000);
    const exactTokens = (await checkFolder(exact.folder, exact.parsed, { catalog: ModelCatalog.builtIn(), config: exact.parsed })).budgets[0].tokens;
    const exactTight = folderFor('gpt-4o-mini', exactTokens + 1);
    const exactCheck = await checkFolder(exactTight.folder, exactTight.parsed, { catalog: ModelCatalog.builtIn(), config: exactTight.parsed });
    assert.equal(exactCheck.problems.filter((problem) => problem.rule === 'budget-input-tokens').length, 0);
  });

  test('one wording for unreadable files in the editor and the CLI', () => {
    assert.equal(describeReadError('prompts', { code: 'EISDIR' }), 'prompts: is a folder');
    assert.equal(describeReadError('a.md', { code: 'ENOENT' }), 'a.md: no such file');
    assert.equal(describeReadError('a.md', Object.assign(new Error(''), { code: 'EIO' })), 'a.md: cannot be read');
  });
});
