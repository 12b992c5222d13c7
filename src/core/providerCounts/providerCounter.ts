// Counts a prompt through its provider's free counting endpoint. Only ever called on an explicit
// request (`--count-with-api`, the editor's command or its opt-in on-save setting); the HTTP client,
// the environment, stored keys and the hash are passed in, so tests point it at a local server.
import type { ModelInfo, ParsedPrompt, PromptCount, ProviderCountSource } from '../types';
import { COUNTING_PROVIDERS, countingProviderFor, type CountingProvider, type CountingProviderId } from './countingProviders';
import { buildCountingPlan, type CountingCall } from './providerRequest';
import { readBoundedText, type ReadableBody } from '../io/readBoundedText';

/** The part of a fetch Response the counter reads. */
export interface ProviderResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: ReadableBody | null;
}

/** Node's global fetch fits this. */
export type ProviderFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<ProviderResponse>;

export interface ProviderCounterOptions {
  fetch: ProviderFetch;
  /** Where keys and base URLs are read: process.env, or the extension host's. */
  env: Readonly<Record<string, string | undefined>>;
  /** Keys kept elsewhere (VS Code's SecretStorage), asked when the environment has none. */
  storedKey?: (provider: CountingProviderId) => Promise<string | undefined>;
  /** Hex SHA-256 of a string: the cache key of a request. */
  sha256: (text: string) => string;
  /** How to tell a user where a missing key goes ('set ANTHROPIC_API_KEY'); a default names the variables. */
  keyHint?: (provider: CountingProvider) => string;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Requests in flight to one provider at most; the rest wait their turn. */
  maxConcurrentPerProvider?: number;
  now?: () => Date;
}

export type ProviderCountResult =
  | { kind: 'counted'; tokens: number; exact: boolean; source: ProviderCountSource }
  /** No request was made: no endpoint for this model, no key, nothing to send. */
  | { kind: 'unavailable'; reason: string }
  /** The request failed: the message names the provider and what went wrong. */
  | { kind: 'failed'; message: string };

const DEFAULT_TIMEOUT_MS = 20_000;
// xAI answers with every token id: about 8 bytes a token, so 8 MiB covers a 1M-token prompt.
const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const MAX_CACHED_CALLS = 1000;
// `compare --all` asks about every model of a provider at once (about 90 for Anthropic); the
// counting endpoints are rate-limited per minute, so a few requests at a time per provider.
const DEFAULT_MAX_CONCURRENT_PER_PROVIDER = 4;
const ANTHROPIC_VERSION = '2023-06-01';

interface CachedCall {
  tokens: number;
  countedAt: string;
}

/** Counts prompts with the providers' APIs, caching each answer by the hash of its request (model and body). */
export class ProviderCounter {
  private readonly cache = new Map<string, Promise<CachedCall>>();
  private readonly slots = new Map<CountingProviderId, { active: number; waiting: (() => void)[] }>();
  private requests = 0;

  constructor(private readonly options: ProviderCounterOptions) {}

  /** How many HTTP requests were sent (cache hits send none). */
  get requestCount(): number {
    return this.requests;
  }

  /**
   * The provider's count of `parsed` on `model`, or why there is none. `local` is our own count; its
   * chat framing completes xAI's text-only counts.
   */
  async count(parsed: ParsedPrompt, model: ModelInfo, local: PromptCount): Promise<ProviderCountResult> {
    const provider = model.sellsOwnModel === false ? undefined : countingProviderFor(model.provider);
    if (!provider) return { kind: 'unavailable', reason: noEndpointReason(model, local) };
    const plan = buildCountingPlan(provider.id, parsed, model.id);
    if ('reason' in plan) return { kind: 'unavailable', reason: plan.reason };
    const key = await this.keyFor(provider);
    if (!key) return { kind: 'unavailable', reason: `no ${provider.name} API key (${this.options.keyHint?.(provider) ?? `set ${provider.keyVariables.join(' or ')}`})` };
    const base = this.baseUrl(provider);
    if ('message' in base) return { kind: 'failed', message: base.message };
    let tokens = 0;
    let countedAt = '';
    let url = '';
    try {
      for (const call of plan.calls) {
        url = joinUrl(base.url, call.path);
        const answer = await this.cachedCall(provider, url, call, key);
        tokens += answer.tokens;
        countedAt ||= answer.countedAt;
      }
    } catch (error) {
      return { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
    }
    const framing = plan.framing;
    if (framing === 'estimated') tokens += local.overheadTokens;
    return {
      kind: 'counted',
      tokens,
      exact: framing === 'included',
      source: { provider: provider.name, endpoint: provider.endpointLabel, url, countedAt, framing, localTokens: local.tokens, localExact: local.exact },
    };
  }

  private async keyFor(provider: CountingProvider): Promise<string | undefined> {
    for (const name of provider.keyVariables) {
      const value = this.options.env[name]?.trim();
      if (value) return value;
    }
    return (await this.options.storedKey?.(provider.id))?.trim() || undefined;
  }

  private baseUrl(provider: CountingProvider): { url: URL } | { message: string } {
    const variable = provider.baseUrlVariables.find((name) => this.options.env[name]?.trim());
    const text = variable ? this.options.env[variable]!.trim() : provider.defaultBaseUrl;
    try {
      const url = new URL(text);
      if (url.protocol === 'http:' || url.protocol === 'https:') return { url };
    } catch {
      // Reported below, with the variable's name.
    }
    return { message: `${provider.name}: ${variable} is not an http(s) URL: ${sanitize(text, 120)}` };
  }

  private cachedCall(provider: CountingProvider, url: string, call: CountingCall, key: string): Promise<CachedCall> {
    const body = JSON.stringify(call.body);
    // The key stays out of the cache key: a new key does not change what the prompt counts.
    const hash = this.options.sha256(`${provider.id}\u0000${url}\u0000${body}`);
    const cached = this.cache.get(hash);
    if (cached) return cached;
    const pending = this.inTurn(provider.id, () => this.send(provider, url, body, key));
    this.cache.set(hash, pending);
    // Failures are not remembered: the next explicit request tries again.
    pending.catch(() => this.cache.delete(hash));
    if (this.cache.size > MAX_CACHED_CALLS) this.cache.delete(this.cache.keys().next().value!);
    return pending;
  }

  /** Runs `request` when fewer than the provider's limit are in flight; a finished one hands its slot to the next. */
  private async inTurn<T>(provider: CountingProviderId, request: () => Promise<T>): Promise<T> {
    let slot = this.slots.get(provider);
    if (!slot) this.slots.set(provider, (slot = { active: 0, waiting: [] }));
    const limit = Math.max(1, this.options.maxConcurrentPerProvider ?? DEFAULT_MAX_CONCURRENT_PER_PROVIDER);
    if (slot.active < limit) slot.active++;
    else await new Promise<void>((resolve) => slot.waiting.push(resolve));
    try {
      return await request();
    } finally {
      const next = slot.waiting.shift();
      if (next) next();
      else slot.active--;
    }
  }

  private async send(provider: CountingProvider, url: string, body: string, key: string): Promise<CachedCall> {
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number;
    let text: string;
    let retryAfter: string | null;
    this.requests++;
    try {
      const response = await this.options.fetch(url, { method: 'POST', headers: requestHeaders(provider.id, key), body, signal: controller.signal });
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      const read = await readBoundedText(response.body, this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      if (read === 'too-large') throw new Error(`${provider.name}: the answer from ${url} is larger than ${formatBytes(this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES)}; not read`);
      text = read;
    } catch (error) {
      if (controller.signal.aborted) throw new Error(`${provider.name}: no answer from ${url} within ${Math.round(timeoutMs / 100) / 10} s`);
      if (error instanceof Error && error.message.startsWith(`${provider.name}:`)) throw error;
      throw new Error(`${provider.name}: could not reach ${url}: ${sanitize(describeFetchError(error), 200)}`);
    } finally {
      clearTimeout(timer);
    }
    if (status < 200 || status > 299) throw new Error(statusMessage(provider, status, apiMessage(text, key), retryAfter));
    const tokens = tokensIn(provider.id, text);
    if (tokens === undefined) throw new Error(`${provider.name}: the answer from ${url} holds no token count (expected ${EXPECTED[provider.id]})`);
    return { tokens, countedAt: (this.options.now?.() ?? new Date()).toISOString() };
  }
}

const EXPECTED: Record<CountingProviderId, string> = {
  anthropic: '{"input_tokens": N}',
  gemini: '{"totalTokens": N}',
  xai: '{"token_ids": [...]}',
};

function requestHeaders(provider: CountingProviderId, key: string): Record<string, string> {
  const json = { 'content-type': 'application/json' };
  switch (provider) {
    case 'anthropic':
      return { ...json, 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION };
    case 'gemini':
      return { ...json, 'x-goog-api-key': key };
    case 'xai':
      return { ...json, authorization: `Bearer ${key}` };
  }
}

function tokensIn(provider: CountingProviderId, text: string): number | undefined {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!answer || typeof answer !== 'object') return undefined;
  const record = answer as Record<string, unknown>;
  const value = provider === 'anthropic' ? record.input_tokens : provider === 'gemini' ? record.totalTokens : Array.isArray(record.token_ids) ? record.token_ids.length : undefined;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function statusMessage(provider: CountingProvider, status: number, detail: string, retryAfter: string | null): string {
  const suffix = detail ? `: ${detail}` : '';
  if (status === 401 || status === 403) return `${provider.name} rejected the API key (HTTP ${status})${suffix}`;
  if (status === 429) {
    const wait = retryAfter && /^\d+$/.test(retryAfter.trim()) ? `; retry after ${retryAfter.trim()} s` : '';
    return `${provider.name} is rate-limiting requests (HTTP 429)${wait}${suffix}`;
  }
  if (status >= 500) return `${provider.name} had a server error (HTTP ${status})${suffix}`;
  return `${provider.name} refused the request (HTTP ${status})${suffix}`;
}

/** The API's own error message (`{"error": {"message": …}}` or `{"error": "…"}`), cleaned for a terminal. */
function apiMessage(text: string, key: string): string {
  let message: unknown;
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const error = parsed?.error;
    message = typeof error === 'string' ? error : error && typeof error === 'object' ? (error as { message?: unknown }).message : parsed?.message;
  } catch {
    message = undefined;
  }
  if (typeof message !== 'string') return '';
  // Some APIs quote the key they refused.
  return sanitize(key ? message.split(key).join('…') : message, 300);
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** Control characters (terminal escapes) out, length capped. */
function sanitize(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MiB` : `${Math.round(bytes / 1024)} KiB`;
}

/** `path` below `base`, without repeating a version segment the base already ends with ('…/v1' + '/v1/x'). */
function joinUrl(base: URL, path: string): string {
  const basePath = base.pathname.replace(/\/+$/, '');
  const [, first] = path.split('/');
  const rest = basePath.endsWith(`/${first}`) ? path.slice(first.length + 1) : path;
  return `${base.origin}${basePath}${rest}`;
}

function noEndpointReason(model: ModelInfo, local: PromptCount): string {
  if (model.sellsOwnModel === false) {
    return `${model.providerName ?? model.provider} resells this model: the maker's API counts its own id only`;
  }
  const known = Object.values(COUNTING_PROVIDERS)
    .map((provider) => provider.name)
    .join(', ');
  if (local.exact) return `counted exactly offline (${local.tokenizer}): no request needed`;
  return `${model.provider} has no token-counting endpoint (${known} do)`;
}
