// Placeholder until this surface lands; replaced by its implementation.
export function registerCompareView(..._args: unknown[]): void {}
