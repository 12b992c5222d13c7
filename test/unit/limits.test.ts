import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateLimits, severityOf } from '../../src/core/check/evaluateLimits';

const gpt4o = { modelId: 'gpt-4o', contextWindow: 128_000, modelMaxOutputTokens: 16_384, warnAt: 0.8 };

describe('evaluateLimits', () => {
  test('a prompt over the context window is an error on the body, with thousands separators', () => {
    assert.deepEqual(evaluateLimits({ ...gpt4o, inputTokens: 130_112 }), [
      {
        rule: 'context-window',
        severity: 'error',
        at: 'body',
        used: 130_112,
        limit: 128_000,
        message: "Prompt is 130,112 tokens; gpt-4o's context window is 128,000.",
      },
    ]);
  });

  test('exactly at the context window still fits: a warning, not an error', () => {
    const [finding] = evaluateLimits({ ...gpt4o, inputTokens: 128_000 });
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.message, "Prompt is 128,000 tokens, 100% of gpt-4o's context window of 128,000.");
  });

  test('an estimate under the window whose upper bound is over it may exceed it: a warning that says so', () => {
    const claude = { modelId: 'claude-sonnet-4-5', contextWindow: 200_000, warnAt: 0.95, exact: false };
    const [finding] = evaluateLimits({ ...claude, inputTokens: 160_000, inputUpperBound: 205_000 });
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.message, "Prompt is ≈160,000 tokens and may exceed claude-sonnet-4-5's context window of 200,000: the estimate allows up to 205,000.");
    assert.deepEqual(evaluateLimits({ ...claude, inputTokens: 160_000, inputUpperBound: 199_000 }), []);
    assert.equal(evaluateLimits({ ...claude, inputTokens: 201_000, inputUpperBound: 240_000 })[0].severity, 'error');
  });

  test('warns at exactly warnAt of the window, and not one token below', () => {
    const [atWarn] = evaluateLimits({ ...gpt4o, inputTokens: 102_400 });
    assert.equal(atWarn.severity, 'warning');
    assert.equal(atWarn.message, "Prompt is 102,400 tokens, 80% of gpt-4o's context window of 128,000.");
    assert.deepEqual(evaluateLimits({ ...gpt4o, inputTokens: 102_399 }), []);
  });

  test('input plus declared max output over the window is an error on the max output', () => {
    const findings = evaluateLimits({ ...gpt4o, inputTokens: 90_000, maxOutputTokens: 40_000 });
    assert.deepEqual(
      findings.map((finding) => [finding.rule, finding.severity, finding.at, finding.used]),
      [['context-with-output', 'error', 'maxOutput', 130_000], ['max-output', 'error', 'maxOutput', 40_000]],
    );
    assert.equal(findings[0].message, "Prompt (90,000 tokens) plus max output (40,000) is 130,000 tokens; gpt-4o's context window is 128,000.");
  });

  test('does not repeat the window error for the output when the prompt alone overflows', () => {
    const findings = evaluateLimits({ ...gpt4o, inputTokens: 130_000, maxOutputTokens: 1_000 });
    assert.deepEqual(findings.map((finding) => finding.rule), ['context-window']);
  });

  test('reports the output sum when it is worse than the prompt alone', () => {
    const findings = evaluateLimits({ ...gpt4o, inputTokens: 115_000, maxOutputTokens: 16_000 });
    assert.deepEqual(findings.map((finding) => `${finding.rule}:${finding.severity}`), ['context-window:warning', 'context-with-output:error']);
  });

  test('a model that caps input below its window holds the prompt to the cap: GPT-5 rejects 272,001 input tokens', () => {
    const gpt5 = { modelId: 'gpt-5', contextWindow: 400_000, modelMaxInputTokens: 272_000, modelMaxOutputTokens: 128_000, warnAt: 0.8 };
    assert.deepEqual(evaluateLimits({ ...gpt5, inputTokens: 272_001 }), [
      {
        rule: 'max-input',
        severity: 'error',
        at: 'body',
        used: 272_001,
        limit: 272_000,
        message: "Prompt is 272,001 tokens; gpt-5's input limit is 272,000 (its 400,000-token context window keeps the rest for output).",
      },
    ]);
    // Over the window too: one finding, the one the API reports first.
    assert.deepEqual(evaluateLimits({ ...gpt5, inputTokens: 450_000 }).map((finding) => finding.rule), ['max-input']);
    const [warning] = evaluateLimits({ ...gpt5, inputTokens: 217_600, exact: false });
    assert.equal(warning.severity, 'warning');
    assert.equal(warning.message, "Prompt is ≈217,600 tokens, ≈80% of gpt-5's input limit of 272,000 (its 400,000-token context window keeps the rest for output).");
    assert.deepEqual(evaluateLimits({ ...gpt5, inputTokens: 217_599 }), []);
    // The window still bounds input plus the declared output.
    const withOutput = evaluateLimits({ ...gpt5, inputTokens: 250_000, maxOutputTokens: 160_000 });
    assert.deepEqual(withOutput.map((finding) => `${finding.rule}:${finding.severity}`), ['max-input:warning', 'context-with-output:error', 'max-output:error']);
  });

  test('an input cap at or above the window changes nothing', () => {
    const loose = { modelId: 'm', contextWindow: 8_000, modelMaxInputTokens: 8_000, warnAt: 0.8 };
    assert.deepEqual(evaluateLimits({ ...loose, inputTokens: 9_000 }).map((finding) => finding.rule), ['context-window']);
    // With no window published, the cap alone applies.
    assert.deepEqual(evaluateLimits({ modelId: 'm', modelMaxInputTokens: 8_000, warnAt: 0.8, inputTokens: 9_000 }).map((finding) => finding.rule), ['max-input']);
  });

  test('a declared max output over the model max is an error; at it, none', () => {
    const [over] = evaluateLimits({ ...gpt4o, inputTokens: 1_000, maxOutputTokens: 20_000 });
    assert.equal(over.rule, 'max-output');
    assert.equal(over.at, 'maxOutput');
    assert.equal(over.message, "Max output of 20,000 tokens is over gpt-4o's limit of 16,384.");
    assert.deepEqual(evaluateLimits({ ...gpt4o, inputTokens: 1_000, maxOutputTokens: 16_384 }), []);
  });

  test('says "the model" without a model id and skips limits the model does not publish', () => {
    const [finding] = evaluateLimits({ inputTokens: 9_000, contextWindow: 8_192, warnAt: 0.8 });
    assert.equal(finding.message, "Prompt is 9,000 tokens; the model's context window is 8,192.");
    const unknown = evaluateLimits({ inputTokens: 9_000_000, maxOutputTokens: 1e6, warnAt: 0.8 });
    assert.deepEqual(unknown.map((finding) => [finding.rule, finding.severity, finding.at]), [
      ['unknown-limit', 'info', 'body'],
      ['unknown-limit', 'info', 'maxOutput'],
    ]);
  });

  test('skips a limit no source gives with an info that says how to declare it, never a guessed figure', () => {
    const findings = evaluateLimits({ modelId: 'grok-4.6', inputTokens: 3_000_000, contextWindow: 500_000, maxOutputTokens: 900_000, warnAt: 0.8 });
    // The window is known and checked; the max output is not, so only the info speaks of it.
    assert.deepEqual(findings.map((finding) => finding.rule), ['unknown-limit', 'context-window']);
    const [info] = findings;
    assert.equal(info.severity, 'info');
    assert.equal(info.limit, undefined);
    assert.equal(
      info.message,
      "Max output of grok-4.6 is unknown (no source gives it), so the max-output check is skipped. Declare it in prompt-budget.yaml: models: { grok-4.6: { maxOutputTokens: <tokens> } }.",
    );
    // An embedding's max output of 0 is known: no output, no info.
    assert.deepEqual(evaluateLimits({ modelId: 'text-embedding-3-small', inputTokens: 10, contextWindow: 8_192, modelMaxOutputTokens: 0, warnAt: 0.8 }), []);
  });

  test('an estimated count marks the prompt\'s figures with ≈, never the limits', () => {
    const [over] = evaluateLimits({ ...gpt4o, exact: false, inputTokens: 240_000 });
    assert.equal(over.message, "Prompt is ≈240,000 tokens; gpt-4o's context window is 128,000.");
    const [close] = evaluateLimits({ ...gpt4o, exact: false, inputTokens: 127_900 });
    assert.equal(close.message, "Prompt is ≈127,900 tokens, ≈99% of gpt-4o's context window of 128,000.");
    const [sum] = evaluateLimits({ ...gpt4o, exact: false, inputTokens: 90_000, maxOutputTokens: 40_000 });
    assert.equal(sum.message, "Prompt (≈90,000 tokens) plus max output (40,000) is ≈130,000 tokens; gpt-4o's context window is 128,000.");
    const [exact] = evaluateLimits({ ...gpt4o, exact: true, inputTokens: 240_000 });
    assert.doesNotMatch(exact.message, /≈/);
  });

  test('warnAt 1 warns only at the limit itself', () => {
    assert.deepEqual(evaluateLimits({ ...gpt4o, warnAt: 1, inputTokens: 127_999 }), []);
    assert.equal(evaluateLimits({ ...gpt4o, warnAt: 1, inputTokens: 128_000 })[0].severity, 'warning');
  });
});

describe('severityOf', () => {
  test('is exact where floating point is not: 0.8 x 10,000 warns at 8,000', () => {
    assert.equal(severityOf(8_000, 10_000, 0.8), 'warning');
    assert.equal(severityOf(7_999, 10_000, 0.8), undefined);
    assert.equal(severityOf(0.008, 0.01, 0.8), 'warning');
    assert.equal(severityOf(0.0100001, 0.01, 0.8), 'error');
  });

  test('a zero limit is over at any use and never warns', () => {
    assert.equal(severityOf(0, 0, 0.8), undefined);
    assert.equal(severityOf(0.0001, 0, 0.8), 'error');
  });
});
