// One guarded call to an SDK method: the check (nothing is sent when it fails), the call, and the
// record of the provider's usage, or the release of the reservation when the call fails. The
// promise an SDK returns keeps its extras (OpenAI's and Anthropic's withResponse/asResponse).
import type { CallGuard as Guard, CallReservation, CallRequest, ObservedUsage } from './guardTypes';

/** What a finished call reported: its usage (undefined when it reported none), model and id. */
export type UsageOf<R> = (result: R) => Omit<ObservedUsage, 'latencyMs'> | undefined;

/**
 * Runs `invoke` after the guard's check; `finish` turns the result into what the caller gets (a
 * stream is wrapped to watch its usage). `streaming`: withResponse() gives the watched stream too.
 */
export function guardedCall<R>(
  guard: Guard,
  request: CallRequest,
  invoke: () => PromiseLike<R>,
  finish: (result: R, reservation: CallReservation, startedAt: number) => R,
  streaming = false,
): Promise<R> {
  let raw: PromiseLike<R> | undefined;
  let reservation: CallReservation | undefined;
  let startedAt = 0;
  const started = guard.reserve(request).then((reserved) => {
    reservation = reserved;
    startedAt = performance.now();
    raw = invoke();
  });
  const result = started.then(() =>
    Promise.resolve(raw as PromiseLike<R>).then(
      (value) => finish(value, reservation as CallReservation, startedAt),
      async (error: unknown) => {
        await (reservation as CallReservation).release();
        throw error;
      },
    ),
  );
  // The extras of the SDK's promise, after the check; the usage is still recorded by `result`.
  const extra = (name: 'withResponse' | 'asResponse') => () => started.then(() => (raw as unknown as Record<string, () => Promise<unknown>>)[name]());
  Object.defineProperty(result, 'asResponse', { value: extra('asResponse') });
  // A stream read through withResponse() (as Anthropic's messages.stream() reads it) is the one recorded.
  const withResponse = extra('withResponse') as () => Promise<{ data: R }>;
  Object.defineProperty(result, 'withResponse', {
    value: streaming ? () => withResponse().then((answer) => ({ ...answer, data: finish(answer.data, reservation as CallReservation, startedAt) })) : withResponse,
  });
  // A caller who only uses withResponse() must not see an unhandled rejection from `result`.
  result.catch(() => undefined);
  return result;
}

/** Settles a non-streaming call with its reported usage (released when it reported none). */
export function settleWith<R>(usageOf: UsageOf<R>): (result: R, reservation: CallReservation, startedAt: number) => R {
  return (result, reservation, startedAt) => {
    const observed = usageOf(result);
    const latencyMs = performance.now() - startedAt;
    void (observed ? reservation.settle({ ...observed, latencyMs }) : reservation.release());
    return result;
  };
}

/**
 * An async iterable that passes every item through (or drops it, when `watch` returns false) and
 * settles the call when the stream ends; a stream that fails releases it.
 */
export function watchedIterable<T>(
  source: AsyncIterable<T>,
  reservation: CallReservation,
  startedAt: number,
  watch: (item: T) => boolean,
  observed: () => Omit<ObservedUsage, 'latencyMs'> | undefined,
): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      let failed = false;
      try {
        for await (const item of source) if (watch(item)) yield item;
      } catch (error) {
        failed = true;
        await reservation.release();
        throw error;
      } finally {
        if (!failed) {
          const usage = observed();
          await (usage ? reservation.settle({ ...usage, latencyMs: performance.now() - startedAt }) : reservation.release());
        }
      }
    },
  };
}

/** `stream` with its async iteration replaced; its other members (controller, tee, …) are the stream's own. */
export function withIteration<S extends object, T>(stream: S, iterable: AsyncIterable<T>): S {
  return new Proxy(stream, {
    get(target, property, receiver) {
      if (property === Symbol.asyncIterator) return () => iterable[Symbol.asyncIterator]();
      return Reflect.get(target, property, receiver);
    },
  });
}
