// The lines the runtime library (createGuard) appends to a JSONL ledger: one per call with the
// provider's reported usage, plus the reservations and releases that let processes share quotas.
// The usage readers count call lines like any other log; reservation lines are bookkeeping.
import type { CostSource, UsageRecord } from './usageRecord';
import { isObject, num, str, toTags, toTime, type JsonObject } from './usageValues';
import { MAX_RECORD_COST, MAX_RECORD_TOKENS, usageRecordProblem } from './usageRecordProblem';

export const GUARD_CALL_TYPE = 'prompt-budget/call';
export const GUARD_RESERVATION_TYPE = 'prompt-budget/reservation';
export const GUARD_RELEASE_TYPE = 'prompt-budget/release';

/** One call as the guard records it. Prompt and reply texts are never part of it. */
export interface GuardCallLine {
  type: typeof GUARD_CALL_TYPE;
  /** ISO time the call finished. */
  time: string;
  /** The provider's response id. */
  id?: string;
  provider: string;
  /** The model as the provider reported it. */
  model: string;
  user?: string;
  tags: string[];
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** USD, priced at the call's time; absent when no price is known. */
  cost?: number;
  costSource: CostSource;
  latencyMs?: number;
  /** The reservation this call settles. */
  reservation?: string;
}

/** A call's worst case, held against quotas while the call is in flight. */
export interface GuardReservationLine {
  type: typeof GUARD_RESERVATION_TYPE;
  reservation: string;
  time: string;
  /** Epoch ms after which a reservation never settled (its process died) stops counting. */
  expires: number;
  provider: string;
  model: string;
  user?: string;
  tags: string[];
  tokens: number;
  cost: number;
}

export interface GuardReleaseLine {
  type: typeof GUARD_RELEASE_TYPE;
  reservation: string;
  time: string;
}

export type GuardLedgerLine = GuardCallLine | GuardReservationLine | GuardReleaseLine;

/** Whether a parsed log value is one of the guard's lines. */
export function isGuardLedgerValue(value: JsonObject): boolean {
  return value.type === GUARD_CALL_TYPE || value.type === GUARD_RESERVATION_TYPE || value.type === GUARD_RELEASE_TYPE;
}

/** A call line as the usage readers take it (recognizeUsage's shape, before pricing). */
type GuardLineUsage = Omit<UsageRecord, 'costSource' | 'time'> & { time?: number };

/** A guard ledger line as usage: calls count; reservations and releases are quietly skipped. */
export function recognizeGuardLedgerValue(value: JsonObject): { usage: GuardLineUsage[] } | { ignored: string; quiet: true } {
  if (value.type !== GUARD_CALL_TYPE) return { ignored: 'a quota reservation', quiet: true };
  const usage: GuardLineUsage = {
    id: str(value.id),
    time: toTime(value.time),
    provider: str(value.provider) ?? 'unknown',
    model: str(value.model) ?? 'unknown',
    user: str(value.user),
    tags: toTags(value.tags),
    calls: 1,
    inputTokens: num(value.inputTokens) ?? 0,
    cachedInputTokens: num(value.cachedInputTokens) ?? 0,
    cacheWriteTokens: num(value.cacheWriteTokens) ?? 0,
    outputTokens: num(value.outputTokens) ?? 0,
    cost: num(value.cost),
  };
  return { usage: [usage] };
}

/** One ledger line read: a line the guard can apply, a line of the guard's that cannot count (why), or not the guard's at all. */
export type GuardLedgerReading = { line: GuardLedgerLine } | { problem: string } | undefined;

/**
 * Reads one ledger line with the checks the usage readers apply (a real time, whole plausible
 * counts), so the guard and `prompt-budget usage` count the same calls of a file. The line comes
 * back normalised: an ISO time, numbers as numbers, tags as a list of strings.
 */
export function readGuardLedgerLine(text: string): GuardLedgerReading {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isGuardLedgerValue(value)) return undefined;
  if (value.type === GUARD_CALL_TYPE) return readCall(value);
  const reservation = str(value.reservation);
  if (reservation === undefined) return { problem: 'skipped: a reservation line without a reservation id' };
  const time = toTime(value.time);
  if (time === undefined || Number.isNaN(time)) return { problem: 'rejected the time of a reservation line: not a real timestamp' };
  if (value.type === GUARD_RELEASE_TYPE) return { line: { type: GUARD_RELEASE_TYPE, reservation, time: new Date(time).toISOString() } };
  const expires = num(value.expires);
  const tokens = num(value.tokens);
  const cost = num(value.cost);
  if (expires === undefined || !Number.isFinite(expires)) return { problem: 'rejected the expiry of a reservation line: not a decimal number' };
  if (tokens === undefined || !Number.isFinite(tokens) || tokens < 0 || tokens > MAX_RECORD_TOKENS) return { problem: 'rejected the tokens of a reservation line: not a plausible count' };
  if (cost === undefined || !Number.isFinite(cost) || cost < 0 || cost > MAX_RECORD_COST) return { problem: 'rejected the cost of a reservation line: not a plausible cost' };
  return {
    line: {
      type: GUARD_RESERVATION_TYPE,
      reservation,
      time: new Date(time).toISOString(),
      expires,
      provider: str(value.provider) ?? 'unknown',
      model: str(value.model) ?? 'unknown',
      user: str(value.user),
      tags: toTags(value.tags),
      tokens,
      cost,
    },
  };
}

function readCall(value: JsonObject): GuardLedgerReading {
  const recognition = recognizeGuardLedgerValue(value);
  if (!('usage' in recognition)) return undefined;
  const [usage] = recognition.usage;
  const problem = usageRecordProblem(usage);
  if (problem !== undefined || usage.time === undefined) return { problem: problem ?? 'no time in the record' };
  const line: GuardCallLine = {
    type: GUARD_CALL_TYPE,
    time: new Date(usage.time).toISOString(),
    id: usage.id,
    provider: usage.provider,
    model: usage.model,
    user: usage.user,
    tags: usage.tags,
    inputTokens: usage.inputTokens,
    cachedInputTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    outputTokens: usage.outputTokens,
    cost: usage.cost,
    costSource: usage.cost === undefined ? 'none' : value.costSource === 'price-data' ? 'price-data' : 'record',
  };
  const latencyMs = num(value.latencyMs);
  if (latencyMs !== undefined && Number.isFinite(latencyMs)) line.latencyMs = latencyMs;
  const reservation = str(value.reservation);
  if (reservation !== undefined) line.reservation = reservation;
  return { line };
}

/** Parses one ledger line the guard can apply; undefined for anything else (a torn, foreign or invalid line). */
export function parseGuardLedgerLine(text: string): GuardLedgerLine | undefined {
  const reading = readGuardLedgerLine(text);
  return reading && 'line' in reading ? reading.line : undefined;
}
