// The usage report as `prompt-budget usage --format json` prints it and the editor shows it.
import { evaluateQuotas, type QuotaRule, type QuotaStatus } from './evaluateQuotas';
import { groupUsage, totalUsage, type UsageBudgetLink, type UsageSums } from './summarizeUsage';
import type { UsageLedger } from './usageLedger';
import type { UsageGroupKey, UsageProblem } from './usageRecord';

export interface UsageReport {
  records: number;
  skipped: number;
  /** ISO times of the first and last record counted; null when none. */
  from: string | null;
  to: string | null;
  totals: { calls: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; cost: number | null; cacheWriteTokens: number; unpricedRecords: number };
  groups: ({ [key: string]: string | number | null } & { calls: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; cost: number | null })[];
  quotas: QuotaStatus[];
  problems: UsageProblem[];
}

export interface UsageReportOptions {
  by: readonly UsageGroupKey[];
  budgets?: readonly UsageBudgetLink[];
  quotas?: readonly QuotaRule[];
  /** The time quotas are evaluated at (their current period holds it). */
  now: number;
}

/** Totals, groups, quotas and problems of a ledger. */
export function usageReport(ledger: UsageLedger, options: UsageReportOptions): UsageReport {
  const totals = totalUsage(ledger.buckets.values());
  return {
    records: ledger.records,
    skipped: ledger.skipped,
    from: ledger.from === undefined ? null : new Date(ledger.from).toISOString(),
    to: ledger.to === undefined ? null : new Date(ledger.to).toISOString(),
    totals: { ...sums(totals), cacheWriteTokens: totals.cacheWriteTokens, unpricedRecords: totals.unpricedRecords },
    groups: groupUsage(ledger.buckets.values(), options.by, options.budgets).map((group) => ({ ...group.keys, ...sums(group) })),
    quotas: evaluateQuotas(ledger.buckets.values(), options.quotas ?? [], options.now),
    problems: ledger.allProblems(),
  };
}

function sums(value: UsageSums) {
  return {
    calls: value.calls,
    inputTokens: value.inputTokens,
    cachedInputTokens: value.cachedInputTokens,
    outputTokens: value.outputTokens,
    cost: value.cost === null ? null : Math.round(value.cost * 1e8) / 1e8,
  };
}
