import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WorkerClient } from '../../src/extension/worker/workerClient';

// A stand-in worker: answers `echo` once, `twice` with a part then a reply, pushes `push` unasked, exits on `crash`.
const WORKER = `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  if (m.kind === 'echo') parentPort.postMessage({ kind: 'reply', id: m.id, value: m.value });
  if (m.kind === 'twice') { parentPort.postMessage({ kind: 'part', id: m.id }); parentPort.postMessage({ kind: 'reply', id: m.id }); }
  if (m.kind === 'push') parentPort.postMessage({ kind: 'pushed', value: m.value });
  if (m.kind === 'crash') process.exit(3);
});
`;

type Request = { kind: 'echo' | 'twice'; id: number; value?: string } | { kind: 'push'; value: string } | { kind: 'crash' };
type Response = { kind: 'reply' | 'part'; id: number; value?: string } | { kind: 'pushed'; value: string };

describe('the worker client (count and scan workers)', () => {
  let dir: string;
  let path: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'worker-client-'));
    path = join(dir, 'worker.js');
    await writeFile(path, WORKER);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const ask = (client: WorkerClient<Request, Response>, value: string) =>
    new Promise<string>((resolve, reject) => {
      client.request((id) => ({ kind: 'echo', id, value }), (response) => (resolve(String(response.kind === 'reply' && response.value)), true), (message) => reject(new Error(message)));
    });

  test('answers each request by its id, and hands messages nobody asked for to onMessage', async () => {
    const pushed: Response[] = [];
    const client = new WorkerClient<Request, Response>({ path, name: 'test worker', onMessage: (response) => pushed.push(response) });
    try {
      assert.deepEqual(await Promise.all([ask(client, 'a'), ask(client, 'b')]), ['a', 'b']);
      const parts: string[] = [];
      await new Promise<void>((resolve, reject) =>
        client.request((id) => ({ kind: 'twice', id }), (response) => (parts.push(response.kind), response.kind === 'reply' && (resolve(), true)), (message) => reject(new Error(message))),
      );
      assert.deepEqual(parts, ['part', 'reply']);
      client.post({ kind: 'push', value: 'hello' });
      await ask(client, 'after the push');
      assert.deepEqual(pushed, [{ kind: 'pushed', value: 'hello' }]);
      assert.equal(client.pendingCount, 0);
    } finally {
      client.dispose();
    }
  });

  test('fails what waits when the worker exits, and starts a new one on the next request', async () => {
    const exits: number[] = [];
    const client = new WorkerClient<Request, Response>({ path, name: 'test worker', onExit: (code) => exits.push(code) });
    try {
      // Answered under another id, so it is still waiting when the worker exits.
      const waiting = new Promise<string>((resolve) => client.request((id) => ({ kind: 'twice', id: -id }), () => false, resolve));
      client.post({ kind: 'crash' });
      assert.equal(await waiting, 'test worker exited (3)');
      assert.deepEqual(exits, [3]);
      assert.equal(client.isRunning, false);
      assert.equal(await ask(client, 'again'), 'again');
    } finally {
      client.dispose();
    }
  });

  test('disposal fails what waits and refuses later requests; an idle worker is stopped', async () => {
    const client = new WorkerClient<Request, Response>({ path, name: 'test worker' });
    const waiting = new Promise<string>((resolve) => client.request((id) => ({ kind: 'twice', id: -id }), () => false, resolve));
    client.dispose();
    assert.equal(await waiting, 'Prompt Budget was shut down');
    await assert.rejects(ask(client, 'late'), /shut down/);
    assert.equal(client.isRunning, false);

    const idle = new WorkerClient<Request, Response>({ path, name: 'test worker', idleMs: 1 });
    try {
      await ask(idle, 'once');
      for (let tries = 0; idle.isRunning && tries < 200; tries++) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(idle.isRunning, false);
    } finally {
      idle.dispose();
    }
  });
});
