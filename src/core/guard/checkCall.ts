// The check before a call: its worst case against the per-call limits of the budgets its tags name
// (usageTags) and against every quota it falls under, with the calls still in flight counted.
import type { Budget } from '../config/budgetConfig';
import { formatInteger, formatUsd } from '../report/formatNumbers';
import { evaluateQuotas, type QuotaMetric, type QuotaRule } from '../usage/evaluateQuotas';
import type { UsageBucket } from '../usage/usageLedger';

/** A call about to be made, at its worst case. */
export interface PlannedCall {
  provider: string;
  model: string;
  user?: string;
  tags: readonly string[];
  inputTokens: number;
  /** The request's max output, else the model's; 0 when neither is known. */
  maxOutputTokens: number;
  /** USD of input plus max output; undefined when the model has no price. */
  worstCaseCost?: number;
}

/** Why a call is not made: which budget or quota, its limit, what is used and what the call would add. */
export interface CallRefusal {
  kind: 'budget' | 'quota';
  /** The budget's or quota's name. */
  name: string;
  /** The limit's key in prompt-budget.yaml: maxInputTokens, maxCostPerCall, maxCalls, maxTokens, maxCost. */
  limit: string;
  limitValue: number;
  /** Used in the current period (quotas, calls in flight included); 0 for a per-call budget limit. */
  used: number;
  /** What this call would add (its worst case). */
  adds: number;
  /** The period of a quota. */
  period?: string;
  message: string;
}

/** A planned call as a one-call bucket of today, for quota sums. */
export function plannedCallBucket(call: PlannedCall, now: number): UsageBucket {
  return {
    day: new Date(now).toISOString().slice(0, 10),
    provider: call.provider,
    model: call.model,
    user: call.user,
    tags: [...call.tags],
    records: 1,
    calls: 1,
    inputTokens: call.inputTokens,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: call.maxOutputTokens,
    cost: call.worstCaseCost ?? 0,
    unpricedRecords: call.worstCaseCost === undefined ? 1 : 0,
    recordCostRecords: 0,
  };
}

/** The first per-call limit of a budget linked by tag that the call's worst case breaks. */
export function budgetRefusal(budgets: readonly Budget[], call: PlannedCall): CallRefusal | undefined {
  for (const budget of budgets) {
    if (!budget.usageTags?.some((tag) => call.tags.includes(tag))) continue;
    if (budget.maxInputTokens !== undefined && call.inputTokens > budget.maxInputTokens) {
      return {
        kind: 'budget',
        name: budget.name,
        limit: 'maxInputTokens',
        limitValue: budget.maxInputTokens,
        used: 0,
        adds: call.inputTokens,
        message: `Budget '${budget.name}' allows ${formatInteger(budget.maxInputTokens)} input tokens per call (maxInputTokens); this ${call.model} call would send ${formatInteger(call.inputTokens)}.`,
      };
    }
    if (budget.maxCostPerCall !== undefined && call.worstCaseCost !== undefined && call.worstCaseCost > budget.maxCostPerCall) {
      return {
        kind: 'budget',
        name: budget.name,
        limit: 'maxCostPerCall',
        limitValue: budget.maxCostPerCall,
        used: 0,
        adds: call.worstCaseCost,
        message: `Budget '${budget.name}' allows ${formatUsd(budget.maxCostPerCall)} per call (maxCostPerCall); this ${call.model} call could cost ${formatUsd(call.worstCaseCost)} (${formatInteger(call.inputTokens)} input + ${formatInteger(call.maxOutputTokens)} max output tokens).`,
      };
    }
  }
  return undefined;
}

const LIMIT_KEYS: Record<QuotaMetric, string> = { calls: 'maxCalls', tokens: 'maxTokens', cost: 'maxCost' };
const PERIOD_WORDS: Record<string, string> = { day: 'today', week: 'this week', month: 'this month' };

/**
 * The first quota the call falls under that its worst case would take over its limit, counting
 * `used` (settled calls and calls in flight, as buckets) in the quota's current period.
 */
export function quotaRefusal(quotas: readonly QuotaRule[], used: readonly UsageBucket[], call: PlannedCall, now: number): CallRefusal | undefined {
  const bucket = plannedCallBucket(call, now);
  // A probe with one of everything shows which quotas' filters the call matches, whatever its figures.
  const probe = evaluateQuotas([{ ...bucket, inputTokens: 1, outputTokens: 0, cost: 1 }], quotas, now);
  const applicable = new Set(probe.filter((status) => status.used > 0).map((status) => status.name));
  if (applicable.size === 0) return undefined;
  const adds = evaluateQuotas([bucket], quotas, now);
  const current = evaluateQuotas(used, quotas.filter((quota) => applicable.has(quota.name)), now);
  for (const status of current) {
    const added = adds.find((candidate) => candidate.name === status.name && candidate.metric === status.metric)?.used ?? 0;
    if (status.used + added <= status.limit) continue;
    const limit = LIMIT_KEYS[status.metric];
    const amount = (value: number) => (status.metric === 'cost' ? formatUsd(value) : `${formatInteger(value)} ${status.metric}`);
    return {
      kind: 'quota',
      name: status.name,
      limit,
      limitValue: status.limit,
      used: status.used,
      adds: added,
      period: status.period,
      message: `Quota '${status.name}' allows ${amount(status.limit)} a ${status.period} (${limit}); ${amount(status.used)} used ${PERIOD_WORDS[status.period]}, calls in flight included, and this ${call.model} call would add ${status.metric === 'calls' ? '1' : amount(added)}${status.metric === 'calls' ? '' : ' at worst'}.`,
    };
  }
  return undefined;
}
