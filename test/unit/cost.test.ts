import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { costPerCall, pricesForInput } from '../../src/core/catalog/cost';
import fc from 'fast-check';
import { formatInteger, formatPercent, formatTokens, formatUsd } from '../../src/core/report/formatNumbers';
import { formatUsageCost } from '../../src/core/usage/formatUsage';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import type { ModelInfo, ModelPricing } from '../../src/core/types';

function assertUsd(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `expected ${expected}, got ${actual}`);
}

function testModel(pricing: ModelPricing | undefined): ModelInfo {
  return { id: 'test-model', name: 'Test', provider: 'test', aliases: [], pricing, tokenizer: 'estimate', sources: {}, origin: 'settings' };
}

// Two thresholds, to check that the highest exceeded one wins.
const tiered: ModelPricing = {
  inputPerMillion: 1,
  outputPerMillion: 4,
  tiers: [
    { aboveInputTokens: 500_000, inputPerMillion: 3, outputPerMillion: 12 },
    { aboveInputTokens: 100_000, inputPerMillion: 2, outputPerMillion: 8 },
  ],
};

describe('cost per call', () => {
  test('charges GPT-4o $2.50 per million in and $10 per million out', () => {
    const cost = costPerCall(ModelCatalog.builtIn().find('gpt-4o')!, 1_000, 500);
    assertUsd(cost.input, 0.0025);
    assertUsd(cost.output, 0.005);
    assertUsd(cost.total, 0.0075);
    assert.equal(cost.inputTokens, 1_000);
    assert.equal(cost.outputTokens, 500);
    assert.equal(cost.priced, true);
  });

  test('charges Gemini 2.5 Pro its long-context price for the whole call only above 200k input tokens', () => {
    const pro = ModelCatalog.builtIn().find('gemini-2.5-pro')!;
    assertUsd(costPerCall(pro, 200_000, 1_000).total, 0.25 + 0.01);
    assertUsd(costPerCall(pro, 200_001, 1_000).input, (200_001 * 2.5) / 1e6);
    assertUsd(costPerCall(pro, 200_001, 1_000).output, 0.015);
  });

  test('applies the highest tier the input exceeds, whatever order the tiers are listed in', () => {
    assert.deepEqual(pricesForInput(tiered, 100_000), { inputPerMillion: 1, outputPerMillion: 4, cachedInputPerMillion: undefined });
    assert.equal(pricesForInput(tiered, 100_001).inputPerMillion, 2);
    assert.equal(pricesForInput(tiered, 500_001).outputPerMillion, 12);
    assertUsd(costPerCall(testModel(tiered), 600_000, 10_000).total, 1.8 + 0.12);
  });

  test('costs nothing for a model priced at 0, and says it is priced', () => {
    const cost = costPerCall(testModel({ inputPerMillion: 0, outputPerMillion: 0 }), 50_000, 2_000);
    assert.deepEqual(cost, { inputTokens: 50_000, outputTokens: 2_000, input: 0, output: 0, total: 0, priced: true });
  });

  test('marks the cost of a model without a price as unknown', () => {
    const cost = costPerCall(testModel(undefined), 50_000, 2_000);
    assert.equal(cost.priced, false);
    assert.equal(cost.total, 0);
  });
});

describe('formatUsd', () => {
  test('compact drops the cents from $100 on, for totals and the budgets side bar, and is full below', () => {
    assert.equal(formatUsd(1234.56, 'compact'), '$1,235');
    assert.equal(formatUsd(100, 'compact'), '$100');
    assert.equal(formatUsd(99.5, 'compact'), '$99.50');
    assert.equal(formatUsd(0.0042, 'compact'), '$0.0042');
    assert.equal(formatUsd(-250, 'compact'), '-$250');
    assert.equal(formatUsageCost(0), '$0');
    assert.equal(formatUsageCost(12_345.6), '$12,346');
    assert.equal(formatUsageCost(0.0998), '$0.10');
  });

  test('prints dollars with cents and thousands separators', () => {
    assert.equal(formatUsd(18.4), '$18.40');
    assert.equal(formatUsd(1), '$1.00');
    assert.equal(formatUsd(1234.567), '$1,234.57');
  });

  test('prints amounts below a dollar with two significant digits', () => {
    assert.equal(formatUsd(0.0031), '$0.0031');
    assert.equal(formatUsd(0.00012), '$0.00012');
    assert.equal(formatUsd(0.31), '$0.31');
    assert.equal(formatUsd(0.5), '$0.50');
    assert.equal(formatUsd(0.05), '$0.05');
    assert.equal(formatUsd(0.0125), '$0.013');
    assert.equal(formatUsd(0.00999), '$0.01');
    assert.equal(formatUsd(0.999), '$1.00');
  });

  test('prints zero, negatives and amounts too small to show', () => {
    assert.equal(formatUsd(0), '$0.00');
    assert.equal(formatUsd(-0.0031), '-$0.0031');
    assert.equal(formatUsd(0.000005), '$0.000005');
    assert.equal(formatUsd(1e-9), '<$0.000001');
  });
});

describe('formatTokens', () => {
  test('prints counts in full with separators', () => {
    assert.equal(formatTokens(0), '0');
    assert.equal(formatTokens(1_234), '1,234');
    assert.equal(formatTokens(1_047_576), '1,047,576');
  });

  test('prints compact counts for tight spaces', () => {
    assert.equal(formatTokens(999, 'compact'), '999');
    assert.equal(formatTokens(1_234, 'compact'), '1.2k');
    assert.equal(formatTokens(1_000, 'compact'), '1k');
    assert.equal(formatTokens(16_384, 'compact'), '16k');
    assert.equal(formatTokens(128_000, 'compact'), '128k');
    assert.equal(formatTokens(999_999, 'compact'), '1M');
    assert.equal(formatTokens(1_047_576, 'compact'), '1.05M');
  });
});

// The formatters group digits by hand (toLocaleString's first call loads ICU data): they must read
// exactly as en-US formatting does.
describe('digit grouping, against en-US formatting', () => {
  test('whole numbers, from 0 to 2^53, negative too', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), fc.boolean(), (value, negative) => {
        // -0 reads '0' here, where toLocaleString writes '-0'.
        const signed = negative && value > 0 ? -value : value;
        assert.equal(formatInteger(signed), signed.toLocaleString('en-US'));
        assert.equal(formatTokens(signed), signed.toLocaleString('en-US'));
      }),
      { numRuns: 5000 },
    );
    for (const value of [0, 7, 999, 1000, 999_999, 1_000_000, 12_345_678, 1e21, -3.5e24, Infinity, -Infinity, NaN]) {
      assert.equal(formatInteger(value), value.toLocaleString('en-US'));
    }
    assert.equal(formatInteger(1234.6), '1,235');
  });

  test('dollar amounts of a dollar or more, with their cents rounded the same way', () => {
    const dollars = fc.oneof(fc.double({ min: 1, max: 1e12, noNaN: true }), fc.integer({ min: 100, max: 10_000_000 }).map((cents) => cents / 100 + 0.005));
    fc.assert(
      fc.property(dollars, (amount) => {
        const expected = `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
        assert.equal(formatUsd(amount), expected);
        assert.equal(formatUsd(-amount), `-${expected}`);
      }),
      { numRuns: 5000 },
    );
    for (const amount of [1e21, 2.5e25]) assert.equal(formatUsd(amount), `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);
  });
});

describe('formatPercent', () => {
  test('rounds to the nearest, so 5.2% reads 5.2% and 110 tokens of 128,000 read <0.1%', () => {
    assert.equal(formatPercent(0.052, 1), '5.2%');
    assert.equal(formatPercent(0.0519, 1), '5.2%');
    assert.equal(formatPercent(6656 / 128000, 1), '5.2%');
    assert.equal(formatPercent(110 / 128000, 1), '<0.1%');
    assert.equal(formatPercent(0.004), '<1%');
    assert.equal(formatPercent(1.0004, 1), '100.1%');
  });

  test('never reads 100% for a share under a limit', () => {
    assert.equal(formatPercent(0.996), '99%');
    assert.equal(formatPercent(0.9996, 1), '99.9%');
    assert.equal(formatPercent(1), '100%');
    assert.equal(formatPercent(1.25, 1), '125.0%');
  });

  test('keeps whole shares whole despite floating point', () => {
    assert.equal(formatPercent(0.29), '29%');
    assert.equal(formatPercent(0.001, 1), '0.1%');
    assert.equal(formatPercent(0), '0%');
  });
});
