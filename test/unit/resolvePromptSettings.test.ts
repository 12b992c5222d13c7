import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePrompt } from '../../src/core/count/analyzePrompt';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { DEFAULT_MODEL, resolvePromptSettings, type PromptSettingSources } from '../../src/core/count/resolvePromptSettings';

const catalog = ModelCatalog.builtIn();
const budget = { name: 'Support agent', model: 'gpt-4o-mini', expectedOutputTokens: 400, warnAt: 0.9 };
const all: PromptSettingSources = {
  catalog,
  pick: { model: 'gpt-4.1', source: 'picker' },
  config: { defaultModel: 'o3', warnAt: 0.7 },
  setting: { defaultModel: 'gpt-4-turbo', warnAt: 0.6, expectedOutputTokens: 100 },
};

describe('resolvePromptSettings', () => {
  test('a budget names the model, the expected output and warnAt over everything but the file', () => {
    const context = resolvePromptSettings(all, budget);
    assert.deepEqual([context.fallbackModel, context.fallbackSource, context.expectedOutputTokens, context.warnAt, context.budgetName], ['gpt-4o-mini', 'budget', 400, 0.9, 'Support agent']);
  });

  test('then the picked model (or --model), the config, the setting, and gpt-4o last', () => {
    const order = (sources: PromptSettingSources) => {
      const context = resolvePromptSettings(sources);
      return `${context.fallbackModel}:${context.fallbackSource}`;
    };
    assert.equal(order(all), 'gpt-4.1:picker');
    assert.equal(order({ ...all, pick: { model: 'gpt-4.1', source: 'cli' } }), 'gpt-4.1:cli');
    assert.equal(order({ ...all, pick: undefined }), 'o3:config');
    assert.equal(order({ ...all, pick: undefined, config: { warnAt: 0.7 } }), 'gpt-4-turbo:setting');
    assert.equal(order({ catalog }), `${DEFAULT_MODEL}:default`);
  });

  test('warnAt: budget, then config, then setting, then 0.8; expected output only from a budget or the setting', () => {
    assert.equal(resolvePromptSettings(all).warnAt, 0.7);
    assert.equal(resolvePromptSettings({ ...all, config: undefined }).warnAt, 0.6);
    assert.equal(resolvePromptSettings({ catalog }).warnAt, 0.8);
    assert.equal(resolvePromptSettings(all).expectedOutputTokens, 100);
    assert.equal(resolvePromptSettings({ catalog, config: all.config }).expectedOutputTokens, undefined);
  });

  test("a model declared in the file wins over the budget's", async () => {
    const text = '---\nmodel: gpt-4.1-mini\n---\nSummarise the ticket.\n';
    const analysis = await analyzePrompt('triage.prompt.md', text, resolvePromptSettings(all, budget));
    assert.deepEqual([analysis.resolved.model?.id, analysis.resolved.source], ['gpt-4.1-mini', 'file']);
  });
});
