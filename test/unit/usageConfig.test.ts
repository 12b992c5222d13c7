import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';

const CONFIG = `version: 1
warnAt: 0.7
budgets:
  - name: Support
    files: ["prompts/support/**"]
    usageTags: [support, triage]
usage:
  files: ["logs/**/*.jsonl", "exports/*.csv"]
  quotas:
    - name: Team month
      period: month
      maxCost: 200
    - name: Minis per day
      period: day
      models: ["gpt-4o-mini*"]
      users: [alice]
      tags: ["supp*"]
      maxCalls: 5000
      maxTokens: 2000000
      warnAt: 0.9
`;

describe('usage config', () => {
  test('reads usage.files, quotas with filters and limits, and budgets’ usageTags', () => {
    const { config, problems } = parseBudgetConfig('prompt-budget.yaml', CONFIG);
    assert.deepEqual(problems, []);
    assert.ok(config?.usage);
    assert.deepEqual(config.usage.files.map((glob) => glob.pattern), ['logs/**/*.jsonl', 'exports/*.csv']);
    const [month, minis] = config.usage.quotas;
    assert.deepEqual([month.name, month.period, month.maxCost, month.warnAt], ['Team month', 'month', 200, 0.7]);
    assert.deepEqual(
      [minis.models, minis.users, minis.tags, minis.maxCalls, minis.maxTokens, minis.warnAt],
      [['gpt-4o-mini*'], ['alice'], ['supp*'], 5000, 2000000, 0.9],
    );
    assert.deepEqual(minis.position, { line: 13, column: 13, endLine: 13, endColumn: 26 });
    assert.deepEqual(config.budgets[0].usageTags, ['support', 'triage']);
  });

  test('a quota without a limit, with an unknown period or a misspelt key is reported at the key', () => {
    const text = 'usage:\n  quotas:\n    - name: Q\n      period: year\n    - name: R\n      period: week\n      maxCalls: 10\n      maxCots: 5\n';
    const { config, problems } = parseBudgetConfig('c.yaml', text);
    assert.equal(config, undefined);
    const summary = problems.map((problem) => `${problem.line}:${problem.column} ${problem.severity} ${problem.message}`);
    assert.deepEqual(summary, [
      "3:7 error Quota 'Q' sets no limit; add maxCost, maxTokens or maxCalls.",
      "4:15 error 'period' must be one of day, week, month, block, not the string 'year'.",
      "8:7 warning Unknown key 'maxCots'. Did you mean 'maxCost'?",
    ]);
  });

  test('rejects a negative cost, a fractional call count, two quotas of one name and an absolute log glob', () => {
    const text = 'usage:\n  files: /var/log/llm.jsonl\n  quotas:\n    - name: A\n      period: day\n      maxCost: -1\n    - name: a\n      period: day\n      maxCalls: 2.5\n';
    const { problems } = parseBudgetConfig('c.yaml', text);
    assert.deepEqual(
      problems.map((problem) => [problem.line, problem.rule]),
      [
        [2, 'invalid-value'],
        [6, 'invalid-value'],
        [7, 'duplicate-quota'],
        [9, 'invalid-value'],
      ],
    );
  });

  test('usage must be a map and usageTags a list', () => {
    const { problems } = parseBudgetConfig('c.yaml', 'usage: logs/*.jsonl\nbudgets:\n  - name: A\n    files: a.md\n    usageTags: support\n');
    assert.deepEqual(
      problems.map((problem) => problem.message),
      ["'usage' must be a map with 'files' (globs of usage logs) and 'quotas', not the string 'logs/*.jsonl'.", "'usageTags' must be a list of strings, not the string 'support'."],
    );
  });
});
