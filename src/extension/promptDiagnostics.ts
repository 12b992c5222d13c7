// Placeholder until this surface lands; replaced by its implementation.
export function registerPromptDiagnostics(..._args: unknown[]): void {}
