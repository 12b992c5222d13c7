import { test } from 'node:test';
import assert from 'node:assert/strict';
// Nothing else in this file may touch the catalog before the first test runs.
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';

function pricePackageLoaded(): boolean {
  return Object.keys(require.cache).some((path) => path.includes('genai-prices'));
}

test('importing the catalog does not load the price package', () => {
  assert.equal(typeof ModelCatalog.builtIn, 'function');
  assert.equal(pricePackageLoaded(), false);
});

test('the first built-in catalog loads the price package', () => {
  ModelCatalog.builtIn();
  assert.equal(pricePackageLoaded(), true);
});
