// The PostgreSQL ledger against a real server, started from Debian's postgresql package in a
// temporary data folder (test/postgresServer.ts).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, postgresMissing, startPostgres, type PostgresServer } from '../postgresServer';
import { collectUsage } from '../../src/core/usage/collectUsage';
import { BudgetExceededError, createGuard, postgresLedgerLines } from '../../src/library';

const run = promisify(execFile);
const cli = resolve(__dirname, '../../../dist/cli.js');

describe('PostgreSQL ledger', { skip: postgresMissing }, () => {
  let server: PostgresServer | undefined;
  let url: string;

  before(async () => {
    server = await startPostgres();
    url = server.url;
  });

  after(async () => {
    await server?.stop();
  });

  test("records the provider's figures, refuses over quota without recording, and reads the connection string from the environment", async () => {
    const project = mkdtempSync(join(tmpdir(), 'pb-postgres-app-'));
    try {
      writeFileSync(join(project, 'prompt-budget.yaml'), `version: 1\nusage:\n  ledger: env:PB_TEST_LEDGER_URL\n  quotas:\n    - name: Two a day\n      period: day\n      users: [dana]\n      maxCalls: 2\n`);
      process.env.PB_TEST_LEDGER_URL = url;
      const guard = createGuard({ cwd: project, user: 'dana', tags: ['search'] });
      for (const id of ['chatcmpl-a', 'chatcmpl-b']) {
        const call = await guard.reserve({ model: 'gpt-4o', inputTokens: 100, maxOutputTokens: 10 });
        await call.settle({ usage: { prompt_tokens: 100, completion_tokens: 7 }, id, model: 'gpt-4o-2024-08-06' });
      }
      await assert.rejects(guard.reserve({ model: 'gpt-4o', inputTokens: 100, maxOutputTokens: 10 }), (error: unknown) => error instanceof BudgetExceededError && error.budget === 'Two a day');
      const failed = await guard.reserve({ model: 'gpt-4o', inputTokens: 1, maxOutputTokens: 1, user: 'erin' });
      await failed.release();
      const summary = await guard.summary();
      await guard.close();
      assert.deepEqual([summary.calls, summary.outputTokens, summary.inFlight], [2, 14, 0]);
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query('SELECT response_id, model, user_id, tags, input_tokens, output_tokens FROM prompt_budget_calls ORDER BY seq');
      const reservations = await client.query('SELECT count(*)::int AS n FROM prompt_budget_reservations');
      await client.end();
      assert.deepEqual(rows, [
        { response_id: 'chatcmpl-a', model: 'gpt-4o-2024-08-06', user_id: 'dana', tags: ['search'], input_tokens: '100', output_tokens: '7' },
        { response_id: 'chatcmpl-b', model: 'gpt-4o-2024-08-06', user_id: 'dana', tags: ['search'], input_tokens: '100', output_tokens: '7' },
      ]);
      assert.equal(reservations.rows[0].n, 0);
      // Streamed as JSON Lines, the ledger reads as a usage log.
      const read = await collectUsage(['ledger'], () => postgresLedgerLines(url));
      assert.deepEqual([read.ledger.records, read.ledger.allProblems()], [2, []]);

      // `prompt-budget usage` reads the records the guard wrote, the URL from the environment.
      const env = { ...process.env, PB_TEST_LEDGER_URL: url };
      const usage = await run(process.execPath, [cli, 'usage', '--by', 'user', '--format', 'json'], { cwd: project, env });
      const report = JSON.parse(usage.stdout);
      assert.deepEqual(
        [report.records, report.groups.map((group: { user: string; calls: number; outputTokens: number }) => [group.user, group.calls, group.outputTokens])],
        [2, [['dana', 2, 14]]],
      );
      // `check` applies the quota to them: two calls of two a day is the limit reached (without them, no finding).
      const check = await run(process.execPath, [cli, 'check', '--format', 'json'], { cwd: project, env }).catch((failed: { stdout: string; code: number }) => failed);
      const findings = JSON.parse(check.stdout);
      assert.deepEqual(findings.problems.filter((problem: { rule: string }) => problem.rule === 'usage-quota').map((problem: { severity: string; message: string }) => [problem.severity, problem.message.split(':')[0]]), [['warning', "Quota 'Two a day' is at 100%"]]);

    } finally {
      delete process.env.PB_TEST_LEDGER_URL;
      rmSync(project, { recursive: true, force: true });
    }
  });

  test('a ledger that cannot be reached is a problem naming it without its password, in usage and in check; nothing hangs', async () => {
    const project = mkdtempSync(join(tmpdir(), 'pb-postgres-down-'));
    try {
      writeFileSync(join(project, 'prompt-budget.yaml'), `version: 1\nusage:\n  ledger: env:PB_TEST_LEDGER_URL\n  quotas:\n    - name: Two a day\n      period: day\n      maxCalls: 2\n`);
      const env = { ...process.env, PB_TEST_LEDGER_URL: `postgres://app:secret@127.0.0.1:${await freePort()}/fleet` };
      const usage = await run(process.execPath, [cli, 'usage'], { cwd: project, env }).then(
        () => assert.fail('usage succeeded without its only source'),
        (failed: { stderr: string; code: number }) => failed,
      );
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /postgres:\/\/127\.0\.0\.1:\d+\/fleet.*cannot read \(.*ECONNREFUSED/);
      assert.doesNotMatch(usage.stderr, /secret|app@/);
      const check = await run(process.execPath, [cli, 'check', '--format', 'json'], { cwd: project, env }).catch((failed: { stdout: string }) => failed);
      const warning = JSON.parse(check.stdout).problems.find((problem: { rule: string }) => problem.rule === 'usage-quota');
      assert.equal(warning.severity, 'warning');
      assert.equal(warning.line, 3);
      assert.match(warning.message, /^Quotas are checked without the PostgreSQL ledger postgres:\/\/127\.0\.0\.1:\d+\/fleet: cannot read/);
      const unset = await run(process.execPath, [cli, 'usage'], { cwd: project, env: { ...process.env, PB_TEST_LEDGER_URL: '' } }).catch((failed: { stderr: string }) => failed);
      assert.match(unset.stderr, /env:PB_TEST_LEDGER_URL.*environment variable PB_TEST_LEDGER_URL, which is not set/);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test('six processes sharing a quota of 300 calls make exactly 300 calls', async () => {
    const project = mkdtempSync(join(tmpdir(), 'pb-postgres-fleet-'));
    try {
      writeFileSync(join(project, 'prompt-budget.yaml'), `version: 1\nusage:\n  quotas:\n    - name: Fleet\n      period: day\n      tags: [fleet]\n      maxCalls: 300\n`);
      const library = resolve(__dirname, '../../../dist/library.cjs');
      writeFileSync(
        join(project, 'worker.js'),
        `const { createGuard } = require(${JSON.stringify(library)});
(async () => {
  const guard = createGuard({ cwd: __dirname, ledger: process.argv[3], tags: ['fleet'] });
  let made = 0;
  for (let attempt = 0; attempt < 70; attempt++) {
    try {
      const call = await guard.reserve({ model: 'gpt-4o-mini', inputTokens: 100, maxOutputTokens: 50 });
      made++;
      await call.settle({ usage: { prompt_tokens: 100, completion_tokens: 20 } });
    } catch (error) {
      if (error.name !== 'BudgetExceededError') throw error;
    }
  }
  await guard.close();
  console.log(made);
})();`,
      );
      const outputs = await Promise.all([1, 2, 3, 4, 5, 6].map(() => run(process.execPath, [join(project, 'worker.js'), '', url])));
      const made = outputs.map(({ stdout }) => Number(stdout.trim()));
      assert.equal(made.reduce((sum, n) => sum + n, 0), 300, `calls made per process: ${made.join(', ')}`);
      const client = new Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query("SELECT count(*)::int AS n FROM prompt_budget_calls WHERE 'fleet' = ANY(tags)");
      await client.end();
      assert.equal(rows[0].n, 300);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
