// What a provider request says about its own output: the max tokens it allows, under each SDK's name.

/** The request's cap on output tokens, if it sets one. */
export function requestMaxOutputTokens(request: unknown): number | undefined {
  if (typeof request !== 'object' || request === null) return undefined;
  const body = request as Record<string, unknown>;
  const config = typeof body.config === 'object' && body.config !== null ? (body.config as Record<string, unknown>) : undefined;
  const generation = typeof body.generationConfig === 'object' && body.generationConfig !== null ? (body.generationConfig as Record<string, unknown>) : undefined;
  for (const value of [body.max_completion_tokens, body.max_output_tokens, body.max_tokens, body.maxOutputTokens, config?.maxOutputTokens, generation?.maxOutputTokens]) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  }
  return undefined;
}
