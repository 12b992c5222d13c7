import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const repo = resolve(__dirname, '../../..');

test('the .vsix holds the bundles, the tokenizer ranks, the webview media, the schema, the grammar and the docs', async () => {
  // `vsce ls` applies .vscodeignore as `vsce package` does, without building.
  const { stdout } = await promisify(execFile)(process.execPath, [resolve(repo, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: repo });
  const files = stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  const docs = readdirSync(resolve(repo, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
  assert.deepEqual(files, [
    'CHANGELOG.md',
    'LICENSE',
    'README.md',
    'THIRD_PARTY_NOTICES.md',
    'dist/cl100k_base.ranks',
    'dist/countWorker.js',
    'dist/extension.js',
    'dist/genaiPrices.js',
    'dist/o200k_base.ranks',
    'media/compareView.css',
    'media/compareView.js',
    'media/prompt-budget.schema.json',
    'media/prompty.language-configuration.json',
    'media/prompty.tmLanguage.json',
    'media/usageDashboard.css',
    'media/usageDashboard.js',
    'media/webview.css',
    'package.json',
    ...docs,
  ].sort());
});
