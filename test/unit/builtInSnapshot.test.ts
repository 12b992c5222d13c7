import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { bundledDataInForce, setActivePriceData, setPriceDataFile } from '../../src/core/catalog/activePriceData';
import { buildBuiltInModels } from '../../src/core/catalog/builtInModels';
import { BUILT_IN_SNAPSHOT_FILE, builtInCatalogFromSnapshot, builtInSnapshotOf, MAX_SNAPSHOT_BYTES, priceWindow, type BuiltInCatalogParts } from '../../src/core/catalog/builtInSnapshot';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { bundledPriceData, PRICE_PACKAGE, type PriceData, type PriceProvider } from '../../src/core/catalog/priceData';

const dist = resolve(__dirname, '../../../dist');
const NOW = new Date();

/** The catalog as this process builds it from the bundled data at `at`. */
function liveCatalog(at: Date): ModelCatalog {
  const built = buildBuiltInModels(at, bundledPriceData());
  return new ModelCatalog(built.models, built);
}

/** What a JSON file can hold of the models: keys set to undefined are left out, as the file leaves them. */
function asStored(models: unknown): unknown {
  return JSON.parse(JSON.stringify(models));
}

/** The snapshot's catalog and the live one agree model by model, and on every name either knows (or every `step`th). */
function assertSameCatalog(parts: BuiltInCatalogParts, live: ModelCatalog, step = 1): void {
  const fromSnapshot = new ModelCatalog(parts.models, { ...parts, sorted: true });
  assert.deepEqual(asStored(fromSnapshot.list()), asStored(live.list()));
  assert.ok(live.list().length > 1000);
  const names = live.list().flatMap((model) => [model.id, model.name, ...model.aliases]);
  // Names only a match rule or the unpriced list reaches, and a provider-prefixed one.
  names.push('claude-sonnet-4-5-20250929', 'gpt-4o-2024-08-06', 'dall-e-3', 'openrouter/anthropic/claude-sonnet-4.5', 'gpt4o');
  for (const name of names.filter((_, index) => index % step === 0 || index >= names.length - 5)) {
    const expected = live.resolve(name);
    const actual = fromSnapshot.resolve(name);
    assert.deepEqual('model' in actual ? actual.model.id : actual, 'model' in expected ? expected.model.id : expected, name);
  }
}

function providerWithPrices(prices: PriceProvider['models'][number]['prices']): PriceData {
  return {
    providers: [{ id: 'acme', name: 'Acme', models: [{ id: 'acme-1', match: { equals: 'acme-1' }, prices }] }],
    origin: 'file',
    date: '2026-01-01',
    label: 'test data',
  };
}

describe('the snapshot of the built-in catalog', () => {
  test('read back, it is the catalog this process builds: the same models in the same order, and every name resolves alike', () => {
    const text = ModelCatalog.builtInSnapshot(NOW, 'test-build');
    const parts = builtInCatalogFromSnapshot(text, NOW, 'test-build', PRICE_PACKAGE.version);
    assert.ok(parts, 'the snapshot is read');
    assertSameCatalog(parts, liveCatalog(NOW));
    // Source notes are stored once: the file is far smaller than the models written out.
    assert.ok(text.length < JSON.stringify(liveCatalog(NOW).list()).length * 0.75, `${text.length} characters`);
  });

  test('the build wrote one beside the bundles that is this catalog, and the bundles carry its build id', () => {
    const text = readFileSync(join(dist, BUILT_IN_SNAPSHOT_FILE), 'utf8');
    const { buildId } = JSON.parse(text) as { buildId: string };
    const parts = builtInCatalogFromSnapshot(text, NOW, buildId, PRICE_PACKAGE.version);
    assert.ok(parts, `dist/${BUILT_IN_SNAPSHOT_FILE} is read (run \`npm run build\` after changing the catalog)`);
    // Every name resolves alike in the test above; a sample of them here.
    assertSameCatalog(parts, liveCatalog(NOW), 10);
    for (const bundle of ['extension.js', 'promptWorker.js', 'cli.js', 'library.cjs']) {
      assert.ok(readFileSync(join(dist, bundle), 'utf8').includes(JSON.stringify(buildId)), `${bundle} is of the same build`);
    }
  });

  test('is not read by another build, for other price data, outside its dates or when cut off', () => {
    const data = providerWithPrices([
      { prices: { input_mtok: 1, output_mtok: 2 } },
      { constraint: { type: 'start_date', start_date: '2026-01-15' }, prices: { input_mtok: 3, output_mtok: 4 } },
      { constraint: { type: 'start_date', start_date: '2026-06-01' }, prices: { input_mtok: 5, output_mtok: 6 } },
    ]);
    const at = new Date('2026-03-01T00:00:00Z');
    const text = builtInSnapshotOf(buildBuiltInModels(at, data), data, at, 'b1', '9.9.9');
    assert.equal(builtInCatalogFromSnapshot(text, at, 'b1', '9.9.9')?.models[0].pricing?.inputPerMillion, 3);
    assert.equal(builtInCatalogFromSnapshot(text, new Date('2026-05-31T23:59:59Z'), 'b1', '9.9.9')?.models.length, 1, 'before the next change');
    assert.equal(builtInCatalogFromSnapshot(text, at, 'b2', '9.9.9'), undefined, 'another build');
    assert.equal(builtInCatalogFromSnapshot(text, at, 'b1', '9.9.8'), undefined, 'another version of the price data');
    assert.equal(builtInCatalogFromSnapshot(text, new Date('2026-06-01T00:00:00Z'), 'b1', '9.9.9'), undefined, 'from the day a price changes');
    assert.equal(builtInCatalogFromSnapshot(text, new Date('2026-01-14T00:00:00Z'), 'b1', '9.9.9'), undefined, 'before the last change (a clock set back)');
    assert.equal(builtInCatalogFromSnapshot(text.slice(0, text.length / 2), at, 'b1', '9.9.9'), undefined, 'cut off');
    assert.equal(builtInCatalogFromSnapshot('null', at, 'b1', '9.9.9'), undefined, 'not a snapshot');
    // Of the right build, but not of the shape the catalog reads: never used, never thrown on.
    const stored = JSON.parse(text) as { models: Record<string, unknown>[]; matchRules: unknown[]; validUntil: string };
    const altered = (change: (copy: typeof stored) => void) => {
      const copy = JSON.parse(text) as typeof stored;
      change(copy);
      return builtInCatalogFromSnapshot(JSON.stringify(copy), at, 'b1', '9.9.9');
    };
    assert.ok(altered(() => undefined), 'unchanged, it is read');
    assert.equal(altered((copy) => delete copy.models[0].aliases), undefined, 'a model without aliases');
    assert.equal(altered((copy) => (copy.models[0].sources = { prices: 99 })), undefined, 'a note that is not there');
    assert.equal(altered((copy) => (copy.matchRules[0] = {})), undefined, 'an empty match rule');
    assert.equal(altered((copy) => copy.matchRules.pop()), undefined, 'a rule short');
    assert.equal(altered((copy) => (copy.validUntil = 'soon')), undefined, 'a date that is none');
    assert.equal(builtInCatalogFromSnapshot(text + ' '.repeat(MAX_SNAPSHOT_BYTES), at, 'b1', '9.9.9'), undefined, 'over the cap');
    assert.equal(stored.models.length, 1);
  });

  test('holds between the last price change on or before its date and the next one', () => {
    const data = providerWithPrices([
      { prices: { input_mtok: 1 } },
      { constraint: { type: 'start_date', start_date: '2026-01-15' }, prices: { input_mtok: 2 } },
      { constraint: { type: 'start_date', start_date: '2026-06-01' }, prices: { input_mtok: 3 } },
      { constraint: { type: 'time_of_date', start_time: '16:30', end_time: '00:30' }, prices: { input_mtok: 0.5 } },
    ]);
    assert.deepEqual(priceWindow(data, new Date('2026-03-01T00:00:00Z')), { validFrom: new Date('2026-01-15'), validUntil: new Date('2026-06-01') });
    assert.deepEqual(priceWindow(data, new Date('2026-01-01T00:00:00Z')), { validFrom: undefined, validUntil: new Date('2026-01-15') });
    assert.deepEqual(priceWindow(data, new Date('2026-06-01T00:00:00Z')), { validFrom: new Date('2026-06-01'), validUntil: undefined });
    // The window holds the prices a build at any of its dates would choose.
    for (const at of ['2026-01-15T00:00:00Z', '2026-03-01T00:00:00Z', '2026-05-31T23:59:59Z']) {
      assert.equal(buildBuiltInModels(new Date(at), data).models[0].pricing?.inputPerMillion, 2, at);
    }
  });
});

describe('the price data in force', () => {
  test('is the bundled data until a file is named or other data is chosen, and again after', () => {
    assert.equal(bundledDataInForce(), true);
    setPriceDataFile('/nonexistent/prices.json');
    assert.equal(bundledDataInForce(), false);
    setPriceDataFile(undefined);
    assert.equal(bundledDataInForce(), true);
    setActivePriceData({ ...bundledPriceData(), origin: 'update', date: '2026-11-30', label: 'update' });
    assert.equal(bundledDataInForce(), false);
    setActivePriceData(undefined);
    assert.equal(bundledDataInForce(), true);
  });
});
