import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { calcPrice, findProvider } from '@pydantic/genai-prices';
import { buildBuiltInModels } from '../../src/core/catalog/builtInModels';
import { costPerCall } from '../../src/core/catalog/cost';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { hasTimeOfDayPrices, parsePriceData, type PriceData } from '../../src/core/catalog/priceData';
import { tokenizerForModel } from '../../src/core/catalog/tokenizerForModel';
import type { ModelInfo } from '../../src/core/types';

const catalog = ModelCatalog.builtIn();

function model(name: string, from: ModelCatalog = catalog): ModelInfo {
  const found = from.find(name);
  assert.ok(found, `expected '${name}' to be found`);
  return found;
}

/** A catalog of the small fixture data: OpenAI makes gpt-9, Host One resells it, two hosts sell llama-x. */
function fixtureCatalog(): ModelCatalog {
  const parsed = parsePriceData(readFileSync('test/fixtures/prices/data.json', 'utf8'));
  assert.ok('providers' in parsed);
  const data: PriceData = { providers: parsed.providers, origin: 'file', date: '2026-11-20', label: 'fixture (data of 2026-11-20)' };
  const built = buildBuiltInModels(new Date('2026-12-01T00:00:00Z'), data);
  return new ModelCatalog(built.models, built);
}

describe("today's models", () => {
  test('knows the flagships of every major provider, priced exactly as the price data says', () => {
    for (const [name, provider] of [
      ['gpt-5.5', 'openai'],
      ['gpt-5.2', 'openai'],
      ['claude-opus-4-6', 'anthropic'],
      ['claude-sonnet-5', 'anthropic'],
      ['gemini-3-pro-preview', 'google'],
      ['grok-4.6', 'x-ai'],
      ['deepseek-v3.2', 'deepseek'],
      ['mistral-large-latest', 'mistral'],
      ['kimi-k3', 'moonshotai'],
      ['command-a', 'cohere'],
    ]) {
      const found = model(name);
      assert.equal(found.provider, provider, name);
      const reference = calcPrice({ input_tokens: 10_000, output_tokens: 2_000 }, name, { providerId: provider });
      assert.ok(reference, name);
      assert.ok(Math.abs(costPerCall(found, 10_000, 2_000).total - reference.total_price) < 1e-12, name);
    }
  });

  test('prices every model as the package does, tiers included, for every provider', () => {
    const checked = new Set<string>();
    for (const entry of catalog.list()) {
      const provider = findProvider({ providerId: entry.provider });
      const prefix = `${entry.provider}/`;
      const names = [...(entry.id.startsWith(prefix) ? [entry.id.slice(prefix.length)] : []), entry.id, ...entry.aliases];
      const packageId = names.find((name) => provider?.models.some((m) => m.id === name)) ?? entry.id;
      const listed = provider?.models.find((m) => m.id === packageId);
      assert.ok(provider && listed, `${entry.id} not in the package data`);
      if (hasTimeOfDayPrices(listed as never)) continue;
      // The package's own calculation for exactly this listing, whatever its match rule accepts.
      const only = { ...provider, models: [{ ...listed, match: { equals: packageId } }] };
      const reference = calcPrice({ input_tokens: 300_000, output_tokens: 1_000 }, packageId, { provider: only });
      assert.ok(reference, entry.id);
      const ours = costPerCall(entry, 300_000, 1_000).total;
      // Token prices only: per-request fees (Perplexity's) are not a token price.
      const tokens = reference.input_price + reference.output_price;
      assert.ok(Math.abs(ours - tokens) < 1e-9, `${entry.id}: ${ours} vs ${tokens}`);
      checked.add(entry.provider);
    }
    assert.ok(checked.size >= 10, `${checked.size} providers checked`);
  });

  test('lists hundreds of models from at least ten providers, embeddings with no output', () => {
    assert.ok(catalog.list().length > 500);
    assert.ok(catalog.providers().length >= 10);
    assert.equal(model('text-embedding-3-small').maxOutputTokens, 0);
    assert.equal(model('embed-v4.0').maxOutputTokens, 0);
  });
});

describe('ids as people write them', () => {
  test('dated ids and -latest follow the price data match rules', () => {
    assert.equal(model('claude-sonnet-4-5-20250929').id, 'claude-sonnet-4-5');
    assert.equal(model('gpt-5.5-2026-04-23').id, 'gpt-5.5');
    assert.equal(model('grok-4.6-latest').id, 'grok-4.6');
    assert.equal(model('mistral-large-latest').id, 'mistral-large');
  });

  test("provider/model takes that provider's price; the bare name takes the maker's", () => {
    assert.equal(model('deepseek/deepseek-v3.2').provider, 'deepseek');
    assert.equal(model('anthropic/claude-sonnet-4-5').id, 'claude-sonnet-4-5');
    assert.equal(model('openrouter/anthropic/claude-sonnet-4.5').provider, 'openrouter');
    assert.equal(model('xai/grok-4').provider, 'x-ai');
    assert.equal(model('vertex_ai/claude-opus-4-6').provider, 'google');
    assert.equal(model('claude-opus-4-6').provider, 'anthropic');
    // Azure falls back to OpenAI's price for what it does not list itself, as the package does.
    assert.equal(model('azure/gpt-4o').provider, model('azure/gpt-4o').id.startsWith('azure/') ? 'azure' : 'openai');
  });

  test('display names from .prompt.md, in any case', () => {
    assert.equal(model('Claude Sonnet 4.5').id, 'claude-sonnet-4-5');
    assert.equal(model('GPT-5.5').id, 'gpt-5.5');
    assert.equal(model('grok 4.6').id, 'grok-4.6');
    assert.equal(model('KIMI K3').id, 'kimi-k3');
  });

  test('a name several providers sell: the maker when there is one, else ambiguous with the choices', () => {
    const fixture = fixtureCatalog();
    assert.equal(model('gpt-9', fixture).provider, 'openai');
    assert.equal(model('gpt-9', fixture).pricing?.inputPerMillion, 8, 'the price in effect on the day');
    assert.equal(model('hostone/gpt-9', fixture).pricing?.inputPerMillion, 12);
    assert.equal(fixture.find('llama-x'), undefined);
    const ambiguous = fixture.resolve('llama-x');
    assert.ok('error' in ambiguous);
    assert.match(ambiguous.error, /sold by several providers \(Host One, Host Two\).*hostone\/llama-x, hosttwo\/llama-x/);
    assert.deepEqual(ambiguous.suggestions, ['hostone/llama-x', 'hosttwo/llama-x']);
    assert.equal(model('hosttwo/llama-x', fixture).pricing?.inputPerMillion, 0.4);
  });

  test('unknown ids get the closest suggestions from the whole catalog', () => {
    const resolution = catalog.resolve('gemini-3-pro-previw');
    assert.ok('error' in resolution);
    assert.equal(resolution.suggestions[0], 'gemini-3-pro-preview');
  });
});

describe('tokenizer by family', () => {
  test("OpenAI's published encodings for its families, new ids included; an estimate for everything else", () => {
    for (const id of ['gpt-4o', 'gpt-4.1-mini', 'gpt-4.5-preview', 'gpt-5.5', 'gpt-5.2-pro', 'o1', 'o3-pro', 'o4-mini', 'gpt-oss-120b', 'codex-mini-latest', 'openai/gpt-5', 'openai.gpt-oss-20b-1:0']) {
      assert.equal(tokenizerForModel(id), 'o200k_base', id);
    }
    for (const id of ['gpt-4', 'gpt-4-turbo', 'gpt-3.5-turbo', 'text-embedding-3-large']) assert.equal(tokenizerForModel(id), 'cl100k_base', id);
    for (const id of ['grok-4.6', 'gpt-image-1', 'text-embedding-ada-002', 'o10-preview']) {
      assert.equal(tokenizerForModel(id), 'estimate', id);
    }
    // Gemini 3.1 and later count with Gemma 4's vocabulary (fetched on request; the Gemini estimate until then).
    for (const id of ['gemini-3.1-pro-preview', 'gemini-3.1-flash-lite', 'gemini-3.5-flash', 'gemma-4-31b-it', 'google/gemini-3.6-flash']) assert.equal(tokenizerForModel(id), 'gemma4', id);
    // Estimates with a family profile: Claude before and from Opus 4.7; Gemini 1.x / Gemma 2 from Gemma 3's ratio.
    for (const id of ['claude-opus-4-6', 'claude-sonnet-4-5', 'claude-3-5-haiku', 'anthropic/claude-3-7-sonnet']) assert.equal(tokenizerForModel(id), 'estimate-claude', id);
    for (const id of ['claude-opus-4-7', 'claude-sonnet-5', 'openrouter/anthropic/claude-opus-5']) assert.equal(tokenizerForModel(id), 'estimate-claude-4.7', id);
    for (const id of ['gemini-1.5-pro', 'gemma-2-9b-it', 'gemini-exp-1206', 'gemini-embedding-001']) assert.equal(tokenizerForModel(id), 'estimate-gemini', id);
  });

  test('the open families by their published vocabulary, through resellers and fine-tunes; their other generations stay estimates', () => {
    const expected: Record<string, string[]> = {
      llama3: ['groq/llama-3.3-70b-versatile', 'llama3-70b-8192', 'aws/meta.llama3-1-70b-instruct-v1:0', 'fireworks/llama-v3p1-8b-instruct', 'huggingface_nebius/nvidia/Llama-3_1-Nemotron-Ultra-253B-v1', 'groq/deepseek-r1-distill-llama-70b', 'openrouter/meta-llama/llama-guard-3-8b', 'cerebras/llama3.1-8b'],
      qwen3: ['qwen3-32b', 'cerebras/qwen-3-32b', 'groq/qwen/qwen3-32b', 'openrouter/qwen/qwen3-coder', 'huggingface_together/Qwen/Qwen3-VL-8B-Instruct', 'openrouter/deepseek-r1-0528-qwen3-8b'],
      deepseek_v3: ['deepseek-chat', 'deepseek-reasoner', 'deepseek-v3.2', 'fireworks/deepseek-v3p2', 'openrouter/deepseek/deepseek-chat-v3-0324', 'huggingface_together/deepseek-ai/DeepSeek-R1', 'novita/deepseek/deepseek_v3'],
      tekken: ['mistral-nemo', 'openrouter/mistralai/mistral-nemo', 'pixtral-12b', 'ministral-8b', 'ovhcloud/Mistral-Nemo-Instruct-2407'],
      gemma3: ['gemini-2.5-flash', 'gemini-2.5-pro', 'gemini-2.0-flash-lite', 'gemini-live-2.5-flash', 'openrouter/google/gemini-2.0-flash-001', 'vertex_ai/gemini-2.5-flash-lite', 'gemini-3-pro-preview', 'gemini-3-flash-preview', 'gemma-3-27b-it', 'openrouter/google/gemma-3-12b-it', 'gemma3:4b', 'google.gemma-3-4b-it'],
      // Fetched on demand: exact once pulled, estimated until then.
      qwen35: ['qwen3.5-9b', 'fireworks/qwen3p5-27b', 'openrouter/qwen/qwen3.6-35b-a3b'],
      deepseek_v4: ['deepseek-v4-pro', 'deepseek-v4-flash'],
      kimi_k2: ['kimi-k2-0905-preview', 'openrouter/moonshotai/kimi-k2-thinking'],
      glm45: ['glm-4.5', 'z-ai/glm-4.6', 'glm-4.5-air'],
      estimate: ['llama-4-scout', 'groq/meta-llama/llama-4-maverick-17b-128e-instruct', 'llama2-70b-4096', 'codellama-7b-instruct-solidity', 'fireworks/qwen3p6-plus', 'openrouter/qwen/qwen3-max', 'openrouter/qwen/qwen3-coder-plus', 'qwen-2.5-72b-instruct', 'openrouter/deepseek/deepseek-r1-distill-qwen-32b', 'mistral-large', 'mistral-small-2603', 'ministral-8b-2512', 'mistral-7b'],
    };
    for (const [tokenizer, ids] of Object.entries(expected)) for (const id of ids) assert.equal(tokenizerForModel(id), tokenizer, id);
  });
});

describe('limits', () => {
  test('context window from the price data, max output from the cited table, unknown where no source gives it', () => {
    const gpt55 = model('gpt-5.5');
    assert.equal(gpt55.contextWindow, 1_000_000);
    assert.match(gpt55.limitSources?.contextWindow?.source ?? '', /genai-prices/);
    assert.equal(gpt55.maxOutputTokens, undefined);
    const gpt5 = model('gpt-5');
    assert.equal(gpt5.maxOutputTokens, 128_000);
    assert.equal(gpt5.limitSources?.maxOutputTokens?.url, 'https://platform.openai.com/docs/models');
    // xAI publishes no output cap: the table says so, and the figure stays unknown.
    assert.equal(model('grok-4.6').maxOutputTokens, undefined);
    assert.match(model('grok-4.6').limitSources?.maxOutputTokens?.source ?? '', /no separate output limit/);
    assert.equal(model('deepseek-chat').maxOutputTokens, 8_192);
    // A reseller may cap differently: the maker's table does not apply to it.
    assert.equal(model('openrouter/openai/gpt-4o').maxOutputTokens, undefined);
  });

  test("this year's Claude and Gemini flagships carry the max output their makers' model pages give, with source and date", () => {
    for (const [id, slug] of [
      ['claude-sonnet-5', 'sonnet-5'],
      ['claude-sonnet-4-6', 'sonnet-4-6'],
      ['claude-opus-4-6', 'opus-4-6'],
    ]) {
      const claude = model(id);
      assert.equal(claude.maxOutputTokens, 128_000, id);
      assert.deepEqual(claude.limitSources?.maxOutputTokens, {
        source: `Anthropic model page, ${slug} (context window, max output)`,
        asOf: '2026-12',
        url: `https://platform.claude.com/docs/en/models/${slug}/overview`,
      });
    }
    const gemini = model('gemini-3.1-pro-preview');
    assert.deepEqual([gemini.contextWindow, gemini.maxOutputTokens], [1_048_576, 65_536]);
    assert.equal(gemini.limitSources?.maxOutputTokens?.url, 'https://ai.google.dev/gemini-api/docs/models/gemini-3.1-pro-preview');
  });

  test('marks the models the price data flags as deprecated', () => {
    assert.ok(catalog.list().some((entry) => entry.deprecated));
    assert.equal(model('gpt-5.5').deprecated, undefined);
  });
});

describe("a reseller's own id", () => {
  test("finds the reseller's model when only other resellers' rules also accept it, not an ambiguity", () => {
    const bedrock = catalog.find('global.anthropic.claude-opus-4-6-v1:0');
    assert.equal(bedrock?.provider, 'aws');
    assert.equal(bedrock?.id, 'aws/global.anthropic.claude-opus-4-6-v1:0');
    // The maker's rule still wins over a reseller's listing, and a provider named still picks its own.
    assert.equal(catalog.find('claude-opus-4-6')?.provider, 'anthropic');
    assert.equal(catalog.find('claude-opus-4-6-20260301')?.provider, 'anthropic');
    assert.equal(catalog.find('google/claude-opus-4-6')?.provider, 'google');
  });
});
