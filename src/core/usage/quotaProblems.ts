// Quota statuses as problems on the config file, for `check` and the editor's diagnostics.
import type { UsageQuota } from '../config/budgetConfig';
import type { Problem } from '../types';
import type { QuotaStatus } from './evaluateQuotas';
import { formatPercent } from '../report/formatNumbers';
import { formatUsageAmount } from './formatUsage';

/** One problem per quota limit that is over (error) or past its `warnAt` (warning), at the quota's name. */
export function quotaProblems(configFile: string, quotas: readonly UsageQuota[], statuses: readonly QuotaStatus[]): Problem[] {
  const problems: Problem[] = [];
  for (const status of statuses) {
    if (status.status === 'ok') continue;
    const quota = quotas.find((candidate) => candidate.name === status.name);
    const limitKey = status.metric === 'cost' ? 'maxCost' : status.metric === 'tokens' ? 'maxTokens' : 'maxCalls';
    const position = quota?.positions[limitKey] ?? quota?.position ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const used = formatUsageAmount(status.metric, status.used);
    const limit = formatUsageAmount(status.metric, status.limit);
    const forecast = formatUsageAmount(status.metric, status.forecast);
    const share = formatPercent(status.share);
    const period = `${status.period} from ${status.periodStart}`;
    const message =
      status.status === 'over'
        ? `Quota '${status.name}' is over: ${used} of ${limit} (${share}) this ${period}.`
        : `Quota '${status.name}' is at ${share}: ${used} of ${limit} this ${period}; at this rate ${forecast} by the period's end.`;
    problems.push({ file: configFile, ...position, severity: status.status === 'over' ? 'error' : 'warning', rule: 'usage-quota', message });
  }
  return problems;
}
