import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const repo = resolve(__dirname, '../../..');

test('the .vsix holds the bundles, the tokenizer ranks with the vocabularies\' licences, the webview media, the schema, the grammar and the docs, and no screenshots', async () => {
  // `vsce ls` applies .vscodeignore as `vsce package` does, without building.
  const { stdout } = await promisify(execFile)(process.execPath, [resolve(repo, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: repo });
  const files = stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  assert.deepEqual(files, [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'dist/Apache-2.0.txt',
    'dist/NOTICE.md',
    'dist/cl100k_base.ranks',
    'dist/countWorker.js',
    'dist/deepseek_v3.LICENSE.txt',
    'dist/deepseek_v3.ranks',
    'dist/extension.js',
    'dist/genaiPrices.js',
    'dist/llama3.LICENSE.txt',
    'dist/llama3.ranks',
    'dist/o200k_base.ranks',
    'dist/qwen3.ranks',
    'dist/tekken.ranks',
    'media/compareView.css',
    'media/compareView.js',
    'media/prompt-budget.schema.json',
    'media/prompty.language-configuration.json',
    'media/prompty.tmLanguage.json',
    'media/usageDashboard.css',
    'media/usageDashboard.js',
    'media/webview.css',
    'package.json',
  ]);
});
