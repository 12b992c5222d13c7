import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateBudget, type BudgetLimits, type FileUsage } from '../../src/core/check/evaluateBudget';

// gpt-4o-mini at $0.15 in / $0.60 out per million tokens; gpt-4o at $2.50 / $10.
function priced(file: string, tokens: number, outputTokens: number, inPerMillion: number, outPerMillion: number, model: string): FileUsage {
  const inputCost = (tokens * inPerMillion) / 1e6;
  const outputCost = (outputTokens * outPerMillion) / 1e6;
  return { file, tokens, exact: true, model, inputCost, outputCost, costPerCall: inputCost + outputCost, outputTokens };
}
const mini = (file: string, tokens: number): FileUsage => priced(file, tokens, 400, 0.15, 0.6, 'gpt-4o-mini');

const support: BudgetLimits = {
  name: 'Support agent',
  warnAt: 0.8,
  maxInputTokens: 2000,
  expectedOutputTokens: 400,
  maxCostPerCall: 0.01,
  callsPerDay: 5000,
  maxMonthlyCost: 50,
};

function near(actual: number | undefined, expected: number): void {
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);
}

describe('evaluateBudget', () => {
  test('a support agent whose refund prompt is over its input cap and whose month is over $50', () => {
    const evaluation = evaluateBudget(support, [mini('prompts/support/triage.md', 1850), mini('prompts/support/refund.md', 2310)]);
    assert.equal(evaluation.status, 'over');
    assert.equal(evaluation.tokens, 2310, 'per-call figures are the largest prompt');
    near(evaluation.costPerCall, 0.0005865);
    // (0.0005175 + 0.0005865) USD x 5,000 calls x 30 days: each prompt is called callsPerDay times.
    near(evaluation.monthlyCost, 165.6);
    near(evaluation.files[0].monthlyCost, 77.625);

    assert.deepEqual(
      evaluation.findings.map((finding) => [finding.rule, finding.severity, finding.file]),
      [
        ['budget-input-tokens', 'warning', 'prompts/support/triage.md'],
        ['budget-input-tokens', 'error', 'prompts/support/refund.md'],
        ['budget-monthly-cost', 'error', undefined],
      ],
    );
    assert.equal(evaluation.findings[0].message, "prompts/support/triage.md is 1,850 tokens, 93% of the 2,000 budget 'Support agent' allows.");
    assert.equal(evaluation.findings[1].message, "prompts/support/refund.md is 2,310 tokens; budget 'Support agent' allows 2,000.");
    assert.equal(
      evaluation.findings[2].message,
      "Budget 'Support agent' costs $165.60 a month (2 prompts x 5,000 calls a day x 30 days); its limit is $50.00.",
    );
    assert.deepEqual(evaluation.files.map((file) => file.status), ['warning', 'over']);
    assert.equal(evaluation.limits.inputTokens?.status, 'over');
    assert.equal(evaluation.limits.costPerCall?.status, 'ok');
    near(evaluation.limits.monthlyCost?.ratio, 165.6 / 50);
  });

  test('an estimated count (no public tokenizer) reads ≈ in every figure it drives, not in the limits', () => {
    const claude: FileUsage = { ...priced('prompts/support/refund.md', 2772, 400, 3, 15, 'claude-sonnet-4'), exact: false };
    const evaluation = evaluateBudget({ ...support, maxTotalTokens: 3000, maxCostPerCall: 0.015, maxMonthlyCost: 2000 }, [claude]);
    assert.deepEqual(
      evaluation.findings.map((finding) => finding.message),
      [
        "prompts/support/refund.md is ≈2,772 tokens; budget 'Support agent' allows 2,000.",
        "prompts/support/refund.md with 400 output tokens is ≈3,172 tokens; budget 'Support agent' allows 3,000 in total.",
        "A call with prompts/support/refund.md costs ≈$0.014, ≈95% of the $0.015 budget 'Support agent' allows.",
        "Budget 'Support agent' costs ≈$2,147.40 a month (1 prompt x 5,000 calls a day x 30 days); its limit is $2,000.00.",
      ],
    );
  });

  test("an estimate under a limit that its upper bound passes may exceed it: a warning, even below warnAt", () => {
    const limits: BudgetLimits = { name: 'Support agent', warnAt: 0.8, maxInputTokens: 2000, maxTotalTokens: 2500, maxCostPerCall: 0.015 };
    // 1,500 tokens is 75 % of 2,000 (under warnAt), but the estimate's spread allows 2,100. With the
    // 400 output tokens the upper bound is 2,500: not over the total's 2,500, so no total finding.
    const estimate: FileUsage = { ...priced('prompts/refund.md', 1500, 400, 5, 15, 'claude-sonnet-4'), exact: false, inputUpperBound: 2100, costUpperBound: 0.0165 };
    const evaluation = evaluateBudget(limits, [estimate]);
    assert.equal(evaluation.status, 'warning');
    assert.deepEqual(
      evaluation.findings.map((finding) => [finding.rule, finding.severity, finding.message]),
      [
        ['budget-input-tokens', 'warning', "prompts/refund.md is ≈1,500 tokens and may exceed the 2,000 budget 'Support agent' allows: the estimate allows up to 2,100."],
        ['budget-cost-per-call', 'warning', "A call with prompts/refund.md costs ≈$0.013 and may exceed the $0.015 a call budget 'Support agent' allows: the estimate allows up to $0.017."],
      ],
    );
  });

  test('an exact count is judged by its count alone, and an estimate whose upper bound fits is not flagged', () => {
    const limits: BudgetLimits = { name: 'Support agent', warnAt: 0.8, maxInputTokens: 2000 };
    const exact: FileUsage = { file: 'a.md', tokens: 1500, exact: true, model: 'gpt-4o', inputUpperBound: 2100 };
    const fits: FileUsage = { file: 'b.md', tokens: 1500, exact: false, model: 'claude-sonnet-4', inputUpperBound: 1590 };
    assert.deepEqual(evaluateBudget(limits, [exact, fits]).findings, []);
  });

  test('cost per call: warning at warnAt, error over, on the file', () => {
    const gpt4o = { name: 'Research', warnAt: 0.8, maxCostPerCall: 0.01 };
    const cheap = priced('r/short.md', 1_200, 400, 2.5, 10, 'gpt-4o'); // $0.007
    const close = priced('r/medium.md', 1_800, 400, 2.5, 10, 'gpt-4o'); // $0.0085
    const dear = priced('r/long.md', 3_200, 400, 2.5, 10, 'gpt-4o'); // $0.012
    const evaluation = evaluateBudget(gpt4o, [cheap, close, dear]);
    assert.deepEqual(evaluation.files.map((file) => file.status), ['ok', 'warning', 'over']);
    assert.equal(evaluation.findings[0].message, "A call with r/medium.md costs $0.0085, 85% of the $0.01 budget 'Research' allows.");
    assert.equal(evaluation.findings[1].message, "A call with r/long.md costs $0.012; budget 'Research' allows $0.01.");
    assert.equal(evaluation.monthlyCost, undefined, 'no callsPerDay, no monthly cost');
  });

  test('exactly at a limit is a warning, not over', () => {
    const evaluation = evaluateBudget({ name: 'Edge', warnAt: 0.8, maxInputTokens: 2000 }, [mini('a.md', 2000)]);
    assert.equal(evaluation.status, 'warning');
    assert.equal(evaluation.findings[0].message, "a.md is 2,000 tokens, 100% of the 2,000 budget 'Edge' allows.");
  });

  test('at warnAt warns, one token below does not', () => {
    assert.equal(evaluateBudget({ name: 'W', warnAt: 0.8, maxInputTokens: 2000 }, [mini('a.md', 1600)]).status, 'warning');
    assert.equal(evaluateBudget({ name: 'W', warnAt: 0.8, maxInputTokens: 2000 }, [mini('a.md', 1599)]).status, 'ok');
  });

  test("a budget's own warnAt decides", () => {
    assert.equal(evaluateBudget({ name: 'Lax', warnAt: 0.95, maxInputTokens: 2000 }, [mini('a.md', 1850)]).status, 'ok');
  });

  test('total tokens add the expected output to the input', () => {
    const budget = { name: 'Total', warnAt: 0.8, maxTotalTokens: 2400, expectedOutputTokens: 400 };
    const evaluation = evaluateBudget(budget, [{ file: 'a.md', tokens: 2100, exact: true, model: 'm' }]);
    assert.equal(evaluation.files[0].totalTokens, 2500);
    assert.equal(evaluation.findings[0].rule, 'budget-total-tokens');
    assert.equal(evaluation.findings[0].message, "a.md with 400 output tokens is 2,500 tokens; budget 'Total' allows 2,400 in total.");
  });

  test("the caller's output tokens win over the budget's expected output", () => {
    const evaluation = evaluateBudget({ name: 'T', warnAt: 0.8, maxTotalTokens: 3000, expectedOutputTokens: 400 }, [
      { file: 'a.md', tokens: 1000, exact: true, model: 'm', outputTokens: 1000 },
    ]);
    assert.equal(evaluation.files[0].totalTokens, 2000);
    assert.equal(evaluation.status, 'ok');
  });

  test('files without a price are left out of costs and named in the monthly message', () => {
    const budget = { name: 'Mixed', warnAt: 0.8, callsPerDay: 1000, maxMonthlyCost: 10 };
    const unpriced: FileUsage = { file: 'local.md', tokens: 900, exact: false, model: 'local-llama' };
    const evaluation = evaluateBudget(budget, [priced('cloud.md', 2000, 500, 2.5, 10, 'gpt-4o'), unpriced]);
    assert.deepEqual(evaluation.unpricedFiles, ['local.md']);
    near(evaluation.monthlyCost, 0.01 * 1000 * 30);
    assert.equal(evaluation.exact, false);
    assert.match(evaluation.findings[0].message, /Not counted, no price: local\.md\.$/);
  });

  test('an empty budget is ok with zero tokens', () => {
    const evaluation = evaluateBudget(support, []);
    assert.equal(evaluation.status, 'ok');
    assert.equal(evaluation.tokens, 0);
    assert.deepEqual(evaluation.findings, []);
    assert.equal(evaluation.limits.inputTokens, undefined);
  });

  test('keeps only the evaluated limits of the budget, not its config positions', () => {
    const withPositions = { ...support, files: [], exclude: [], position: { line: 1, column: 1, endLine: 1, endColumn: 2 }, positions: {} };
    const evaluation = evaluateBudget(withPositions, []);
    assert.deepEqual(Object.keys(evaluation.budget).sort(), Object.keys(support).sort());
  });
});
