// `npm start` keeps its VS Code state (settings, open editors, the linked extension) between runs in
// .vscode-host/start/. A second `npm start` while the first runs must not share it: two servers on
// one user-data folder overwrite each other's state and break the first window. Each run claims the
// first state folder no live process holds (start, start-2, start-3, …) with a pid file.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK = 'owner.pid';

/** Whether a process with this id is running (signal 0 only checks). */
function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return error.code === 'EPERM';
  }
}

/**
 * Claims a state folder under `hostDir` for process `pid`: the first of start, start-2, … that no
 * running process holds. Returns its path and a release function that frees it.
 */
export function claimStartStateDir(hostDir, pid = process.pid) {
  for (let n = 1; ; n++) {
    const dir = join(hostDir, n === 1 ? 'start' : `start-${n}`);
    const lock = join(dir, LOCK);
    const owner = existsSync(lock) ? Number(readFileSync(lock, 'utf8').trim()) : undefined;
    if (owner && owner !== pid && isRunning(owner)) continue;
    mkdirSync(dir, { recursive: true });
    writeFileSync(lock, `${pid}\n`);
    return {
      dir,
      release: () => {
        if (existsSync(lock) && Number(readFileSync(lock, 'utf8').trim()) === pid) rmSync(lock, { force: true });
      },
    };
  }
}
