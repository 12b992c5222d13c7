// Placeholder until this surface lands; replaced by its implementation.
export function registerTokenBoundaries(..._args: unknown[]): void {}
