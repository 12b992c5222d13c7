// How the budgets view's first scan behaves on a large workspace: 5,000 generated prompt files in a
// temp folder, analysed by the real prompt worker (dist/promptWorker.js, `scanFiles` requests as the
// extension sends them), while this thread does what the extension host does with the results
// (keep them per file, re-aggregate with evaluateWorkspace at most every 250 ms). A setInterval probe
// measures the longest stall of this thread during the scan.
//
//   npm run build && npm run compile-tests && node out/test/bench/workspaceScan.bench.js [files]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { evaluateWorkspace, selectPromptFiles, type WorkspaceFileResult } from '../../src/core/check/checkWorkspace';
import type { CountRequest, ScanResponse, ScanSettings } from '../../src/extension/worker/countProtocol';

const FILES = Number(process.argv[2] ?? 5000);
const REQUEST_FILES = 500; // as workspaceScan.ts
const AGGREGATE_INTERVAL_MS = 250; // as workspaceScan.ts, which also waits 4x the last aggregation
const PROBE_MS = 10;

const CONFIG = `version: 1
budgets:
  - name: Support
    files: ["support/**"]
    model: gpt-4o-mini
    maxInputTokens: 2000
    expectedOutputTokens: 300
    callsPerDay: 1000
    maxMonthlyCost: 500
  - name: Everything else
    files: ["**/*.prompt.md"]
    exclude: ["support/**"]
    maxInputTokens: 4000
`;

function promptText(index: number): string {
  const paragraph = `Prompt ${index}: summarise the customer's ticket in three sentences, name the product area, and propose the next step. `;
  return `---\nmodel: gpt-4o\n---\n${paragraph.repeat(1 + (index % 20))}\n{{ticket}}\n`;
}

async function main(): Promise<void> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'prompt-budget-scan-'));
  try {
    const relativePaths: string[] = [];
    for (let index = 0; index < FILES; index++) {
      const dir = index % 2 === 0 ? `support/area${index % 50}` : `prompts/area${index % 50}`;
      relativePaths.push(`${dir}/p${index}.prompt.md`);
    }
    for (const dir of new Set(relativePaths.map((file) => path.posix.dirname(file)))) await mkdir(path.join(root, dir), { recursive: true });
    await Promise.all(relativePaths.map((file, index) => writeFile(path.join(root, file), promptText(index))));
    const { config } = parseBudgetConfig('prompt-budget.yaml', CONFIG);
    if (!config) throw new Error('bench config does not parse');
    const selected = selectPromptFiles(config, relativePaths);
    const settings: ScanSettings = { config, settingsModels: [], sources: { setting: { defaultModel: 'gpt-4o', warnAt: 0.8 } } };

    const worker = new Worker(path.resolve(__dirname, '../../../dist/promptWorker.js'));
    const results = new Map<string, WorkspaceFileResult>();
    let messages = 0;
    let aggregations = 0;
    let longestAggregateMs = 0;
    let lastAggregateMs = 0;
    let longestMessageMs = 0;
    let aggregateTimer: ReturnType<typeof setTimeout> | undefined;
    const aggregate = () => {
      aggregateTimer = undefined;
      const started = performance.now();
      evaluateWorkspace(config, [...results.values()], relativePaths);
      lastAggregateMs = performance.now() - started;
      longestAggregateMs = Math.max(longestAggregateMs, lastAggregateMs);
      aggregations++;
    };

    let longestStallMs = 0;
    let last = performance.now();
    const probe = setInterval(() => {
      const now = performance.now();
      longestStallMs = Math.max(longestStallMs, now - last - PROBE_MS);
      last = now;
    }, PROBE_MS);

    const started = performance.now();
    let firstResultMs: number | undefined;
    await new Promise<void>((resolve, reject) => {
      let pending = 0;
      worker.on('message', (response: ScanResponse) => {
        const handled = performance.now();
        messages++;
        if (response.kind === 'scanned') {
          firstResultMs ??= handled - started;
          for (const result of response.results) results.set(result.relativePath, result);
          aggregateTimer ??= setTimeout(aggregate, Math.max(AGGREGATE_INTERVAL_MS, 4 * lastAggregateMs));
        } else if (response.error) {
          reject(new Error(response.error));
        } else if (--pending === 0) {
          resolve();
        }
        longestMessageMs = Math.max(longestMessageMs, performance.now() - handled);
      });
      for (let start = 0; start < selected.length; start += REQUEST_FILES) {
        pending++;
        const files = selected.slice(start, start + REQUEST_FILES).map((file) => ({ relativePath: file, path: path.join(root, file) }));
        const request: CountRequest = { kind: 'scanFiles', id: pending, files, settings };
        worker.postMessage(request);
      }
    });
    clearTimeout(aggregateTimer);
    aggregate();
    const totalMs = performance.now() - started;
    clearInterval(probe);
    await worker.terminate();

    const check = evaluateWorkspace(config, [...results.values()], relativePaths);
    console.log(`workspace scan: ${results.size} prompt files (${selected.length} selected of ${relativePaths.length}) on ${os.cpus().length} CPU(s)`);
    console.log(`  total ${totalMs.toFixed(0)} ms, first results after ${firstResultMs?.toFixed(0)} ms, ${(totalMs / results.size).toFixed(2)} ms/file`);
    console.log(`  main thread: longest stall ${longestStallMs.toFixed(1)} ms (setInterval ${PROBE_MS} ms probe), ${messages} messages, longest message ${longestMessageMs.toFixed(1)} ms`);
    console.log(`  re-aggregations: ${aggregations}, longest evaluateWorkspace ${longestAggregateMs.toFixed(1)} ms`);
    console.log(`  budgets: ${check.budgets.map((budget) => `${budget.name} ${budget.files.length} files ${budget.status}`).join('; ')}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
