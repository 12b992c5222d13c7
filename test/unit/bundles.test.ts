import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

const dist = resolve(__dirname, '../../../dist');

describe('what the extension host loads', () => {
  test('the extension bundle carries no tokenizer ranks: they load in the count worker, on first use', () => {
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    const worker = readFileSync(join(dist, 'countWorker.js'), 'utf8');
    assert.doesNotMatch(extension, /bpe_ranks/);
    assert.match(worker, /bpe_ranks/);
  });

  test('the price data is a file of its own, required by the extension only when first needed', () => {
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    assert.ok(statSync(join(dist, 'genaiPrices.js')).size > 100_000);
    assert.match(extension, /require\("\.\/genaiPrices\.js"\)/);
  });
});
