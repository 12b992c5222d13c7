import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { JsonlLedger } from '../../src/library';
import { withFileLock } from '../../src/library/fileLock';

const folder = mkdtempSync(join(tmpdir(), 'pb-jsonl-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const call = (id: string) => ({
  type: 'prompt-budget/call' as const,
  time: new Date().toISOString(),
  id,
  provider: 'openai',
  model: 'gpt-4o-mini',
  tags: [],
  inputTokens: 10,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 5,
  costSource: 'none' as const,
});

test('a lock left by a process that died is taken over; a live holder is waited for, then given up on with a message', async () => {
  const lock = join(folder, 'a.lock');
  // No process has pid 2^22 + 1 (above Linux's pid_max default).
  writeFileSync(lock, `4194305\n${hostname()}\n${Date.now()}\n`);
  assert.equal(await withFileLock(lock, async () => 'taken'), 'taken');
  assert.equal(existsSync(lock), false);
  writeFileSync(lock, `${process.pid}\n${hostname()}\n${Date.now()}\n`);
  await assert.rejects(withFileLock(lock, async () => 'never', { timeoutMs: 50 }), /^Error: could not lock .*a\.lock within 50 ms$/);
  rmSync(lock);
});

test('a line left unfinished by a writer that died is skipped, and the next line starts on a line of its own', async () => {
  const file = join(folder, 'torn.jsonl');
  writeFileSync(file, `${JSON.stringify(call('first'))}\n{"type":"prompt-budget/call","time":"2026-12-0`);
  const errors: Error[] = [];
  const ledger = new JsonlLedger(file, (error) => errors.push(error));
  await ledger.append(call('second'));
  await ledger.close();
  const lines = readFileSync(file, 'utf8').split('\n');
  assert.deepEqual([lines.length, JSON.parse(lines[2]).id, lines[3]], [4, 'second', '']);
  assert.deepEqual(ledger.state.history().map((line) => line.id), ['first', 'second']);
  assert.equal(errors.length, 0);
  // Another process reading the file from the start sees the same two calls.
  const reader = new JsonlLedger(file, (error) => errors.push(error));
  await reader.sync();
  assert.deepEqual(reader.state.history().map((line) => line.id), ['first', 'second']);
  appendFileSync(file, `${JSON.stringify(call('third'))}\n`);
  await reader.sync();
  assert.deepEqual(reader.state.history().map((line) => line.id), ['first', 'second', 'third']);
});
