import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { JsonlLedger } from '../../src/library';
import { PENDING_LIMIT } from '../../src/library/jsonlLedger';
import { LedgerState } from '../../src/library/ledgerState';
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

test('a line that cannot count (a reservation with no real time among them) is read once, reported, and never stops the ledger', async () => {
  const file = join(folder, 'bad-reservation.jsonl');
  const reservation = { type: 'prompt-budget/reservation', reservation: 'r1', time: 'yesterday', expires: Date.now() + 60_000, provider: 'openai', model: 'gpt-4o-mini', tags: [], tokens: 100, cost: 0.01 };
  writeFileSync(file, `${JSON.stringify(reservation)}\n${JSON.stringify({ ...reservation, reservation: 'r2', time: new Date().toISOString(), tokens: 'lots' })}\n`);
  const errors: string[] = [];
  const ledger = new JsonlLedger(file, (error) => errors.push(error.message));
  for (const id of ['a', 'b', 'c']) await ledger.append(call(id));
  assert.deepEqual(errors, [
    `prompt-budget: skipped a line of the ledger: ${file}:1: rejected the time of a reservation line: not a real timestamp`,
    `prompt-budget: skipped a line of the ledger: ${file}:2: rejected the tokens of a reservation line: not a plausible count`,
  ]);
  assert.deepEqual([ledger.state.history().map((line) => line.id), ledger.view(Date.now()).inFlight.length, ledger.pendingCount()], [['a', 'b', 'c'], 0, 0]);
  assert.equal(readFileSync(file, 'utf8').trim().split('\n').length, 5);
});

test('a ledger that shrank (rotated by hand) is read again from the start with a fresh state', async () => {
  const file = join(folder, 'rotated.jsonl');
  writeFileSync(file, ['one', 'two', 'three'].map((id) => JSON.stringify(call(id))).join('\n') + '\n');
  const errors: string[] = [];
  const ledger = new JsonlLedger(file, (error) => errors.push(error.message));
  await ledger.sync();
  assert.deepEqual(ledger.state.history().map((line) => line.id), ['one', 'two', 'three']);
  writeFileSync(file, `${JSON.stringify(call('after'))}\n`);
  await ledger.append(call('next'));
  assert.deepEqual(errors, [`prompt-budget: the ledger ${file} is shorter than when it was last read (a ledger is only appended to); it is read again from the start`]);
  assert.deepEqual(ledger.state.history().map((line) => line.id), ['after', 'next']);
  assert.deepEqual(ledger.state.bucketsSinceReset().map((bucket) => bucket.calls), [2]);
  assert.deepEqual(readFileSync(file, 'utf8').trim().split('\n').map((text) => JSON.parse(text).id), ['after', 'next']);
});

test('lines kept in memory while the ledger cannot be written are capped: the oldest are dropped with an error', async () => {
  // A file where the ledger's folder should be: every write fails.
  const blocker = join(folder, 'not-a-folder');
  writeFileSync(blocker, '');
  const errors: string[] = [];
  const ledger = new JsonlLedger(join(blocker, 'ledger.jsonl'), (error) => errors.push(error.message));
  for (let n = 0; n <= PENDING_LIMIT; n++) await ledger.append(call(`c${n}`));
  assert.equal(ledger.pendingCount(), PENDING_LIMIT);
  assert.deepEqual(
    errors.filter((message) => message.includes('dropped')),
    [`prompt-budget: the ledger ${join(blocker, 'ledger.jsonl')} has not been written for ${PENDING_LIMIT} lines; the oldest 1 kept in memory are dropped`],
  );
  await ledger.close();
});

test('a holder whose lock was taken over as stale leaves its successor the lock: nobody enters while the successor is inside', async () => {
  const lock = join(folder, 'takeover.lock');
  const events: string[] = [];
  let inside = 0;
  const enter = (name: string) => {
    inside++;
    events.push(`${name} in${inside > 1 ? ' (overlap)' : ''}`);
  };
  const leave = (name: string) => {
    inside--;
    events.push(`${name} out`);
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  let releaseB = () => {};
  const bHeld = new Promise<void>((resolve) => (releaseB = resolve));
  let bInside = () => {};
  const bEntered = new Promise<void>((resolve) => (bInside = resolve));
  // A stalls inside; B finds A's lock stale after 50 ms and takes it over.
  const a = withFileLock(lock, async () => {
    enter('A');
    await bEntered;
    leave('A');
  });
  await pause(5);
  const b = withFileLock(
    lock,
    async () => {
      enter('B');
      bInside();
      await bHeld;
      leave('B');
    },
    { staleMs: 50 },
  );
  await a;
  // A is done (its finally ran); C must wait for B.
  const c = withFileLock(lock, async () => {
    enter('C');
    leave('C');
  });
  await pause(100);
  releaseB();
  await Promise.all([b, c]);
  assert.deepEqual(events, ['A in', 'B in (overlap)', 'A out', 'B out', 'C in', 'C out']);
  assert.equal(existsSync(lock), false);
  assert.equal(existsSync(`${lock}.break`), false);
});

test('a reservation without a real time handed to the state directly (a ledger object of its own) is not counted, and the view still answers', () => {
  const state = new LedgerState();
  state.replaceReservations([{ type: 'prompt-budget/reservation', reservation: 'r', time: 'yesterday', expires: Date.now() + 60_000, provider: 'openai', model: 'gpt-4o-mini', tags: [], tokens: 1, cost: 0 }]);
  assert.deepEqual(state.view(Date.now()).inFlight, []);
});
