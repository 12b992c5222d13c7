import { formatTokens, formatUsd } from '../core/catalog/format';
import type { SourceNote } from '../core/types';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { loadCliContext } from './cliContext';
import { formatTable } from './formatTable';
import type { CliOptions } from './runCli';

/** `prompt-budget models [--json]` */
export async function runModels(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  if (args.length > 0) {
    io.stderr("prompt-budget models: takes no file.\nRun 'prompt-budget --help' for usage.");
    return EXIT_USAGE;
  }
  const context = await loadCliContext(io, options);
  if (context.usageError) return EXIT_USAGE;
  const models = context.promptContext.catalog.list();
  if (options.json) {
    io.stdout(JSON.stringify(models, null, 2));
    return context.failed ? EXIT_USAGE : EXIT_OK;
  }
  const header = ['id', 'provider', 'context', 'max input', 'max output', 'input $/M', 'output $/M', 'tokenizer', 'prices from', 'limits from'];
  const rows = models.map((model) => [
    model.id,
    model.provider,
    model.contextWindow ? formatTokens(model.contextWindow) : 'n/a',
    // The window is the input limit unless the model caps input below it.
    model.maxInputTokens ? formatTokens(model.maxInputTokens) : model.contextWindow ? 'window' : 'n/a',
    model.maxOutputTokens ? formatTokens(model.maxOutputTokens) : 'n/a',
    model.pricing ? formatUsd(model.pricing.inputPerMillion) : 'n/a',
    model.pricing ? formatUsd(model.pricing.outputPerMillion) : 'n/a',
    model.tokenizer === 'estimate' ? '≈ estimate' : model.tokenizer,
    compactSource(model.sources.prices),
    compactSource(model.sources.limits),
  ]);
  for (const line of formatTable(header, rows)) io.stdout(line);
  return context.failed ? EXIT_USAGE : EXIT_OK;
}

/** A source in a table cell: its name without the bracketed detail, and its date ("OpenAI model docs 2025-11"); `--json` has the rest. */
function compactSource(note: SourceNote | undefined): string {
  if (!note) return 'n/a';
  const name = note.source.replace(/\s*\([^)]*\)$/, '');
  return /^\d/.test(note.asOf) ? `${name} ${note.asOf}` : name;
}
