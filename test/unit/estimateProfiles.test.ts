import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { chunkEnds } from '../../src/core/tokenize/chunkText';
import { ESTIMATE_PROFILES, estimateSpreadLabel, upperBound } from '../../src/core/tokenize/estimateProfiles';
import { loadTokenCounter } from '../../src/core/tokenize/tokenCounter';

const CORPUS = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'estimateCorpus');

/** What scripts/measureEstimateRatios.mjs measured with the published tokenizers. */
interface Ratios {
  o200kTokens: Record<string, number>;
  families: Record<string, { tokens: Record<string, number>; maxAbsErrorOfTimes1_2: number }>;
}
const ratios = JSON.parse(readFileSync(join(CORPUS, 'ratios.json'), 'utf8')) as Ratios;
const texts = Object.keys(ratios.o200kTokens).map((name) => ({ name, text: readFileSync(join(CORPUS, name), 'utf8') }));

describe('estimates that say how wrong they can be', () => {
  test("Gemini's estimate is within its stated spread of Gemma 3's real count on every corpus text (English, German, French, Python, TypeScript, JSON, CSV, CJK)", async () => {
    const gemini = await loadTokenCounter('estimate-gemini');
    const spread = ESTIMATE_PROFILES['estimate-gemini'].spread;
    let worst = 0;
    for (const { name, text } of texts) {
      const real = ratios.families.gemma3.tokens[name];
      const error = Math.abs(gemini.count(text) / real - 1);
      worst = Math.max(worst, error);
      assert.ok(error <= spread, `${name}: ${gemini.count(text)} against ${real}`);
    }
    // The stated spread is the measured worst case, not a loose bound.
    assert.ok(spread - worst < 0.02, `spread ${spread}, worst ${worst.toFixed(3)}`);
  });

  test('the generic estimate (o200k × 1.2) is within its spread of every published family measured', async () => {
    const estimate = await loadTokenCounter('estimate');
    const spread = ESTIMATE_PROFILES.estimate.spread;
    for (const [family, { tokens }] of Object.entries(ratios.families)) {
      for (const { name, text } of texts) {
        assert.ok(Math.abs(estimate.count(text) / tokens[name] - 1) <= spread, `${family} ${name}`);
      }
    }
    const worst = Math.max(...Object.values(ratios.families).map((family) => family.maxAbsErrorOfTimes1_2));
    assert.ok(spread - worst < 0.02 && spread >= worst);
  });

  test('estimates add up over chunks as the live counter cuts them, and are rounded once', async () => {
    for (const tokenizer of ['estimate-gemini', 'estimate-claude', 'estimate-claude-4.7'] as const) {
      const counter = await loadTokenCounter(tokenizer);
      for (const { name, text } of texts) {
        let units = 0;
        let start = 0;
        for (const end of chunkEnds(text, 32)) {
          units += counter.countUnits(text.slice(start, end));
          start = end;
        }
        assert.equal(counter.fromUnits(units), counter.count(text), `${tokenizer} ${name}`);
      }
    }
  });

  test('Claude from Opus 4.7 on counts more than Claude before it, by the published factor', async () => {
    const before = await loadTokenCounter('estimate-claude');
    const after = await loadTokenCounter('estimate-claude-4.7');
    const text = texts.map((entry) => entry.text).join('\n');
    const factor = after.count(text) / before.count(text);
    assert.ok(factor > 1.1 && factor < 1.25, String(factor));
  });

  test('the spread reads with the estimate and sets its upper bound; exact counts have neither', () => {
    assert.equal(estimateSpreadLabel('estimate-gemini'), '±19 %');
    assert.equal(estimateSpreadLabel('qwen3'), '');
    assert.equal(upperBound(1000, 'estimate-gemini'), 1190);
    assert.equal(upperBound(1000, 'o200k_base'), 1000);
  });
});
