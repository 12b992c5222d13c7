import { parseArgs } from 'node:util';
import { EXIT_USAGE, type CliIo } from './cliIo';
import { badOption, CLI_OPTIONS, type CliOptions } from './cliOptions';
import { COMMAND_HELP } from './commandHelp';
import { runCount } from './countCommand';
import { runCompare } from './compareCommand';
import { runModels } from './modelsCommand';
import { runCheck } from './checkCommand';
import { runReport } from './reportCommand';
import { runPrices, usePriceOption } from './pricesCommand';
import { runUsage } from './usageCommand';
import { runDiff } from './diffCommand';
import { CLI_VERSION } from './version';
import { runTokenizers, useTokenizersOption } from './tokenizersCommand';

export const USAGE = `Usage: prompt-budget <command> [options]

Commands:
  count FILE... [--model ID] [--json] [--count-with-api]
                                          tokens and cost per call of each prompt file
  compare FILE [--models a,b,...] [--all] [--json] [--count-with-api]
                                          the same prompt across models, side by side
  models [SEARCH] [--provider NAME] [--current] [--json]
                                          the model catalog: limits, prices, sources
  prices [update [--url URL]] [--json]    the price data in use; update fetches newer prices
  check [DIR] [--config FILE] [--format text|json|sarif] [--count-with-api]
                                          enforce prompt-budget.yaml (exit 1 when over)
  report [DIR] [--config FILE] [--format csv|json|md]
                                          tokens and cost per budget and per file
  usage [PATH...] [--agents] [--config FILE] [--since DATE] [--until DATE]
        [--by day|week|month|model|snapshot|provider|user|tag|budget|agent|project|session|block[,…]]
        [--format table|json|csv|md]
                                          actual calls, tokens and cost from usage logs
                                          (--agents: Claude Code's, Codex's, Gemini CLI's files),
                                          and quotas (exit 1 when one is over)
  diff [DIR] [--base REV] [--head REV] [--config FILE] [--format text|json|md|github]
                                          what a change does to tokens, cost and budgets
                                          (default HEAD against the working tree; exit 1
                                          when it newly breaks a limit)
  tokenizers [list | pull [FAMILY...]] [--json]
                                          vocabularies, their tier and where their file is;
                                          pull downloads the pinned ones (Kimi K2, GLM-4.5…)

Options:
  --prices FILE   price data to use (genai-prices data.json, or a saved update)
  --tokenizers DIR
                  a folder of vocabulary files (tokenizer.json, tiktoken.model…),
                  matched by sha256 whatever their names (also PROMPT_BUDGET_TOKENIZERS)
  --count-with-api
                  count with the provider's API where it has one and a key is
                  set (ANTHROPIC_API_KEY, GEMINI_API_KEY/GOOGLE_API_KEY,
                  XAI_API_KEY): sends the prompt to the provider; exact
  -h, --help      show this help; 'prompt-budget COMMAND --help' shows a command's options
  -v, --version   show the version

Exit codes: 0 ok, 1 over a limit (check, diff), 2 bad usage, bad config or unreadable input.
Counts marked ≈ are estimates: the model's tokenizer is not public, or its file is not on this
machine yet (see 'prompt-budget tokenizers'), or a tokenizer file it names was refused.`;

/** Runs one CLI invocation and returns its exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Not strict: Node's messages for a bad option name its internals; ours name the command.
  const { values: parsedValues, positionals, tokens } = parseArgs({ args: argv, options: CLI_OPTIONS, allowPositionals: true, strict: false, tokens: true });
  if (positionals[0] === 'help') {
    io.stdout(COMMAND_HELP[positionals[1] ?? ''] ?? USAGE);
    return 0;
  }
  const [command, ...args] = positionals;
  const optionError = badOption(tokens, command);
  if (optionError) {
    const name = command && command in COMMAND_HELP ? `prompt-budget ${command}` : 'prompt-budget';
    io.stderr(`${name}: ${optionError}\nRun '${name} --help' for its options.`);
    return EXIT_USAGE;
  }
  // Checked above: every option is known and has a value of its type.
  const values = parsedValues as CliOptions & { help?: boolean; version?: boolean };
  if (values.version) {
    io.stdout(CLI_VERSION);
    return 0;
  }
  if (values.help || !command) {
    (command || values.help ? io.stdout : io.stderr)((command && COMMAND_HELP[command]) || USAGE);
    return values.help ? 0 : EXIT_USAGE;
  }
  if (!(await usePriceOption(values, io))) return EXIT_USAGE;
  useTokenizersOption(values, io);
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
    case 'diff':
      return runDiff(args, values, io);
    case 'tokenizers':
      return runTokenizers(args, values, io);
    default:
      io.stderr(`prompt-budget: unknown command '${command}'.\nRun 'prompt-budget --help' for usage.`);
      return EXIT_USAGE;
  }
}
