import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

const repo = resolve(__dirname, '../../..');
const run = promisify(execFile);

// A user's project outside the repository, with the package installed as `npm install <folder>` does (a link).
describe('the prompt-budget package as a library', () => {
  let project: string;
  before(() => {
    project = mkdtempSync(join(tmpdir(), 'pb-library-user-'));
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-app', version: '1.0.0', private: true }));
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(repo, join(project, 'node_modules', 'prompt-budget'), 'dir');
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  test("require('prompt-budget') counts and prices with the editor's engine, outside VS Code", async () => {
    writeFileSync(
      join(project, 'main.cjs'),
      `const pb = require('prompt-budget');
(async () => {
  const exact = await pb.countTokens('Hello world', 'gpt-4o');
  const estimate = await pb.countTokens([{ role: 'user', content: 'Hello world' }], 'claude-sonnet-4-5');
  const cost = pb.estimateCost({ prompt_tokens: 1000, completion_tokens: 200 }, 'gpt-4o');
  console.log(JSON.stringify({ exact, estimate, cost, vscode: Object.keys(require.cache).some((file) => /[\\\\/]vscode[\\\\/]/.test(file)) }));
})();`,
    );
    const { stdout } = await run(process.execPath, ['main.cjs'], { cwd: project });
    const result = JSON.parse(stdout);
    assert.deepEqual([result.exact.tokens, result.exact.exact, result.exact.label], [2, true, '2']);
    assert.equal(result.estimate.exact, false);
    assert.match(result.estimate.label, /^≈\d+$/);
    // GPT-4o: $2.50 per million input, $10 per million output.
    assert.equal(result.cost.cost.toFixed(6), '0.004500');
    assert.equal(result.cost.label, '$0.0045');
    assert.equal(result.vscode, false);
  });

  test("import from 'prompt-budget' works in an ES module and shares the CommonJS entry's functions", async () => {
    writeFileSync(
      join(project, 'main.mjs'),
      `import { countTokens } from 'prompt-budget';
import library from 'prompt-budget';
import { createRequire } from 'node:module';
const count = await countTokens('Hello world', 'gpt-4o');
console.log(JSON.stringify({ tokens: count.tokens, same: library.countTokens === createRequire(import.meta.url)('prompt-budget').countTokens }));`,
    );
    const { stdout } = await run(process.execPath, ['main.mjs'], { cwd: project });
    assert.deepEqual(JSON.parse(stdout), { tokens: 2, same: true });
  });

  test('the declarations type-check a CommonJS and an ES module consumer', async () => {
    const tsc = join(repo, 'node_modules/typescript/bin/tsc');
    await run(process.execPath, [tsc, '-p', 'tsconfig.library.json'], { cwd: repo });
    writeFileSync(join(project, 'use.cts'), `import { countTokens, type TokenCount } from 'prompt-budget';\nexport const count: Promise<TokenCount> = countTokens('hi', 'gpt-4o');\n`);
    writeFileSync(join(project, 'use.mts'), `import { estimateCost } from 'prompt-budget';\nexport const usd: number = estimateCost({ inputTokens: 1, outputTokens: 1 }, 'gpt-4o').cost;\n`);
    writeFileSync(join(project, 'bad.mts'), `import { countTokens } from 'prompt-budget';\nexport const wrong: string = countTokens('hi', 'gpt-4o');\n`);
    const options = ['--noEmit', '--strict', '--skipLibCheck', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node', '--typeRoots', join(repo, 'node_modules/@types')];
    const failure = await run(process.execPath, [tsc, ...options, 'use.cts', 'use.mts', 'bad.mts'], { cwd: project }).then(
      () => '',
      (error: { stdout: string }) => error.stdout,
    );
    // Only the consumer's own type error is reported: the types are really read, not `any`.
    assert.match(failure, /^bad\.mts\(2,14\): error TS2322: Type 'Promise<TokenCount>' is not assignable to type 'string'\.\s*$/);
  });
});
