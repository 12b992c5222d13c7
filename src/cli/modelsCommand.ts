import { ModelCatalog } from '../core/catalog/modelCatalog';
import { formatTokens, formatUsd } from '../core/catalog/format';
import { ESTIMATE_PROFILES, estimateSpreadLabel, isEstimate } from '../core/tokenize/estimateProfiles';
import { VOCABULARIES } from '../core/tokenize/vocabularies';
import type { ModelInfo, SourceNote } from '../core/types';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { loadCliContext } from './cliContext';
import { formatTable } from './formatTable';
import { warnIfStale } from './pricesCommand';
import type { CliOptions } from './runCli';

/** `prompt-budget models [--json]`: every priced model, its provider, limits (or unknown) and where each figure comes from. */
export async function runModels(args: string[], options: CliOptions, io: CliIo): Promise<number> {
  if (args.length > 0) {
    io.stderr("prompt-budget models: takes no file.\nRun 'prompt-budget --help' for usage.");
    return EXIT_USAGE;
  }
  const context = await loadCliContext(io, options);
  if (context.usageError) return EXIT_USAGE;
  const models = context.promptContext.catalog.list();
  const data = ModelCatalog.priceData();
  warnIfStale(data, io);
  if (options.json) {
    io.stdout(JSON.stringify(models.map(modelJson), null, 2));
    return context.failed ? EXIT_USAGE : EXIT_OK;
  }
  const header = ['id', 'provider', 'context', 'max input', 'max output', 'input $/M', 'output $/M', 'tokenizer', 'prices from', 'limits from', 'status'];
  const rows = models.map((model) => [
    model.id,
    model.provider,
    model.contextWindow ? formatTokens(model.contextWindow) : 'unknown',
    // The window is the input limit unless the model caps input below it.
    model.maxInputTokens ? formatTokens(model.maxInputTokens) : model.contextWindow ? 'window' : 'unknown',
    model.maxOutputTokens !== undefined ? (model.maxOutputTokens === 0 ? 'none' : formatTokens(model.maxOutputTokens)) : 'unknown',
    model.pricing ? formatUsd(model.pricing.inputPerMillion) : 'n/a',
    model.pricing ? formatUsd(model.pricing.outputPerMillion) : 'n/a',
    isEstimate(model.tokenizer) ? `≈ ${model.tokenizer} ${estimateSpreadLabel(model.tokenizer)}` : model.tokenizer,
    compactSource(model.sources.prices),
    compactSource(model.sources.limits),
    model.deprecated ? 'deprecated' : '',
  ]);
  for (const line of formatTable(header, rows)) io.stdout(line.trimEnd());
  const providers = new Set(models.map((model) => model.provider)).size;
  io.stderr(`${models.length} models from ${providers} providers; prices: ${data.label}.`);
  return context.failed ? EXIT_USAGE : EXIT_OK;
}

/** A limit in --json: its figure with source and date, or null when no source gives it. */
function limitJson(value: number | undefined, note: SourceNote | undefined): { value: number; source: string; asOf: string; url?: string } | null {
  if (value === undefined) return null;
  return { value, source: note?.source ?? 'unknown', asOf: note?.asOf ?? 'unknown', ...(note?.url ? { url: note.url } : {}) };
}

function modelJson(model: ModelInfo): object {
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
    exact: !isEstimate(model.tokenizer),
    tokenizerSource: isEstimate(model.tokenizer) ? ESTIMATE_PROFILES[model.tokenizer].source : VOCABULARIES[model.tokenizer].source,
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
