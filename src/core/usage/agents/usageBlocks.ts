// 5-hour blocks, as Claude and ChatGPT subscriptions count usage: a block starts at the UTC hour of
// the first call after the previous block ended (5 hours on from its start) or after 5 hours without
// a call, and lasts 5 hours. ccusage draws blocks the same way. The ledger keeps agents' records by
// hour with their first and last times, which is all the rule needs: a block starts on an hour, so
// an hour is never split between two blocks.
import type { UsageBucket } from '../usageLedger';

export const BLOCK_MS = 5 * 3_600_000;

/** One 5-hour block of one agent's calls (or of the calls a quota matches). */
export interface UsageBlock {
  /** The agent whose calls make the block; undefined when blocks were drawn over several. */
  agent?: string;
  /** Epoch ms: the block's start (on the hour) and end (5 hours later). */
  start: number;
  end: number;
  /** Epoch ms of the block's first and last call. */
  firstCall: number;
  lastCall: number;
  buckets: UsageBucket[];
  calls: number;
  /** Input (cache included) plus output tokens. */
  tokens: number;
  /** USD of the calls that have a price. */
  cost: number;
  /** Calls without a price: their tokens count, their cost is missing from `cost`. */
  unpricedRecords: number;
  /** True when `now` falls inside the block. */
  active: boolean;
}

/** How fast an active block is spending, and where it ends at that pace (as ccusage projects it). */
export interface BlockProjection {
  /** Minutes left until the block ends. */
  remainingMinutes: number;
  costPerHour: number;
  tokensPerMinute: number;
  /** The block's cost and tokens at its end if calls go on at the rate from its first to its last call. */
  projectedCost: number;
  projectedTokens: number;
}

/** The blocks of each agent's calls, in time order; `byAgent: false` draws one series over all buckets. */
export function usageBlocks(buckets: Iterable<UsageBucket>, now: number, byAgent = true): UsageBlock[] {
  const series = new Map<string, UsageBucket[]>();
  for (const bucket of buckets) {
    if (bucket.hour === undefined || bucket.first === undefined || bucket.last === undefined) continue;
    const key = byAgent ? (bucket.agent ?? '') : '';
    let list = series.get(key);
    if (!list) series.set(key, (list = []));
    list.push(bucket);
  }
  const blocks: UsageBlock[] = [];
  for (const [agent, list] of series) {
    list.sort((a, b) => a.first! - b.first!);
    let block: UsageBlock | undefined;
    for (const bucket of list) {
      const first = bucket.first!;
      if (!block || first >= block.end || first - block.lastCall > BLOCK_MS) {
        const start = bucket.hour!;
        block = { agent: byAgent ? agent : undefined, start, end: start + BLOCK_MS, firstCall: first, lastCall: first, buckets: [], calls: 0, tokens: 0, cost: 0, unpricedRecords: 0, active: false };
        blocks.push(block);
      }
      block.buckets.push(bucket);
      block.lastCall = Math.max(block.lastCall, bucket.last!);
      block.calls += bucket.calls;
      block.tokens += bucket.inputTokens + bucket.outputTokens;
      if (bucket.records > bucket.unpricedRecords) block.cost += bucket.cost;
      block.unpricedRecords += bucket.unpricedRecords;
    }
  }
  for (const block of blocks) block.active = now >= block.start && now < block.end;
  return blocks.sort((a, b) => a.start - b.start || (a.agent ?? '').localeCompare(b.agent ?? ''));
}

/** The burn rate and end-of-block projection of an active block; undefined for a past block or a single instant of calls. */
export function projectBlock(block: UsageBlock, now: number): BlockProjection | undefined {
  if (!block.active) return undefined;
  const minutes = (block.lastCall - block.firstCall) / 60_000;
  const remainingMinutes = Math.max(0, (block.end - now) / 60_000);
  if (minutes <= 0) return undefined;
  const costPerMinute = block.cost / minutes;
  const tokensPerMinute = block.tokens / minutes;
  return {
    remainingMinutes,
    costPerHour: costPerMinute * 60,
    tokensPerMinute,
    projectedCost: block.cost + costPerMinute * remainingMinutes,
    projectedTokens: block.tokens + tokensPerMinute * remainingMinutes,
  };
}

/** A block's label in reports: its start as `2026-12-03 10:00Z`, with the agent when blocks are per agent. */
export function blockLabel(block: Pick<UsageBlock, 'start' | 'agent'>): string {
  const start = new Date(block.start).toISOString();
  return `${start.slice(0, 10)} ${start.slice(11, 16)}Z${block.agent ? ` ${block.agent}` : ''}`;
}
