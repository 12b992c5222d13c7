// Numbers as users read them in messages and reports, independent of the machine's locale.

/** A whole number with thousands separators: 130112 -> "130,112". */
export function formatCount(value: number): string {
  const sign = value < 0 ? '-' : '';
  const [whole, fraction] = Math.abs(value).toString().split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return sign + grouped + (fraction ? `.${fraction}` : '');
}

/** US dollars with cents, and more decimals for sub-cent amounts: 62.1 -> "$62.10", 0.0075 -> "$0.0075". */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  const sign = value < 0 ? '-' : '';
  const abs = Math.abs(value);
  // Two significant digits below a dollar, so a per-call cost of $0.0004 does not print as $0.00.
  const decimals = abs >= 1 ? 2 : Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(abs))));
  const text = abs.toFixed(decimals);
  const [whole, rawFraction] = text.split('.');
  // Trailing zeros past the cents carry no information: "$0.0100" reads better as "$0.01".
  const fraction = rawFraction.replace(/0+$/, '').padEnd(2, '0');
  return `${sign}$${formatCount(Number(whole))}.${fraction}`;
}

/** A ratio as a whole percentage, rounded down so that 99.6% of a limit never reads as 100%. */
export function formatPercent(ratio: number): string {
  return `${Math.floor(ratio * 100 + 1e-9)}%`;
}
