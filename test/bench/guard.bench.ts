// The runtime guard's cost: its overhead per call on a 2 KB chat request (counting the request,
// the budget and quota check, the reservation and the record), p50/p95, with the in-memory and the
// JSONL ledger; and JSONL ledger appends per second with several processes sharing the file.
//
//   npm run build && npm run compile-tests && node out/test/bench/guard.bench.js [calls] [processes]
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createGuard, MemoryLedger } from '../../src/library';

const CALLS = Number(process.argv[2] ?? 2000);
const PROCESSES = Number(process.argv[3] ?? 4);
const CONFIG = `version: 1
budgets:
  - name: Support
    files: ["prompts/**"]
    usageTags: [support]
    maxCostPerCall: 1
usage:
  ledger: ledger.jsonl
  quotas:
    - name: Daily cost
      period: day
      maxCost: 100000
    - name: Support calls
      period: month
      tags: [support]
      maxCalls: 100000000
`;

/** A chat request of about 2 KB: a system prompt and a user turn, each call slightly different. */
function request(i: number) {
  const system = 'You are a support assistant for an online shop. Answer briefly, cite the order number, and never promise refunds the policy does not allow. '.repeat(8);
  const user = `Order ${100000 + i}: the parcel arrived damaged and the box was open. What can I do? `.repeat(9);
  return { model: 'gpt-4o-mini', messages: [{ role: 'system', content: system }, { role: 'user', content: user }], max_tokens: 300 };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
}

async function overhead(label: string, folder: string, memory: boolean): Promise<void> {
  const guard = createGuard({ cwd: folder, tags: ['support'], user: 'bench', ledger: memory ? new MemoryLedger() : undefined });
  await guard.ready();
  const times: number[] = [];
  for (let i = 0; i < CALLS + 50; i++) {
    const body = request(i);
    const start = performance.now();
    const call = await guard.reserve({ model: body.model, request: body });
    await call.settle({ usage: { prompt_tokens: 520, completion_tokens: 120 }, id: `chatcmpl-${i}`, model: 'gpt-4o-mini-2024-07-18' });
    // The first calls load the tokenizer and the price data: reported apart from the steady state.
    if (i >= 50) times.push(performance.now() - start);
  }
  await guard.close();
  times.sort((a, b) => a - b);
  console.log(`${label}: ${JSON.stringify(request(0)).length} B request, ${CALLS} calls: p50 ${percentile(times, 50).toFixed(3)} ms, p95 ${percentile(times, 95).toFixed(3)} ms per call (check + reservation + record)`);
}

async function appendsAcrossProcesses(folder: string): Promise<void> {
  const library = path.resolve(__dirname, '../../../dist/library.cjs');
  const perProcess = Math.ceil(CALLS / PROCESSES);
  writeFileSync(
    path.join(folder, 'appender.js'),
    `const { createGuard } = require(${JSON.stringify(library)});
(async () => {
  const guard = createGuard({ cwd: __dirname, user: 'p' + process.argv[2] });
  await guard.ready();
  await new Promise((resolve) => setTimeout(resolve, Number(process.argv[3]) - Date.now()));
  const start = Date.now();
  for (let i = 0; i < ${perProcess}; i++) await guard.record({ prompt_tokens: 100, completion_tokens: 20 }, { model: 'gpt-4o-mini' });
  await guard.close();
  console.log(Date.now() - start);
})();`,
  );
  rmSync(path.join(folder, 'ledger.jsonl'), { force: true });
  const startAt = Date.now() + 2000;
  const run = promisify(execFile);
  const outputs = await Promise.all(Array.from({ length: PROCESSES }, (_, n) => run(process.execPath, [path.join(folder, 'appender.js'), String(n), String(startAt)])));
  const slowest = Math.max(...outputs.map(({ stdout }) => Number(stdout.trim())));
  const lines = readFileSync(path.join(folder, 'ledger.jsonl'), 'utf8').split('\n').filter(Boolean).length;
  console.log(`JSONL ledger, ${PROCESSES} processes appending at once: ${lines} lines in ${slowest} ms = ${Math.round((lines * 1000) / slowest)} appends/s (each under the lock, after reading the others' lines)`);
}

async function main(): Promise<void> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'pb-guard-bench-'));
  try {
    writeFileSync(path.join(folder, 'prompt-budget.yaml'), CONFIG);
    await overhead('guard, in-memory ledger', folder, true);
    await overhead('guard, JSONL ledger', folder, false);
    await appendsAcrossProcesses(folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

void main();
