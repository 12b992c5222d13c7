import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCliInProcess } from '../runCliInProcess';

const fixtures = resolve(__dirname, '../../../test/fixtures/usage');

const cli = (args: string[], cwd: string) => runCliInProcess(args, cwd);

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'prompt-budget-usage-'));
  await mkdir(join(scratch, 'logs/app'), { recursive: true });
  for (const name of ['openai-chat.jsonl', 'litellm-spend.jsonl', 'openai-usage-export.csv', 'malformed.jsonl']) {
    await writeFile(join(scratch, 'logs', name), await readFile(join(fixtures, name)));
  }
  await writeFile(join(scratch, 'logs/app/anthropic.jsonl'), await readFile(join(fixtures, 'anthropic-messages.jsonl')));
  await writeFile(
    join(scratch, 'prompt-budget.yaml'),
    [
      'version: 1',
      'budgets:',
      '  - name: Support',
      '    files: ["prompts/**"]',
      '    usageTags: [support]',
      'usage:',
      '  files: ["logs/**/*.jsonl"]',
      '  quotas:',
      '    - name: Week',
      '      period: week',
      '      maxCost: 0.1',
      '      warnAt: 0.5',
      '',
    ].join('\n'),
  );
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('prompt-budget usage', () => {
  test('prints the documented JSON: totals, one key per --by, quotas, and file:line problems', async () => {
    const { code, stdout } = await cli(['usage', '--by', 'day,budget', '--until', '2025-11-05', '--format', 'json'], scratch);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ['records', 'skipped', 'from', 'to', 'totals', 'groups', 'quotas', 'problems']);
    // openai-chat (2 + a repeat), litellm (2), anthropic (1), malformed (2 good lines)
    assert.equal(report.records, 7);
    assert.equal(report.from, '2025-11-03T09:15:00.000Z');
    assert.deepEqual(Object.keys(report.totals).slice(0, 5), ['calls', 'inputTokens', 'cachedInputTokens', 'outputTokens', 'cost']);
    assert.equal(report.totals.calls, 7);
    assert.deepEqual(report.groups[0], {
      day: '2025-11-03',
      budget: '(no budget)',
      calls: 5,
      inputTokens: 1200 + 500 + 10100 + 20,
      cachedInputTokens: 1024 + 8000,
      outputTokens: 300 + 900 + 500 + 10,
      cost: report.groups[0].cost,
    });
    assert.deepEqual(report.groups.map((group: { day: string; budget: string }) => `${group.day} ${group.budget}`), ['2025-11-03 (no budget)', '2025-11-03 Support', '2025-11-04 (no budget)']);
    const [week] = report.quotas;
    assert.deepEqual([week.name, week.period, week.status, week.periodStart], ['Week', 'week', 'over', '2025-11-03']);
    assert.ok(week.used > 0.5 && week.share > 5);
    assert.ok(report.problems.some((problem: { file: string; line: number }) => problem.file === join('logs', 'malformed.jsonl') && problem.line === 2));
    assert.equal(code, 1, 'a quota is over');
  });

  test('CSV output is injection-safe', async () => {
    const { code, stdout } = await cli(['usage', 'logs/openai-usage-export.csv', '--by', 'user', '--format', 'csv'], scratch);
    assert.equal(code, 0);
    const lines = stdout.split('\r\n');
    assert.equal(lines[0], 'user,calls,inputTokens,cachedInputTokens,outputTokens,cost');
    assert.ok(lines.some((line) => line.startsWith(`"'=HYPERLINK(""x"")",2,1000,0,200,`)), stdout);
  });

  test('--since and --until keep only calls in range; a folder argument reads every log in it', async () => {
    const { stdout } = await cli(['usage', 'logs/app', 'logs/litellm-spend.jsonl', '--since', '2025-11-04', '--by', 'model', '--format', 'json'], scratch);
    const report = JSON.parse(stdout);
    assert.deepEqual(report.groups.map((group: { model: string }) => group.model), ['claude-sonnet-4-5']);
    assert.equal(report.skipped, 2);
  });

  test('exit 2 for a bad --by, an unreadable date, and when nothing could be read', async () => {
    assert.equal((await cli(['usage', '--by', 'weekday'], scratch)).code, 2);
    assert.equal((await cli(['usage', '--since', 'yesterday'], scratch)).code, 2);
    const missing = await cli(['usage', 'logs/none.jsonl'], scratch);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'logs/none.jsonl: no such file');
    const empty = join(scratch, 'empty');
    await mkdir(empty, { recursive: true });
    assert.equal((await cli(['usage'], empty)).code, 2, 'no logs named and no usage.files');
  });

  test('the table names the totals, marks calls with no price, and shows each quota', async () => {
    const { stdout, stderr } = await cli(['usage', 'logs/malformed.jsonl', '--by', 'model'], scratch);
    assert.match(stdout, /^model\s+calls\s+input tokens\s+cached input\s+output tokens\s+cost$/m);
    assert.match(stdout, /^my-local-llama\s+1\s+10\s+0\s+5\s+—$/m);
    assert.match(stdout, /1 record\(s\) without a price: tokens counted, cost left out/);
    assert.match(stdout, /quota Week \(week from \d{4}-\d{2}-\d{2}\)/);
    assert.match(stderr, /^logs\/malformed\.jsonl:2: not valid JSON/m);
  });
});

describe('prompt-budget check with usage quotas', () => {
  test('reports a quota over its limit this period on the config, and fails', async () => {
    const folder = join(scratch, 'check');
    await mkdir(join(folder, 'logs'), { recursive: true });
    const created = Math.floor(Date.now() / 1000);
    const line = (id: string) =>
      JSON.stringify({ id, object: 'chat.completion', created, model: 'gpt-4o', usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000 } });
    await writeFile(join(folder, 'logs/today.jsonl'), `${line('chatcmpl-a')}\n${line('chatcmpl-b')}\n`);
    await writeFile(join(folder, 'prompt-budget.yaml'), 'version: 1\nusage:\n  files: ["logs/*.jsonl"]\n  quotas:\n    - name: Daily cap\n      period: day\n      maxCost: 5\n      maxCalls: 100\n');
    const { code, stdout } = await cli(['check', '--format', 'json'], folder);
    const result = JSON.parse(stdout);
    const quota = result.problems.filter((problem: { rule: string }) => problem.rule === 'usage-quota');
    assert.equal(quota.length, 1, 'calls are well under their limit');
    assert.equal(quota[0].file, 'prompt-budget.yaml');
    assert.equal(quota[0].line, 7);
    assert.equal(quota[0].severity, 'error');
    assert.match(quota[0].message, /^Quota 'Daily cap' is over: \$7\.00 of \$5\.00 \(140%\) this day from /);
    assert.equal(code, 1);
  });

  test('a quota of zero that is used reads as an infinite share, not "Infinity%", in check and in the usage table', async () => {
    const folder = join(scratch, 'zero-quota');
    await mkdir(join(folder, 'logs'), { recursive: true });
    const created = Math.floor(Date.now() / 1000);
    await writeFile(join(folder, 'logs/today.jsonl'), `${JSON.stringify({ id: 'chatcmpl-z', object: 'chat.completion', created, model: 'gpt-4o', usage: { prompt_tokens: 1000, completion_tokens: 10 } })}\n`);
    await writeFile(join(folder, 'prompt-budget.yaml'), 'version: 1\nusage:\n  files: ["logs/*.jsonl"]\n  quotas:\n    - name: Frozen\n      period: day\n      maxCost: 0\n');
    const check = await cli(['check', '--format', 'json'], folder);
    const [quota] = JSON.parse(check.stdout).problems.filter((problem: { rule: string }) => problem.rule === 'usage-quota');
    assert.match(quota.message, /^Quota 'Frozen' is over: \$0\.\d+ of \$0 \(∞%\) this day from /);
    const usage = await cli(['usage'], folder);
    assert.match(usage.stdout, /quota Frozen \(day from [\d-]+\): \$0\.\d+ of \$0 \(∞%\)/);
    assert.doesNotMatch(check.stdout + usage.stdout, /Infinity|NaN/);
  });
});
