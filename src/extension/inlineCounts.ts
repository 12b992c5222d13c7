// Placeholder until this surface lands; replaced by its implementation.
export function registerInlineCounts(..._args: unknown[]): void {}
