// The parsed shape of prompt-budget.yaml. Positions are kept so that later checks (globs that match
// nothing, budget findings shown on the config file) can point at the exact key or value.

import type { ModelOverride } from '../types';
import type { AgentId } from '../usage/agents/agentIds';

/** A span in the config file: 1-based line and column; the end is exclusive, as in SARIF. */
export interface SourcePosition {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A glob as written in the config, with where it was written. */
export interface GlobPattern {
  pattern: string;
  position: SourcePosition;
}

/** One entry of `budgets`: a group of prompt files and the limits they must stay within. */
export interface Budget {
  name: string;
  files: GlobPattern[];
  exclude: GlobPattern[];
  /** Model for this budget's prompts that do not declare one themselves. */
  model?: string;
  /** Per prompt: input tokens of one call. */
  maxInputTokens?: number;
  /** Per prompt: input tokens plus the output tokens assumed for one call. */
  maxTotalTokens?: number;
  /** Output tokens assumed per call, for cost and `maxTotalTokens`. */
  expectedOutputTokens?: number;
  /** Per prompt, USD for one call including the expected output. */
  maxCostPerCall?: number;
  /** Calls per day of each prompt in the budget. */
  callsPerDay?: number;
  /** USD for 30 days of the whole budget (every prompt, `callsPerDay` calls a day). */
  maxMonthlyCost?: number;
  /** The budget's own `warnAt`, or the top-level one. */
  warnAt: number;
  /** Tags in usage logs that link calls to this budget's prompts (`usage` section). */
  usageTags?: string[];
  /** Where the budget's `name` value (or, without one, the entry) stands. */
  position: SourcePosition;
  /** Where each key's value stands, e.g. `positions.maxMonthlyCost` to show a monthly finding on the config. */
  positions: Partial<Record<string, SourcePosition>>;
}

/** A prompt-budget.yaml that parsed without errors. */
export interface BudgetConfig {
  /** The config file as passed to the parser, for problems. */
  file: string;
  version: 1;
  defaultModel?: string;
  /** Fraction of a limit at which a warning starts; 0.8 unless set. */
  warnAt: number;
  /** Prompt files to scan; empty means the caller's default. */
  files: GlobPattern[];
  /** Files that are never prompts, even when another glob matches them. */
  ignore: GlobPattern[];
  /** Additions and overrides of the model catalog, in file order. */
  models: ModelOverride[];
  budgets: Budget[];
  /** Where `defaultModel`'s value stands. */
  defaultModelPosition?: SourcePosition;
  /** The `usage` section: logs of actual calls and the quotas they are held to. */
  usage?: UsageConfig;
}

/** `usage` in prompt-budget.yaml. */
export interface UsageConfig {
  /** Globs of usage logs, relative to the config's folder. */
  files: GlobPattern[];
  quotas: UsageQuota[];
  /** Coding agents whose own usage files are read too (`claude-code`, `codex`). */
  agents?: AgentId[];
  /** Where the runtime library records calls: a JSONL file relative to the config's folder, a postgres:// URL, or env:VARIABLE naming one. */
  ledger?: string;
  ledgerPosition?: SourcePosition;
}

/** One entry of `usage.quotas`. */
export interface UsageQuota {
  name: string;
  /** `block`: the current 5-hour block of the matching agent calls. */
  period: 'day' | 'week' | 'month' | 'block';
  models?: string[];
  users?: string[];
  tags?: string[];
  /** Coding agents a call must come from. */
  agents?: string[];
  maxCost?: number;
  maxTokens?: number;
  maxCalls?: number;
  /** The quota's own `warnAt`, or the top-level one. */
  warnAt: number;
  /** Where the quota's `name` value (or, without one, the entry) stands. */
  position: SourcePosition;
  /** Where each key's value stands, for diagnostics on the config. */
  positions: Partial<Record<string, SourcePosition>>;
}

/** Used when neither the budget nor the file sets `warnAt`. */
export const DEFAULT_WARN_AT = 0.8;

/** Days in the month of `maxMonthlyCost`. */
export const DAYS_PER_MONTH = 30;
