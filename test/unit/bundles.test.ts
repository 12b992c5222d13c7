import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';

const dist = resolve(__dirname, '../../../dist');

describe('what the extension host loads', () => {
  test('no bundle carries tokenizer ranks as JavaScript: the worker, the CLI and the extension host read the binary ranks files on first use', () => {
    for (const bundle of ['extension.js', 'promptWorker.js', 'cli.js']) {
      const text = readFileSync(join(dist, bundle), 'utf8');
      // js-tiktoken's ranks are a JS string of base64 tokens under `bpe_ranks`.
      assert.doesNotMatch(text, /bpe_ranks/, bundle);
      // js-tiktoken's o200k_base ranks alone are over 2 MB of JavaScript.
      assert.ok(statSync(join(dist, bundle)).size < 2_000_000, `${bundle} is ${statSync(join(dist, bundle)).size} bytes`);
    }
    // Every bundle that counts reads the ranks files; the extension host's counts short prompts as they open.
    for (const bundle of ['promptWorker.js', 'cli.js', 'extension.js']) assert.match(readFileSync(join(dist, bundle), 'utf8'), /readRanksBesideBundle/, bundle);
    for (const encoding of ['o200k_base', 'cl100k_base']) {
      const file = readFileSync(join(dist, `${encoding}.ranks`));
      assert.equal(file.subarray(0, 4).toString('latin1'), 'PBR1', encoding);
    }
  });

  test('the packaged extension includes the ranks files', () => {
    const ignore = readFileSync(resolve(__dirname, '../../../.vscodeignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('!dist/*.ranks'), '.vscodeignore lets dist/*.ranks into the .vsix');
  });

  test('the price data is a file of its own, required by the extension only when first needed', () => {
    const extension = readFileSync(join(dist, 'extension.js'), 'utf8');
    assert.ok(statSync(join(dist, 'genaiPrices.js')).size > 100_000);
    assert.match(extension, /require\("\.\/genaiPrices\.js"\)/);
  });
});
