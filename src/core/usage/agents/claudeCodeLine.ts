// One line of a Claude Code session file (`projects/<project>/<session>.jsonl`). Assistant lines carry
// the API response's `message.usage`; Claude Code writes one line per content block of a response,
// each with the same usage, so a (`message.id`, `requestId`) pair is counted once. Sub-agent
// (sidechain) lines are calls too. Only the counts are kept: the message's content never leaves here.
import type { RecognizedUsage } from '../recognizeUsage';
import type { AgentFields } from '../usageLedger';
import { isObject, num, str, toTime, type JsonObject } from '../usageValues';
import { homeRelative, type AgentLineResult, type AgentFileFacts } from './agentLine';

/** Claude Code's placeholder for messages it made up itself (an interrupted turn, an API error): no call was made. */
const SYNTHETIC_MODEL = '<synthetic>';

/** The usage of one parsed Claude Code line; lines without `message.usage` are not calls. */
export function claudeCodeLine(value: JsonObject, context: AgentFileFacts): AgentLineResult {
  const message = isObject(value.message) ? value.message : undefined;
  const usage = message && isObject(message.usage) ? message.usage : undefined;
  if (!message || !usage) return { ignored: true };
  const model = str(message.model) ?? 'unknown';
  if (model === SYNTHETIC_MODEL) return { ignored: true };
  const input = num(usage.input_tokens);
  const output = num(usage.output_tokens);
  if (input === undefined || output === undefined) return { error: 'message.usage without input_tokens and output_tokens' };
  const time = toTime(value.timestamp);
  if (time === undefined) return { error: "an assistant line without a readable 'timestamp'" };
  const cacheWrite = num(usage.cache_creation_input_tokens) ?? 0;
  const cacheRead = num(usage.cache_read_input_tokens) ?? 0;
  const messageId = str(message.id);
  const requestId = str(value.requestId);
  const record: RecognizedUsage & AgentFields = {
    id: messageId && requestId ? `claude-code:${messageId}:${requestId}` : undefined,
    time,
    provider: 'anthropic',
    model,
    tags: [],
    calls: 1,
    // Anthropic's input_tokens leave out cache reads and writes: the whole input adds them back.
    inputTokens: input + cacheWrite + cacheRead,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: output,
    // Claude Code wrote its own cost estimate in early versions.
    cost: num(value.costUSD),
    agent: 'claude-code',
    session: str(value.sessionId) ?? context.session,
    project: homeRelative(str(value.cwd), context.home) ?? context.project,
  };
  return { usage: record };
}
