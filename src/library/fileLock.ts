// An exclusive lock between processes on one machine: a lock file created with O_EXCL. A lock whose
// holder died (its process is gone, or it has held the lock far longer than any ledger write takes)
// is taken over: breakers take turns through a second lock file, so two of them cannot both break
// it, and one cannot remove a fresh lock another took meanwhile. Every lock file holds a token of
// its own, and a holder removes the lock only while it still holds that token: a holder whose lock
// was taken over as stale leaves its successor's lock alone. The lock is held for a read and an
// append of a few lines, so its file operations are synchronous: a round trip through the thread
// pool per operation would make every holder wait longer.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { hostname } from 'node:os';

export interface FileLockOptions {
  /** Give up after this long (ms). */
  timeoutMs?: number;
  /** A lock older than this (ms) is stale whoever holds it. */
  staleMs?: number;
}

const HOST = hostname();

/** Holds `path` exclusively while `task` runs. Rejects when the lock cannot be had within the timeout. */
export async function withFileLock<T>(path: string, task: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const token = await acquire(path, options.timeoutMs ?? 10_000, options.staleMs ?? 30_000);
  try {
    return await task();
  } finally {
    removeIfHeld(path, token);
  }
}

/** Takes the lock; its content (pid, host, time, a unique id) is the token that proves whose it is. */
async function acquire(path: string, timeoutMs: number, staleMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const token = `${process.pid}\n${HOST}\n${Date.now()}\n${randomUUID()}\n`;
    if (create(path, token)) return token;
    breakIfStale(path, staleMs);
    if (Date.now() > deadline) throw new Error(`could not lock ${path} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(4, 1 + attempt / 4) * Math.random()));
  }
}

/** Creates `path` holding `content` unless it exists. */
function create(path: string, content: string): boolean {
  let descriptor: number;
  try {
    descriptor = fs.openSync(path, 'wx');
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(descriptor, content);
  } finally {
    fs.closeSync(descriptor);
  }
  return true;
}

/**
 * Removes `path` if it still holds `token` (it does unless the lock was taken over as stale). Between
 * the read and the unlink the file could only change if the lock, already stale, were taken over
 * and taken again in that instant: no holder's lock is removed otherwise.
 */
function removeIfHeld(path: string, token: string): void {
  try {
    if (fs.readFileSync(path, 'utf8') === token) fs.unlinkSync(path);
  } catch {
    // Gone: taken over as stale and released by the taker.
  }
}

/**
 * Removes the lock at `path` if it is stale. Breakers take turns through `path.break`, and the one
 * whose turn it is reads the lock again before removing it: a lock taken meanwhile (after another
 * breaker removed the stale one) has a different token and stays.
 */
function breakIfStale(path: string, staleMs: number): void {
  if (!isStale(path, staleMs)) return;
  const turn = `${path}.break`;
  const token = `${process.pid}\n${HOST}\n${Date.now()}\n${randomUUID()}\n`;
  if (!create(turn, token)) {
    // A breaker that died between these synchronous steps leaves its turn behind: it is stale the same way.
    const stuck = isStale(turn, staleMs);
    if (stuck !== undefined) removeIfHeld(turn, stuck);
    return;
  }
  try {
    const seen = isStale(path, staleMs);
    if (seen !== undefined) removeIfHeld(path, seen);
  } finally {
    removeIfHeld(turn, token);
  }
}

/** The content of the lock at `path` when it is stale (its holder is gone, or it is older than `staleMs`); undefined otherwise. */
function isStale(path: string, staleMs: number): string | undefined {
  let seen: string;
  let age: number;
  try {
    seen = fs.readFileSync(path, 'utf8');
    age = Date.now() - fs.statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
  const [pid, host] = seen.split('\n');
  // A lock being written has no content yet: only its age can make it stale.
  const holderGone = seen !== '' && host === HOST && !isAlive(Number(pid));
  return holderGone || age >= staleMs ? seen : undefined;
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}
