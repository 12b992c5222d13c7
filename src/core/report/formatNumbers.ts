// Amounts, counts and shares as every surface prints them: status bar, trees, webviews, CLI, reports.
// Digits are grouped by hand, not with toLocaleString: its first call loads ICU's locale data, a
// visible delay on the first prompt opened.

const SMALLEST_SHOWN_USD = 0.000001;

/**
 * USD for people: cents for amounts of a dollar or more ($18.40, $1,234.56), two significant digits
 * below ($0.0031, $0.00012). Compact, for totals and tight spaces, drops the cents from $100 on ($1,235).
 */
export function formatUsd(amount: number, style: 'full' | 'compact' = 'full'): string {
  if (!Number.isFinite(amount)) return amount > 0 ? '$∞' : amount < 0 ? '-$∞' : '$?';
  const sign = amount < 0 ? '-' : '';
  const value = Math.abs(amount);
  if (value === 0) return '$0.00';
  if (value < SMALLEST_SHOWN_USD) return `${sign}<$0.000001`;
  if (style === 'compact' && value >= 100) return `${sign}$${formatInteger(value)}`;
  if (value >= 1) {
    const [whole, cents] = roundedCents(value).split('.');
    return `${sign}$${groupDigits(whole)}.${cents}`;
  }
  // Two significant digits, and at least cents: 0.5 -> $0.50, 0.0031 -> $0.0031.
  let decimals = Math.max(2, 1 - Math.floor(Math.log10(value)));
  // Rounding up to the next power of ten (0.00999 -> 0.0100) would show a third digit.
  if (decimals > 2 && Number(value.toFixed(decimals)) >= 10 ** (2 - decimals)) decimals -= 1;
  // A trailing zero past the cents adds nothing: $0.050 reads $0.05.
  return `${sign}$${value.toFixed(decimals).replace(/(\.\d\d\d*?)0+$/, '$1')}`;
}

/**
 * `value` (≥ 1) with two decimals, rounded half up on its shortest decimal form as en-US formatting
 * rounds it: 1.005 reads 1.01, where toFixed, rounding the binary value 1.00499..., gives 1.00.
 */
function roundedCents(value: number): string {
  const written = String(value);
  if (written.includes('e')) return `${wholeDigits(value)}.00`;
  const [whole, fraction = ''] = written.split('.');
  if (fraction.length <= 2) return `${whole}.${fraction.padEnd(2, '0')}`;
  let cents = BigInt(whole + fraction.slice(0, 2));
  if (fraction[2] >= '5') cents += 1n;
  const digits = cents.toString().padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A token count: '1,234' in full, or compact ('1.2k', '128k', '1.05M') for tight spaces. */
export function formatTokens(count: number, style: 'full' | 'compact' = 'full'): string {
  const rounded = Math.round(count);
  if (style === 'full' || Math.abs(rounded) < 1000) return formatInteger(rounded);
  const sign = rounded < 0 ? '-' : '';
  const value = Math.abs(rounded);
  // Checked against the rounded figure so that 999,999 reads '1M', not '1000k'.
  if (Math.round(value / 1000) < 1000) {
    const thousands = value / 1000;
    return `${sign}${trimZeros(thousands < 10 ? thousands.toFixed(1) : thousands.toFixed(0))}k`;
  }
  return `${sign}${trimZeros((value / 1_000_000).toFixed(2))}M`;
}

/** A whole number's digits in groups of three, as en-US writes them: '1234567' -> '1,234,567'. */
function groupDigits(digits: string): string {
  let grouped = digits.slice(0, digits.length % 3 || 3);
  for (let at = grouped.length; at < digits.length; at += 3) grouped += `,${digits.slice(at, at + 3)}`;
  return grouped;
}

/** A whole number as en-US writes it: 1234567 -> '1,234,567' (a fraction is rounded away). */
export function formatInteger(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  const sign = value < 0 ? '-' : '';
  if (!Number.isFinite(value)) return `${sign}∞`;
  return `${sign}${groupDigits(wholeDigits(Math.abs(Math.round(value))))}`;
}

/** The digits of a whole number ≥ 0 in its shortest decimal form, as en-US formatting writes them: 3.5e24 -> '35' and 23 zeros. */
function wholeDigits(value: number): string {
  // From 1e21 on, String() writes an exponent.
  const [mantissa, exponent] = String(value).split('e+');
  if (exponent === undefined) return mantissa;
  const [whole, fraction = ''] = mantissa.split('.');
  return whole + fraction.padEnd(Number(exponent), '0');
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/**
 * A ratio as a percentage with `decimals` digits, rounded to the nearest (5.2% reads '5.2%'), except
 * that a share under a limit never reads 100% nor one over it 100% (99.96% reads '99.9%'), and a
 * share below the last digit reads '<0.1%', not '0.0%' or '0.1%'.
 */
export function formatPercent(ratio: number, decimals = 0): string {
  if (!Number.isFinite(ratio)) return ratio > 0 ? '∞%' : '?%';
  const scale = 10 ** decimals;
  const whole = 100 * scale;
  // The tolerance keeps float noise (0.001 * 1000 = 0.9999999999999999) from reading '<0.1%'.
  if (ratio > 0 && ratio * whole < 1 - 1e-9) return `<${(1 / scale).toFixed(decimals)}%`;
  let shown = Math.round(ratio * whole);
  if (ratio < 1 && shown >= whole) shown = whole - 1;
  if (ratio > 1 && shown <= whole) shown = whole + 1;
  return `${(shown / scale).toFixed(decimals)}%`;
}

/** The mark an estimated figure carries: '≈' unless the count is exact. */
export function approxMark(exact: boolean): string {
  return exact ? '' : '≈';
}
