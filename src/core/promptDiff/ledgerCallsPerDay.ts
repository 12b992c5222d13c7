// The call volume a budget actually sees, from the usage ledger: what the Prompt Usage view shows as
// calls/day for the budget (calls tagged with its usageTags over the days the logs cover).
import type { UsageBucket } from '../usage/usageLedger';

/** Calls a day linked to a budget by its usage tags, and the days of logs that average is over. */
export interface LedgerCallRate {
  callsPerDay: number;
  calls: number;
  days: number;
}

/** The budget's calls per day over the days the logs hold; undefined when no call carries one of its tags. */
export function ledgerCallsPerDay(buckets: Iterable<UsageBucket>, usageTags: readonly string[]): LedgerCallRate | undefined {
  if (usageTags.length === 0) return undefined;
  const days = new Set<string>();
  let calls = 0;
  for (const bucket of buckets) {
    days.add(bucket.day);
    if (bucket.tags.some((tag) => usageTags.includes(tag))) calls += bucket.calls;
  }
  if (calls === 0 || days.size === 0) return undefined;
  return { callsPerDay: calls / days.size, calls, days: days.size };
}
