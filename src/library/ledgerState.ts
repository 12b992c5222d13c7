// What a ledger holds, folded from its lines: settled usage per day bucket (for quotas), the calls
// since the last reset (for summary and history), and the reservations of calls in flight.
import { plannedCallBucket, GUARD_CALL_TYPE, GUARD_RESERVATION_TYPE, type GuardCallLine, type GuardLedgerLine, type GuardReservationLine, UsageLedger, type UsageBucket, type UsageRecord } from '../core';

/** The shared state a pre-call check reads. */
export interface LedgerView {
  /** Settled usage, one bucket per day, provider, model, user and tags. */
  buckets: UsageBucket[];
  /** Calls in flight, each as a one-call bucket at its worst case. */
  inFlight: UsageBucket[];
}

const HISTORY_LIMIT = 10_000;

export class LedgerState {
  private settled = new UsageLedger();
  private sinceReset = new UsageLedger();
  private recent: GuardCallLine[] = [];
  private readonly reservations = new Map<string, GuardReservationLine>();

  apply(line: GuardLedgerLine): void {
    if (line.type === GUARD_CALL_TYPE) {
      const record = recordOf(line);
      this.settled.add(record);
      this.sinceReset.add(record);
      this.recent.push(line);
      if (this.recent.length > HISTORY_LIMIT * 2) this.recent = this.recent.slice(-HISTORY_LIMIT);
      if (line.reservation) this.reservations.delete(line.reservation);
    } else if (line.type === GUARD_RESERVATION_TYPE) {
      this.reservations.set(line.reservation, line);
    } else {
      this.reservations.delete(line.reservation);
    }
  }

  /** Replaces the reservations in flight (a ledger that reads them whole, as PostgreSQL's). */
  replaceReservations(reservations: readonly GuardReservationLine[]): void {
    this.reservations.clear();
    for (const reservation of reservations) this.reservations.set(reservation.reservation, reservation);
  }

  /** The state with `pending` lines (not yet written to the ledger) applied on top, at `now`. */
  view(now: number, pending: readonly GuardLedgerLine[] = []): LedgerView {
    const buckets = [...this.settled.buckets.values()];
    const reservations = new Map(this.reservations);
    if (pending.length > 0) {
      const extra = new UsageLedger();
      for (const line of pending) {
        if (line.type === GUARD_CALL_TYPE) {
          extra.add(recordOf(line));
          if (line.reservation) reservations.delete(line.reservation);
        } else if (line.type === GUARD_RESERVATION_TYPE) reservations.set(line.reservation, line);
        else reservations.delete(line.reservation);
      }
      buckets.push(...extra.buckets.values());
    }
    const inFlight = [...reservations.values()]
      // A reservation without a real time (a ledger object's own lines) cannot be placed in a day: it does not count.
      .filter((reservation) => reservation.expires > now && Number.isFinite(Date.parse(reservation.time)))
      .map((reservation) => plannedCallBucket({ ...reservation, inputTokens: reservation.tokens, maxOutputTokens: 0, worstCaseCost: reservation.cost }, Date.parse(reservation.time)));
    return { buckets, inFlight };
  }

  /** Reservations not yet settled or expired. */
  inFlightCount(now: number): number {
    return [...this.reservations.values()].filter((reservation) => reservation.expires > now).length;
  }

  /** Settled usage since the last reset. */
  bucketsSinceReset(): UsageBucket[] {
    return [...this.sinceReset.buckets.values()];
  }

  history(): GuardCallLine[] {
    return this.recent.slice(-HISTORY_LIMIT);
  }

  /** Forgets the calls since the last reset; `all` also forgets what quotas count (an in-memory ledger has nothing else). */
  reset(all: boolean): void {
    this.sinceReset = new UsageLedger();
    this.recent = [];
    if (all) {
      this.settled = new UsageLedger();
      this.reservations.clear();
    }
  }
}

function recordOf(line: GuardCallLine): UsageRecord {
  return {
    id: line.id,
    time: Date.parse(line.time),
    provider: line.provider,
    model: line.model,
    user: line.user,
    tags: line.tags,
    calls: 1,
    inputTokens: line.inputTokens,
    cachedInputTokens: line.cachedInputTokens,
    cacheWriteTokens: line.cacheWriteTokens,
    outputTokens: line.outputTokens,
    cost: line.cost,
    costSource: line.costSource,
  };
}
