// Numbers as the usage view, the dashboard and the CLI print them.

/** '$12.34', '$0.50', '$0.0042', with more digits for small amounts so they do not round to zero. */
export function formatUsageCost(usd: number): string {
  if (usd === 0) return '$0';
  if (usd >= 100) return `$${usd.toFixed(0).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}`;
  if (usd >= 0.1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2).replace(/0+$/, '').replace(/\.$/, '')}`;
}

/** 1,234,567 with thousands separators. */
export function formatUsageCount(count: number): string {
  return Math.round(count).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A quota's amount in its own unit. */
export function formatUsageAmount(metric: 'cost' | 'tokens' | 'calls', value: number): string {
  if (metric === 'cost') return formatUsageCost(value);
  return `${formatUsageCount(value)} ${metric === 'tokens' ? 'tokens' : 'calls'}`;
}
