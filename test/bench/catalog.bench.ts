// `npm run bench` (catalog part): what the full price catalog costs. Importing the catalog module is
// what activation pays; the first `builtIn()` (price package load, 1,500 models, index) is paid on the
// first count, off the activation path. Each figure is the median of fresh child processes.
import { execFileSync } from 'node:child_process';

const RUNS = 5;

interface Timings {
  importMs: number;
  firstBuiltInMs: number;
  models: number;
  providers: number;
  exactLookupUs: number;
  ruleLookupMs: number;
  unknownWithSuggestionsMs: number;
  fiveOverridesMs: number;
}

function child(): Timings {
  let started = performance.now();
  const { ModelCatalog } = require('../../src/core/catalog/modelCatalog') as typeof import('../../src/core/catalog/modelCatalog');
  const importMs = performance.now() - started;
  started = performance.now();
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
  return { importMs, firstBuiltInMs, models: catalog.list().length, providers: catalog.providers().length, exactLookupUs, ruleLookupMs, unknownWithSuggestionsMs, fiveOverridesMs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (process.argv[2] === '--child') {
  process.stdout.write(JSON.stringify(child()));
} else {
  const runs: Timings[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(JSON.parse(execFileSync(process.execPath, [__filename, '--child'], { encoding: 'utf8' })) as Timings);
  const row = (label: string, key: keyof Timings, unit: string, digits = 1) => console.log(`${label.padEnd(46)} ${median(runs.map((run) => run[key])).toFixed(digits)} ${unit}`);
  console.log(`Catalog: ${runs[0].models} models from ${runs[0].providers} providers (median of ${RUNS} fresh processes)`);
  row('import the catalog module (activation pays this)', 'importMs', 'ms');
  row('first ModelCatalog.builtIn() (first count)', 'firstBuiltInMs', 'ms');
  row('find an id or alias', 'exactLookupUs', 'µs', 2);
  row('find a dated id through the match rules', 'ruleLookupMs', 'ms');
  row('unknown id with suggestions', 'unknownWithSuggestionsMs', 'ms');
  row('apply 5 overrides', 'fiveOverridesMs', 'ms');
}
