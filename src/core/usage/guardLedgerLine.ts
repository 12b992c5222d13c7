// The lines the runtime library (createGuard) appends to a JSONL ledger: one per call with the
// provider's reported usage, plus the reservations and releases that let processes share quotas.
// The usage readers count call lines like any other log; reservation lines are bookkeeping.
import type { CostSource, UsageRecord } from './usageRecord';
import { isObject, num, str, toTags, toTime, type JsonObject } from './usageValues';

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

/** Parses one ledger line; undefined for anything else (a torn or foreign line). */
export function parseGuardLedgerLine(text: string): GuardLedgerLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || !isGuardLedgerValue(value) || typeof value.reservation !== 'string' && value.type !== GUARD_CALL_TYPE) return undefined;
  return value as unknown as GuardLedgerLine;
}
