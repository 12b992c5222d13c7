// guard.wrap(client): the official clients of OpenAI (Chat Completions, Responses), Anthropic
// (Messages) and Google (@google/genai models), with the same types and behaviour; the guard adds
// the check before each call and the record after it. Anthropic's messages.stream() and .parse()
// call the guarded create(); OpenAI's stream() and parse() helpers call the client's own, unguarded.
import { callParty } from './callOptions';
import type { CallGuard as Guard, ObservedUsage } from './guardTypes';
import { guardedCall, settleWith, watchedIterable, withIteration } from './guardedCall';

type Method = (this: unknown, ...args: unknown[]) => unknown;
type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null;
}

/** The guarded methods, by path from the client. */
function guardedMethods(guard: Guard): Record<string, (original: Method, self: unknown) => Method> {
  return {
    'chat.completions.create': (original, self) => openAiMethod(guard, original, self, 'chat'),
    'responses.create': (original, self) => openAiMethod(guard, original, self, 'responses'),
    'messages.create': (original, self) => anthropicCreate(guard, original, self),
    'models.generateContent': (original, self) => geminiMethod(guard, original, self, false),
    'models.generateContentStream': (original, self) => geminiMethod(guard, original, self, true),
  };
}

/** The client, its guarded methods replaced. */
export function wrapClient<T extends object>(guard: Guard, client: T): T {
  const methods = guardedMethods(guard);
  const paths = Object.keys(methods);
  if (!paths.some((path) => typeof resolvePath(client, path) === 'function')) {
    throw new TypeError('prompt-budget: guard.wrap() takes an OpenAI, Anthropic or GoogleGenAI client (from openai, @anthropic-ai/sdk or @google/genai)');
  }
  const proxies = new WeakMap<object, object>();
  const wrapAt = <O extends object>(target: O, prefix: string): O => {
    const known = proxies.get(target);
    if (known) return known as O;
    const proxy = new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver);
        if (typeof property !== 'string') return value;
        const path = prefix ? `${prefix}.${property}` : property;
        const make = methods[path];
        if (make && typeof value === 'function') return make(value as Method, object);
        if (isObject(value) && paths.some((candidate) => candidate.startsWith(`${path}.`))) return wrapAt(value, path);
        return value;
      },
    });
    proxies.set(target, proxy);
    return proxy;
  };
  return wrapAt(client, '');
}

function resolvePath(object: unknown, path: string): unknown {
  let value = object;
  for (const key of path.split('.')) value = isObject(value) ? value[key] : undefined;
  return value;
}

/** OpenAI's create(body, options): headers carry per-call user and tags; a stream asks for its usage chunk. */
function openAiMethod(guard: Guard, original: Method, self: unknown, api: 'chat' | 'responses'): Method {
  return (body: unknown, options?: unknown) => {
    const request = isObject(body) ? body : {};
    const { party, headers } = callParty(isObject(options) ? options.headers : undefined, request);
    const sentOptions = isObject(options) ? { ...options, headers } : options;
    const streaming = request.stream === true;
    // Chat Completions streams report usage only when asked; the chunk is hidden from a caller who did not ask.
    const askedForUsage = api === 'responses' || (isObject(request.stream_options) && request.stream_options.include_usage !== undefined);
    const sentBody = streaming && !askedForUsage ? { ...request, stream_options: { ...(isObject(request.stream_options) ? request.stream_options : {}), include_usage: true } } : body;
    return guardedCall(
      guard,
      { model: String(request.model ?? ''), request, ...party, fallbackProvider: 'openai' },
      () => original.call(self, sentBody, sentOptions) as PromiseLike<unknown>,
      streaming
        ? (stream, reservation, startedAt) => {
            let observed: Omit<ObservedUsage, 'latencyMs'> | undefined;
            const watch = (item: unknown): boolean => {
              if (!isObject(item)) return true;
              if (api === 'chat' && isObject(item.usage)) {
                observed = { usage: item.usage, model: str(item.model), id: str(item.id) };
                return askedForUsage || (Array.isArray(item.choices) && item.choices.length > 0);
              }
              if (api === 'responses' && item.type === 'response.completed' && isObject(item.response)) observed = responseUsage(item.response);
              return true;
            };
            return withIteration(stream as object, watchedIterable(stream as AsyncIterable<unknown>, reservation, startedAt, watch, () => observed));
          }
        : settleWith(responseUsage),
      streaming,
    );
  };
}

/** Anthropic's messages.create(body, options), streaming or not. */
function anthropicCreate(guard: Guard, original: Method, self: unknown): Method {
  return (body: unknown, options?: unknown) => {
    const request = isObject(body) ? body : {};
    const { party, headers } = callParty(isObject(options) ? options.headers : undefined, request);
    const sentOptions = isObject(options) ? { ...options, headers } : options;
    return guardedCall(
      guard,
      { model: String(request.model ?? ''), request, ...party, fallbackProvider: 'anthropic' },
      () => original.call(self, body, sentOptions) as PromiseLike<unknown>,
      request.stream === true
        ? (stream, reservation, startedAt) => {
            // message_start carries the input side; message_delta the output so far (cumulative).
            let message: JsonObject | undefined;
            let usage: JsonObject = {};
            const watch = (event: unknown): boolean => {
              if (!isObject(event)) return true;
              if (event.type === 'message_start' && isObject(event.message)) {
                message = event.message;
                usage = { ...(isObject(event.message.usage) ? event.message.usage : {}) };
              } else if (event.type === 'message_delta' && isObject(event.usage)) {
                for (const [key, value] of Object.entries(event.usage)) if (value !== null && value !== undefined) usage[key] = value;
              }
              return true;
            };
            const observed = () => (message ? { usage, model: str(message.model), id: str(message.id), provider: 'anthropic' } : undefined);
            return withIteration(stream as object, watchedIterable(stream as AsyncIterable<unknown>, reservation, startedAt, watch, observed));
          }
        : settleWith((result) => {
            const observed = responseUsage(result);
            return observed && { ...observed, provider: 'anthropic' };
          }),
      request.stream === true,
    );
  };
}

/** @google/genai's models.generateContent(params) and generateContentStream(params). */
function geminiMethod(guard: Guard, original: Method, self: unknown, streaming: boolean): Method {
  return (params: unknown) => {
    const request = isObject(params) ? params : {};
    const config = isObject(request.config) ? request.config : undefined;
    const httpOptions = isObject(config?.httpOptions) ? config.httpOptions : undefined;
    const { party, headers } = callParty(httpOptions?.headers, request);
    const sent = httpOptions ? { ...request, config: { ...config, httpOptions: { ...httpOptions, headers } } } : params;
    const geminiUsage = (response: unknown): Omit<ObservedUsage, 'latencyMs'> | undefined =>
      isObject(response) && isObject(response.usageMetadata) ? { usage: response.usageMetadata, model: str(response.modelVersion), id: str(response.responseId), provider: 'google' } : undefined;
    return guardedCall(
      guard,
      { model: String(request.model ?? '').replace(/^models\//, ''), request, ...party, fallbackProvider: 'google' },
      () => original.call(self, sent) as PromiseLike<unknown>,
      streaming
        ? (stream, reservation, startedAt) => {
            let observed: Omit<ObservedUsage, 'latencyMs'> | undefined;
            // Each chunk may carry the usage so far; the last one is the call's.
            const watch = (chunk: unknown): boolean => {
              observed = geminiUsage(chunk) ?? observed;
              return true;
            };
            return watchedIterable(stream as AsyncIterable<unknown>, reservation, startedAt, watch, () => observed)[Symbol.asyncIterator]() as unknown;
          }
        : settleWith(geminiUsage),
    );
  };
}

/** `{ id, model, usage }` of an OpenAI or Anthropic response. */
function responseUsage(response: unknown): Omit<ObservedUsage, 'latencyMs'> | undefined {
  if (!isObject(response) || !isObject(response.usage)) return undefined;
  return { usage: response.usage, model: str(response.model), id: str(response.id) };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
