import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { findConfigFolder, loadCliFolderSettings } from '../../src/cli/cliFolderSettings';
import type { CliIo } from '../../src/cli/cliIo';
import { ModelCatalog } from '../../src/core/catalog/modelCatalog';
import { findNearestConfigFolder } from '../../src/core/config/findNearestConfigFolder';
import { readNearestBudgetConfig } from '../../src/core/config/readBudgetConfig';
import { readRegularFile } from '../../src/core/io/readRegularFile';
import { loadGuardConfig } from '../../src/library/guardConfig';
import { runCliInProcess } from '../runCliInProcess';

/** An in-memory tree: path -> text; a missing path rejects as Node's fs does. */
function memoryFiles(files: Record<string, string>) {
  return async (path: string) => {
    if (path in files) return files[path];
    throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
  };
}
const posix = { join: (dir: string, name: string) => (dir === '/' ? `/${name}` : `${dir}/${name}`), dirname: (path: string) => path.replace(/\/[^/]+$/, '') || '/' };

describe('findNearestConfigFolder', () => {
  const read = memoryFiles({ '/repo/prompt-budget.yaml': '', '/repo/packages/app/.prompt-budget.yaml': '' });

  test('finds the config in the folder itself, else the nearest one above it', async () => {
    assert.equal(await findNearestConfigFolder(read, posix, '/repo/packages/app'), '/repo/packages/app');
    assert.equal(await findNearestConfigFolder(read, posix, '/repo/packages/app/prompts/deep'), '/repo/packages/app');
    assert.equal(await findNearestConfigFolder(read, posix, '/repo/packages/other/src'), '/repo');
  });

  test('is undefined when no folder up to the root has one, and stops at `stop`', async () => {
    assert.equal(await findNearestConfigFolder(read, posix, '/elsewhere/x'), undefined);
    assert.equal(await findNearestConfigFolder(read, posix, '/repo/packages/other/src', '/repo/packages'), undefined);
  });

  test('a config that is there but refused (a FIFO) still marks its folder', async () => {
    const refusing = async (path: string) => {
      if (path === '/repo/prompt-budget.yaml') throw Object.assign(new Error('refused'), { code: 'ENOTREGULAR', detail: 'is a FIFO (named pipe), not a regular file; not read' });
      throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    };
    assert.equal(await findNearestConfigFolder(refusing, posix, '/repo/sub'), '/repo');
    const loaded = await readNearestBudgetConfig(refusing, posix, '/repo/sub', () => ModelCatalog.builtIn());
    assert.equal(loaded.root, '/repo');
    assert.equal(loaded.read?.parsed.problems[0].rule, 'config-unreadable');
  });

  test('the loader returns every section of the nearest config, unsaved text included', async () => {
    const text = ['defaultModel: gpt-4o', 'budgets:', '  - name: A', '    files: "**/*.md"', 'usage:', '  files: ["logs/*.jsonl"]', '  agents: [codex]', ''].join('\n');
    const loaded = await readNearestBudgetConfig(memoryFiles({ '/repo/prompt-budget.yaml': text }), posix, '/repo/a/b', () => ModelCatalog.builtIn());
    assert.equal(loaded.root, '/repo');
    assert.equal(loaded.read?.file, 'prompt-budget.yaml');
    assert.equal(loaded.read?.parsed.config?.defaultModel, 'gpt-4o');
    assert.deepEqual(loaded.read?.parsed.config?.budgets.map((budget) => budget.name), ['A']);
    assert.deepEqual(loaded.read?.parsed.config?.usage?.agents, ['codex']);
  });
});

describe('the CLI and the library find and read the same config', () => {
  let repo: string;
  before(async () => {
    repo = await mkdtemp(join(tmpdir(), 'prompt-budget-nearest-'));
    await mkdir(join(repo, 'packages/app/prompts'), { recursive: true });
    await mkdir(join(repo, 'packages/other/src'), { recursive: true });
    await mkdir(join(repo, 'logs'), { recursive: true });
    await writeFile(join(repo, 'prompt-budget.yaml'), 'defaultModel: gpt-4o-mini\nusage:\n  files: ["logs/*.jsonl"]\nbudgets:\n  - name: Root\n    files: "**/*.md"\n    model: gpt4o\n');
    await writeFile(join(repo, 'packages/app/prompt-budget.yaml'), 'defaultModel: gpt-4o\n');
    await writeFile(
      join(repo, 'logs/calls.jsonl'),
      `${JSON.stringify({ created: 1762160100, model: 'gpt-4o-mini', usage: { prompt_tokens: 100, completion_tokens: 10, total_tokens: 110 } })}\n`,
    );
  });
  after(async () => {
    await rm(repo, { recursive: true, force: true });
  });

  const io = (cwd: string): CliIo => ({ cwd, stdout: () => undefined, stderr: () => undefined, readFile: (path) => readRegularFile(path), listFiles: async () => [] });

  for (const start of ['packages/app/prompts', 'packages/other/src', '.']) {
    test(`from ${start}: the same folder and the same defaultModel`, async () => {
      const cwd = join(repo, start);
      const cliFolder = await findConfigFolder(io(cwd), cwd);
      const guard = await loadGuardConfig(cwd, undefined);
      assert.equal(guard.root, cliFolder);
      const context = await loadCliFolderSettings(io(cwd), {}, cliFolder, false);
      assert.equal(context.config?.defaultModel, guard.config?.defaultModel);
      assert.equal(guard.config?.defaultModel, start.startsWith('packages/app') ? 'gpt-4o' : 'gpt-4o-mini');
    });
  }

  test('usage reads the config with the same reader, so its model names are checked like every command', async () => {
    const { code, stdout, stderr } = await runCliInProcess(['usage', '--format', 'json'], repo);
    assert.equal(code, 0, stderr);
    assert.equal(JSON.parse(stdout).records, 1);
    assert.match(stderr, /^prompt-budget\.yaml:7:\d+: .*Unknown model 'gpt4o'/);
  });
});

describe('the config folder that governs a listed file (the editor and `check` group files by it)', () => {
  test('the deepest config folder holding the file wins; the top folder holds the rest', async () => {
    const { nearestConfigFolder, pathsByConfigFolder } = await import('../../src/core/config/nearestConfigFolder');
    const folders = ['', 'packages/a', 'packages/a/sub', 'packages/ab'];
    assert.equal(nearestConfigFolder(folders, 'packages/a/sub/x.prompt.md'), 'packages/a/sub');
    assert.equal(nearestConfigFolder(folders, 'packages/a/x.prompt.md'), 'packages/a');
    // A sibling whose name starts the same is not inside it.
    assert.equal(nearestConfigFolder(folders, 'packages/abc/x.prompt.md'), '');
    assert.equal(nearestConfigFolder(folders, 'packages/ab/x.prompt.md'), 'packages/ab');
    assert.equal(nearestConfigFolder(['packages/a'], 'hello.prompt.md'), undefined);
    assert.deepEqual(
      Object.fromEntries(pathsByConfigFolder(folders, ['hello.prompt.md', 'packages/a/p.prompt.md', 'packages/a/sub/q.prompt.md', 'packages/abc/r.prompt.md'])),
      { '': ['hello.prompt.md', 'packages/abc/r.prompt.md'], 'packages/a': ['p.prompt.md'], 'packages/a/sub': ['q.prompt.md'], 'packages/ab': [] },
    );
  });
});
