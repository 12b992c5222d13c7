import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { bundledPriceData, cacheInfo, parsePriceData, stalenessWarning, type PriceData, type PriceProvider } from '../../src/core/catalog/priceData';
import { updatePriceCache, type PriceUpdateIo } from '../../src/core/catalog/priceUpdate';
import { downloadPriceCache } from '../../src/core/catalog/downloadPriceCache';

const run = promisify(execFile);
const repo = resolve(__dirname, '..', '..', '..');
const cliPath = join(repo, 'dist', 'cli.js');
const fixtures = join(repo, 'test', 'fixtures', 'prices');
const good = readFileSync(join(fixtures, 'data.json'), 'utf8');

/** The fixture's providers as the data they are checked against: an update must not shrink the catalog. */
const fixtureData: PriceData = { providers: (parsePriceData(good) as { providers: PriceProvider[] }).providers, origin: 'file', date: '2026-11-20', label: 'fixture' };

/** The bundled data with the fixture's gpt-9 and hosts added: what a real newer data file looks like. */
function fullData(): string {
  const [openai, ...hosts] = fixtureData.providers;
  const providers = bundledPriceData().providers.map((provider) => (provider.id === 'openai' ? { ...provider, models: [...provider.models, openai.models[1]] } : provider));
  return JSON.stringify([...providers, ...hosts]);
}

/** A local server standing in for the published data file: good, full (bundled plus new), broken (wrong shape), truncated, or missing. */
let server: Server;
let base = '';
before(async () => {
  const full = fullData();
  server = createServer((request, response) => {
    const name = request.url?.slice(1) ?? '';
    if (!['data.json', 'full.json', 'broken.json', 'truncated.json'].includes(name)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json', 'last-modified': 'Fri, 20 Nov 2026 08:00:00 GMT' });
    response.end(name === 'full.json' ? full : readFileSync(join(fixtures, name)));
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
after(() => server.close());

function memoryIo(): PriceUpdateIo & { saved?: string } {
  const io: PriceUpdateIo & { saved?: string } = {
    fetchText: async (url) => {
      const response = await fetch(url);
      return { status: response.status, text: await response.text(), lastModified: response.headers.get('last-modified') ?? undefined };
    },
    writeCache: async (text) => {
      io.saved = text;
    },
    now: () => new Date('2026-12-02T12:00:00Z'),
    replaces: fixtureData,
  };
  return io;
}

async function cli(args: string[], cacheDir: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], { cwd: repo, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, PROMPT_BUDGET_CACHE_DIR: cacheDir, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('checking a price data file before use', () => {
  test('accepts the package data shape, with or without the envelope an update writes', () => {
    const parsed = parsePriceData(good);
    assert.ok('providers' in parsed);
    assert.equal(parsed.providers.length, 3);
    // A start date without a type gets the type the package infers.
    const gpt9 = parsed.providers[0].models[1];
    assert.ok(Array.isArray(gpt9.prices));
    assert.deepEqual(gpt9.prices[1].constraint, { type: 'start_date', start_date: '2026-11-01' });
    const envelope = `{"url":"https://example.test/data.json","date":"2026-11-20","fetchedAt":"x","providers":${good}}`;
    assert.ok('providers' in parsePriceData(envelope));
    assert.deepEqual(cacheInfo(envelope), { url: 'https://example.test/data.json', date: '2026-11-20' });
  });

  test('rejects a truncated file, a wrong price, an unknown rule and an empty list, saying why', () => {
    const truncated = parsePriceData(readFileSync(join(fixtures, 'truncated.json'), 'utf8'));
    assert.ok('error' in truncated);
    assert.match(truncated.error, /not valid JSON .*truncated/);
    const broken = parsePriceData(readFileSync(join(fixtures, 'broken.json'), 'utf8'));
    assert.ok('error' in broken);
    assert.equal(broken.error, "provider 2 ('hostone'): model 'llama-x': price 'input_mtok' is not a non-negative number or tiered price");
    const rule = parsePriceData('[{"id":"p","name":"P","models":[{"id":"m","match":{"glob":"m*"},"prices":{"input_mtok":1}}]}]');
    assert.ok('error' in rule);
    assert.match(rule.error, /unknown match rule 'glob'/);
    assert.deepEqual(parsePriceData('[]'), { error: 'the file lists no providers' });
  });

  test('warns when the data is older than 60 days', () => {
    assert.equal(stalenessWarning({ date: '2026-10-10' }, new Date('2026-12-02T00:00:00Z')), undefined);
    assert.match(stalenessWarning({ date: '2026-09-23' }, new Date('2026-12-02T00:00:00Z')) ?? '', /^Prices are from 2026-09-23, 70 days old/);
  });
});

describe('updating prices from the published data file', () => {
  test('downloads, validates and saves the data with its Last-Modified date', async () => {
    const io = memoryIo();
    const result = await updatePriceCache(`${base}/data.json`, io);
    assert.ok(result.ok);
    assert.equal(result.data.date, '2026-11-20');
    assert.equal(result.providers, 3);
    assert.deepEqual(cacheInfo(io.saved ?? ''), { url: `${base}/data.json`, date: '2026-11-20' });
    assert.match(result.warnings.join('\n'), /is plain http: anyone on the network path can change the prices/);
  });

  test('refuses data that drops most of the catalog it replaces, keeping the last good data', async () => {
    const io = { ...memoryIo(), replaces: bundledPriceData() };
    const result = await updatePriceCache(`${base}/data.json`, io);
    assert.ok(!result.ok);
    assert.match(result.error, /not plausible: it lists 5 models where the prices in use list \d{3,}/);
    assert.equal(io.saved, undefined);
    const full = await updatePriceCache(`${base}/full.json`, { ...memoryIo(), replaces: bundledPriceData() });
    assert.ok(full.ok, full.ok ? '' : full.error);
  });

  test('keeps the last good data when the file is broken, truncated or missing', async () => {
    for (const [name, reason] of [
      ['broken.json', /not usable: provider 2/],
      ['truncated.json', /not usable: not valid JSON/],
      ['gone.json', /answered HTTP 404/],
    ] as const) {
      const io = memoryIo();
      io.saved = 'last good';
      const result = await updatePriceCache(`${base}/${name}`, io);
      assert.ok(!result.ok, name);
      assert.match(result.error, reason);
      assert.equal(io.saved, 'last good', `${name} left the cache alone`);
    }
    const io = memoryIo();
    const unreachable = await updatePriceCache('http://127.0.0.1:1/data.json', io);
    assert.ok(!unreachable.ok);
    assert.match(unreachable.error, /could not download/);
  });

  test('the download both front ends run saves the checked data whole and leaves the last good file on a failure', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'prompt-budget-download-'));
    const file = join(folder, 'cache', 'genai-prices.json');
    const answers: Record<string, Response> = {
      'https://prices.test/full.json': new Response(fullData(), { status: 200, headers: { 'last-modified': 'Fri, 20 Nov 2026 08:00:00 GMT' } }),
      'https://prices.test/gone.json': new Response('not found', { status: 404 }),
    };
    const fakeFetch = (async (url: string | URL | Request) => answers[String(url)]) as typeof fetch;
    try {
      const saved = await downloadPriceCache('https://prices.test/full.json', file, fakeFetch);
      assert.ok(saved.ok, saved.ok ? '' : saved.error);
      assert.deepEqual(cacheInfo(readFileSync(file, 'utf8')), { url: 'https://prices.test/full.json', date: '2026-11-20' });
      const failed = await downloadPriceCache('https://prices.test/gone.json', file, fakeFetch);
      assert.ok(!failed.ok);
      assert.match(failed.error, /answered HTTP 404/);
      assert.equal(cacheInfo(readFileSync(file, 'utf8'))?.url, 'https://prices.test/full.json', 'the last good data stays');
      assert.deepEqual(readdirSync(join(folder, 'cache')), ['genai-prices.json'], 'nothing written aside is left behind');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test('prompt-budget prices update: new models count at once, a bad update leaves them in place', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'prompt-budget-prices-'));
    try {
      const before = await cli(['count', 'test/fixtures/prompts/summarize.txt', '--model', 'gpt-9'], cache);
      assert.equal(before.code, 2, 'gpt-9 is unknown to the bundled data');

      const shrunk = await cli(['prices', 'update', '--url', `${base}/data.json`], cache);
      assert.equal(shrunk.code, 2, 'five models cannot replace the bundled catalog');
      assert.match(shrunk.stderr, /not plausible: it lists 5 models where the prices in use list \d+\. The prices in use are unchanged\./);

      const updated = await cli(['prices', 'update', '--url', `${base}/full.json`], cache);
      assert.equal(updated.code, 0, updated.stderr);
      assert.match(updated.stdout, /Updated prices: genai-prices data from http:\/\/127\.0\.0\.1:\d+\/full\.json \(data of 2026-11-20\); \d{3,} priced models from \d{2} providers/);
      assert.match(updated.stderr, /warning: .* is plain http/);
      assert.ok(existsSync(join(cache, 'genai-prices.json')));

      const count = await cli(['count', 'test/fixtures/prompts/summarize.txt', '--model', 'gpt-9', '--json'], cache);
      assert.equal(count.code, 0, count.stderr);
      assert.equal(JSON.parse(count.stdout)[0].model, 'gpt-9');

      for (const name of ['broken.json', 'truncated.json']) {
        const failed = await cli(['prices', 'update', '--url', `${base}/${name}`], cache);
        assert.equal(failed.code, 2, name);
        assert.match(failed.stderr, /The prices in use are unchanged\./);
      }
      const after = await cli(['prices', '--json'], cache);
      const summary = JSON.parse(after.stdout);
      assert.equal(summary.date, '2026-11-20');
      assert.ok(summary.models > 500);
      assert.match(summary.source, /full\.json/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('--prices FILE uses a data file for one run; a truncated one is refused with the reason', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'prompt-budget-prices-'));
    try {
      const models = await cli(['models', '--json', '--prices', 'test/fixtures/prices/data.json'], cache);
      assert.equal(models.code, 0, models.stderr);
      const listed = JSON.parse(models.stdout) as { id: string }[];
      assert.deepEqual(listed.map((entry) => entry.id).sort(), ['gpt-4o', 'gpt-9', 'hostone/gpt-9', 'hostone/llama-x', 'hosttwo/llama-x'].sort());
      const truncated = await cli(['models', '--prices', 'test/fixtures/prices/truncated.json'], cache);
      assert.equal(truncated.code, 2);
      assert.match(truncated.stderr, /--prices: test\/fixtures\/prices\/truncated\.json: not valid JSON/);
      // A bad cache is never fatal: the bundled data is used and the user told.
      writeFileSync(join(cache, 'genai-prices.json'), '{"url":"x","date":"2026-11-20","providers":[');
      const fallback = await cli(['models', '--json'], cache);
      assert.equal(fallback.code, 0);
      assert.match(fallback.stderr, /cached prices .* are not usable/);
      assert.ok((JSON.parse(fallback.stdout) as unknown[]).length > 500);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  test('PROMPT_BUDGET_PRICES_FILE gives the CLI and the library the same prices, ahead of the update cache', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'prompt-budget-prices-'));
    try {
      const named = { PROMPT_BUDGET_PRICES_FILE: resolve(repo, 'test/fixtures/prices/data.json') };
      writeFileSync(join(cache, 'genai-prices.json'), '{"url":"x","date":"2026-11-20","providers":[');
      const models = await cli(['models', '--json'], cache, named);
      assert.equal(models.code, 0, models.stderr);
      assert.ok((JSON.parse(models.stdout) as { id: string }[]).some((entry) => entry.id === 'gpt-9'));
      assert.doesNotMatch(models.stderr, /cached prices/, 'the named file wins over the cache, so the cache is not read');
      // gpt-9 costs $10 per million input tokens before 2026-11-01 and $8 from then on in the named file only.
      const script = `const { estimateCost } = require(${JSON.stringify(resolve(repo, 'dist/library.cjs'))}); process.stdout.write(JSON.stringify(estimateCost({ inputTokens: 1000000, outputTokens: 0 }, 'openai/gpt-9', { at: new Date('2026-11-20') })));`;
      const library = await run(process.execPath, ['-e', script], { cwd: repo, env: { ...process.env, ...named } });
      const cost = JSON.parse(library.stdout) as { cost: number; priced: boolean; source: string };
      assert.deepEqual({ cost: cost.cost, priced: cost.priced, source: cost.source }, { cost: 8, priced: true, source: 'price-data' });
      const unnamed = await run(process.execPath, ['-e', script], { cwd: repo, env: { ...process.env, PROMPT_BUDGET_PRICES_FILE: '' } });
      assert.equal((JSON.parse(unnamed.stdout) as { priced: boolean }).priced, false, 'the bundled data has no gpt-9');
      const broken = await cli(['models'], cache, { PROMPT_BUDGET_PRICES_FILE: resolve(repo, 'test/fixtures/prices/truncated.json') });
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /PROMPT_BUDGET_PRICES_FILE: .*truncated\.json: not valid JSON/);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
