// Placeholder until this surface lands; replaced by its implementation.
export function registerConfigCommands(..._args: unknown[]): void {}
