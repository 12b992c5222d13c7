import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { collectUsage } from '../../src/core/usage/collectUsage';
import { BudgetExceededError, createGuard, type QuotaStatus } from '../../src/library';

const folders: string[] = [];
function workspace(config: string): string {
  const folder = mkdtempSync(join(tmpdir(), 'pb-guard-'));
  folders.push(folder);
  writeFileSync(join(folder, 'prompt-budget.yaml'), config);
  return folder;
}
after(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

const QUOTA_OF_THREE = `version: 1
budgets:
  - name: Support
    files: ["prompts/**"]
    usageTags: [support]
    maxCostPerCall: 0.05
    maxInputTokens: 1000
usage:
  ledger: usage/ledger.jsonl
  quotas:
    - name: Support calls
      period: day
      tags: [support]
      maxCalls: 3
      warnAt: 0.6
`;

const CHAT = { messages: [{ role: 'user', content: 'Where is my order?' }], max_tokens: 100 };

describe('createGuard', () => {
  test('refuses a call whose worst case breaks its budget, naming the budget, the limit and the call, before anything is recorded', async () => {
    const guard = createGuard({ cwd: join(workspace(QUOTA_OF_THREE)), tags: ['support'] });
    await assert.rejects(guard.reserve({ model: 'gpt-4o', request: { messages: CHAT.messages } }), (error: unknown) => {
      assert.ok(error instanceof BudgetExceededError);
      assert.equal(error.budget, 'Support');
      assert.equal(error.limit, 'maxCostPerCall');
      // No max_tokens: the worst case is GPT-4o's max output, 16,384 tokens at $10 per million.
      assert.equal(error.message, "Budget 'Support' allows $0.05 per call (maxCostPerCall); this gpt-4o call could cost $0.16 (12 input + 16,384 max output tokens).");
      return true;
    });
    await assert.rejects(guard.reserve({ model: 'gpt-4o', inputTokens: 1200, maxOutputTokens: 10 }), /allows 1,000 input tokens per call \(maxInputTokens\); this gpt-4o call would send 1,200\./);
    assert.equal((await guard.summary()).calls, 0);
    await guard.close();
  });

  test("counts calls in flight against a quota, records the provider's figures, releases failed calls and warns at warnAt", async () => {
    const folder = workspace(QUOTA_OF_THREE);
    const guard = createGuard({ cwd: join(folder), tags: ['support'], user: 'alice' });
    const warnings: QuotaStatus[] = [];
    guard.on('warning', (status) => warnings.push(status));
    const first = await guard.reserve({ model: 'gpt-4o', request: CHAT });
    const second = await guard.reserve({ model: 'gpt-4o', request: CHAT });
    const third = await guard.reserve({ model: 'gpt-4o', request: CHAT });
    await assert.rejects(guard.reserve({ model: 'gpt-4o', request: CHAT }), /^BudgetExceededError: Quota 'Support calls' allows 3 calls a day \(maxCalls\); 3 calls used today, calls in flight included, and this gpt-4o call would add 1\.$/);
    await first.settle({ usage: { prompt_tokens: 1000, completion_tokens: 200, prompt_tokens_details: { cached_tokens: 500 } }, id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06', latencyMs: 80 });
    // The provider failed: the reservation is given back and nothing is recorded.
    await second.release();
    await third.settle({ usage: { prompt_tokens: 10, completion_tokens: 5 }, id: 'chatcmpl-2', model: 'gpt-4o-2024-08-06' });
    const fourth = await guard.reserve({ model: 'gpt-4o', request: CHAT });
    await fourth.release();
    await guard.close();

    const lines = readFileSync(join(folder, 'usage/ledger.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    const calls = lines.filter((line) => line.type === 'prompt-budget/call');
    assert.deepEqual(
      calls.map(({ id, model, user, tags, inputTokens, cachedInputTokens, outputTokens, latencyMs }) => ({ id, model, user, tags, inputTokens, cachedInputTokens, outputTokens, latencyMs })),
      [
        { id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06', user: 'alice', tags: ['support'], inputTokens: 1000, cachedInputTokens: 500, outputTokens: 200, latencyMs: 80 },
        { id: 'chatcmpl-2', model: 'gpt-4o-2024-08-06', user: 'alice', tags: ['support'], inputTokens: 10, cachedInputTokens: 0, outputTokens: 5, latencyMs: undefined },
      ],
    );
    // $2.50/M input, $1.25/M cached input, $10/M output.
    assert.equal(calls[0].cost.toFixed(6), '0.003875');
    assert.ok(!JSON.stringify(lines).includes('Where is my order'), 'prompts are never stored');
    assert.deepEqual(warnings.map((status) => [status.name, status.metric, status.used]), [['Support calls', 'calls', 2]]);
    const summary = await createGuard({ cwd: folder }).summary();
    assert.deepEqual([summary.calls, summary.inputTokens, summary.outputTokens, summary.inFlight], [2, 1010, 205, 0]);
    assert.deepEqual(summary.quotas.map((status) => [status.name, status.used, status.limit]), [['Support calls', 2, 3]]);

    // `prompt-budget usage` and the Prompt Usage view read the ledger as a usage log: calls count, reservations do not.
    const read = await collectUsage([join(folder, 'usage/ledger.jsonl')], async function* (file) {
      yield readFileSync(file);
    });
    assert.deepEqual([read.ledger.records, read.ledger.allProblems()], [2, []]);
  });

  test('a ledger that cannot be written never breaks the call: an error event, the record kept in memory and written once it can be', async () => {
    const folder = workspace(QUOTA_OF_THREE);
    // A folder where the ledger file should be: every write fails.
    mkdirSync(join(folder, 'usage/ledger.jsonl'), { recursive: true });
    const guard = createGuard({ cwd: folder, tags: ['support'] });
    const errors: Error[] = [];
    guard.on('error', (error) => errors.push(error));
    const reservation = await guard.reserve({ model: 'gpt-4o', request: CHAT });
    const line = await reservation.settle({ usage: { prompt_tokens: 10, completion_tokens: 5 }, model: 'gpt-4o' });
    assert.equal(line?.inputTokens, 10);
    assert.ok(errors.length >= 1);
    assert.match(errors[0].message, /^prompt-budget: the ledger .*ledger\.jsonl could not be written; \d+ lines are kept in memory and retried: /);
    const summary = await guard.summary();
    assert.ok(summary.pendingWrites > 0);
    assert.equal(summary.quotas[0].used, 1, 'quotas count the unwritten call');
    rmSync(join(folder, 'usage/ledger.jsonl'), { recursive: true });
    await guard.close();
    const written = readFileSync(join(folder, 'usage/ledger.jsonl'), 'utf8').trim().split('\n').map((text) => JSON.parse(text).type);
    assert.deepEqual(written, ['prompt-budget/reservation', 'prompt-budget/call']);
  });

  test('lines of the ledger that cannot count are skipped and reported by line, as `prompt-budget usage` skips them; the guard keeps writing', async () => {
    const folder = workspace(`version: 1
usage:
  ledger: l.jsonl
  quotas:
    - name: Calls
      period: day
      maxCalls: 100
`);
    const now = new Date().toISOString();
    const line = (fields: object) => JSON.stringify({ type: 'prompt-budget/call', time: now, provider: 'openai', model: 'gpt-4o-mini', tags: [], inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 5, cost: 0.001, costSource: 'price-data', ...fields });
    const file = join(folder, 'l.jsonl');
    writeFileSync(
      file,
      [
        line({ id: 'bad-time', time: 'yesterday' }),
        line({ id: 'null-tags', tags: null }),
        line({ id: 'text-numbers', inputTokens: '10', outputTokens: '5' }),
        line({ id: 'negative', inputTokens: -3 }),
        line({ id: 'not-a-number', outputTokens: 'many' }),
        '',
      ].join('\n'),
    );
    const guard = createGuard({ cwd: folder });
    const errors: string[] = [];
    guard.on('error', (error: Error) => errors.push(error.message));
    for (let n = 0; n < 3; n++) await (await guard.reserve({ model: 'gpt-4o-mini', inputTokens: 10, maxOutputTokens: 5 })).release();
    const summary = await guard.summary();
    await guard.close();
    assert.deepEqual(errors, [
      `prompt-budget: skipped a line of the ledger: ${file}:1: rejected the time: not a real timestamp (epoch seconds, ms, µs or ns, or an ISO 8601 date, between 2000 and 2100)`,
      `prompt-budget: skipped a line of the ledger: ${file}:4: rejected inputTokens (-3): counts must be whole numbers, zero or more`,
      `prompt-budget: skipped a line of the ledger: ${file}:5: rejected outputTokens: not a decimal number`,
    ]);
    // Three reservations and three releases written after the five lines.
    assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 11);
    assert.deepEqual([summary.calls, summary.inputTokens, summary.outputTokens, summary.pendingWrites], [2, 20, 10, 0]);
    const read = await collectUsage([file], async function* (path) {
      yield readFileSync(path);
    });
    assert.deepEqual([read.ledger.records, read.ledger.problems.map((problem) => problem.line)], [2, [1, 4, 5]]);
  });

  test('six processes sharing a quota of 300 calls make exactly 300 calls, with no torn line', async () => {
    const folder = workspace(`version: 1
usage:
  ledger: ledger.jsonl
  quotas:
    - name: Fleet
      period: day
      maxCalls: 300
`);
    // The bundle an application loads: dist/library.cjs.
    const library = resolve(__dirname, '../../../dist/library.cjs');
    writeFileSync(
      join(folder, 'worker.js'),
      `const { createGuard } = require(${JSON.stringify(library)});
(async () => {
  const guard = createGuard({ cwd: __dirname, user: 'worker' + process.argv[2] });
  let made = 0;
  for (let attempt = 0; attempt < 70; attempt++) {
    try {
      const call = await guard.reserve({ model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 50 });
      made++;
      await call.settle({ usage: { prompt_tokens: 100, completion_tokens: 20 }, id: 'p' + process.argv[2] + '-' + attempt });
    } catch (error) {
      if (error.name !== 'BudgetExceededError') throw error;
    }
  }
  await guard.close();
  console.log(made);
})();`,
    );
    const run = promisify(execFile);
    const outputs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => run(process.execPath, [join(folder, 'worker.js'), String(n)])));
    const made = outputs.map(({ stdout }) => Number(stdout.trim()));
    assert.equal(made.reduce((sum, n) => sum + n, 0), 300, `calls made per process: ${made.join(', ')}`);
    const lines = readFileSync(join(folder, 'ledger.jsonl'), 'utf8').split('\n').filter(Boolean).map((text) => JSON.parse(text));
    assert.equal(lines.filter((line) => line.type === 'prompt-budget/call').length, 300);
    assert.equal(lines.filter((line) => line.type === 'prompt-budget/reservation').length, 300);
  });
});
