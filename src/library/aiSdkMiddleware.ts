// guard.middleware(): the guard as AI SDK language model middleware (wrapLanguageModel), for any
// provider of the AI SDK. Per-call user and tags come from providerOptions.promptBudget
// ({ user, tags }) or the x-prompt-budget-* headers, which are taken off before the request.
import { callParty, type CallParty } from './callOptions';
import type { CallGuard, ObservedUsage } from './guardTypes';
import { guardedCall, settleWith } from './guardedCall';

type JsonObject = Record<string, unknown>;

/** The parts of the AI SDK's call options the guard reads (LanguageModelV3CallOptions). */
interface CallOptions {
  prompt: unknown;
  maxOutputTokens?: number;
  headers?: Record<string, string | undefined>;
  providerOptions?: Record<string, Record<string, unknown>>;
}

/** The parts of a language model the guard reads. */
interface LanguageModel {
  readonly provider: string;
  readonly modelId: string;
}

/** A LanguageModelV3Middleware for wrapLanguageModel. */
export interface GuardMiddleware {
  readonly specificationVersion: 'v3';
  transformParams<P extends CallOptions>(options: { type: 'generate' | 'stream'; params: P; model: LanguageModel }): PromiseLike<P>;
  wrapGenerate<R extends { usage: unknown; response?: { id?: string; modelId?: string } }>(options: { doGenerate: () => PromiseLike<R>; params: CallOptions; model: LanguageModel }): PromiseLike<R>;
  wrapStream<R extends { stream: ReadableStream<unknown> }>(options: { doStream: () => PromiseLike<R>; params: CallOptions; model: LanguageModel }): PromiseLike<R>;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The AI SDK's provider id ('openai.chat', 'anthropic.messages', 'google.generative-ai') as the price data names it. */
function providerOf(model: LanguageModel): string {
  const name = model.provider.split('.')[0].toLowerCase();
  return name === 'google-vertex' || name === 'vertex' ? 'google' : name;
}

/** The AI SDK's usage (v3: nested totals; v2: flat numbers) as token counts. */
function countsOf(usage: unknown): { inputTokens: number; outputTokens: number; cachedInputTokens: number; cacheWriteTokens: number } | undefined {
  if (!isObject(usage)) return undefined;
  const input = usage.inputTokens;
  const output = usage.outputTokens;
  if (isObject(input) || isObject(output)) {
    const inputs = isObject(input) ? input : {};
    const outputs = isObject(output) ? output : {};
    return { inputTokens: num(inputs.total), outputTokens: num(outputs.total), cachedInputTokens: num(inputs.cacheRead), cacheWriteTokens: num(inputs.cacheWrite) };
  }
  if (typeof input !== 'number' && typeof output !== 'number') return undefined;
  return { inputTokens: num(input), outputTokens: num(output), cachedInputTokens: num(usage.cachedInputTokens), cacheWriteTokens: 0 };
}

function num(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

export function guardMiddleware(guard: CallGuard): GuardMiddleware {
  const parties = new WeakMap<object, CallParty>();
  const request = (params: CallOptions, model: LanguageModel) => {
    const options = params.providerOptions?.promptBudget;
    const party = parties.get(params) ?? {};
    return {
      model: model.modelId,
      fallbackProvider: providerOf(model),
      request: { prompt: params.prompt },
      maxOutputTokens: params.maxOutputTokens,
      user: typeof options?.user === 'string' ? options.user : party.user,
      tags: Array.isArray(options?.tags) ? options.tags.filter((tag): tag is string => typeof tag === 'string') : party.tags,
    };
  };
  return {
    specificationVersion: 'v3',
    async transformParams({ params }) {
      const { party, headers } = callParty(params.headers, undefined);
      if (party.user === undefined && party.tags === undefined) return params;
      const sent = { ...params, headers: headers as Record<string, string | undefined> };
      parties.set(sent, party);
      return sent;
    },
    wrapGenerate({ doGenerate, params, model }) {
      return guardedCall(
        guard,
        request(params, model),
        doGenerate,
        settleWith((result): Omit<ObservedUsage, 'latencyMs'> | undefined => {
          const counts = countsOf(result.usage);
          return counts && { usage: counts, model: result.response?.modelId ?? model.modelId, id: result.response?.id };
        }),
      );
    },
    wrapStream({ doStream, params, model }) {
      return guardedCall(guard, request(params, model), doStream, (result, reservation, startedAt) => {
        let observed: Omit<ObservedUsage, 'latencyMs'> | undefined;
        let id: string | undefined;
        let modelId = model.modelId;
        let failed = false;
        const watch = new TransformStream<unknown, unknown>({
          transform(part, controller) {
            if (isObject(part)) {
              if (part.type === 'response-metadata') {
                id = typeof part.id === 'string' ? part.id : id;
                modelId = typeof part.modelId === 'string' ? part.modelId : modelId;
              } else if (part.type === 'finish') {
                const counts = countsOf(part.usage);
                if (counts) observed = { usage: counts };
              } else if (part.type === 'error') failed = true;
            }
            controller.enqueue(part);
          },
          async flush() {
            await (observed && !failed ? reservation.settle({ ...observed, model: modelId, id, latencyMs: performance.now() - startedAt }) : reservation.release());
          },
        });
        // A stream that fails or that the caller cancels is released (flush runs only at a clean end).
        const reader = result.stream.pipeThrough(watch).getReader();
        const stream = new ReadableStream<unknown>({
          async pull(controller) {
            try {
              const { done, value } = await reader.read();
              if (done) controller.close();
              else controller.enqueue(value);
            } catch (error) {
              await reservation.release();
              controller.error(error);
            }
          },
          async cancel(reason) {
            await reservation.release();
            await reader.cancel(reason);
          },
        });
        return { ...result, stream };
      });
    },
  };
}
