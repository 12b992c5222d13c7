import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';

test('usage.ledger names a JSONL file that is also read as a usage log, with its position', () => {
  const { config, problems } = parseBudgetConfig('prompt-budget.yaml', 'version: 1\nusage:\n  files: ["logs/*.jsonl"]\n  ledger: usage/ledger.jsonl\n');
  assert.deepEqual(problems, []);
  assert.equal(config?.usage?.ledger, 'usage/ledger.jsonl');
  assert.deepEqual(config?.usage?.files.map((glob) => glob.pattern), ['logs/*.jsonl', 'usage/ledger.jsonl']);
  assert.deepEqual(config?.usage?.ledgerPosition, { line: 4, column: 11, endLine: 4, endColumn: 29 });
});

test('usage.ledger refuses a PostgreSQL URL with a password in clear, pointing at the value', () => {
  const { config, problems } = parseBudgetConfig('prompt-budget.yaml', 'version: 1\nusage:\n  ledger: postgres://app:secret@db.internal/usage\n');
  assert.equal(config?.usage?.ledger, undefined);
  assert.deepEqual(
    problems.map((problem) => [problem.line, problem.column, problem.severity, problem.message]),
    [[3, 11, 'error', "'ledger' must not hold a password: write postgres://user@host/db and set PGPASSWORD, or name the whole URL with env:VARIABLE."]],
  );
  const fromEnvironment = parseBudgetConfig('prompt-budget.yaml', 'version: 1\nusage:\n  ledger: env:USAGE_DATABASE_URL\n');
  assert.deepEqual([fromEnvironment.problems, fromEnvironment.config?.usage?.ledger, fromEnvironment.config?.usage?.files], [[], 'env:USAGE_DATABASE_URL', []]);
});
