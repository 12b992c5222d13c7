// Reading loosely typed values out of log records: numbers written as strings ("10.0", 64-bit
// integers), times in seconds, milliseconds, nanoseconds or ISO text. Parsing is strict: a value that
// is there but unreadable is NaN, so the record is reported instead of counted as zero or 1970.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Numbers written as text: plain decimal notation only (no hex, binary, `Infinity` or blanks inside). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A number from a number or decimal text ("10.0", 64-bit integers as strings); undefined for absent
 * or empty values, NaN for a value that is present but not a finite decimal number (so the record is
 * reported, not read as zero).
 */
export function num(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    if (!DECIMAL.test(text)) return NaN;
    const parsed = Number(text);
    return Number.isFinite(parsed) ? parsed : NaN;
  }
  return NaN;
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

/** The earliest and latest times a log record may carry: LLM APIs are younger than 2000, and a year past 2100 is a unit error. */
export const EARLIEST_RECORD_TIME = Date.UTC(2000, 0, 1);
export const LATEST_RECORD_TIME = Date.UTC(2100, 0, 1);

/**
 * Epoch ms from epoch seconds/ms/µs/ns (by magnitude) or ISO 8601 text; undefined when absent, NaN
 * when present but not a real timestamp: text other than ISO 8601, impossible dates (2025-02-30), or
 * a time outside 2000–2100 ("2026" as seconds is 1970, "-1" is no time at all).
 */
export function toTime(value: unknown): number | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return undefined;
  let time: number;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
  if (number !== undefined) {
    if (!Number.isFinite(number) || number <= 0) return NaN;
    if (number < 1e11) time = number * 1000; // seconds
    else if (number < 1e14) time = number; // milliseconds
    else if (number < 1e17) time = number / 1000; // microseconds
    else time = number / 1e6; // nanoseconds
  } else if (typeof value === 'string') {
    time = parseIsoTime(value.trim());
  } else {
    return NaN;
  }
  return time >= EARLIEST_RECORD_TIME && time < LATEST_RECORD_TIME ? time : NaN;
}

const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Epoch ms of an ISO 8601 date or time ("2026-11-03", "2026-11-03 10:00:00", "…T10:00:00.123+02:00");
 * a time without a zone is UTC (SQL exports write them so). NaN for anything else, and for dates and
 * times that do not exist (2025-02-30, 24:00, 10:61).
 */
export function parseIsoTime(text: string): number {
  const match = ISO_TIME.exec(text);
  if (!match) return NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const date = Date.UTC(year, month - 1, day);
  if (new Date(date).getUTCDate() !== day) return NaN;
  let offset = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(3).replace(':', '') || '0');
    if (zoneHours > 23 || zoneMinutes > 59) return NaN;
    offset = (zone[0] === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
  }
  const millis = fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  return date + ((hour * 60 + minute) * 60 + second) * 1000 + millis - offset;
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
