// A JSON Lines ledger shared by the processes of one machine. Every decision and every append runs
// under a lock file: the holder reads what others appended since its last read, decides against
// the whole state, and appends its line in one write, so quotas are shared exactly and no line is
// torn. A ledger that cannot be written keeps its lines in memory and writes them on the next try.
// Under the lock, file operations are synchronous (see fileLock.ts).
import * as fs from 'node:fs';
import { dirname } from 'node:path';
import { readGuardLedgerLine, type GuardCallLine, type GuardLedgerLine, type GuardReleaseLine } from '../core';
import { TaskQueue, type CallLedger, type ReserveDecision } from './callLedger';
import { withFileLock } from './fileLock';
import { LedgerState, type LedgerView } from './ledgerState';

const READ_CHUNK = 1 << 20;
const LONGEST_LINE = 1 << 16;
const RETRY_MS = 1_000;
/** Lines kept in memory while the ledger cannot be written: beyond this the oldest are dropped. */
export const PENDING_LIMIT = 10_000;
/** Skipped lines reported one by one per read; the rest of that read are reported as a count. */
const REPORTED_LINES = 5;

export class JsonlLedger implements CallLedger {
  readonly state = new LedgerState();
  private offset = 0;
  /** Complete lines read so far (for messages naming the line). */
  private lineNumber = 0;
  /** A line left unfinished by a writer that died: the next write starts on a new line. */
  private tornTail = false;
  private pending: GuardLedgerLine[] = [];
  private readonly queue = new TaskQueue();
  private retry: NodeJS.Timeout | undefined;
  private readonly lock: string;
  private folderMade = false;

  constructor(
    readonly file: string,
    private readonly onError: (error: Error) => void,
  ) {
    this.lock = `${file}.lock`;
  }

  reserve<T>(decide: (view: LedgerView) => ReserveDecision<T>): Promise<T> {
    return this.queue.run(async () => {
      let decision: ReserveDecision<T> | undefined;
      try {
        await this.locked(async () => {
          this.readNew();
          decision = decide(this.state.view(Date.now(), this.pending));
          this.writeLocked(decision.reservation ? [decision.reservation] : []);
        });
      } catch (error) {
        // Without the ledger the call still goes ahead, checked against what this process knows.
        const made = decision ?? decide(this.state.view(Date.now(), this.pending));
        if (made.reservation) this.keep(made.reservation);
        this.failed(error);
        return made.result;
      }
      return (decision as ReserveDecision<T>).result;
    });
  }

  append(line: GuardCallLine | GuardReleaseLine): Promise<void> {
    return this.queue.run(async () => {
      try {
        await this.locked(async () => {
          this.readNew();
          this.writeLocked([line]);
        });
      } catch (error) {
        this.keep(line);
        this.failed(error);
      }
    });
  }

  sync(): Promise<void> {
    return this.queue.run(async () => {
      try {
        await this.locked(async () => {
          this.readNew();
          this.writeLocked([]);
        });
      } catch (error) {
        this.failed(error);
      }
    });
  }

  view(now: number): LedgerView {
    return this.state.view(now, this.pending);
  }

  pendingCount(): number {
    return this.pending.length;
  }

  reset(): void {
    this.state.reset(false);
  }

  close(): Promise<void> {
    clearTimeout(this.retry);
    this.retry = undefined;
    return this.queue.run(async () => {
      if (this.pending.length === 0) return;
      try {
        await this.locked(async () => {
          this.readNew();
          this.writeLocked([]);
        });
      } catch (error) {
        this.onError(asError(error, `${this.pending.length} ledger lines could not be written to ${this.file}`));
      }
    });
  }

  /** Holds the ledger's lock file (its folder is made first) while `task` runs. */
  private async locked(task: () => Promise<void>): Promise<void> {
    if (!this.folderMade) {
      fs.mkdirSync(dirname(this.file), { recursive: true });
      this.folderMade = true;
    }
    await withFileLock(this.lock, task);
  }

  /** Writes pending lines and `lines` in one append (the lock is held); then they count as read. */
  private writeLocked(lines: readonly GuardLedgerLine[]): void {
    const all = [...this.pending, ...lines];
    if (all.length === 0) return;
    const text = `${this.tornTail ? '\n' : ''}${all.map((line) => JSON.stringify(line)).join('\n')}\n`;
    const bytes = Buffer.from(text, 'utf8');
    try {
      const descriptor = fs.openSync(this.file, 'a');
      try {
        const written = fs.writeSync(descriptor, bytes, 0, bytes.length);
        if (written !== bytes.length) throw new Error(`wrote ${written} of ${bytes.length} bytes to ${this.file}`);
      } finally {
        fs.closeSync(descriptor);
      }
    } catch (error) {
      for (const line of lines) this.keep(line);
      throw error;
    }
    this.pending = [];
    this.tornTail = false;
    this.offset += bytes.length;
    for (const line of all) this.state.apply(line);
  }

  /** Reads the lines appended since the last read (the lock is held, so none is half written). */
  private readNew(): void {
    let descriptor: number;
    try {
      descriptor = fs.openSync(this.file, 'r');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return;
      throw error;
    }
    try {
      const size = fs.fstatSync(descriptor).size;
      if (size < this.offset) {
        // Rotated or cut by hand: what it holds now is the whole ledger.
        this.onError(new Error(`prompt-budget: the ledger ${this.file} is shorter than when it was last read (a ledger is only appended to); it is read again from the start`));
        this.state.reset(true);
        this.offset = 0;
        this.lineNumber = 0;
        this.tornTail = false;
      }
      if (size === this.offset) return;
      let carry = Buffer.alloc(0);
      let skipped = 0;
      // Usually a few lines were appended since the last read: a buffer of their size, not a megabyte.
      const chunk = Buffer.allocUnsafe(Math.min(READ_CHUNK, size - this.offset));
      while (this.offset + carry.length < size) {
        const bytesRead = fs.readSync(descriptor, chunk, 0, Math.min(chunk.length, size - this.offset - carry.length), this.offset + carry.length);
        if (bytesRead === 0) break;
        let data = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
        let newline: number;
        while ((newline = data.indexOf(0x0a)) >= 0) {
          const line = data.subarray(0, newline);
          // Past the line before it is applied: a line that cannot be applied is not read again.
          this.offset += newline + 1;
          this.lineNumber++;
          data = data.subarray(newline + 1);
          const problem = this.readLine(line);
          if (problem !== undefined && ++skipped <= REPORTED_LINES) this.onError(new Error(`prompt-budget: skipped a line of the ledger: ${this.file}:${this.lineNumber}: ${problem}`));
        }
        carry = data.length > LONGEST_LINE ? Buffer.alloc(0) : Buffer.from(data);
        if (data.length > LONGEST_LINE) this.offset += data.length;
      }
      if (carry.length > 0) {
        // Under the lock, an unfinished last line is a writer that died mid-line: skip it.
        this.offset += carry.length;
        this.lineNumber++;
        this.tornTail = true;
      }
      if (skipped > REPORTED_LINES) this.onError(new Error(`prompt-budget: skipped ${skipped - REPORTED_LINES} more lines of the ledger ${this.file} that could not be counted`));
    } finally {
      fs.closeSync(descriptor);
    }
  }

  /** Applies one line; why it was skipped when it is the guard's but cannot count. */
  private readLine(bytes: Buffer): string | undefined {
    if (bytes.length === 0 || bytes.length > LONGEST_LINE) return undefined;
    const reading = readGuardLedgerLine(bytes.toString('utf8'));
    if (!reading) return undefined;
    if ('problem' in reading) return reading.problem;
    try {
      this.state.apply(reading.line);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
    return undefined;
  }

  /** Keeps a line to write on the next try; past PENDING_LIMIT the oldest are dropped, with an error. */
  private keep(line: GuardLedgerLine): void {
    if (this.pending.includes(line)) return;
    this.pending.push(line);
    if (this.pending.length <= PENDING_LIMIT) return;
    const dropped = this.pending.splice(0, this.pending.length - PENDING_LIMIT);
    this.onError(new Error(`prompt-budget: the ledger ${this.file} has not been written for ${PENDING_LIMIT} lines; the oldest ${dropped.length} kept in memory are dropped`));
  }

  private failed(error: unknown): void {
    this.onError(asError(error, `the ledger ${this.file} could not be written; ${this.pending.length} lines are kept in memory and retried`));
    if (!this.retry && this.pending.length > 0) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (this.pending.length > 0) void this.sync();
      }, RETRY_MS);
      this.retry.unref();
    }
  }
}

function asError(error: unknown, context: string): Error {
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`prompt-budget: ${context}: ${message}`, { cause: error });
}
