import { ModelCatalog, formatTokens, formatUsd, ESTIMATE_PROFILES, estimateSpreadLabel, isEstimate, vocabularyInfo, isVocabularyPresent, type ModelInfo, type SourceNote } from '../core';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { loadCliFolderSettings } from './cliFolderSettings';
import { fitTable, omittedNote } from './fitTable';
import { warnIfStale } from './warnIfStale';
import type { CliOptions } from './cliOptions';

/**
 * `prompt-budget models [SEARCH] [--provider NAME] [--current] [--json]`: priced models, their
 * provider, limits (or unknown) and where each figure comes from.
 */
export async function runModels(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  if (args.length > 1) {
    io.stderr("prompt-budget models: takes one search term at most.\nRun 'prompt-budget models --help' for its options.");
    return EXIT_USAGE;
  }
  const context = await loadCliFolderSettings(io, options);
  if (context.usageError) return EXIT_USAGE;
  const all = context.promptContext.catalog.list();
  const models = all.filter(modelFilter(args[0], options));
  const data = ModelCatalog.priceData();
  warnIfStale(data, io);
  // Vocabularies fetched on demand and not on this machine: those models are estimated until pulled.
  const absent = new Set<string>();
  for (const tokenizer of new Set(models.map((model) => model.tokenizer))) if (!(await isVocabularyPresent(tokenizer))) absent.add(tokenizer);
  if (options.json) {
    io.stdout(JSON.stringify(models.map((model) => modelJson(model, absent)), null, 2));
    return context.failed ? EXIT_USAGE : EXIT_OK;
  }
  const header = ['model', 'provider', 'context', 'max input', 'max output', 'input $/M', 'output $/M', 'tokenizer', 'prices from', 'limits from', 'status'];
  const rows = models.map((model) => [
    model.id,
    model.provider,
    model.contextWindow ? formatTokens(model.contextWindow) : 'unknown',
    // The window is the input limit unless the model caps input below it.
    model.maxInputTokens ? formatTokens(model.maxInputTokens) : model.contextWindow ? 'window' : 'unknown',
    model.maxOutputTokens !== undefined ? (model.maxOutputTokens === 0 ? 'none' : formatTokens(model.maxOutputTokens)) : 'unknown',
    model.pricing ? formatUsd(model.pricing.inputPerMillion) : 'n/a',
    model.pricing ? formatUsd(model.pricing.outputPerMillion) : 'n/a',
    isEstimate(model.tokenizer) ? `≈ ${model.tokenizer} ${estimateSpreadLabel(model.tokenizer)}` : absent.has(model.tokenizer) ? `≈ until pulled: ${model.tokenizer}` : model.tokenizer,
    compactSource(model.sources.prices),
    compactSource(model.sources.limits),
    model.deprecated ? 'deprecated' : '',
  ]);
  const width = io.width ?? 100;
  // Least needed first: the sources and the tokenizer are in --json too, the prices and limits are why one looks.
  const fitted = fitTable(header, rows, { width, optional: [9, 8, 7, 10, 3] });
  for (const line of fitted.lines) io.stdout(line.trimEnd());
  const note = omittedNote(fitted.omitted, width);
  if (note) io.stderr(note);
  const providers = new Set(models.map((model) => model.provider)).size;
  const shown = models.length === all.length ? `${models.length} models` : `${models.length} of ${all.length} models`;
  io.stderr(`${shown} from ${providers} provider${providers === 1 ? '' : 's'}; prices: ${data.label}.`);
  return context.failed ? EXIT_USAGE : EXIT_OK;
}

/** The models a search term, --provider and --current let through; all of them when none is given. */
function modelFilter(search: string | undefined, options: CliOptions): (model: ModelInfo) => boolean {
  const term = search?.trim().toLowerCase();
  const provider = options.provider?.trim().toLowerCase();
  return (model) =>
    (!term || [model.id, model.name, ...model.aliases].some((name) => name.toLowerCase().includes(term))) &&
    (!provider || model.provider.toLowerCase() === provider || model.providerName?.toLowerCase() === provider) &&
    (!options.current || !model.deprecated);
}

/** A limit in --json: its figure with source and date, or null when no source gives it. */
function limitJson(value: number | undefined, note: SourceNote | undefined): { value: number; source: string; asOf: string; url?: string } | null {
  if (value === undefined) return null;
  return { value, source: note?.source ?? 'unknown', asOf: note?.asOf ?? 'unknown', ...(note?.url ? { url: note.url } : {}) };
}

function modelJson(model: ModelInfo, absent: ReadonlySet<string>): object {
  return {
    id: model.id,
    name: model.name,
    provider: model.provider,
    providerName: model.providerName ?? model.provider,
    // False for a reseller's listing (OpenRouter, Bedrock…): a bare name gets the maker's price instead.
    sellsOwnModel: model.sellsOwnModel ?? true,
    deprecated: model.deprecated ?? false,
    aliases: model.aliases,
    tokenizer: model.tokenizer,
    exact: !isEstimate(model.tokenizer) && !absent.has(model.tokenizer),
    tokenizerSource: isEstimate(model.tokenizer) ? ESTIMATE_PROFILES[model.tokenizer].source : vocabularyInfo(model.tokenizer).source,
    pricing: model.pricing ?? null,
    prices: model.sources.prices ?? null,
    limits: {
      contextWindow: limitJson(model.contextWindow, model.limitSources?.contextWindow ?? model.sources.limits),
      maxInputTokens: limitJson(model.maxInputTokens, model.limitSources?.maxInputTokens ?? model.sources.limits),
      maxOutputTokens: limitJson(model.maxOutputTokens, model.limitSources?.maxOutputTokens ?? model.sources.limits),
    },
    // A source that was checked and publishes no output cap (xAI, Mistral), for a null maxOutputTokens.
    maxOutputChecked: model.maxOutputTokens === undefined && model.limitSources?.maxOutputTokens ? model.limitSources.maxOutputTokens : undefined,
    origin: model.origin,
  };
}

/** A source in a table cell: its name without the bracketed detail, and its date ("OpenAI model docs 2025-11"); `--json` has the rest. */
function compactSource(note: SourceNote | undefined): string {
  if (!note) return 'unknown';
  const name = (note.source.replace(/,? ?(@pydantic\/genai-prices|genai-prices data) .*$/, '') || 'genai-prices').replace(/\s*\([^)]*\)$/, '');
  return /^\d/.test(note.asOf) ? `${name} ${note.asOf}` : name;
}
