/**
 * How much of `limit` is `used`, as a ratio (0.5 is half). A zero limit is met by nothing: any use
 * of it is an infinite share (printed as '∞%' by formatPercent), none of it is 0.
 */
export function limitShare(used: number, limit: number): number {
  return limit > 0 ? used / limit : used > 0 ? Infinity : 0;
}
