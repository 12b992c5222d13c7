import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import type { CountRequest, ScanFile, ScanResponse, ScanSettings } from '../../src/extension/worker/countProtocol';
import { evaluateWorkspace, selectPromptFiles, type WorkspaceFileResult } from '../../src/core/check/checkWorkspace';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { checkJson } from '../../src/cli/checkDirectory';
import { listFilesBelow } from '../../src/cli/listFilesBelow';
import { runCli } from '../../src/cli/runCli';

// The built worker, as the extension host starts it: no VS Code needed to scan files.
const workerPath = resolve(__dirname, '../../../dist/promptWorker.js');
const settings: ScanSettings = { settingsModels: [], sources: { setting: { defaultModel: 'gpt-4o', warnAt: 0.8 } } };

async function scan(files: ScanFile[], scanSettings: ScanSettings = settings): Promise<{ results: WorkspaceFileResult[]; missing: string[] }> {
  const worker = new Worker(workerPath);
  try {
    return await new Promise((resolvePromise, reject) => {
      const results: WorkspaceFileResult[] = [];
      const missing: string[] = [];
      worker.on('error', reject);
      worker.on('message', (response: ScanResponse) => {
        if (response.kind === 'scanned') {
          results.push(...response.results);
          missing.push(...response.missing);
        } else if (response.error) reject(new Error(response.error));
        else resolvePromise({ results, missing });
      });
      worker.postMessage({ kind: 'scanFiles', id: 1, files, settings: scanSettings } satisfies CountRequest);
    });
  } finally {
    await worker.terminate();
  }
}

describe('the scan worker', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'pb-scan-'));
    await writeFile(join(root, 'present.prompt.md'), 'Summarise the ticket in one line.\n');
  });
  after(() => rm(root, { recursive: true, force: true }));

  test('reports a listed file that was deleted before it was read as missing, not as a file it cannot count', async () => {
    const { results, missing } = await scan([
      { relativePath: 'present.prompt.md', path: join(root, 'present.prompt.md') },
      { relativePath: 'gone.prompt.md', path: join(root, 'gone.prompt.md') },
      // Other schemes: the extension host found no file, so it sent neither path nor bytes.
      { relativePath: 'remote-gone.prompt.md' },
    ]);
    assert.deepEqual(missing, ['gone.prompt.md', 'remote-gone.prompt.md']);
    assert.deepEqual(results.map((result) => result.relativePath), ['present.prompt.md']);
    assert.ok(results[0].analysis && results[0].analysis.count.tokens > 0);
    assert.deepEqual(results[0].problems, []);
  });

  test('reports a file the extension host could not read as unreadable, never as an empty prompt', async () => {
    const { results, missing } = await scan([{ relativePath: 'locked.prompt.md', readError: 'EACCES' }]);
    assert.deepEqual(missing, []);
    assert.equal(results[0].analysis, undefined);
    assert.deepEqual(
      results[0].problems.map((problem) => `${problem.rule}: ${problem.message}`),
      ['unreadable: locked.prompt.md: permission denied'],
    );
  });

  test('analyses bytes sent by the extension host as it analyses a local file', async () => {
    const text = 'Summarise the ticket in one line.\n';
    const { results } = await scan([
      { relativePath: 'a.prompt.md', path: join(root, 'present.prompt.md') },
      { relativePath: 'b.prompt.md', bytes: new TextEncoder().encode(text) },
    ]);
    assert.equal(results[0].analysis?.count.tokens, results[1].analysis?.count.tokens);
  });
});

describe('the scan worker and `prompt-budget check` on the examples folder', () => {
  test('agree on every budget, file and problem: one engine', async () => {
    const examples = resolve(__dirname, '../../../examples');
    const out: string[] = [];
    const io = { cwd: examples, stdout: (text: string) => out.push(text), stderr: () => undefined, readFile: (path: string) => readFile(path), listFiles: listFilesBelow };
    await runCli(['check', '--format', 'json'], io);
    const cli = JSON.parse(out.join('\n')) as ReturnType<typeof checkJson>;
    // Usage quotas come from the usage ledger, which the editor evaluates on its own (usageDiagnostics), not from the scan.
    cli.problems = cli.problems.filter((problem) => problem.rule !== 'usage-quota');

    const { config } = parseBudgetConfig('prompt-budget.yaml', await readFile(join(examples, 'prompt-budget.yaml'), 'utf8'));
    const paths = await listFilesBelow(examples);
    const selected = selectPromptFiles(config, paths);
    const { results } = await scan(selected.map((path) => ({ relativePath: path, path: join(examples, path) })), { config, settingsModels: [], sources: {} });
    const scanned = checkJson(evaluateWorkspace(config, results, paths));
    assert.ok(cli.budgets.length > 0 && selected.length > 0);
    assert.deepEqual(scanned, cli);
  });
});
