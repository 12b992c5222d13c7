// What the editor shows of the agents' usage: today's and this week's sums per agent, and each
// agent's active 5-hour block with its time left and projection.
import { periodAround } from '../evaluateQuotas';
import { groupUsage, totalUsage, type UsageSums } from '../summarizeUsage';
import type { UsageBucket } from '../usageLedger';
import { projectBlock, usageBlocks, type BlockProjection, type UsageBlock } from './usageBlocks';

export interface AgentSpend {
  today: UsageSums;
  week: UsageSums;
  /** Today's sums per agent, most expensive first. */
  todayByAgent: { agent: string; sums: UsageSums }[];
  /** Each agent's block that holds `now`. */
  activeBlocks: { block: UsageBlock; projection?: BlockProjection }[];
}

/** Sums of the agents' buckets for the UTC day and ISO week holding `now`, and their active blocks. */
export function agentSpend(buckets: Iterable<UsageBucket>, now: number): AgentSpend {
  const agentBuckets = [...buckets].filter((bucket) => bucket.agent !== undefined);
  const day = new Date(now).toISOString().slice(0, 10);
  const week = periodAround('week', now);
  const weekStart = new Date(week.start).toISOString().slice(0, 10);
  const weekEnd = new Date(week.end).toISOString().slice(0, 10);
  const today = agentBuckets.filter((bucket) => bucket.day === day);
  return {
    today: totalUsage(today),
    week: totalUsage(agentBuckets.filter((bucket) => bucket.day >= weekStart && bucket.day < weekEnd)),
    todayByAgent: groupUsage(today, ['agent'])
      .map((group) => ({ agent: group.keys.agent ?? '', sums: group }))
      .sort((a, b) => (b.sums.cost ?? 0) - (a.sums.cost ?? 0)),
    activeBlocks: usageBlocks(agentBuckets, now)
      .filter((block) => block.active)
      .map((block) => ({ block, projection: projectBlock(block, now) })),
  };
}
