// Placeholder until this surface lands; replaced by its implementation.
export function registerBudgetTree(..._args: unknown[]): void {}
