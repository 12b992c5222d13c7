// Paths that are not regular files, or are far too large, named on the command line: each is refused
// at once with what it is, never read until it blocks or fills the memory.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readRegularFile } from '../../src/core/io/readRegularFile';
import { regularFileChunks } from '../../src/core/io/regularFileChunks';
import { runCliInProcess } from '../runCliInProcess';

const posix = process.platform !== 'win32';
let scratch: string;
let fifo: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'prompt-budget-files-'));
  fifo = join(scratch, 'pipe.prompt.md');
  if (posix) execFileSync('mkfifo', [fifo]);
});
after(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('reading a file named by the user', { skip: !posix && 'FIFOs and /dev/zero are POSIX' }, () => {
  test('a FIFO as a prompt, --config or --prices is named as a FIFO, exit 2, without waiting for a writer', async () => {
    const prompt = await runCliInProcess(['count', fifo], scratch);
    assert.equal(prompt.code, 2);
    assert.match(prompt.stderr, /pipe\.prompt\.md: is a FIFO \(named pipe\), not a regular file; not read/);

    await writeFile(join(scratch, 'a.prompt.md'), 'Hello.\n');
    const config = await runCliInProcess(['count', 'a.prompt.md', '--config', fifo], scratch);
    assert.equal(config.code, 2);
    assert.match(config.stderr, /is a FIFO \(named pipe\)/);

    const prices = await runCliInProcess(['count', 'a.prompt.md', '--prices', fifo], scratch);
    assert.equal(prices.code, 2);
    assert.match(prices.stderr, /--prices: .*pipe\.prompt\.md: is a FIFO \(named pipe\), not a regular file/);
  });

  test('check walks past a FIFO named like a prompt (and a link to it) without waiting on it', async () => {
    const folder = join(scratch, 'walk');
    await mkdir(folder, { recursive: true });
    execFileSync('mkfifo', [join(folder, 'stuck.prompt.md')]);
    await symlink(join(folder, 'stuck.prompt.md'), join(folder, 'linked.prompt.md'));
    await writeFile(join(folder, 'real.prompt.md'), 'Hello.\n');
    const check = await runCliInProcess(['check', '.', '--format', 'json'], folder);
    assert.equal(check.code, 0, check.stderr);
    assert.deepEqual(JSON.parse(check.stdout).unbudgeted, ['real.prompt.md']);
  });

  test('a FIFO named prompt-budget.yaml is reported, not taken for a folder without a config', async () => {
    const folder = join(scratch, 'fifo-config');
    await mkdir(folder, { recursive: true });
    execFileSync('mkfifo', [join(folder, 'prompt-budget.yaml')]);
    await writeFile(join(folder, 'a.prompt.md'), 'Hello.\n');
    const check = await runCliInProcess(['check', '.'], folder);
    assert.equal(check.code, 2);
    assert.match(check.stdout, /^prompt-budget\.yaml:1:1: error: prompt-budget\.yaml: is a FIFO \(named pipe\), not a regular file; not read$/m);
    const count = await runCliInProcess(['count', 'a.prompt.md'], folder);
    assert.equal(count.code, 2);
    assert.match(count.stderr, /prompt-budget\.yaml: is a FIFO/);
  });

  test('/dev/zero is named as a device, and a folder as a folder', async () => {
    if (!existsSync('/dev/zero')) return;
    const zero = await runCliInProcess(['count', '/dev/zero'], scratch);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /\/dev\/zero: is a character device, not a regular file; not read/);
    const folder = await runCliInProcess(['count', '.'], scratch);
    assert.equal(folder.code, 2);
    assert.match(folder.stderr, /: is a folder/);
  });

  test('a --prices file over 16 MB is refused from its size, before it is read', async () => {
    const big = join(scratch, 'big-prices.json');
    await writeFile(big, '');
    await truncate(big, 500 * 1024 * 1024);
    const run = await runCliInProcess(['models', '--prices', big], scratch);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--prices: .*big-prices\.json: is 500 MB, over the 16 MB limit; not read/);
  });

  test('reads a regular file whole, and refuses one past the cap', async () => {
    const file = join(scratch, 'small.txt');
    await writeFile(file, 'x'.repeat(5000));
    assert.equal((await readRegularFile(file)).length, 5000);
    await assert.rejects(readRegularFile(file, 4096), { code: 'ERR_FS_FILE_TOO_LARGE', detail: 'is 5 KB, over the 4 KB limit; not read' });
    await assert.rejects(readRegularFile(join(scratch, 'missing.txt')), { code: 'ENOENT' });
  });
});

describe('streaming a usage log', { skip: !posix && 'FIFOs are POSIX' }, () => {
  test('reads a regular file from an offset, and refuses a FIFO without waiting for a writer', async () => {
    const log = join(scratch, 'calls.jsonl');
    await writeFile(log, '{"a":1}\n{"b":2}\n');
    const chunks: Uint8Array[] = [];
    for await (const chunk of regularFileChunks(log, 8)) chunks.push(chunk);
    assert.equal(Buffer.concat(chunks).toString(), '{"b":2}\n');
    await assert.rejects(async () => {
      for await (const chunk of regularFileChunks(fifo)) assert.fail(`read ${chunk.length} bytes from a FIFO`);
    }, { detail: 'is a FIFO (named pipe), not a regular file; not read' });
  });

  test('prompt-budget usage names a FIFO given as a log instead of waiting on it', async () => {
    const run = await runCliInProcess(['usage', fifo], scratch);
    assert.match(run.stderr, /pipe\.prompt\.md.*is a FIFO \(named pipe\)/);
  });
});
