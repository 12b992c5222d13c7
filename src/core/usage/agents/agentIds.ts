// The coding agents whose own usage files Prompt Budget reads.

/** Agent ids as `usage.agents`, the setting and `--by agent` name them. */
export const AGENT_IDS = ['claude-code', 'codex', 'gemini-cli'] as const;
export type AgentId = (typeof AGENT_IDS)[number];

/** True for a known agent id. */
export function isAgentId(value: unknown): value is AgentId {
  return typeof value === 'string' && (AGENT_IDS as readonly string[]).includes(value);
}
