import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const repo = resolve(__dirname, '../../..');

/** The images a Markdown file shows: `![alt](path)` and `<img src="path">`. */
function imageReferences(markdown: string): string[] {
  return [...markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)[^)]*\)|<img [^>]*src="([^"]+)"/g)].map((match) => match[1] ?? match[2]);
}

describe('the .vsix', () => {
  let files: string[] = [];

  before(async () => {
    // `vsce ls` applies .vscodeignore as `vsce package` does, without building.
    const { stdout } = await promisify(execFile)(process.execPath, [resolve(repo, 'node_modules/@vscode/vsce/vsce'), 'ls', '--no-dependencies'], { cwd: repo });
    files = stdout.split('\n').map((line) => line.trim()).filter(Boolean).sort();
  });

  test('holds the bundles, the tokenizer ranks with the vocabularies\' licences, the webview media, the schema, the grammar, the icon, the docs and nothing else', () => {
    const docs = readdirSync(resolve(repo, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`);
    const screenshots = readdirSync(resolve(repo, 'media/screenshots')).filter((name) => name.endsWith('.png')).map((name) => `media/screenshots/${name}`);
    assert.deepEqual(
      files,
      [
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'THIRD_PARTY_NOTICES.md',
        'dist/Apache-2.0.txt',
        'dist/NOTICE.md',
        'dist/builtInCatalog.json',
        'dist/cl100k_base.ranks',
        'dist/promptWorker.js',
        'dist/deepseek_v3.LICENSE.txt',
        'dist/deepseek_v3.ranks',
        'dist/extension.js',
        'dist/gemma3.LICENSE.txt',
        'dist/gemma3.NOTICE.txt',
        'dist/gemma3.ranks',
        'dist/genaiPrices.js',
        'dist/genaiPrices.json',
        'dist/llama3.LICENSE.txt',
        'dist/llama3.ranks',
        'dist/o200k_base.ranks',
        'dist/pg.js',
        'dist/qwen3.ranks',
        'dist/tekken.ranks',
        'media/compareView.css',
        'media/compareView.js',
        'media/icon.png',
        'media/prompt-budget.schema.json',
        'media/prompty.language-configuration.json',
        'media/prompty.tmLanguage.json',
        'media/usageDashboard.css',
        'media/usageDashboard.js',
        'media/webview.css',
        'package.json',
        ...docs,
        ...screenshots,
      ].sort(),
    );
  });

  test('carries every image the README shows, so the extension page has its pictures offline', () => {
    const images = imageReferences(readFileSync(resolve(repo, 'README.md'), 'utf8'));
    assert.ok(images.length >= 3, `the README shows ${images.length} images`);
    for (const image of images) {
      assert.doesNotMatch(image, /^[a-z]+:/i, `${image}: a relative path, shipped in the package`);
      assert.ok(files.includes(image), `${image} is in the .vsix`);
      assert.ok(statSync(resolve(repo, image)).size < 200_000, `${image} is small (${statSync(resolve(repo, image)).size} bytes)`);
    }
  });

  test('has a 128×128 PNG icon, named by package.json', () => {
    const manifest = JSON.parse(readFileSync(resolve(repo, 'package.json'), 'utf8')) as { icon?: string };
    assert.equal(manifest.icon, 'media/icon.png');
    assert.ok(files.includes(manifest.icon));
    const png = readFileSync(resolve(repo, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  });
});
