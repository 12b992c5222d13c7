import { parseArgs } from 'node:util';
import { EXIT_USAGE, type CliIo } from './cliIo';
import { runCount } from './countCommand';
import { runCompare } from './compareCommand';
import { runModels } from './modelsCommand';
import { runCheck } from './checkCommand';
import { runReport } from './reportCommand';
import { runPrices, usePriceOption } from './pricesCommand';
import { runUsage } from './usageCommand';
import { CLI_VERSION } from './version';

export const USAGE = `Usage: prompt-budget <command> [options]

Commands:
  count FILE... [--model ID] [--json]     tokens and cost per call of each prompt file
  compare FILE [--models a,b,...] [--json] the same prompt across models, side by side
  models [--json]                         the model catalog: limits, prices, sources
  prices [update [--url URL]] [--json]    the price data in use; update fetches newer prices
  check [DIR] [--config FILE] [--format text|json|sarif]
                                          enforce prompt-budget.yaml (exit 1 when over)
  report [DIR] [--config FILE] [--format csv|json|md]
                                          tokens and cost per budget and per file
  usage [PATH...] [--agents] [--config FILE] [--since DATE] [--until DATE]
        [--by day|week|month|model|provider|user|tag|budget|agent|project|session|block[,…]]
        [--format table|json|csv|md]
                                          actual calls, tokens and cost from usage logs
                                          (--agents: Claude Code's, Codex's, Gemini CLI's files),
                                          and quotas (exit 1 when one is over)

Options:
  --model ID      model to count for when a file declares none (default: the
                  config's defaultModel, else gpt-4o)
  --prices FILE   price data to use (genai-prices data.json, or a saved update)
  -h, --help      show this help
  -v, --version   show the version

Exit codes: 0 ok, 1 over a limit (check), 2 bad usage, bad config or unreadable input.
Counts marked ≈ are estimates (no public tokenizer for that model).`;

const OPTIONS = {
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
  agents: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

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
  agents?: boolean;
};

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr(`prompt-budget: ${error instanceof Error ? error.message : String(error)}\nRun 'prompt-budget --help' for usage.`);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.stdout(CLI_VERSION);
    return 0;
  }
  const [command, ...args] = positionals;
  if (values.help || !command) {
    (command || values.help ? io.stdout : io.stderr)(USAGE);
    return values.help ? 0 : EXIT_USAGE;
  }
  if (!(await usePriceOption(values, io))) return EXIT_USAGE;
  switch (command) {
    case 'prices':
      return runPrices(args, values, io);
    case 'count':
      return runCount(args, values, io);
    case 'compare':
      return runCompare(args, values, io);
    case 'models':
      return runModels(args, values, io);
    case 'check':
      return runCheck(args, values, io);
    case 'report':
      return runReport(args, values, io);
    case 'usage':
      return runUsage(args, values, io);
    default:
      io.stderr(`prompt-budget: unknown command '${command}'.\nRun 'prompt-budget --help' for usage.`);
      return EXIT_USAGE;
  }
}
