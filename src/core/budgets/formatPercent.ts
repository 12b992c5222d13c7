/** A ratio as a whole percentage, rounded down so that 99.6% of a limit never reads as 100%. */
export function formatPercent(ratio: number): string {
  return `${Math.floor(ratio * 100 + 1e-9)}%`;
}
