// Quotas: how much of a day's, week's or month's allowance the logged calls have used, and where the
// period is heading at its current rate.
import { BLOCK_MS, projectBlock, usageBlocks } from './agents/usageBlocks';
import { limitShare } from '../check/limitShare';
import type { UsageBucket } from './usageLedger';

/** `block`: the 5-hour block (see usageBlocks) of the calls the quota matches that holds now. */
export type QuotaPeriod = 'day' | 'week' | 'month' | 'block';
export type QuotaMetric = 'cost' | 'tokens' | 'calls';

/** A quota as configured (`usage.quotas[]` in prompt-budget.yaml). */
export interface QuotaRule {
  name: string;
  period: QuotaPeriod;
  /** Globs (`*`, `?`) over model ids, user ids and tags; a record must match each list given. */
  models?: readonly string[];
  users?: readonly string[];
  tags?: readonly string[];
  /** Coding agents (`claude-code`, `codex`); a record must come from one of them. */
  agents?: readonly string[];
  maxCost?: number;
  maxTokens?: number;
  maxCalls?: number;
  warnAt: number;
}

export interface QuotaStatus {
  name: string;
  period: QuotaPeriod;
  metric: QuotaMetric;
  used: number;
  limit: number;
  /** used / limit. */
  share: number;
  /** `used` projected to the period's end at the rate so far. */
  forecast: number;
  status: 'ok' | 'warning' | 'over';
  /** ISO dates (UTC) of the period's first day and the day after its last; ISO times of a block's start and end. */
  periodStart: string;
  periodEnd: string;
  warnAt: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Evaluates each quota's limits (one status per maxCost/maxTokens/maxCalls) for the period holding `now`. */
export function evaluateQuotas(buckets: Iterable<UsageBucket>, quotas: readonly QuotaRule[], now: number): QuotaStatus[] {
  const list = [...buckets];
  const statuses: QuotaStatus[] = [];
  for (const quota of quotas) {
    if (quota.period === 'block') {
      statuses.push(...blockQuota(list, quota, now));
      continue;
    }
    const { start, end } = periodAround(quota.period, now);
    const startDay = isoDay(start);
    const endDay = isoDay(end);
    const matches = quotaMatcher(quota);
    let cost = 0;
    let tokens = 0;
    let calls = 0;
    for (const bucket of list) {
      if (bucket.day < startDay || bucket.day >= endDay || !matches(bucket)) continue;
      cost += bucket.cost;
      tokens += bucket.inputTokens + bucket.outputTokens;
      calls += bucket.calls;
    }
    // Buckets are whole days: the period so far runs to the end of today, at least an hour in.
    const elapsed = Math.min(end - start, Math.max(HOUR_MS, now - start));
    const limits: [QuotaMetric, number | undefined, number][] = [
      ['cost', quota.maxCost, cost],
      ['tokens', quota.maxTokens, tokens],
      ['calls', quota.maxCalls, calls],
    ];
    for (const [metric, limit, used] of limits) {
      if (limit === undefined) continue;
      statuses.push(quotaStatus(quota, metric, used, limit, (used * (end - start)) / elapsed, startDay, endDay));
    }
  }
  return statuses;
}

function quotaStatus(quota: QuotaRule, metric: QuotaMetric, used: number, limit: number, forecast: number, periodStart: string, periodEnd: string): QuotaStatus {
  const share = limitShare(used, limit);
  const status = used > limit ? 'over' : share >= quota.warnAt ? 'warning' : 'ok';
  return { name: quota.name, period: quota.period, metric, used, limit, share, forecast, status, periodStart, periodEnd, warnAt: quota.warnAt };
}

/** A `period: block` quota: the block of its matching agent calls that holds `now`, forecast at its burn rate. */
function blockQuota(buckets: readonly UsageBucket[], quota: QuotaRule, now: number): QuotaStatus[] {
  const matches = quotaMatcher(quota);
  const active = usageBlocks(
    buckets.filter((bucket) => matches(bucket)),
    now,
    false,
  ).find((block) => block.active);
  const start = active?.start ?? Math.floor(now / HOUR_MS) * HOUR_MS;
  const end = active?.end ?? start + BLOCK_MS;
  const projection = active && projectBlock(active, now);
  const limits: [QuotaMetric, number | undefined, number, number][] = [
    ['cost', quota.maxCost, active?.cost ?? 0, projection?.projectedCost ?? active?.cost ?? 0],
    ['tokens', quota.maxTokens, active?.tokens ?? 0, projection?.projectedTokens ?? active?.tokens ?? 0],
    ['calls', quota.maxCalls, active?.calls ?? 0, active?.calls ?? 0],
  ];
  if (projection && active && active.lastCall > active.firstCall) limits[2][3] = active.calls + (active.calls / (active.lastCall - active.firstCall)) * (end - now);
  return limits.filter(([, limit]) => limit !== undefined).map(([metric, limit, used, forecast]) => quotaStatus(quota, metric, used, limit!, forecast, new Date(start).toISOString(), new Date(end).toISOString()));
}

/** The UTC day, ISO week (from Monday) or calendar month holding `now`. */
export function periodAround(period: Exclude<QuotaPeriod, 'block'>, now: number): { start: number; end: number } {
  const date = new Date(now);
  const dayStart = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  if (period === 'day') return { start: dayStart, end: dayStart + DAY_MS };
  if (period === 'week') {
    const start = dayStart - ((date.getUTCDay() + 6) % 7) * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  return { start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1), end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
}

function quotaMatcher(quota: QuotaRule): (bucket: UsageBucket) => boolean {
  const models = quota.models?.map(globToRegExp);
  const users = quota.users?.map(globToRegExp);
  const tags = quota.tags?.map(globToRegExp);
  const agents = quota.agents?.map(globToRegExp);
  return (bucket) =>
    (!agents || (bucket.agent !== undefined && agents.some((re) => re.test(bucket.agent!)))) &&
    (!models || models.some((re) => re.test(bucket.model))) &&
    (!users || (bucket.user !== undefined && users.some((re) => re.test(bucket.user!)))) &&
    (!tags || bucket.tags.some((tag) => tags.some((re) => re.test(tag))));
}

/** `*` any run of characters (slashes included: model ids like 'openai/gpt-4o'), `?` one; case-insensitive. */
export function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function isoDay(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
