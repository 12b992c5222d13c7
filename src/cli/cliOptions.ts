// The CLI's options: their table, their type and how a bad one is told, shared by runCli and every command.
import type { parseArgs } from 'node:util';

/** Every option the CLI knows, for node:util parseArgs; each command reads the ones it needs. */
export const CLI_OPTIONS = {
  model: { type: 'string' },
  models: { type: 'string' },
  json: { type: 'boolean' },
  format: { type: 'string' },
  config: { type: 'string' },
  prices: { type: 'string' },
  url: { type: 'string' },
  by: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  'count-with-api': { type: 'boolean' },
  agents: { type: 'boolean' },
  all: { type: 'boolean' },
  provider: { type: 'string' },
  current: { type: 'boolean' },
  tokenizers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** The options of one invocation, as every command receives them. */
export type CliOptions = {
  model?: string;
  models?: string;
  json?: boolean;
  format?: string;
  config?: string;
  prices?: string;
  url?: string;
  by?: string;
  since?: string;
  until?: string;
  base?: string;
  head?: string;
  'count-with-api'?: boolean;
  agents?: boolean;
  all?: boolean;
  provider?: string;
  current?: boolean;
  tokenizers?: string;
};

type OptionName = keyof CliOptions;

/** The options each command reads (`--help`, `--version` and `--prices` go with every command); any other is refused. */
export const COMMAND_OPTIONS: Readonly<Record<string, readonly OptionName[]>> = {
  count: ['model', 'config', 'json', 'count-with-api'],
  compare: ['models', 'all', 'model', 'config', 'json', 'count-with-api'],
  models: ['provider', 'current', 'config', 'json'],
  prices: ['url', 'json'],
  check: ['model', 'config', 'format', 'json', 'count-with-api'],
  report: ['model', 'config', 'format', 'json', 'count-with-api'],
  usage: ['agents', 'by', 'since', 'until', 'config', 'format', 'json'],
  diff: ['base', 'head', 'model', 'config', 'format', 'json'],
  tokenizers: ['json'],
};

const EVERY_COMMAND = new Set(['help', 'version', 'prices', 'tokenizers']);

type ArgToken = ReturnType<typeof parseArgs>['tokens'] extends (infer Token)[] | undefined ? Token : never;

/**
 * What is wrong with the options given, in our words: an unknown name, one the command does not read
 * (it would be ignored without a word), a missing or unwanted value.
 */
export function badOption(tokens: readonly ArgToken[] | undefined, command: string | undefined): string | undefined {
  const accepted = command === undefined ? undefined : COMMAND_OPTIONS[command];
  for (const token of tokens ?? []) {
    if (token.kind !== 'option') continue;
    const spec = (CLI_OPTIONS as Record<string, { type: 'string' | 'boolean' }>)[token.name];
    if (!spec) return `unknown option '${token.rawName}'.`;
    if (accepted && !EVERY_COMMAND.has(token.name) && !(accepted as readonly string[]).includes(token.name)) {
      return `${token.rawName} is not an option of '${command}'.`;
    }
    if (spec.type === 'string' && (token.value === undefined || (token.inlineValue !== true && token.value.startsWith('-')))) {
      return `${token.rawName} needs a value.`;
    }
    if (spec.type === 'boolean' && token.inlineValue) return `${token.rawName} takes no value.`;
  }
  return undefined;
}
