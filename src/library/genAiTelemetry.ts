// OpenTelemetry's GenAI semantic conventions for each guarded call, through @opentelemetry/api only:
// a client span with the request and usage attributes, and the gen_ai.client.token.usage histogram.
// The application's SDK (if it registered one) exports them; without one the API's no-op
// implementations cost next to nothing, and without the package nothing is done at all.
import type * as OpenTelemetry from '@opentelemetry/api';
import type { PlannedCall, GuardCallLine } from '../core';

/** One call's span, ended by `succeeded` or `failed`. */
export interface CallTelemetry {
  succeeded(line: GuardCallLine): void;
  failed(): void;
}

const NOTHING: CallTelemetry = { succeeded: () => undefined, failed: () => undefined };

let api: typeof OpenTelemetry | null | undefined;
let histogram: OpenTelemetry.Histogram | undefined;

function openTelemetry(): typeof OpenTelemetry | null {
  if (api === undefined) {
    try {
      api = require('@opentelemetry/api') as typeof OpenTelemetry;
    } catch {
      api = null;
    }
  }
  return api;
}

/** Starts the span of a call that passed the guard's check. */
export function startCallTelemetry(call: PlannedCall): CallTelemetry {
  const otel = openTelemetry();
  if (!otel) return NOTHING;
  const attributes: OpenTelemetry.Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': call.provider,
    'gen_ai.request.model': call.model,
    ...(call.maxOutputTokens > 0 ? { 'gen_ai.request.max_tokens': call.maxOutputTokens } : {}),
    ...(call.user !== undefined ? { 'user.id': call.user } : {}),
    ...(call.tags.length > 0 ? { 'prompt_budget.tags': [...call.tags] } : {}),
  };
  const span = otel.trace.getTracer('prompt-budget').startSpan(`chat ${call.model}`, { kind: otel.SpanKind.CLIENT, attributes });
  return {
    succeeded(line) {
      span.setAttributes({
        'gen_ai.response.model': line.model,
        ...(line.id !== undefined ? { 'gen_ai.response.id': line.id } : {}),
        'gen_ai.usage.input_tokens': line.inputTokens,
        'gen_ai.usage.output_tokens': line.outputTokens,
        ...(line.cachedInputTokens > 0 ? { 'gen_ai.usage.cache_read.input_tokens': line.cachedInputTokens } : {}),
        ...(line.cacheWriteTokens > 0 ? { 'gen_ai.usage.cache_creation.input_tokens': line.cacheWriteTokens } : {}),
      });
      span.end();
      histogram ??= otel.metrics.getMeter('prompt-budget').createHistogram('gen_ai.client.token.usage', { unit: '{token}', description: 'Measures number of input and output tokens used' });
      const common = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': line.provider, 'gen_ai.request.model': call.model, 'gen_ai.response.model': line.model };
      histogram.record(line.inputTokens, { ...common, 'gen_ai.token.type': 'input' });
      histogram.record(line.outputTokens, { ...common, 'gen_ai.token.type': 'output' });
    },
    failed() {
      span.setStatus({ code: otel.SpanStatusCode.ERROR });
      span.setAttribute('error.type', 'call_failed');
      span.end();
    },
  };
}
