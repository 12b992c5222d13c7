// One message of a Gemini CLI session (`~/.gemini/tmp/<project>/chats/session-….json`, or `.jsonl`
// in newer versions). Gemini CLI's ChatRecordingService writes the API's usageMetadata on each
// `type: "gemini"` message as `tokens`: `input` (promptTokenCount, cached content included),
// `cached` (cachedContentTokenCount), `output` (candidatesTokenCount), `thoughts`
// (thoughtsTokenCount, billed as output), `tool` (toolUsePromptTokenCount, billed as input) and
// `total`. A message's tokens are written once, and a session file is rewritten (or appended to)
// as it grows, so each message is counted once by its id.
import type { RecognizedUsage } from '../recognizeUsage';
import type { AgentFields } from '../usageLedger';
import { isObject, num, str, toTime, type JsonObject } from '../usageValues';
import type { AgentLineResult, AgentFileFacts } from './agentLine';

/** What a session's first record said. */
export interface GeminiState {
  session?: string;
}

/** The usage of one session record: the session's own fields, or a Gemini message with tokens. */
export function geminiCliMessage(value: JsonObject, state: GeminiState, context: AgentFileFacts): AgentLineResult {
  state.session = str(value.sessionId) ?? state.session;
  if (value.type !== 'gemini' || !isObject(value.tokens)) return { ignored: true };
  const tokens = value.tokens;
  const input = num(tokens.input) ?? 0;
  const cached = num(tokens.cached) ?? 0;
  const output = num(tokens.output) ?? 0;
  const thoughts = num(tokens.thoughts) ?? 0;
  const tool = num(tokens.tool) ?? 0;
  const total = num(tokens.total);
  if (input + output + thoughts + tool === 0) return { ignored: true };
  const time = toTime(value.timestamp);
  if (time === undefined) return { error: "a Gemini message without a readable 'timestamp'" };
  // The API's prompt count includes cached content; should a total say otherwise, the cache is added.
  const excludesCache = cached > 0 && total === input + cached + output + thoughts + tool;
  const session = state.session ?? context.session;
  const id = str(value.id);
  const usage: RecognizedUsage & AgentFields = {
    id: id ? `gemini-cli:${session ?? ''}:${id}` : undefined,
    time,
    provider: 'google',
    model: str(value.model) ?? 'unknown',
    tags: [],
    calls: 1,
    inputTokens: input + tool + (excludesCache ? cached : 0),
    cachedInputTokens: cached,
    cacheWriteTokens: 0,
    outputTokens: output + thoughts,
    agent: 'gemini-cli',
    session,
    project: context.project,
  };
  return { usage };
}
