// Usage figures (totals over many calls) in the shared number formats, for the usage view, the
// dashboard's tooltips and the CLI.
import { formatInteger, formatUsd } from '../report/formatNumbers';

/** A total in USD: '$0' for nothing, else formatUsd's compact form ('$1,234', '$12.34', '$0.0042'). */
export function formatUsageCost(usd: number): string {
  return usd === 0 ? '$0' : formatUsd(usd, 'compact');
}

/** 1,234,567 with thousands separators. */
export const formatUsageCount = formatInteger;

/** A quota's amount in its own unit. */
export function formatUsageAmount(metric: 'cost' | 'tokens' | 'calls', value: number): string {
  if (metric === 'cost') return formatUsageCost(value);
  return `${formatUsageCount(value)} ${metric === 'tokens' ? 'tokens' : 'calls'}`;
}
