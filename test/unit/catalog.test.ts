import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildBuiltInModels } from '../../src/core/catalog/builtInModels';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { MODEL_LIMITS } from '../../src/core/catalog/modelLimits';
import { findProvider } from '@pydantic/genai-prices';
import { BUNDLED_PRICES_COPY, BUNDLED_PROVIDER_IDS, PRICE_PACKAGE, readBundledPriceCopy } from '../../src/core/catalog/priceData';
import type { ModelInfo, ModelOverride } from '../../src/core/types';

const catalog = ModelCatalog.builtIn();

function model(idOrAlias: string, from: ModelCatalog = catalog): ModelInfo {
  const found = from.find(idOrAlias);
  assert.ok(found, `expected '${idOrAlias}' to be found`);
  return found;
}

describe('built-in models', () => {
  test('prices GPT-4o at $2.50 in / $10 out / $1.25 cached, with its 128k window and 16,384 max output', () => {
    const gpt4o = model('gpt-4o');
    assert.deepEqual(gpt4o.pricing, { inputPerMillion: 2.5, outputPerMillion: 10, cachedInputPerMillion: 1.25 });
    assert.equal(gpt4o.contextWindow, 128_000);
    assert.equal(gpt4o.maxOutputTokens, 16_384);
    assert.equal(gpt4o.tokenizer, 'o200k_base');
    assert.equal(gpt4o.provider, 'openai');
    assert.equal(gpt4o.origin, 'catalog');
  });

  test('prices GPT-4o mini at $0.15 / $0.60 and GPT-4.1 at $2 / $8 with its 1,047,576-token window', () => {
    const mini = model('gpt-4o-mini');
    assert.equal(mini.pricing?.inputPerMillion, 0.15);
    assert.equal(mini.pricing?.outputPerMillion, 0.6);
    const gpt41 = model('gpt-4.1');
    assert.equal(gpt41.pricing?.inputPerMillion, 2);
    assert.equal(gpt41.pricing?.outputPerMillion, 8);
    assert.equal(gpt41.contextWindow, 1_047_576);
    assert.equal(gpt41.maxOutputTokens, 32_768);
  });

  test('prices Claude Sonnet 4 at $3 / $15 with 200k context and 64k output, counted as an estimate', () => {
    const sonnet = model('claude-sonnet-4');
    assert.equal(sonnet.pricing?.inputPerMillion, 3);
    assert.equal(sonnet.pricing?.outputPerMillion, 15);
    assert.equal(sonnet.pricing?.cachedInputPerMillion, 0.3);
    assert.equal(sonnet.contextWindow, 200_000);
    assert.equal(sonnet.maxOutputTokens, 64_000);
    assert.equal(sonnet.tokenizer, 'estimate-claude');
  });

  test('gives Gemini 2.5 Pro its higher price for prompts above 200k tokens', () => {
    const pro = model('gemini-2.5-pro');
    assert.deepEqual(pro.pricing, {
      inputPerMillion: 1.25,
      outputPerMillion: 10,
      cachedInputPerMillion: 0.125,
      tiers: [{ aboveInputTokens: 200_000, inputPerMillion: 2.5, outputPerMillion: 15, cachedInputPerMillion: 0.25 }],
    });
    assert.equal(pro.contextWindow, 1_048_576);
    assert.equal(pro.maxOutputTokens, 65_536);
  });

  test('uses the price in effect on the day: o3 before and after its June 2025 price cut', () => {
    const before = buildBuiltInModels(new Date('2025-06-01T00:00:00Z')).models.find((m) => m.id === 'o3');
    const after = buildBuiltInModels(new Date('2025-07-01T00:00:00Z')).models.find((m) => m.id === 'o3');
    assert.equal(before?.pricing?.inputPerMillion, 10);
    assert.equal(before?.pricing?.outputPerMillion, 40);
    assert.equal(after?.pricing?.inputPerMillion, 2);
    assert.equal(after?.pricing?.outputPerMillion, 8);
  });

  test('counts OpenAI families with their encodings and everyone else as an estimate', () => {
    const expected: Record<string, string> = {
      'gpt-4o': 'o200k_base',
      'gpt-4.1-nano': 'o200k_base',
      o1: 'o200k_base',
      'o4-mini': 'o200k_base',
      'gpt-5-mini': 'o200k_base',
      'gpt-4': 'cl100k_base',
      'gpt-4-turbo': 'cl100k_base',
      'gpt-3.5-turbo': 'cl100k_base',
      'text-embedding-3-small': 'cl100k_base',
      'claude-haiku-4-5': 'estimate-claude',
      'gemini-2.5-flash': 'gemma3',
      'gemini-3.1-pro-preview': 'gemma4',
    };
    for (const [id, tokenizer] of Object.entries(expected)) assert.equal(model(id).tokenizer, tokenizer, id);
  });

  test('applies every entry of the limits table: each still matches a model the price data prices', () => {
    const unused = MODEL_LIMITS.filter(
      (entry) =>
        !catalog
          .list()
          .some((m) => m.provider === entry.provider && m.sellsOwnModel && [m.id, ...m.aliases].some((name) => entry.ids.test(name)) && m.limitSources?.maxOutputTokens === entry.source),
    );
    assert.deepEqual(unused.map((entry) => `${entry.provider} ${entry.ids}`), []);
  });

  test('says where every price and limit came from, and as of when', () => {
    for (const entry of catalog.list()) {
      assert.match(entry.sources.prices?.source ?? '', /^.+ price, @pydantic\/genai-prices 0\.1\.8 \(data of \d{4}-\d{2}-\d{2}\)/);
      assert.match(entry.sources.prices?.asOf ?? '', /^\d{4}-\d{2}-\d{2}$/);
      // A limit is either cited (source and date) or absent; never a figure without a source.
      for (const key of ['contextWindow', 'maxInputTokens', 'maxOutputTokens'] as const) {
        if (entry[key] === undefined) continue;
        assert.ok(entry.limitSources?.[key], `${entry.id} ${key} has no source`);
        assert.match(entry.limitSources?.[key]?.asOf ?? '', /^\d{4}-\d{2}/);
      }
    }
    assert.equal(model('gpt-4o').sources.prices?.source, 'OpenAI price, @pydantic/genai-prices 0.1.8 (data of 2026-09-23)');
    assert.equal(model('gpt-4o').sources.limits?.source, 'OpenAI model docs (context window, max output tokens)');
  });

  test('names the installed @pydantic/genai-prices version, so an upgrade cannot keep a stale data date', () => {
    const packageJson = join(dirname(require.resolve('@pydantic/genai-prices')), '..', 'package.json');
    const installed = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
    assert.equal(PRICE_PACKAGE.version, installed);
  });

  test("reads the build's JSON copy of the price data beside the bundles: the package's data of every bundled provider, with its version", () => {
    const copy = readBundledPriceCopy(join(__dirname, '..', '..', '..', 'dist'));
    assert.ok(copy, `dist/${BUNDLED_PRICES_COPY} is missing or of another package version (run npm run build)`);
    assert.deepEqual(copy.map((provider) => provider.id), [...BUNDLED_PROVIDER_IDS]);
    for (const provider of copy) assert.deepEqual(provider, JSON.parse(JSON.stringify(findProvider({ providerId: provider.id }))), provider.id);
  });

  test('ignores a price copy of another package version, a cut-off one or none, and the package is read instead', () => {
    const folder = mkdtempSync(join(tmpdir(), 'price-copy-'));
    try {
      assert.equal(readBundledPriceCopy(folder), undefined);
      const providers = [findProvider({ providerId: 'openai' })];
      writeFileSync(join(folder, BUNDLED_PRICES_COPY), JSON.stringify({ version: '0.0.1', providers }));
      assert.equal(readBundledPriceCopy(folder), undefined);
      const current = JSON.stringify({ version: PRICE_PACKAGE.version, providers });
      writeFileSync(join(folder, BUNDLED_PRICES_COPY), current.slice(0, current.length >> 1));
      assert.equal(readBundledPriceCopy(folder), undefined);
      writeFileSync(join(folder, BUNDLED_PRICES_COPY), current);
      assert.equal(readBundledPriceCopy(folder)?.[0]?.id, 'openai');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('is built once and shared', () => {
    assert.equal(ModelCatalog.builtIn(), catalog);
  });
});

describe('finding a model', () => {
  test('matches ids and display names case-insensitively', () => {
    assert.equal(model('GPT-4o').id, 'gpt-4o');
    assert.equal(model('gpt-4O').id, 'gpt-4o');
    assert.equal(model('GPT-4o mini').id, 'gpt-4o-mini');
    assert.equal(model('Claude Sonnet 4.5').id, 'claude-sonnet-4-5');
    assert.equal(model('Gemini 2.5 Pro').id, 'gemini-2.5-pro');
    assert.equal(model('  gpt-4.1  ').id, 'gpt-4.1');
  });

  test("knows providers' own aliases", () => {
    assert.equal(model('claude-sonnet-4-0').id, 'claude-sonnet-4');
    assert.equal(model('claude-sonnet-4.5').id, 'claude-sonnet-4-5');
    assert.equal(model('Claude 3.7 Sonnet').id, 'claude-3-7-sonnet');
  });

  test('drops provider and gateway prefixes', () => {
    assert.equal(model('openai/gpt-4.1').id, 'gpt-4.1');
    assert.equal(model('OpenAI:gpt-4o-mini').id, 'gpt-4o-mini');
    assert.equal(model('anthropic:claude-sonnet-4-20250514').id, 'claude-sonnet-4');
    assert.equal(model('google/gemini-2.5-pro').id, 'gemini-2.5-pro');
    assert.equal(model('gemini/gemini-2.5-flash').id, 'gemini-2.5-flash');
    assert.equal(model('models/gemini-2.5-flash-lite').id, 'gemini-2.5-flash-lite');
    assert.equal(model('vertex_ai/gemini-2.5-pro').id, 'gemini-2.5-pro');
  });

  test("does not match a model under another provider's prefix", () => {
    assert.equal(catalog.find('openai/claude-sonnet-4'), undefined);
  });

  test('resolves dated ids to their base model', () => {
    assert.equal(model('gpt-4o-2024-08-06').id, 'gpt-4o');
    assert.equal(model('gpt-4o-mini-2024-07-18').id, 'gpt-4o-mini');
    assert.equal(model('o3-2025-04-16').id, 'o3');
    assert.equal(model('claude-sonnet-4-5-20250929').id, 'claude-sonnet-4-5');
    assert.equal(model('claude-3-5-haiku-latest').id, 'claude-3-5-haiku');
    assert.equal(model('claude-3-5-haiku-20241022').id, 'claude-3-5-haiku');
    assert.equal(model('gpt-4-0613').id, 'gpt-4');
    assert.equal(model('gemini-2.0-flash-001').id, 'gemini-2.0-flash');
  });

  test('lists dated ids the price data names as aliases', () => {
    assert.ok(model('gpt-4o').aliases.includes('gpt-4o-2024-11-20'));
    assert.ok(model('gpt-4.1').aliases.includes('openai/gpt-4.1'));
  });

  test('prices a separately priced snapshot as itself, not as its base model', () => {
    // gpt-4o-2024-05-13 costs $5 / $15, twice gpt-4o.
    assert.equal(model('gpt-4o-2024-05-13').id, 'gpt-4o-2024-05-13');
    assert.equal(model('gpt-4o-2024-05-13').pricing?.inputPerMillion, 5);
  });

  test('says why a model the price data lists without a token price is not selectable', () => {
    const resolution = catalog.resolve('whisper-1');
    assert.ok('error' in resolution);
    assert.match(resolution.error, /without a per-token text price/);
  });
});

describe('resolving a name', () => {
  test('returns the model for a known name', () => {
    const resolution = catalog.resolve('GPT-4o');
    assert.ok('model' in resolution);
    assert.equal(resolution.model.id, 'gpt-4o');
  });

  test('names the closest known ids for an unknown one', () => {
    const gpt4o = catalog.resolve('gpt4o');
    assert.ok('error' in gpt4o);
    assert.match(gpt4o.error, /^Unknown model 'gpt4o'\. Closest: gpt-4o, gpt-4o-mini, /);
    assert.equal(gpt4o.suggestions.length, 3);
    const claude = catalog.resolve('claude-sonet-4');
    assert.ok('error' in claude);
    assert.equal(claude.suggestions[0], 'claude-sonnet-4');
  });

  test('suggests only ids close to an unknown name, and none for an unrelated one', () => {
    assert.deepEqual(catalog.resolve('totally-unrelated-model'), { error: "Unknown model 'totally-unrelated-model'.", suggestions: [] });
    const suggestions = (name: string): string[] => {
      const resolution = catalog.resolve(name);
      return 'suggestions' in resolution ? resolution.suggestions : [];
    };
    assert.deepEqual(suggestions('zzyzx-9000'), []);
    // A prefix of known ids still suggests them, however short.
    assert.ok(suggestions('gemini').length > 0);
    assert.ok(suggestions('gemini').every((id) => id.startsWith('gemini')));
  });

  test('says so when no name is given', () => {
    assert.deepEqual(catalog.resolve('  '), { error: 'No model given.', suggestions: [] });
  });
});

describe('listing', () => {
  test('sorts by provider, then name', () => {
    const listed = catalog.list().map((entry) => `${entry.provider} ${entry.name}`);
    const sorted = [...listed].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    assert.deepEqual(listed, sorted);
    assert.equal(catalog.list()[0].provider, 'anthropic');
  });

  test('names the providers: every one of the price data that prices a text model', () => {
    const providers = catalog.providers();
    for (const id of ['anthropic', 'google', 'openai', 'x-ai', 'deepseek', 'mistral', 'cohere', 'moonshotai', 'groq', 'together', 'fireworks', 'aws', 'azure', 'openrouter']) {
      assert.ok(providers.includes(id), id);
    }
  });
});

describe('overrides', () => {
  test('adds a local model at price 0, counted as an estimate', () => {
    const withLocal = catalog.withOverrides(
      [{ id: 'llama3.1:8b', name: 'Llama 3.1 8B (local)', contextWindow: 131_072, inputPerMillion: 0, outputPerMillion: 0 }],
      'workspace',
    );
    const local = model('llama3.1:8b', withLocal);
    assert.deepEqual(local.pricing, { inputPerMillion: 0, outputPerMillion: 0 });
    assert.equal(local.tokenizer, 'estimate');
    assert.equal(local.provider, 'custom');
    assert.equal(local.origin, 'workspace');
    assert.equal(local.contextWindow, 131_072);
    assert.equal(local.sources.prices?.source, 'Workspace override');
    assert.equal(catalog.find('llama3.1:8b'), undefined, 'the built-in catalog is left alone');
  });

  test('merges a negotiated price onto a known model, keeping its limits and their source', () => {
    const negotiated = catalog.withOverrides([{ id: 'gpt-4o', inputPerMillion: 2, outputPerMillion: 8 }], 'settings');
    const gpt4o = model('gpt-4o', negotiated);
    assert.deepEqual(gpt4o.pricing, { inputPerMillion: 2, outputPerMillion: 8 });
    assert.equal(gpt4o.contextWindow, 128_000);
    assert.equal(gpt4o.tokenizer, 'o200k_base');
    assert.equal(gpt4o.origin, 'settings');
    assert.equal(gpt4o.sources.prices?.source, 'User settings override');
    assert.equal(gpt4o.sources.limits?.source, 'OpenAI model docs (context window, max output tokens)');
    assert.equal(model('GPT-4o', negotiated), gpt4o, 'aliases still lead to the merged model');
  });

  test('drops list-price tiers once the base price is negotiated', () => {
    const flat = catalog.withOverrides([{ id: 'gemini-2.5-pro', inputPerMillion: 1, outputPerMillion: 8 }], 'workspace');
    assert.equal(model('gemini-2.5-pro', flat).pricing?.tiers, undefined);
  });

  test('merges an override named by display name onto the model', () => {
    const renamed = catalog.withOverrides([{ id: 'GPT-4o mini', outputPerMillion: 0.5 }], 'settings');
    assert.equal(model('gpt-4o-mini', renamed).pricing?.outputPerMillion, 0.5);
    assert.equal(renamed.list().length, catalog.list().length);
  });

  test('makes an override for a dated id a model of its own, leaving the base model alone', () => {
    const snapshot = catalog.withOverrides(
      [{ id: 'gpt-4o-2024-08-06', inputPerMillion: 5, outputPerMillion: 15 }],
      'workspace',
    );
    assert.equal(model('gpt-4o-2024-08-06', snapshot).pricing?.inputPerMillion, 5);
    assert.equal(model('gpt-4o', snapshot).pricing?.inputPerMillion, 2.5);
  });

  test('caps GPT-5, mini and nano input at 272,000 of their 400,000-token window, and no other model below its window', () => {
    for (const id of ['gpt-5', 'gpt-5-mini', 'gpt-5-nano']) {
      assert.equal(model(id).contextWindow, 400_000, id);
      assert.equal(model(id).maxInputTokens, 272_000, id);
    }
    const capped = catalog.list().filter((entry) => entry.maxInputTokens !== undefined).map((entry) => entry.id);
    assert.deepEqual(capped.sort(), ['gpt-5', 'gpt-5-mini', 'gpt-5-nano']);
  });

  test('an override may set an input cap; a new window without one drops the catalog cap', () => {
    const raised = catalog.withOverrides([{ id: 'gpt-5', maxInputTokens: 300_000 }], 'settings');
    assert.equal(model('gpt-5', raised).maxInputTokens, 300_000);
    assert.equal(model('gpt-5', raised).sources.limits?.source, 'User settings override');
    const widened = catalog.withOverrides([{ id: 'gpt-5', contextWindow: 1_000_000 }], 'workspace');
    assert.equal(model('gpt-5', widened).maxInputTokens, undefined);
    // A fine-tune of GPT-5 keeps its base's cap, as it keeps its window.
    const tuned = catalog.withOverrides([{ id: 'ft:gpt-5-mini:acme::x', inputPerMillion: 1 }], 'workspace');
    assert.equal(model('ft:gpt-5-mini:acme::x', tuned).maxInputTokens, 272_000);
  });

  test('keeps the listed price when only the limits are overridden', () => {
    const capped = catalog.withOverrides([{ id: 'claude-sonnet-4', maxOutputTokens: 8_000 }], 'workspace');
    const sonnet = model('claude-sonnet-4', capped);
    assert.equal(sonnet.maxOutputTokens, 8_000);
    assert.equal(sonnet.pricing, model('claude-sonnet-4').pricing);
    assert.equal(sonnet.sources.limits?.source, 'Workspace override');
  });

  test('gives a fine-tune its own price, and its base model’s limits and tokenizer', () => {
    const tuned = catalog.withOverrides(
      [{ id: 'ft:gpt-4o-mini:acme::abc', inputPerMillion: 0.3, outputPerMillion: 1.2 }],
      'workspace',
    );
    const fineTune = model('ft:gpt-4o-mini:acme::abc', tuned);
    assert.deepEqual(fineTune.pricing, { inputPerMillion: 0.3, outputPerMillion: 1.2 });
    assert.equal(fineTune.tokenizer, 'o200k_base');
    assert.equal(fineTune.provider, 'openai');
    assert.equal(fineTune.contextWindow, 128_000);
    assert.equal(fineTune.maxOutputTokens, 16_384);
  });

  test('lets a new model name its tokenizer and aliases', () => {
    const custom = catalog.withOverrides(
      [{ id: 'acme-gpt', provider: 'acme', aliases: ['Acme GPT'], tokenizer: 'cl100k_base', inputPerMillion: 1 }],
      'settings',
    );
    const acme = model('acme gpt', custom);
    assert.equal(acme.id, 'acme-gpt');
    assert.equal(acme.tokenizer, 'cl100k_base');
    assert.deepEqual(acme.pricing, { inputPerMillion: 1, outputPerMillion: 0 });
    assert.deepEqual(custom.providers().slice(0, 2), ['acme', 'anthropic']);
  });

  test('leaves a new model without prices unpriced rather than free', () => {
    const unpriced = catalog.withOverrides([{ id: 'mystery-model', contextWindow: 32_000 }], 'workspace');
    assert.equal(model('mystery-model', unpriced).pricing, undefined);
  });

  test('applies workspace overrides over settings overrides', () => {
    const layered = catalog
      .withOverrides([{ id: 'gpt-4.1', inputPerMillion: 1.8 }], 'settings')
      .withOverrides([{ id: 'gpt-4.1', inputPerMillion: 1.5 }], 'workspace');
    const gpt41 = model('gpt-4.1', layered);
    assert.equal(gpt41.pricing?.inputPerMillion, 1.5);
    assert.equal(gpt41.pricing?.outputPerMillion, 8);
    assert.equal(gpt41.origin, 'workspace');
  });

  test('lets an override claim an alias a built-in model had, but not its id', () => {
    const claimed = catalog.withOverrides(
      [{ id: 'my-proxy-4o', aliases: ['openai/gpt-4o', 'gpt-4o'], inputPerMillion: 3 }],
      'workspace',
    );
    assert.equal(model('openai/gpt-4o', claimed).id, 'my-proxy-4o');
    assert.equal(model('gpt-4o', claimed).id, 'gpt-4o');
  });
});

describe('overrides on a catalog of 1,500 models', () => {
  /** The catalog `layers` make, built anew from its models (sorted and claimed from scratch), with each model's match rule. */
  function builtAnew(layered: ModelCatalog, built: ReturnType<typeof buildBuiltInModels>): ModelCatalog {
    const rules = new Map(built.models.map((entry) => [entry.id, built.matchRules.get(entry)]));
    const matchRules = new Map(layered.list().flatMap((entry) => (rules.get(entry.id) ? [[entry, rules.get(entry.id)!] as const] : [])));
    return new ModelCatalog(layered.list(), { matchRules, unpriced: built.unpriced, providers: built.providers });
  }

  test('resolve every name as the same catalog built anew: models merged, renamed, added, aliased over catalog names, layered twice', () => {
    const built = buildBuiltInModels(new Date('2026-12-01T00:00:00Z'));
    const base = new ModelCatalog(built.models, built);
    const settings: ModelOverride[] = [
      { id: 'gpt-4o', outputPerMillion: 20 },
      { id: 'claude-sonnet-4-5', name: 'Zeta Sonnet', provider: 'aaa-first', aliases: ['sonnet'] },
      { id: 'local-a', aliases: ['gpt-4.1', 'claude-opus-4-1', 'Llama 3.3 70B'] },
    ];
    const workspace: ModelOverride[] = [
      { id: 'gpt-4o', inputPerMillion: 3, aliases: ['my-4o'] },
      { id: 'GPT-4o mini', inputPerMillion: 0.1 },
      { id: 'local-b' },
      { id: 'local-b', inputPerMillion: 2, aliases: ['sonnet', 'local-a'] },
      { id: 'ft:gpt-4o-mini:acme::x', inputPerMillion: 1 },
      { id: 'openrouter/anthropic/claude-sonnet-4.5', inputPerMillion: 1 },
      { id: 'local-a', name: 'A', aliases: ['deepseek-chat'] },
    ];
    const layers = [base.withOverrides(settings, 'settings'), base.withOverrides(settings, 'settings').withOverrides(workspace, 'workspace'), base.withOverrides(workspace, 'workspace')];
    for (const layered of layers) {
      const anew = builtAnew(layered, built);
      assert.deepEqual(layered.list().map((entry) => entry.id), anew.list().map((entry) => entry.id), 'the same order');
      const names = new Set(anew.list().flatMap((entry) => [entry.id, entry.name, ...entry.aliases]));
      for (const extra of ['claude-sonnet-4-5-20250929', 'gpt-4o-2024-08-06', 'openrouter/gpt-4o', 'azure/gpt-4.1', 'sonnet', 'gpt4o', 'my-4o']) names.add(extra);
      for (const name of names) {
        const expected = anew.resolve(name);
        const actual = layered.resolve(name);
        assert.deepEqual('model' in actual ? actual.model : actual, 'model' in expected ? expected.model : expected, name);
      }
    }
    assert.equal(layers[1].find('sonnet')?.id, 'local-b', 'the workspace claims an alias before the settings');
    assert.equal(layers[1].find('gpt-4o')?.pricing?.inputPerMillion, 3);
    assert.equal(layers[1].find('gpt-4o')?.pricing?.outputPerMillion, 20);
    assert.equal(base.find('sonnet'), undefined, 'the base catalog is left alone');
  });

  test("an override's price reaches the dated ids its model's match rule finds, with a provider named too", () => {
    const overridden = catalog.withOverrides([{ id: 'claude-sonnet-4-5', inputPerMillion: 2 }], 'workspace');
    for (const name of ['claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4-5-20250929', 'anthropic:claude-sonnet-4-5-20250929']) {
      assert.equal(overridden.find(name)?.pricing?.inputPerMillion, 2, name);
    }
  });
});
