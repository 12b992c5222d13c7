// A folder at a git revision, for `prompt-budget diff`. git runs with execFile (no shell), with
// bounded output and no external diff or text conversion programs.
import { execFile, spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { realpath, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { SKIPPED_FOLDERS, type FolderSnapshot } from '../core';

// A listing of a large monorepo fits easily; a prompt file beyond this is not a prompt.
const MAX_LISTING_BYTES = 256 * 1024 * 1024;
const MAX_BLOB_BYTES = 64 * 1024 * 1024;
// Never ask for credentials or run the repository's fsmonitor hook.
const GIT_ENV = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
const GIT_FLAGS = ['-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false'];

/** A failed git run: its exit code and what it said. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly exitCode: number | string | undefined,
  ) {
    super(message);
  }
}

function git(cwd: string, args: readonly string[], maxBuffer: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', [...GIT_FLAGS, ...args], { cwd, env: GIT_ENV, encoding: 'buffer', maxBuffer, windowsHide: true }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') reject(new GitError('git is not installed (or not on PATH)', code));
      else if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') reject(Object.assign(new GitError('output too large', code), { code: 'ERR_FS_FILE_TOO_LARGE' }));
      else reject(new GitError(stderr.toString('utf8').trim() || error.message, code));
    });
  });
}

/** The repository holding `dir`: its top folder and `dir`'s path inside it ('' at the top, else 'a/b'). */
export async function findRepository(dir: string): Promise<{ top: string; prefix: string } | { error: string }> {
  // git started in a missing folder fails as if git itself were missing.
  const folder = await stat(dir).catch(() => undefined);
  if (!folder?.isDirectory()) return { error: `${dir}: no such folder` };
  let top: string;
  try {
    top = (await git(dir, ['rev-parse', '--show-toplevel'], 1 << 16)).toString('utf8').trim();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/not a git repository/i.test(message)) return { error: `${dir} is not in a git repository` };
    return { error: message };
  }
  const prefix = relative(await realpath(top), await realpath(dir)).split(sep).join('/');
  return { top, prefix };
}

/**
 * The working tree's files below `prefix` that git would commit (tracked, or untracked and not ignored),
 * relative to `prefix`: what the head side of a diff holds, so an ignored build copy of a prompt is no "added" file.
 */
export async function workingTreeFiles(top: string, prefix: string): Promise<Set<string>> {
  const listing = await git(top, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', prefix === '' ? '.' : prefix], MAX_LISTING_BYTES);
  const start = prefix === '' ? 0 : prefix.length + 1;
  return new Set(listing.toString('utf8').split('\0').filter(Boolean).map((path) => path.slice(start)));
}

/** The commit a revision names, or undefined when git knows no such revision. */
export async function resolveCommit(top: string, revision: string): Promise<string | undefined> {
  // A revision starting with '-' would be read as an option.
  if (revision === '' || revision.startsWith('-')) return undefined;
  try {
    return (await git(top, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], 1 << 16)).toString('utf8').trim();
  } catch {
    return undefined;
  }
}

/** A folder at a commit; `dispose` ends the git process that reads its files. */
export type RevisionSnapshot = FolderSnapshot & { dispose(): void };

/** The folder `prefix` of the repository at `commit`: files listed and read from git's objects, never checked out. */
export function revisionSnapshot(top: string, commit: string, prefix: string, revision: string): RevisionSnapshot {
  let listing: Promise<Set<string>> | undefined;
  const list = () => {
    listing ??= listTree(top, commit, prefix);
    return listing;
  };
  const blobs = new BlobReader(top);
  return {
    revision,
    listFiles: async () => [...(await list())],
    readFile: async (relativePath) => {
      // Paths not in the tree (a config name probed, a file outside it) are missing without asking git.
      if (!(await list()).has(relativePath)) throw Object.assign(new Error(`${relativePath} is not in ${revision}`), { code: 'ENOENT' });
      const object = `${commit}:${prefix ? `${prefix}/` : ''}${relativePath}`;
      // `cat-file --batch` reads one name a line: a name with a line break goes on its own.
      return /[\r\n]/.test(object) ? git(top, ['cat-file', 'blob', object], MAX_BLOB_BYTES) : blobs.read(object);
    },
    dispose: () => blobs.dispose(),
  };
}

/** Reads blobs through one `git cat-file --batch` process, answers in the order asked: one process for a whole folder, not one per file. */
class BlobReader {
  private child: ChildProcessByStdio<Writable, Readable, null> | undefined;
  private readonly waiting: { resolve: (bytes: Buffer) => void; reject: (error: Error) => void }[] = [];
  private pending: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized blob still to be passed over. */
  private skipping = 0;
  private failure: Error | undefined;

  constructor(private readonly top: string) {}

  read(object: string): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    const child = this.start();
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      child.stdin.write(`${object}\n`);
    });
  }

  dispose(): void {
    this.child?.stdin.end();
    this.child = undefined;
  }

  private start(): ChildProcessByStdio<Writable, Readable, null> {
    if (this.child) return this.child;
    const child = spawn('git', [...GIT_FLAGS, 'cat-file', '--batch'], { cwd: this.top, env: GIT_ENV, stdio: ['pipe', 'pipe', 'ignore'], windowsHide: true });
    child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    const fail = (error: Error) => {
      this.failure = new GitError(`git cat-file failed: ${error.message}`, undefined);
      for (const waiter of this.waiting.splice(0)) waiter.reject(this.failure);
    };
    child.on('error', fail);
    child.on('close', () => {
      if (this.waiting.length > 0) fail(new Error('it stopped before answering'));
    });
    child.stdin.on('error', () => undefined);
    this.child = child;
    return child;
  }

  private receive(chunk: Buffer): void {
    if (this.skipping > 0) {
      const skipped = Math.min(this.skipping, chunk.length);
      this.skipping -= skipped;
      chunk = chunk.subarray(skipped);
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.waiting.length > 0) {
      const end = this.pending.indexOf(10);
      if (end < 0) return;
      const header = this.pending.subarray(0, end).toString('utf8');
      const [, type, sizeText] = header.split(' ');
      if (type !== 'blob') {
        // 'missing', 'ambiguous', or not a file: no content follows.
        this.pending = this.pending.subarray(end + 1);
        this.waiting.shift()!.reject(Object.assign(new Error(`${header}`), { code: 'ENOENT' }));
        continue;
      }
      const size = Number(sizeText);
      if (size > MAX_BLOB_BYTES) {
        const available = this.pending.length - end - 1;
        this.skipping = Math.max(0, size + 1 - available);
        this.pending = this.pending.subarray(Math.min(this.pending.length, end + 1 + size + 1));
        this.waiting.shift()!.reject(Object.assign(new Error('too large'), { code: 'ERR_FS_FILE_TOO_LARGE' }));
        if (this.skipping > 0) return;
        continue;
      }
      if (this.pending.length < end + 1 + size + 1) return;
      const content = Buffer.from(this.pending.subarray(end + 1, end + 1 + size));
      this.pending = this.pending.subarray(end + 1 + size + 1);
      this.waiting.shift()!.resolve(content);
    }
  }
}

/** Regular files below `prefix` at `commit`, relative to it; links, submodules and skipped folders left out. */
async function listTree(top: string, commit: string, prefix: string): Promise<Set<string>> {
  const args = ['ls-tree', '-r', '-z', '--full-tree', commit];
  if (prefix) args.push('--', prefix);
  const output = (await git(top, args, MAX_LISTING_BYTES)).toString('utf8');
  const files = new Set<string>();
  for (const entry of output.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type] = entry.slice(0, tab).split(' ');
    if (type !== 'blob' || mode === '120000') continue;
    const path = entry.slice(tab + 1);
    const inside = prefix ? (path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined) : path;
    if (inside === undefined || inside.split('/').some((part) => SKIPPED_FOLDERS.includes(part))) continue;
    files.add(inside);
  }
  return files;
}

/**
 * Files git's rename detection (`git diff --name-status -M`) finds renamed between `base` and `head`
 * (the working tree when undefined), as old path -> new path relative to `prefix`.
 */
export async function renamesBetween(top: string, base: string, head: string | undefined, prefix: string): Promise<Map<string, string>> {
  const args = ['diff', '--name-status', '-z', '-M', '--no-ext-diff', '--no-textconv', base];
  if (head) args.push(head);
  args.push('--', prefix ? `:(top)${prefix}` : ':(top)');
  const fields = (await git(top, args, MAX_LISTING_BYTES)).toString('utf8').split('\0');
  const renames = new Map<string, string>();
  const inside = (path: string) => (prefix ? (path.startsWith(`${prefix}/`) ? path.slice(prefix.length + 1) : undefined) : path);
  for (let index = 0; index < fields.length; ) {
    const status = fields[index++];
    if (!status) continue;
    if (status.startsWith('R') || status.startsWith('C')) {
      const from = inside(fields[index++] ?? '');
      const to = inside(fields[index++] ?? '');
      if (status.startsWith('R') && from !== undefined && to !== undefined) renames.set(from, to);
    } else {
      index++;
    }
  }
  return renames;
}
