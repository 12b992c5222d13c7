import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { uniqueRealFiles, type RealFile } from '../../src/core/io/uniqueRealFiles';

describe('uniqueRealFiles (the editor scan over VS Code’s file search, which follows links)', () => {
  // `linked` and `again` are links to `prompts`; `loop/loop/…` is a folder linking to itself.
  const realOf: Record<string, string> = {
    'prompts/a.prompt.md': 'prompts/a.prompt.md',
    'linked/a.prompt.md': 'prompts/a.prompt.md',
    'again/a.prompt.md': 'prompts/a.prompt.md',
    'loop/b.prompt.md': 'loop/b.prompt.md',
    'loop/loop/b.prompt.md': 'loop/b.prompt.md',
    'loop/loop/loop/b.prompt.md': 'loop/b.prompt.md',
  };
  const asked: string[] = [];
  const resolve = async (path: string): Promise<RealFile | undefined> => {
    asked.push(path);
    const real = realOf[path];
    return real === undefined ? undefined : { real, isReal: real === path };
  };

  test('keeps each real file once, under its real path, and asks only about repeated file names', async () => {
    const paths = ['again/a.prompt.md', 'linked/a.prompt.md', 'loop/b.prompt.md', 'loop/loop/b.prompt.md', 'loop/loop/loop/b.prompt.md', 'prompts/a.prompt.md', 'solo.prompt.md'];
    assert.deepEqual(await uniqueRealFiles(paths, resolve), ['loop/b.prompt.md', 'prompts/a.prompt.md', 'solo.prompt.md']);
    assert.ok(!asked.includes('solo.prompt.md'), 'a file name listed once needs no look-up');
  });

  test('a file outside the folder, reached by two links, is kept once under the shorter path', async () => {
    const outside = async (path: string): Promise<RealFile> => ({ real: '/elsewhere/x.prompt.md', isReal: path === '' });
    assert.deepEqual(await uniqueRealFiles(['a/long/x.prompt.md', 'b/x.prompt.md'], outside), ['b/x.prompt.md']);
    assert.deepEqual(await uniqueRealFiles(['a/x.prompt.md', 'b/x.prompt.md'], async () => undefined), ['a/x.prompt.md', 'b/x.prompt.md'], 'unresolved paths are kept');
    const onlyPrompts = (path: string) => path.endsWith('.prompt.md');
    assert.deepEqual(await uniqueRealFiles(['a/index.ts', 'b/index.ts', 'b/x.prompt.md'], outside, onlyPrompts), ['a/index.ts', 'b/index.ts', 'b/x.prompt.md'], 'files left out of consideration are neither resolved nor dropped');
  });
});
