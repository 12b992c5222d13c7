// One line of a Codex CLI rollout (`sessions/YYYY/MM/DD/rollout-….jsonl`). `session_meta` names the
// session and its working folder, `turn_context` the model of the turns that follow, and
// `event_msg` lines of type `token_count` carry `info.last_token_usage` (this call: `input_tokens`
// including `cached_input_tokens`, `output_tokens` including `reasoning_output_tokens`) and the
// session's running `total_token_usage`. Codex writes the same counter again on rate-limit and UI
// refreshes; a total that has not moved is not a new call, so it is skipped (ccusage issue #1288).
import type { RecognizedUsage } from '../recognizeUsage';
import type { AgentFields } from '../usageLedger';
import { isObject, num, str, toTime, type JsonObject } from '../usageValues';
import { homeRelative, type AgentLineResult, type AgentFileFacts } from './agentLine';

interface TokenTotals {
  input: number;
  cached: number;
  output: number;
  reasoning: number;
}

/** What earlier lines of a rollout said; kept between incremental reads. */
export interface CodexState {
  session?: string;
  project?: string;
  model?: string;
  /** True once a call was priced with the assumed model (noted once per file). */
  assumedModel?: boolean;
  total?: TokenTotals;
}

/** The model Codex used before rollouts named it (ccusage assumes the same). */
export const CODEX_DEFAULT_MODEL = 'gpt-5';

/** The usage of one parsed rollout line, updating `state` from context lines. */
export function codexLine(value: JsonObject, state: CodexState, context: AgentFileFacts): AgentLineResult {
  const payload = isObject(value.payload) ? value.payload : undefined;
  if (!payload) return { ignored: true };
  if (value.type === 'session_meta') {
    state.session = str(payload.id) ?? state.session;
    state.project = homeRelative(str(payload.cwd), context.home) ?? state.project;
    return { ignored: true };
  }
  if (value.type === 'turn_context') {
    state.model = str(payload.model) ?? state.model;
    state.project = homeRelative(str(payload.cwd), context.home) ?? state.project;
    return { ignored: true };
  }
  if (value.type !== 'event_msg' || payload.type !== 'token_count') return { ignored: true };
  const info = isObject(payload.info) ? payload.info : undefined;
  if (!info) return { ignored: true };
  const last = totalsOf(info.last_token_usage);
  const total = totalsOf(info.total_token_usage);
  if (last === null || total === null) return { error: 'a token_count whose counts are not numbers' };
  if (total && state.total && sameTotals(total, state.total)) return { repeat: true };
  const call = last ?? (total ? difference(total, state.total) : undefined);
  if (total) state.total = total;
  if (!call || call.input + call.output === 0) return { ignored: true };
  const time = toTime(value.timestamp);
  if (time === undefined) return { error: "a token_count without a readable 'timestamp'" };
  const named = str(info.model) ?? state.model;
  let note: string | undefined;
  if (!named && !state.assumedModel) {
    state.assumedModel = true;
    note = `no turn_context names the model before this call: priced as ${CODEX_DEFAULT_MODEL}, Codex's default then (as ccusage does)`;
  }
  const usage: RecognizedUsage & AgentFields = {
    time,
    provider: 'openai',
    model: named ?? CODEX_DEFAULT_MODEL,
    tags: [],
    calls: 1,
    inputTokens: call.input,
    cachedInputTokens: Math.min(call.cached, call.input),
    cacheWriteTokens: 0,
    outputTokens: call.output,
    agent: 'codex',
    session: state.session ?? context.session,
    project: state.project ?? context.project,
  };
  return note ? { usage, note } : { usage };
}

/** Counts of a usage object; undefined when absent, null when present but not numbers. */
function totalsOf(value: unknown): TokenTotals | undefined | null {
  if (!isObject(value)) return undefined;
  const input = num(value.input_tokens);
  const output = num(value.output_tokens);
  if (input === undefined || output === undefined || input < 0 || output < 0) return null;
  return { input, cached: num(value.cached_input_tokens) ?? num(value.cache_read_input_tokens) ?? 0, output, reasoning: num(value.reasoning_output_tokens) ?? 0 };
}

function sameTotals(a: TokenTotals, b: TokenTotals): boolean {
  return a.input === b.input && a.cached === b.cached && a.output === b.output && a.reasoning === b.reasoning;
}

/** This call's counts from two running totals (a counter that went back counts from zero). */
function difference(total: TokenTotals, previous: TokenTotals | undefined): TokenTotals {
  const minus = (key: keyof TokenTotals) => Math.max(0, total[key] - (previous?.[key] ?? 0));
  return { input: minus('input'), cached: minus('cached'), output: minus('output'), reasoning: minus('reasoning') };
}
