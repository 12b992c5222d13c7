import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const moduleUrl = pathToFileURL(resolve(__dirname, '../../../test/host/startStateDir.mjs')).href;

/** Runs claimStartStateDir (an ES module, as `npm start` loads it) for `pid`, and releases when asked. */
async function claim(hostDir: string, pid: number, release = false): Promise<string> {
  const script = `import { claimStartStateDir } from ${JSON.stringify(moduleUrl)};
const claimed = claimStartStateDir(${JSON.stringify(hostDir)}, ${pid});
if (${release}) claimed.release();
process.stdout.write(claimed.dir);`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return stdout;
}

test('a second `npm start` while the first runs gets its own state folder; a finished one frees its folder', async () => {
  const hostDir = mkdtempSync(join(tmpdir(), 'prompt-budget-start-'));
  // A live process stands in for the first `npm start`.
  const first = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  try {
    assert.equal(await claim(hostDir, first.pid!), join(hostDir, 'start'));
    const second = await claim(hostDir, process.pid, true);
    assert.equal(second, join(hostDir, 'start-2'), 'not the folder the running one holds');
    assert.equal(existsSync(join(second, 'owner.pid')), false, 'released');
    first.kill();
    await new Promise((done) => first.once('exit', done));
    // The first one ended without releasing (a crash): its folder is free again.
    assert.equal(await claim(hostDir, process.pid), join(hostDir, 'start'));
  } finally {
    first.kill();
    rmSync(hostDir, { recursive: true, force: true });
  }
});
