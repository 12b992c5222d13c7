import { defaultCompareSet, compareModels, comparisonTable, describeDownloadsToExact, defaultComparisonModels, sortComparisonRows, type ModelComparisonRow, parsePrompt, loadTokenCounter, formatTokens, type ModelInfo } from '../core';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { CliSettingsByFolder } from './cliFolderSettings';
import { readPromptText } from './readPromptText';
import { formatProblem } from './printProblems';
import { fitTable, omittedNote } from './fitTable';
import { providerCountingFor } from './providerCounting';
import type { CliOptions } from './cliOptions';

/** `prompt-budget compare FILE [--models a,b | --all] [--json]`: by default the editor's compare set. */
export async function runCompare(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  if (args.length !== 1) {
    io.stderr("prompt-budget compare: name exactly one file.\nRun 'prompt-budget --help' for usage.");
    return EXIT_USAGE;
  }
  const [file] = args;
  if (options.models !== undefined && !options.models.split(',').some((part) => part.trim() !== '')) {
    io.stderr("prompt-budget compare: --models names no model; give model ids separated by commas (--models gpt-4o,claude-sonnet-4-5).\nRun 'prompt-budget compare --help' for its options.");
    return EXIT_USAGE;
  }
  const { context, promptContext } = await new CliSettingsByFolder(io, options).forFile(file);
  if (context.usageError) return EXIT_USAGE;
  const catalog = context.promptContext.catalog;
  if (options.models && options.all) {
    io.stderr("prompt-budget compare: --models and --all exclude each other.\nRun 'prompt-budget compare --help' for its options.");
    return EXIT_USAGE;
  }
  let models: ModelInfo[];
  // A name that is unknown or ambiguous is reported; the others are still compared.
  let unresolved = 0;
  if (options.models) {
    const byId = new Map<string, ModelInfo>();
    for (const name of options.models.split(',').map((part) => part.trim()).filter(Boolean)) {
      const resolution = catalog.resolve(name);
      if ('model' in resolution) {
        byId.set(resolution.model.id, resolution.model);
      } else {
        io.stderr(`prompt-budget compare: ${resolution.error}`);
        unresolved++;
      }
    }
    models = [...byId.values()];
    if (models.length === 0) return EXIT_USAGE;
  } else {
    models = options.all ? defaultComparisonModels(catalog.list()) : defaultCompareSet(catalog);
  }
  const text = await readPromptText(io, file);
  if (typeof text !== 'string') {
    io.stderr(text.message);
    return EXIT_USAGE;
  }
  const parsed = parsePrompt(file, text);
  for (const problem of parsed.problems) io.stderr(formatProblem(problem));
  const expectedOutputTokens = promptContext.expectedOutputTokens;
  const providerCounting = providerCountingFor(io, options);
  const rows = sortComparisonRows(await compareModels(parsed, models, loadTokenCounter, expectedOutputTokens, providerCounting?.countFromProvider));
  if (options.json) {
    io.stdout(JSON.stringify({ file, rows }, null, 2));
  } else {
    printComparison(io, file, rows, expectedOutputTokens);
    for (const line of providerCounting?.summary() ?? []) io.stdout(line);
    if (!options.models && !options.all) {
      const total = catalog.list().length;
      const answering = defaultComparisonModels(catalog.list()).length;
      io.stderr(
        `${rows.length} models, the editor's default set; --all compares every model that writes output (${answering} of the catalog's ${total}: ` +
          `not the ${total - answering} input-only ones, embeddings and rerankers), --models picks.`,
      );
    }
  }
  return unresolved > 0 || parsed.problems.some((problem) => problem.severity === 'error') || context.failed ? EXIT_USAGE : EXIT_OK;
}

function printComparison(io: CliIo, file: string, rows: ModelComparisonRow[], expectedOutputTokens: number | undefined): void {
  const table = comparisonTable(rows, 'terminal');
  const expected = expectedOutputTokens === undefined ? 'expected: no expectedOutputTokens set' : `expected: ${formatTokens(expectedOutputTokens)} output tokens`;
  io.stdout(`${file}: by model, cheapest worst case first (${expected}; worst case: declared or model max output; context used: input of the window; ≈ estimate)`);
  const width = io.width ?? 100;
  const fitted = fitTable(table.headers, table.rows.map((cells) => cells.map(String)), { alignRight: true, width, optional: table.optional });
  for (const line of fitted.lines) io.stdout(line);
  for (const note of describeDownloadsToExact(rows, 'cli')) for (const line of wrapWords(note, width)) io.stdout(line);
  const note = omittedNote(fitted.omitted, width);
  if (note) io.stderr(note);
}

/** `text` cut at spaces into lines of at most `width` characters, continued indented; a longer word or a `command` stays whole. */
function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.match(/`[^`]*`\S*|\S+/g) ?? []) {
    const next = line ? `${line} ${word}` : word;
    if (line && next.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else {
      line = next;
    }
  }
  return [...lines, line];
}
