// An exclusive lock between processes on one machine: a lock file created with O_EXCL. A lock whose
// holder died (its process is gone, or it has held the lock far longer than any ledger write takes)
// is taken over safely: it is renamed away first, so two processes cannot both break it. The lock
// is held for a read and an append of a few lines, so its file operations are synchronous: a
// round trip through the thread pool per operation would make every holder wait longer.
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
  await acquire(path, options.timeoutMs ?? 10_000, options.staleMs ?? 30_000);
  try {
    return await task();
  } finally {
    try {
      fs.unlinkSync(path);
    } catch {
      // Taken over as stale: nothing of ours to remove.
    }
  }
}

async function acquire(path: string, timeoutMs: number, staleMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const owner = `${process.pid}\n${HOST}\n${Date.now()}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      const descriptor = fs.openSync(path, 'wx');
      try {
        fs.writeSync(descriptor, owner);
      } finally {
        fs.closeSync(descriptor);
      }
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    breakIfStale(path, staleMs);
    if (Date.now() > deadline) throw new Error(`could not lock ${path} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(4, 1 + attempt / 4) * Math.random()));
  }
}

function breakIfStale(path: string, staleMs: number): void {
  let seen: string;
  let age: number;
  try {
    seen = fs.readFileSync(path, 'utf8');
    age = Date.now() - fs.statSync(path).mtimeMs;
  } catch {
    return;
  }
  const [pid, host] = seen.split('\n');
  // A lock being written has no content yet: only its age can make it stale.
  const holderGone = seen !== '' && host === HOST && !isAlive(Number(pid));
  if (!holderGone && age < staleMs) return;
  const aside = `${path}.${process.pid}.${Date.now()}.stale`;
  try {
    fs.renameSync(path, aside);
  } catch {
    return;
  }
  try {
    // Another process may have broken the stale lock and taken a fresh one in between: put that one back.
    if (fs.readFileSync(aside, 'utf8') !== seen) fs.linkSync(aside, path);
  } catch {
    // A lock taken meanwhile stays; the moved one is dropped below.
  }
  try {
    fs.unlinkSync(aside);
  } catch {
    // Already gone.
  }
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
