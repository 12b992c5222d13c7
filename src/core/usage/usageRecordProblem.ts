// The checks a usage record passes before it counts: a real time and plausible figures. The usage
// readers and the runtime library's ledger share them, so both count (and reject) the same lines.
import type { UsageRecord } from './usageRecord';

/** Largest token count one record may carry: a day's usage export bucket of a large organisation stays far below. */
export const MAX_RECORD_TOKENS = 1e12;
/** Largest call count of one record (an export bucket). */
export const MAX_RECORD_CALLS = 1e9;
/** Largest cost of one record, USD. */
export const MAX_RECORD_COST = 1e7;

/** Why a record's figures cannot be counted (not a whole number, negative, implausibly large), or undefined. */
function badCount(usage: { inputTokens: number; cachedInputTokens: number; cacheWriteTokens: number; outputTokens: number; calls: number; cost?: number }): string | undefined {
  for (const key of ['inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'outputTokens', 'calls'] as const) {
    const value = usage[key];
    const max = key === 'calls' ? MAX_RECORD_CALLS : MAX_RECORD_TOKENS;
    if (Number.isNaN(value)) return `rejected ${key}: not a decimal number`;
    if (!Number.isInteger(value) || value < 0) return `rejected ${key} (${String(value)}): counts must be whole numbers, zero or more`;
    if (value > max) return `rejected ${key} (${String(value)}): more than ${String(max)} in one record is not plausible`;
  }
  if (usage.cost !== undefined) {
    if (Number.isNaN(usage.cost)) return 'rejected the cost: not a decimal number';
    if (usage.cost < 0) return `rejected the cost (${usage.cost}): it must be zero or more`;
    if (usage.cost > MAX_RECORD_COST) return `rejected the cost (${usage.cost}): more than $${MAX_RECORD_COST.toLocaleString('en-US')} for one record is not plausible`;
  }
  if (usage.cachedInputTokens + usage.cacheWriteTokens > usage.inputTokens) return `cached input (${usage.cachedInputTokens + usage.cacheWriteTokens}) exceeds the whole input (${usage.inputTokens})`;
  return undefined;
}

/** The figures and time of a recognised record (time: epoch ms, NaN when unreadable, undefined when absent). */
export type CheckedUsage = { time?: number } & Pick<UsageRecord, 'calls' | 'inputTokens' | 'cachedInputTokens' | 'cacheWriteTokens' | 'outputTokens' | 'cost'>;

/** Why a recognised record cannot be counted (no time, not a real time, figures out of range), or undefined. */
export function usageRecordProblem(usage: CheckedUsage): string | undefined {
  if (usage.time === undefined) return 'no time in the record (looked for created, created_at, startTime, timestamp, time, ts)';
  if (Number.isNaN(usage.time)) return 'rejected the time: not a real timestamp (epoch seconds, ms, µs or ns, or an ISO 8601 date, between 2000 and 2100)';
  return badCount(usage);
}
