// The one shape every usage format is normalised to. Message contents are never part of it.

/** Where a record's cost came from. */
export type CostSource = 'record' | 'price-data' | 'none';

/** One call (or, for usage exports, a bucket of calls) as the provider billed it. */
export interface UsageRecord {
  /** The provider's response id, when the format carries one; the same id is counted once. */
  id?: string;
  /** Epoch milliseconds, UTC. */
  time: number;
  provider: string;
  model: string;
  user?: string;
  tags: string[];
  /** Calls in this record: 1 for a response, `num_model_requests` for an export row. */
  calls: number;
  /** The whole input, cached reads and cache writes included. */
  inputTokens: number;
  /** Input tokens read from the provider's cache. */
  cachedInputTokens: number;
  /** Input tokens written to the provider's cache (Anthropic). */
  cacheWriteTokens: number;
  /** Output tokens, reasoning and thinking included. */
  outputTokens: number;
  /** USD; absent when neither the record nor the price data gives one. */
  cost?: number;
  costSource: CostSource;
  /** The coding agent that made the call (`claude-code`, `codex`), for records read from an agent's own logs. */
  agent?: string;
  /** The agent session's working folder, relative to the home folder (`~/src/app`). */
  project?: string;
  /** The agent's session id. */
  session?: string;
}

/** A line that could not be used, as `file:line: message`. */
export interface UsageProblem {
  file: string;
  line: number;
  message: string;
}

/** The periods and dimensions usage can be grouped by; `model` puts dated snapshots under their model, `snapshot` splits them. */
export const USAGE_GROUP_KEYS = ['day', 'week', 'month', 'model', 'provider', 'user', 'tag', 'budget', 'snapshot', 'agent', 'project', 'session', 'block'] as const;
export type UsageGroupKey = (typeof USAGE_GROUP_KEYS)[number];
