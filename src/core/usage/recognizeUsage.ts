// Recognises a parsed log record by its content and turns it into normalised usage. Formats:
// OpenAI Chat Completions, Responses, Batch output lines and Usage API pages; Anthropic Messages and
// usage report pages; Gemini responses; OpenTelemetry OTLP JSON spans; LiteLLM spend logs;
// Langfuse observations; Helicone exports; and any of the responses wrapped in an app's own log line.
import type * as GenaiPrices from '@pydantic/genai-prices';
import { isGuardLedgerValue, recognizeGuardLedgerValue } from './guardLedgerLine';
import { loadGenaiPrices } from './loadGenaiPrices';
import type { UsageRecord } from './usageRecord';
import { isObject, normalizeProvider, num, pick, str, toTags, toTime, type JsonObject } from './usageValues';

/** A record before pricing: `time` may still be missing, `cost` is the record's own when it has one. */
export type RecognizedUsage = Omit<UsageRecord, 'costSource' | 'time'> & {
  time?: number;
  /** True when the provider is inferred from the response's shape (an OpenAI-compatible API may be another vendor's). */
  providerGuessed?: boolean;
};

/** What a record turned out to be: usage, not usage at all, or usage that cannot be read. */
export type Recognition = { usage: RecognizedUsage[] } | { ignored: string; quiet?: boolean } | { error: string };

/** Context an app's log line adds around a provider response. */
interface Envelope {
  time?: number;
  user?: string;
  tags: string[];
  provider?: string;
}

/** Normalises one parsed JSON value (a log line, an export row, a page). */
export function recognizeUsage(value: unknown): Recognition {
  if (!isObject(value)) return { ignored: 'not a JSON object' };
  try {
    return recognizeObject(value, { tags: [] }, 0);
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function recognizeObject(o: JsonObject, outer: Envelope, depth: number): Recognition {
  if (isGuardLedgerValue(o)) return recognizeGuardLedgerValue(o);
  if (Array.isArray(o.resourceSpans)) return fromOtlp(o);
  if (isPage(o)) return fromPage(o);
  if (isObject(o.usageMetadata)) return fromGemini(o, outer);
  if (isObject(o.usage) && (o.usage.prompt_tokens !== undefined || o.usage.input_tokens !== undefined) && !isLangfuse(o)) return fromProviderResponse(o, outer);
  if (isLiteLlm(o)) return fromLiteLlm(o);
  if (isLangfuse(o)) return fromLangfuse(o);
  if (isHelicone(o)) return fromHelicone(o);
  if (isBucket(o)) return fromPage({ data: [o] });
  if (isUsageExportRow(o)) return fromOpenAiUsageResult(o, toTime(pick(o, 'start_time_iso', 'start_time')), outer);
  if (isAnthropicReportRow(o)) return fromAnthropicReportResult(o, toTime(pick(o, 'usage_date_utc', 'starting_at', 'date')));

  // An app's own log line: the response under `response` or `body` (OpenAI Batch: `response.body`).
  if (depth < 3) {
    const inner = [o.response, o.body, o.result, o.output].find((candidate) => isObject(candidate));
    if (isObject(inner)) {
      const envelope = envelopeOf(o, outer);
      const nested = isObject(inner.body) && !isObject(inner.usage) ? inner.body : inner;
      const result = recognizeObject(nested, envelope, depth + 1);
      if ('usage' in result && isObject(o.response) && str(o.custom_id) && !result.usage[0]?.id) {
        result.usage.forEach((usage) => (usage.id = str(o.custom_id)));
      }
      return result;
    }
  }
  if (o.error !== undefined && o.error !== null && (o.custom_id !== undefined || o.response === null)) return { ignored: 'a failed request (no usage)' };
  return { ignored: 'no token usage in a recognised format' };
}

function envelopeOf(o: JsonObject, outer: Envelope): Envelope {
  const metadata = isObject(o.metadata) ? o.metadata : undefined;
  const tags = [...toTags(pick(o, 'tags', 'request_tags')), ...toTags(metadata?.tags)];
  return {
    time: toTime(pick(o, 'timestamp', 'time', 'ts', '@timestamp')) ?? outer.time,
    user: str(pick(o, 'user', 'user_id')) ?? str(pick(metadata, 'user', 'user_id')) ?? outer.user,
    tags: tags.length > 0 ? tags : outer.tags,
    provider: str(o.provider) ? normalizeProvider(String(o.provider)) : outer.provider,
  };
}

/** OpenAI chat/responses and Anthropic messages, read by the price package's own extractors. */
function fromProviderResponse(o: JsonObject, outer: Envelope): Recognition {
  const usage = o.usage as JsonObject;
  const model = str(o.model);
  if (!model) return { error: "a response with 'usage' but no 'model'" };
  const metadata = isObject(o.metadata) ? o.metadata : undefined;
  let provider: string;
  let flavor: string;
  if (usage.prompt_tokens !== undefined) {
    provider = outer.provider ?? 'openai';
    flavor = 'chat';
  } else if (o.type === 'message' || usage.cache_creation_input_tokens !== undefined || usage.cache_read_input_tokens !== undefined || /^msg_/.test(String(o.id ?? '')) || /claude/i.test(model)) {
    provider = outer.provider ?? 'anthropic';
    flavor = 'anthropic';
  } else {
    provider = outer.provider ?? 'openai';
    flavor = 'responses';
  }
  const extracted = extract(flavor === 'anthropic' ? 'anthropic' : 'openai', o, flavor === 'anthropic' ? 'default' : flavor);
  const time = toTime(pick(o, 'created', 'created_at')) ?? outer.time;
  const metaTags = toTags(metadata?.tags);
  return {
    usage: [
      {
        id: str(o.id),
        time,
        provider,
        model,
        user: str(pick(metadata, 'user', 'user_id')) ?? outer.user ?? str(pick(o, 'user', 'safety_identifier')),
        tags: metaTags.length > 0 ? metaTags : outer.tags,
        calls: 1,
        providerGuessed: outer.provider === undefined,
        ...extracted,
      },
    ],
  };
}

function fromGemini(o: JsonObject, outer: Envelope): Recognition {
  const model = str(pick(o, 'modelVersion', 'model'));
  if (!model) return { error: "a Gemini response with 'usageMetadata' but no 'modelVersion'" };
  const extracted = extract('google', o, 'default');
  return {
    usage: [
      {
        id: str(o.responseId),
        time: toTime(o.createTime) ?? outer.time,
        provider: outer.provider ?? 'google',
        model,
        user: outer.user,
        tags: outer.tags,
        calls: 1,
        ...extracted,
      },
    ],
  };
}

type Tokens = Pick<RecognizedUsage, 'inputTokens' | 'cachedInputTokens' | 'cacheWriteTokens' | 'outputTokens'>;

function extract(providerId: string, o: JsonObject, flavor: string): Tokens {
  const prices = loadGenaiPrices();
  const provider = prices.findProvider({ providerId }) as GenaiPrices.Provider;
  const { usage } = prices.extractUsage(provider, o, flavor);
  return {
    inputTokens: usage.input_tokens ?? 0,
    cachedInputTokens: usage.cache_read_tokens ?? 0,
    cacheWriteTokens: usage.cache_write_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
  };
}

/** OpenTelemetry OTLP JSON: one record per span with GenAI usage; other spans are ignored. */
function fromOtlp(o: JsonObject): Recognition {
  const usage: RecognizedUsage[] = [];
  for (const resourceSpans of o.resourceSpans as unknown[]) {
    if (!isObject(resourceSpans)) continue;
    const resource = attributes(isObject(resourceSpans.resource) ? resourceSpans.resource.attributes : undefined);
    const scopes = Array.isArray(resourceSpans.scopeSpans) ? resourceSpans.scopeSpans : Array.isArray(resourceSpans.instrumentationLibrarySpans) ? resourceSpans.instrumentationLibrarySpans : [];
    for (const scope of scopes) {
      if (!isObject(scope) || !Array.isArray(scope.spans)) continue;
      for (const span of scope.spans) {
        if (!isObject(span)) continue;
        const a = attributes(span.attributes);
        const input = num(pick(a, 'gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'));
        const output = num(pick(a, 'gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'));
        if (input === undefined && output === undefined) continue;
        const model = str(pick(a, 'gen_ai.response.model', 'gen_ai.request.model'));
        const providerName = str(pick(a, 'gen_ai.provider.name', 'gen_ai.system'));
        const spanId = str(span.spanId);
        usage.push({
          id: str(a['gen_ai.response.id']) ?? (spanId ? `${str(span.traceId) ?? ''}:${spanId}` : undefined),
          time: toTime(span.startTimeUnixNano ?? span.endTimeUnixNano),
          provider: providerName ? normalizeProvider(providerName) : 'unknown',
          model: model ?? 'unknown',
          user: str(pick(a, 'user.id', 'enduser.id')) ?? str(pick(resource, 'user.id', 'enduser.id')),
          tags: toTags(pick(a, 'tags', 'gen_ai.request.tags', 'prompt_budget.tags')),
          calls: 1,
          inputTokens: input ?? 0,
          cachedInputTokens: num(a['gen_ai.usage.cache_read.input_tokens']) ?? 0,
          cacheWriteTokens: num(a['gen_ai.usage.cache_creation.input_tokens']) ?? 0,
          outputTokens: output ?? 0,
        });
      }
    }
  }
  return usage.length > 0 ? { usage } : { ignored: 'spans without GenAI usage' };
}

/** OTLP attributes (`[{ key, value: { intValue | stringValue | … } }]`) as a plain map. */
function attributes(list: unknown): JsonObject {
  const out: JsonObject = {};
  if (!Array.isArray(list)) return out;
  for (const entry of list) {
    if (!isObject(entry) || typeof entry.key !== 'string' || !isObject(entry.value)) continue;
    const v = entry.value;
    if (isObject(v.arrayValue) && Array.isArray(v.arrayValue.values)) {
      out[entry.key] = v.arrayValue.values.map((item) => (isObject(item) ? (item.stringValue ?? item.intValue ?? item.doubleValue) : undefined));
    } else {
      out[entry.key] = v.stringValue ?? v.intValue ?? v.doubleValue ?? v.boolValue;
    }
  }
  return out;
}

/** A Usage API page (OpenAI) or usage report page (Anthropic): `data[]` buckets with `results[]`. */
function isPage(o: JsonObject): boolean {
  return Array.isArray(o.data) && (o.object === 'page' || o.has_more !== undefined) && o.data.every((bucket) => isBucket(bucket));
}

function isBucket(o: unknown): boolean {
  return isObject(o) && Array.isArray(o.results) && (o.start_time !== undefined || o.starting_at !== undefined);
}

function fromPage(o: JsonObject): Recognition {
  const usage: RecognizedUsage[] = [];
  for (const bucket of o.data as JsonObject[]) {
    const time = toTime(pick(bucket, 'start_time', 'starting_at'));
    for (const result of bucket.results as unknown[]) {
      if (!isObject(result)) continue;
      const recognized = isAnthropicReportRow(result) ? fromAnthropicReportResult(result, time) : fromOpenAiUsageResult(result, time, { tags: [] });
      if ('error' in recognized) return recognized;
      if ('usage' in recognized) usage.push(...recognized.usage);
    }
  }
  // A page of empty buckets is a valid page with no calls in it.
  return usage.length > 0 ? { usage } : { ignored: 'a usage page with no calls', quiet: true };
}

function isUsageExportRow(o: JsonObject): boolean {
  return o.num_model_requests !== undefined;
}

/** OpenAI's Usage API result or dashboard CSV row: counts `num_model_requests` calls. */
function fromOpenAiUsageResult(o: JsonObject, time: number | undefined, outer: Envelope): Recognition {
  const calls = num(o.num_model_requests) ?? 0;
  const input = num(o.input_tokens) ?? 0;
  const output = num(o.output_tokens) ?? 0;
  if (calls === 0 && input === 0 && output === 0) return { ignored: 'an empty usage bucket', quiet: true };
  return {
    usage: [
      {
        time: time ?? outer.time,
        provider: 'openai',
        model: str(o.model) ?? 'unknown',
        user: str(o.user_id) ?? outer.user,
        tags: str(o.project_id) ? [`project:${str(o.project_id)}`] : outer.tags,
        calls,
        inputTokens: input,
        cachedInputTokens: num(o.input_cached_tokens) ?? 0,
        cacheWriteTokens: 0,
        outputTokens: output,
      },
    ],
  };
}

function isAnthropicReportRow(o: JsonObject): boolean {
  return o.uncached_input_tokens !== undefined || o.usage_input_tokens_no_cache !== undefined;
}

/** Anthropic's usage report result or console CSV row. Neither says how many calls were made. */
function fromAnthropicReportResult(o: JsonObject, time: number | undefined): Recognition {
  const cacheCreation = isObject(o.cache_creation) ? o.cache_creation : {};
  const uncached = num(pick(o, 'uncached_input_tokens', 'usage_input_tokens_no_cache')) ?? 0;
  const cacheWrite =
    (num(pick(cacheCreation, 'ephemeral_5m_input_tokens')) ?? num(o.usage_input_tokens_cache_write_5m) ?? 0) +
    (num(pick(cacheCreation, 'ephemeral_1h_input_tokens')) ?? num(o.usage_input_tokens_cache_write_1h) ?? 0);
  const cacheRead = num(pick(o, 'cache_read_input_tokens', 'usage_input_tokens_cache_read')) ?? 0;
  const output = num(pick(o, 'output_tokens', 'usage_output_tokens')) ?? 0;
  if (uncached + cacheWrite + cacheRead + output === 0) return { ignored: 'an empty usage bucket', quiet: true };
  const workspace = str(pick(o, 'workspace_id', 'workspace'));
  return {
    usage: [
      {
        time,
        provider: 'anthropic',
        model: str(pick(o, 'model', 'model_version')) ?? 'unknown',
        user: str(pick(o, 'api_key_id', 'api_key')),
        tags: workspace ? [`workspace:${workspace}`] : [],
        calls: 0,
        inputTokens: uncached + cacheWrite + cacheRead,
        cachedInputTokens: cacheRead,
        cacheWriteTokens: cacheWrite,
        outputTokens: output,
      },
    ],
  };
}

function isLiteLlm(o: JsonObject): boolean {
  return (o.spend !== undefined || o.response_cost !== undefined) && (o.prompt_tokens !== undefined || o.total_tokens !== undefined);
}

/** LiteLLM spend logs (proxy DB rows) and standard logging payloads: the record's `spend` is its cost. */
function fromLiteLlm(o: JsonObject): Recognition {
  const metadata = isObject(o.metadata) ? o.metadata : typeof o.metadata === 'string' ? parseObject(o.metadata) : undefined;
  const model = str(pick(o, 'model', 'model_group')) ?? 'unknown';
  const slash = model.indexOf('/');
  const provider = str(o.custom_llm_provider) ?? (slash > 0 ? model.slice(0, slash) : undefined);
  const usageObject = isObject(metadata?.usage_object) ? metadata.usage_object : undefined;
  const details = isObject(usageObject?.prompt_tokens_details) ? usageObject.prompt_tokens_details : undefined;
  const cached = num(pick(details, 'cached_tokens')) ?? num(pick(usageObject, 'cache_read_input_tokens')) ?? 0;
  const cacheWrite = num(pick(usageObject, 'cache_creation_input_tokens')) ?? 0;
  const prompt = num(o.prompt_tokens) ?? 0;
  const completion = num(o.completion_tokens) ?? Math.max(0, (num(o.total_tokens) ?? 0) - prompt);
  const cost = num(pick(o, 'spend', 'response_cost'));
  return {
    usage: [
      {
        id: str(pick(o, 'request_id', 'id')),
        time: toTime(pick(o, 'startTime', 'start_time', 'endTime')),
        provider: provider ? normalizeProvider(provider) : 'unknown',
        model: slash > 0 && !o.custom_llm_provider ? model.slice(slash + 1) : model,
        user: str(pick(o, 'user', 'end_user')) ?? str(pick(metadata, 'user_api_key_user_id')),
        tags: toTags(o.request_tags),
        calls: 1,
        inputTokens: prompt,
        cachedInputTokens: cached,
        cacheWriteTokens: cacheWrite,
        outputTokens: completion,
        cost,
      },
    ],
  };
}

function parseObject(text: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isLangfuse(o: JsonObject): boolean {
  return (o.traceId !== undefined || o.trace_id !== undefined) && (isObject(o.usageDetails) || isObject(o.usage_details) || (isObject(o.usage) && o.usage.input !== undefined));
}

/**
 * Langfuse observations (generations). Langfuse's `input` is the uncached input (cache reads and
 * writes are their own usage keys), so they are added back to make the whole input.
 */
function fromLangfuse(o: JsonObject): Recognition {
  const details = (isObject(o.usageDetails) ? o.usageDetails : isObject(o.usage_details) ? o.usage_details : o.usage) as JsonObject;
  const costDetails = isObject(o.costDetails) ? o.costDetails : isObject(o.cost_details) ? o.cost_details : undefined;
  const cached = num(pick(details, 'cache_read_input_tokens', 'input_cached_tokens', 'input_cache_read')) ?? 0;
  const cacheWrite = num(pick(details, 'cache_creation_input_tokens', 'input_cache_creation')) ?? 0;
  const output = (num(pick(details, 'output', 'completion', 'output_tokens')) ?? 0) + (num(pick(details, 'output_reasoning_tokens')) ?? 0);
  const cost = num(pick(costDetails, 'total')) ?? num(pick(o, 'calculatedTotalCost', 'totalCost', 'total_cost'));
  return {
    usage: [
      {
        id: str(o.id),
        time: toTime(pick(o, 'startTime', 'start_time', 'timestamp')),
        provider: str(o.provider) ? normalizeProvider(String(o.provider)) : '',
        model: str(pick(o, 'model', 'providedModelName')) ?? 'unknown',
        user: str(pick(o, 'userId', 'user_id')),
        tags: toTags(o.tags),
        calls: 1,
        inputTokens: (num(pick(details, 'input', 'prompt', 'input_tokens')) ?? 0) + cached + cacheWrite,
        cachedInputTokens: cached,
        cacheWriteTokens: cacheWrite,
        outputTokens: output,
        cost: cost !== undefined && (cost > 0 || Number.isNaN(cost)) ? cost : undefined,
      },
    ],
  };
}

function isHelicone(o: JsonObject): boolean {
  return o.request_created_at !== undefined || o.response_created_at !== undefined || (o.request_id !== undefined && o.prompt_tokens !== undefined && (o.cost_usd !== undefined || o.request_model !== undefined));
}

/** Helicone request exports: their `cost`/`cost_usd` is the record's cost. */
function fromHelicone(o: JsonObject): Recognition {
  const cached = num(pick(o, 'prompt_cache_read_tokens')) ?? 0;
  const cacheWrite = num(pick(o, 'prompt_cache_write_tokens')) ?? 0;
  const prompt = num(pick(o, 'prompt_tokens')) ?? 0;
  const provider = str(o.provider);
  const properties = isObject(o.request_properties) ? o.request_properties : isObject(o.properties) ? o.properties : undefined;
  return {
    usage: [
      {
        id: str(pick(o, 'request_id', 'id')),
        time: toTime(pick(o, 'request_created_at', 'created_at', 'response_created_at')),
        provider: provider ? normalizeProvider(provider) : '',
        model: str(pick(o, 'model', 'request_model', 'response_model')) ?? 'unknown',
        user: str(pick(o, 'user_id', 'user')),
        tags: toTags(pick(properties, 'Helicone-Property-Tags', 'tags')),
        calls: 1,
        // Helicone's prompt_tokens include the cached part, as the provider reported it.
        inputTokens: prompt,
        cachedInputTokens: cached,
        cacheWriteTokens: cacheWrite,
        outputTokens: num(pick(o, 'completion_tokens')) ?? 0,
        cost: num(pick(o, 'cost_usd', 'cost')),
      },
    ],
  };
}
