// Reading loosely typed values out of log records: numbers written as strings ("10.0", 64-bit
// integers), times in seconds, milliseconds, nanoseconds or ISO text.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number from a number or numeric text; undefined for absent or empty values. */
export function num(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    const parsed = Number(text);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

/** A non-empty string, or a number written as one (ids, user ids). */
export function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** The first present value of `keys` in `object`. */
export function pick(object: JsonObject | undefined, ...keys: string[]): unknown {
  if (!object) return undefined;
  for (const key of keys) {
    const value = object[key];
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

/** Epoch ms from epoch seconds/ms/µs/ns (by magnitude) or date text; undefined when unreadable. */
export function toTime(value: unknown): number | undefined {
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
  if (number !== undefined) {
    if (!Number.isFinite(number) || number <= 0) return undefined;
    if (number < 1e11) return number * 1000; // seconds
    if (number < 1e14) return number; // milliseconds
    if (number < 1e17) return number / 1000; // microseconds
    return number / 1e6; // nanoseconds
  }
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  let text = value.trim();
  // "2026-11-03 10:00:00" (SQL exports) and dates without a zone are read as UTC.
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(text)) {
    text = text.replace(' ', 'T');
    if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) text += 'Z';
    text = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  } else if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    text += 'T00:00:00Z';
  }
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** Tags from a list, a comma-separated string, or JSON text of a list (LiteLLM's `request_tags`). */
export function toTags(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(str).filter((tag): tag is string => tag !== undefined);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.startsWith('[')) {
      try {
        return toTags(JSON.parse(text));
      } catch {
        return [];
      }
    }
    return text
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '');
  }
  return [];
}

/** Provider names as telemetry and gateways write them, mapped to the price data's ids. */
export function normalizeProvider(name: string): string {
  const lower = name.trim().toLowerCase();
  if (lower === 'gcp.gemini' || lower === 'gcp.vertex_ai' || lower === 'gemini' || lower === 'vertex_ai' || lower === 'vertex_ai-language-models' || lower === 'gcp.gen_ai') return 'google';
  if (lower === 'azure.ai.openai' || lower === 'az.ai.openai' || lower === 'azure.ai.inference') return 'azure';
  if (lower === 'aws.bedrock' || lower === 'bedrock') return 'aws';
  if (lower === 'x_ai' || lower === 'xai') return 'x-ai';
  return lower;
}
