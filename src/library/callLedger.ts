// Where a guard keeps its calls and shares its quotas: in memory (one process), a JSON Lines file
// (the processes of one machine) or PostgreSQL (a fleet). Each gives the pre-call check exclusive
// access to the shared state, so two processes cannot both take the last call of a quota.
import type { GuardCallLine, GuardReleaseLine, GuardReservationLine } from '../core';
import { LedgerState, type LedgerView } from './ledgerState';

/** What a pre-call decision returns: a reservation to store with it, or none (a refusal). */
export interface ReserveDecision<T> {
  reservation?: GuardReservationLine;
  result: T;
}

export interface CallLedger {
  /** Runs `decide` on the current shared state, and stores its reservation, with no other decision in between. */
  reserve<T>(decide: (view: LedgerView) => ReserveDecision<T>): Promise<T>;
  /** Appends a call (settling its reservation) or a release. Never rejects: a failed write is kept and retried. */
  append(line: GuardCallLine | GuardReleaseLine): Promise<void>;
  readonly state: LedgerState;
  /** Reads what other processes appended (and writes what is pending). Never rejects. */
  sync(): Promise<void>;
  /** The shared state as last read, with lines not yet written on top. */
  view(now: number): LedgerView;
  /** Lines not yet written (the ledger could not be written). */
  pendingCount(): number;
  /** Starts summary and history afresh (see Guard.reset). */
  reset(): void;
  /** Writes what is pending and lets go of resources. */
  close(): Promise<void>;
}

/** A ledger held in this process only. */
export class MemoryLedger implements CallLedger {
  readonly state = new LedgerState();

  async reserve<T>(decide: (view: LedgerView) => ReserveDecision<T>): Promise<T> {
    const decision = decide(this.state.view(Date.now()));
    if (decision.reservation) this.state.apply(decision.reservation);
    return decision.result;
  }

  async append(line: GuardCallLine | GuardReleaseLine): Promise<void> {
    this.state.apply(line);
  }

  async sync(): Promise<void> {}

  view(now: number): LedgerView {
    return this.state.view(now);
  }

  pendingCount(): number {
    return 0;
  }

  reset(): void {
    this.state.reset(true);
  }

  async close(): Promise<void> {}
}

/** Runs tasks one at a time, in order (the in-process half of a ledger's exclusive access). */
export class TaskQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

