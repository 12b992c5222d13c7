import { compareModels, defaultComparisonModels, formatComparisonRow, sortComparisonRows, type ModelComparisonRow } from '../core/compareModels';
import { parsePrompt } from '../core/prompts/parsePrompt';
import { loadTokenCounter } from '../core/tokenize/tokenCounter';
import type { ModelInfo } from '../core/types';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { CliContexts } from './cliContext';
import { readPromptText } from './countCommand';
import { formatProblem } from './printProblems';
import { formatTable } from './formatTable';
import { providerCountingFor } from './providerCounting';
import type { CliOptions } from './runCli';

/** `prompt-budget compare FILE [--models a,b] [--json]` */
export async function runCompare(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  if (args.length !== 1) {
    io.stderr("prompt-budget compare: name exactly one file.\nRun 'prompt-budget --help' for usage.");
    return EXIT_USAGE;
  }
  const [file] = args;
  if (options.models !== undefined && !options.models.split(',').some((part) => part.trim() !== '')) {
    io.stderr("prompt-budget compare: --models names no model; give model ids separated by commas (--models gpt-4o,claude-sonnet-4-5).\nRun 'prompt-budget --help' for usage.");
    return EXIT_USAGE;
  }
  const { context } = await new CliContexts(io, options).forFile(file);
  if (context.usageError) return EXIT_USAGE;
  const catalog = context.promptContext.catalog;
  let models: ModelInfo[];
  if (options.models !== undefined) {
    models = [];
    for (const name of options.models.split(',').map((part) => part.trim()).filter(Boolean)) {
      const resolution = catalog.resolve(name);
      if (!('model' in resolution)) {
        io.stderr(`prompt-budget compare: ${resolution.error}`);
        return EXIT_USAGE;
      }
      models.push(resolution.model);
    }
  } else {
    models = defaultComparisonModels(catalog.list());
  }
  const text = await readPromptText(io, file);
  if (typeof text !== 'string') {
    io.stderr(text.message);
    return EXIT_USAGE;
  }
  const parsed = parsePrompt(file, text);
  for (const problem of parsed.problems) io.stderr(formatProblem(problem));
  const providerCounting = providerCountingFor(io, options);
  const rows = sortComparisonRows(await compareModels(parsed, models, loadTokenCounter, providerCounting?.countFromProvider));
  if (options.json) {
    io.stdout(JSON.stringify({ file, rows }, null, 2));
  } else {
    printComparison(io, file, rows);
    for (const line of providerCounting?.summary() ?? []) io.stdout(line);
  }
  return parsed.problems.some((problem) => problem.severity === 'error') || context.failed ? EXIT_USAGE : EXIT_OK;
}

function printComparison(io: CliIo, file: string, rows: ModelComparisonRow[]): void {
  // Output tokens and their cost in columns of their own, so each lines up on the right.
  const header = ['model', 'tokens', 'input', 'worst-case output', 'output cost', 'per call', 'per 1,000 calls', 'context used'];
  const table = rows.map((row) => {
    const shown = formatComparisonRow(row);
    const unknown = row.outputBasis === 'none' || row.outputCost === null;
    return [
      shown.modelId,
      shown.tokens,
      shown.inputCost,
      unknown ? 'n/a' : `${shown.outputTokens} tok`,
      unknown ? 'n/a' : shown.outputCost,
      shown.costPerCall,
      shown.perThousandCalls,
      shown.context,
    ];
  });
  io.stdout(`${file}: cost per call by model, cheapest first (worst case: declared or model max output; context used: input + worst-case output; ≈ = estimate)`);
  for (const line of formatTable(header, table, true)) io.stdout(line);
}
