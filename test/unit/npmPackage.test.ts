import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const repo = resolve(__dirname, '../../..');
const run = promisify(execFile);
// npm would otherwise read the settings of an `npm test` that started this file.
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));

// The shipped vocabularies' notices and licence texts, which must travel with them.
const VOCABULARY_NOTICES = ['dist/NOTICE.md', 'dist/Apache-2.0.txt', 'dist/llama3.LICENSE.txt', 'dist/deepseek_v3.LICENSE.txt', 'dist/gemma3.LICENSE.txt', 'dist/gemma3.NOTICE.txt'];
const PROMPT = '---\ndescription: Answers a support ticket\n---\nYou are a support agent. Answer the ticket below in three sentences.\n';
const CONFIG = 'version: 1\ndefaultModel: gpt-4o\nbudgets:\n  - name: support\n    files: ["prompts/**"]\n    maxInputTokens: 5\n';

/** `npm pack` of the built package (run `npm run build` first), installed into a fresh project offline. */
describe('the npm package, installed into another project', () => {
  let dir = '';
  let tarball = '';
  let project = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'prompt-budget-pack-'));
    // --ignore-scripts: the test packs the build it was given instead of rebuilding dist/ under the other tests.
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repo, env });
    tarball = join(dir, (JSON.parse(stdout) as { filename: string }[])[0].filename);
    project = join(dir, 'project');
    await mkdir(join(project, 'prompts'), { recursive: true });
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
    await writeFile(join(project, 'prompts', 'support.prompt.md'), PROMPT);
    await writeFile(join(project, 'prompt-budget.yaml'), CONFIG);
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: project, env });
  });

  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('is a public package with a repository, a license and a bin, under 15 MB', async () => {
    const manifest = JSON.parse(await readFile(join(project, 'node_modules', 'prompt-budget', 'package.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(manifest.private, undefined);
    assert.equal(manifest.license, 'MIT');
    assert.ok(manifest.repository, 'repository');
    assert.deepEqual(manifest.bin, { 'prompt-budget': 'dist/cli.js' });
    assert.ok((await stat(tarball)).size < 15_000_000, `${(await stat(tarball)).size} bytes`);
  });

  test('carries what runs and its notices, not source maps or the .vsix', async () => {
    const installed = join(project, 'node_modules', 'prompt-budget');
    for (const file of ['dist/cli.js', 'dist/o200k_base.ranks', 'dist/cl100k_base.ranks', 'README.md', 'LICENSE', 'CHANGELOG.md', 'THIRD_PARTY_NOTICES.md', ...VOCABULARY_NOTICES]) {
      await stat(join(installed, file));
    }
    const { stdout } = await run('tar', ['-tzf', tarball]);
    assert.doesNotMatch(stdout, /\.map$|\.vsix$|^package\/(src|test|examples|media\/screenshots)\//m);
  });

  test('`npx prompt-budget check` in that project enforces its prompt-budget.yaml', async () => {
    const result = await run('npx', ['--offline', 'prompt-budget', 'check'], { cwd: project, env }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    assert.equal(result.code, 1, 'over budget is exit 1');
    assert.match(result.stdout, /^prompts\/support\.prompt\.md:\d+:\d+: error: .*budget 'support' allows 5\./m);
    assert.match(result.stdout, /1 prompt file, 1 budget: 1 over/);
  });

  test("its type declarations compile under `tsc --strict` without skipLibCheck, naming no package it does not install", async () => {
    await writeFile(join(project, 'consumer.mts'), "import { countTokens, createGuard, estimateCost, type CostEstimate } from 'prompt-budget';\nconst cost: CostEstimate = estimateCost({ inputTokens: 10, outputTokens: 5 }, 'gpt-4o');\nvoid countTokens('Hello', 'gpt-4o');\nvoid createGuard;\nexport { cost };\n");
    await writeFile(join(project, 'consumer.cts'), "import { ModelCatalog, JsonlLedger } from 'prompt-budget';\nexport const catalog = ModelCatalog.builtIn();\nexport const ledger = JsonlLedger;\n");
    const compilerOptions = { strict: true, skipLibCheck: false, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: ['node'], typeRoots: [join(repo, 'node_modules/@types')] };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['consumer.mts', 'consumer.cts'] }));
    const result = await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project, env }).then(
      () => ({ stdout: '' }),
      (error: { stdout: string }) => error,
    );
    assert.equal(result.stdout, '', 'tsc reported errors');
  });

  test('`npx prompt-budget count` prices a prompt from the bundled price data, with no network', async () => {
    const { stdout } = await run('npx', ['--offline', 'prompt-budget', 'count', 'prompts/support.prompt.md'], { cwd: project, env });
    assert.match(stdout, /prompts\/support\.prompt\.md: \d+ tokens \(exact, o200k_base\) · gpt-4o/);
    assert.match(stdout, /input \$0\.0000\d+/);
  });
});
