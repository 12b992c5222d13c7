// `npm run bench` (catalog part): what the full price catalog costs. Importing the catalog module is
// what activation pays; the first `builtIn()` is paid a turn after activation: in the bundles, read from
// the build's snapshot (dist/builtInCatalog.json); built from the price data where that does not hold
// (an update, a data file, a watch build, these compiled sources). Each figure is the median of fresh
// child processes.
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';

const RUNS = 5;

interface Timings {
  importMs: number;
  snapshotMs: number;
  firstBuiltInMs: number;
  models: number;
  providers: number;
  exactLookupUs: number;
  ruleLookupMs: number;
  unknownWithSuggestionsMs: number;
  fiveOverridesMs: number;
}

const dist = join(__dirname, '../../../dist');

/** One fresh process's timings; the first `builtIn()` as the bundles make it, from the snapshot or (`built`) without one. */
function child(kind: 'snapshot' | 'built'): Timings {
  let started = performance.now();
  const { ModelCatalog } = require('../../src/core/catalog/modelCatalog') as typeof import('../../src/core/catalog/modelCatalog');
  const importMs = performance.now() - started;
  const snapshotMs = kind === 'snapshot' ? readSnapshot(ModelCatalog) : NaN;
  started = performance.now();
  if (kind === 'built') useBundledCopy();
  const catalog = ModelCatalog.builtIn();
  const firstBuiltInMs = performance.now() - started;
  catalog.find('gpt-4o');
  started = performance.now();
  for (let i = 0; i < 1000; i++) catalog.find('claude-sonnet-4-5');
  const exactLookupUs = ((performance.now() - started) / 1000) * 1000;
  started = performance.now();
  catalog.find('claude-opus-4-6-20260301');
  const ruleLookupMs = performance.now() - started;
  started = performance.now();
  catalog.resolve('gpt5.5-turbo');
  const unknownWithSuggestionsMs = performance.now() - started;
  started = performance.now();
  catalog.withOverrides(
    ['gpt-4o', 'claude-sonnet-4-5', 'local-a', 'local-b', 'ft:gpt-4o-mini:acme::x'].map((id) => ({ id, inputPerMillion: 1 })),
    'workspace',
  );
  const fiveOverridesMs = performance.now() - started;
  return { importMs, snapshotMs, firstBuiltInMs, models: catalog.list().length, providers: catalog.providers().length, exactLookupUs, ruleLookupMs, unknownWithSuggestionsMs, fiveOverridesMs };
}

/** What the bundles do on their first `builtIn()`: read the build's snapshot and index its models (no sort). */
function readSnapshot(catalogClass: typeof import('../../src/core/catalog/modelCatalog').ModelCatalog): number {
  const { builtInCatalogFromSnapshot, BUILT_IN_SNAPSHOT_FILE } = require('../../src/core/catalog/builtInSnapshot') as typeof import('../../src/core/catalog/builtInSnapshot');
  const { PRICE_PACKAGE } = require('../../src/core/catalog/priceData') as typeof import('../../src/core/catalog/priceData');
  const file = join(dist, BUILT_IN_SNAPSHOT_FILE);
  // The build id is the bundles' own; here it is taken from the file (its read is timed below).
  const head = Buffer.alloc(200);
  const descriptor = openSync(file, 'r');
  readSync(descriptor, head, 0, head.length, 0);
  closeSync(descriptor);
  const buildId = /"buildId":"([^"]+)"/.exec(head.toString('latin1'))?.[1] ?? '';
  const started = performance.now();
  const parts = builtInCatalogFromSnapshot(readFileSync(file, 'utf8'), new Date(), buildId, PRICE_PACKAGE.version);
  if (!parts) throw new Error(`${file} does not hold the catalog in effect now: run \`npm run build\``);
  new catalogClass(parts.models, { ...parts, sorted: true });
  return performance.now() - started;
}

/** The bundled data as the bundles read it without a snapshot: the build's JSON copy (the compiled sources would evaluate the package). */
function useBundledCopy(): void {
  const { readBundledPriceCopy, PRICE_PACKAGE } = require('../../src/core/catalog/priceData') as typeof import('../../src/core/catalog/priceData');
  const { setActivePriceData } = require('../../src/core/catalog/activePriceData') as typeof import('../../src/core/catalog/activePriceData');
  const providers = readBundledPriceCopy(dist);
  if (!providers) throw new Error('dist/genaiPrices.json is missing or of another version: run `npm run build`');
  const { name, version, publishedOn } = PRICE_PACKAGE;
  setActivePriceData({ providers, origin: 'bundled', date: publishedOn, label: `${name} ${version} (data of ${publishedOn})` });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(child(process.argv[3] === 'snapshot' ? 'snapshot' : 'built')));
} else {
  const runsOf = (kind: string) => Array.from({ length: RUNS }, () => JSON.parse(execFileSync(process.execPath, [__filename, '--child', kind], { encoding: 'utf8' })) as Timings);
  const snapshotRuns = runsOf('snapshot');
  const runs = runsOf('built');
  const row = (label: string, key: keyof Timings, unit: string, digits = 1, from = runs) => console.log(`${label.padEnd(52)} ${median(from.map((run) => run[key])).toFixed(digits)} ${unit}`);
  console.log(`Catalog: ${runs[0].models} models from ${runs[0].providers} providers (median of ${RUNS} fresh processes)`);
  row('import the catalog module (activation pays this)', 'importMs', 'ms');
  row("first builtIn(), read from the build's snapshot", 'snapshotMs', 'ms', 1, snapshotRuns);
  row('first builtIn(), built from the bundled data', 'firstBuiltInMs', 'ms');
  row('find an id or alias', 'exactLookupUs', 'µs', 2);
  row('find a dated id through the match rules', 'ruleLookupMs', 'ms');
  row('unknown id with suggestions', 'unknownWithSuggestionsMs', 'ms');
  row('apply 5 overrides', 'fiveOverridesMs', 'ms');
}
