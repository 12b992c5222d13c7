// The same prompt's tokens and cost across models; shared by `prompt-budget compare` and the webview.
import { costPerCall, worstCaseOutput, type OutputBasis } from '../catalog/cost';
import { approxMark, formatPercent, formatTokens, formatUsd } from '../report/formatNumbers';
import { countPrompt } from '../prompts/countPrompt';
import { ESTIMATE_PROFILES, estimateSpreadLabel, isEstimate } from '../tokenize/estimateProfiles';
import { vocabularyInfo } from '../tokenize/vocabularies';
import { isFetchedVocabulary, PINNED_VOCABULARIES, standInEstimate, type FetchedVocabularyId } from '../tokenize/sources/pinnedVocabularies';
import type { CountFromProvider } from './analyzePrompt';
import type { ModelInfo, ParsedPrompt, PromptCount, ProviderCountSource, SourceNote, TokenCounter, TokenizerId } from '../types';

export type { OutputBasis } from '../catalog/cost';

export interface ModelComparisonRow {
  modelId: string;
  modelName: string;
  provider: string;
  tokens: number;
  exact: boolean;
  tokenizer: TokenizerId;
  /** USD, or null when the model has no known price. */
  inputCost: number | null;
  /** Worst case: the declared max output (capped at the model's), else the model's max output; 0 when neither is known (basis 'none'). */
  outputTokens: number;
  outputBasis: OutputBasis;
  /** USD; null when unpriced or when no max output is known (basis 'none'), as the worst case is then unknown. */
  outputCost: number | null;
  /** Worst case per call: input plus the worst-case output; null when unpriced or no max output is known. */
  costPerCall: number | null;
  /** Output tokens expected per call (the prompt's budget or the setting), or null when none is configured. */
  expectedOutputTokens: number | null;
  /** Expected per call: input plus the expected output; null without an expected output or a price. */
  expectedCostPerCall: number | null;
  contextWindow: number | null;
  /** Context used: the share of the context window the input fills, 0..∞ (the same figure on every surface). */
  contextShare: number | null;
  /** Share of the context window that input plus worst-case output would fill, 0..∞; null when either is unknown. */
  worstCaseShare: number | null;
  /** Where the price and the limits came from, and as of when. */
  sources: { prices?: SourceNote; limits?: SourceNote };
  /** Set when the provider's API counted the tokens (`--count-with-api`). */
  fromProvider?: ProviderCountSource;
  /** Why the provider's API did not count them, when it was asked to. */
  providerNote?: string;
  /** The family's vocabulary that would make this estimate exact once downloaded (it is not on this machine). */
  vocabularyToPull?: FetchedVocabularyId;
}

/** Where a comparison is shown: the words for getting a tokenizer differ between the CLI and the editor. */
export type ComparisonSurface = 'cli' | 'editor';

/**
 * How an estimate becomes exact once its family's vocabulary is downloaded, in the words of the
 * surface that shows it: the CLI command as `count` words it, or the editor's command.
 */
export function exactAfterDownload(id: FetchedVocabularyId, surface: ComparisonSurface): string {
  return surface === 'cli' ? `exact after \`prompt-budget tokenizers pull ${id}\`` : `exact after Prompt Budget: Download Tokenizer… (${PINNED_VOCABULARIES[id].label})`;
}

/** One line per family whose download would make rows exact: "kimi-k2, kimi-k2-turbo-preview: exact after …". */
export function describeDownloadsToExact(rows: readonly ModelComparisonRow[], surface: ComparisonSurface): string[] {
  const models = new Map<FetchedVocabularyId, string[]>();
  for (const row of rows) if (row.vocabularyToPull) models.set(row.vocabularyToPull, [...(models.get(row.vocabularyToPull) ?? []), row.modelId]);
  return [...models].map(([id, ids]) => `≈ ${ids.join(', ')}: ${exactAfterDownload(id, surface)}`);
}

/** One row per model from counts already made (the extension's worker counts once per tokenizer). */
export function compareCountedModels(
  parsed: ParsedPrompt,
  models: readonly ModelInfo[],
  countFor: (tokenizer: TokenizerId, model: ModelInfo) => PromptCount,
  expectedOutputTokens?: number,
): ModelComparisonRow[] {
  return models.map((model) => {
    const count = countFor(model.tokenizer, model);
    const output = worstCaseOutput(parsed.maxOutputTokens?.value, model);
    const cost = model.pricing ? costPerCall(model, count.tokens, output.tokens) : undefined;
    // Without a known max output there is no worst case: unknown, never input alone.
    const worstKnown = output.basis !== 'none';
    const expected = model.pricing && expectedOutputTokens !== undefined ? costPerCall(model, count.tokens, expectedOutputTokens) : undefined;
    const window = model.contextWindow || null;
    return {
      modelId: model.id,
      modelName: model.name,
      provider: model.provider,
      tokens: count.tokens,
      exact: count.exact,
      tokenizer: count.tokenizer,
      inputCost: cost ? cost.input : null,
      outputTokens: output.tokens,
      outputBasis: output.basis,
      outputCost: cost && worstKnown ? cost.output : null,
      costPerCall: cost && worstKnown ? cost.total : null,
      expectedOutputTokens: expectedOutputTokens ?? null,
      expectedCostPerCall: expected ? expected.total : null,
      contextWindow: window,
      contextShare: window ? count.tokens / window : null,
      worstCaseShare: window && worstKnown ? (count.tokens + output.tokens) / window : null,
      sources: model.sources,
      ...(count.fromProvider ? { fromProvider: count.fromProvider } : {}),
      ...(count.providerNote ? { providerNote: count.providerNote } : {}),
      ...(!count.fromProvider && isFetchedVocabulary(model.tokenizer) && count.tokenizer === standInEstimate(model.tokenizer) ? { vocabularyToPull: model.tokenizer } : {}),
    };
  });
}

/**
 * Counts one parsed prompt for each model, loading each tokenizer once; with `countFromProvider`
 * (`--count-with-api`), each model's provider is asked too, all at once.
 */
export async function compareModels(
  parsed: ParsedPrompt,
  models: ModelInfo[],
  loadCounter: (tokenizer: TokenizerId) => Promise<TokenCounter>,
  expectedOutputTokens?: number,
  countFromProvider?: CountFromProvider,
): Promise<ModelComparisonRow[]> {
  const counts = new Map<TokenizerId, PromptCount>();
  for (const tokenizer of new Set(models.map((model) => model.tokenizer))) {
    counts.set(tokenizer, countPrompt(parsed, await loadCounter(tokenizer)));
  }
  const byModel = new Map<ModelInfo, PromptCount>();
  if (countFromProvider) {
    const refined = await Promise.all(models.map((model) => countFromProvider(parsed, model, counts.get(model.tokenizer)!)));
    models.forEach((model, index) => byModel.set(model, refined[index]));
  }
  return compareCountedModels(parsed, models, (tokenizer, model) => byModel.get(model) ?? counts.get(tokenizer)!, expectedOutputTokens);
}

/** Columns the comparison can be sorted by. */
export const COMPARISON_SORT_KEYS = ['model', 'provider', 'tokens', 'inputCost', 'expectedCostPerCall', 'outputCost', 'costPerCall', 'contextShare'] as const;
export type ComparisonSortKey = (typeof COMPARISON_SORT_KEYS)[number];
export type SortDirection = 'ascending' | 'descending';

/**
 * Rows sorted by a column. Rows without a value (unpriced models, unknown worst cases or context windows) come last
 * in either direction; ties go by model id, so the order is stable across updates.
 */
export function sortComparisonRows(
  rows: readonly ModelComparisonRow[],
  key: ComparisonSortKey = 'costPerCall',
  direction: SortDirection = 'ascending',
): ModelComparisonRow[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const valueA = sortValue(a, key);
    const valueB = sortValue(b, key);
    if (valueA === null || valueB === null) {
      if (valueA !== valueB) return valueA === null ? 1 : -1;
    } else if (valueA !== valueB) {
      const order = typeof valueA === 'string' ? valueA.localeCompare(valueB as string) : valueA - (valueB as number);
      if (order !== 0) return sign * order;
    }
    return a.modelId.localeCompare(b.modelId);
  });
}

function sortValue(row: ModelComparisonRow, key: ComparisonSortKey): string | number | null {
  switch (key) {
    case 'model':
      return row.modelName.toLowerCase();
    case 'provider':
      return row.provider.toLowerCase();
    case 'tokens':
      return row.tokens;
    default:
      return row[key];
  }
}

/** The per-1,000-calls figure; null when unpriced or the worst case is unknown. */
export function perThousandCalls(row: ModelComparisonRow): number | null {
  return row.costPerCall === null ? null : row.costPerCall * 1000;
}

/** A row's figures as people read them: "≈1,234", "$0.0031", "n/a", "132.0% (over)". */
export interface ComparisonDisplayRow {
  model: string;
  modelId: string;
  provider: string;
  tokens: string;
  /** What counted the tokens: 'Llama 3', 'o200k_base', 'estimate'; and where that vocabulary or ratio comes from. */
  counting: string;
  countingSource: string;
  inputCost: string;
  /** The prompt's expected output in tokens; 'n/a' when none is set. */
  expectedOutputTokens: string;
  outputTokens: string;
  outputCost: string;
  /** Worst case per call. */
  costPerCall: string;
  expectedCostPerCall: string;
  perThousandCalls: string;
  contextWindow: string;
  /** The window in tight spaces: '128k', '1.05M'. */
  contextWindowCompact: string;
  /** Context used: the input's share of the context window. */
  context: string;
  /** The input alone is over the window. */
  over: boolean;
  /** Input plus worst-case output, as a share of the context window. */
  worstCaseContext: string;
}

const NOT_AVAILABLE = 'n/a';
// No source gives the model's context window or max output: said as such, never guessed.
const UNKNOWN = 'unknown';

/**
 * Formats a row for the webview and the Markdown table; estimates carry `≈`, unpriced models `n/a`, an unknown worst case `unknown`,
 * and an estimate a download would make exact says so, in `surface`'s words.
 */
export function formatComparisonRow(row: ModelComparisonRow, surface: ComparisonSurface = 'cli'): ComparisonDisplayRow {
  const approx = approxMark(row.exact);
  const exactAfter = row.vocabularyToPull ? `; ${exactAfterDownload(row.vocabularyToPull, surface)}` : '';
  const money = (value: number | null, estimated: boolean) => (value === null ? NOT_AVAILABLE : `${estimated ? approx : ''}${formatUsd(value)}`);
  // A priced model without a known max output has a worst case nobody can state: unknown, not n/a (no price).
  const worstCaseMoney = (value: number | null, estimated: boolean) => (row.inputCost !== null && row.outputBasis === 'none' ? UNKNOWN : money(value, estimated));
  return {
    model: row.modelName,
    modelId: row.modelId,
    provider: row.provider,
    tokens: row.exact ? formatTokens(row.tokens) : `${approx}${formatTokens(row.tokens)} (${row.fromProvider ? 'framing estimated' : estimateSpreadLabel(row.tokenizer)})`,
    // A provider's count names its endpoint; the local estimate's spread does not apply to it.
    counting: row.fromProvider ? row.fromProvider.provider : isEstimate(row.tokenizer) ? `estimate${exactAfter}` : vocabularyInfo(row.tokenizer).label,
    countingSource: row.fromProvider
      ? `${row.fromProvider.endpoint}${row.fromProvider.framing === 'estimated' ? ' (the messages; the chat framing is our estimate)' : ''}`
      : isEstimate(row.tokenizer)
        ? `${ESTIMATE_PROFILES[row.tokenizer].source}${exactAfter}`
        : vocabularyInfo(row.tokenizer).source,
    inputCost: money(row.inputCost, true),
    expectedOutputTokens: row.expectedOutputTokens === null ? NOT_AVAILABLE : formatTokens(row.expectedOutputTokens),
    outputTokens: row.outputBasis === 'none' ? NOT_AVAILABLE : formatTokens(row.outputTokens),
    // The output is a stated number of tokens, so its cost is not an estimate.
    outputCost: worstCaseMoney(row.outputCost, false),
    costPerCall: worstCaseMoney(row.costPerCall, true),
    expectedCostPerCall: money(row.expectedCostPerCall, true),
    perThousandCalls: worstCaseMoney(perThousandCalls(row), true),
    contextWindow: row.contextWindow === null ? UNKNOWN : formatTokens(row.contextWindow),
    contextWindowCompact: row.contextWindow === null ? UNKNOWN : formatTokens(row.contextWindow, 'compact'),
    context: row.contextShare === null ? (row.contextWindow === null ? `window ${UNKNOWN}` : NOT_AVAILABLE) : `${approx}${formatPercent(row.contextShare, 1)}${row.contextShare > 1 ? ' (over)' : ''}`,
    over: row.contextShare !== null && row.contextShare > 1,
    worstCaseContext: row.worstCaseShare === null ? (row.contextWindow !== null && row.outputBasis === 'none' ? UNKNOWN : NOT_AVAILABLE) : `${approx}${formatPercent(row.worstCaseShare, 1)}${row.worstCaseShare > 1 ? ' (over)' : ''}`,
  };
}

/** What the worst-case output column is based on, in words: declared, model max, or a mix. */
export function describeOutputBasis(rows: readonly ModelComparisonRow[], declared: number | undefined): string {
  if (declared !== undefined) {
    const capped = rows.some((row) => row.outputBasis === 'declared' && row.outputTokens < declared);
    return `Worst-case output: the prompt's declared max output of ${formatTokens(declared)} tokens${capped ? ", capped at the model's max output where that is lower" : ''}.`;
  }
  const unknown = rows.filter((row) => row.outputBasis === 'none').map((row) => row.modelId);
  const unknownNote = unknown.length > 0 ? ` No source gives a max output for ${unknown.join(', ')}: their worst case is unknown.` : '';
  return `Worst-case output: each model's max output (the prompt declares none).${unknownNote}`;
}

/** The distinct sources of the rows' prices and limits, e.g. "Prices: @pydantic/genai-prices, as of 2025-06-01". */
export function describeSources(rows: readonly ModelComparisonRow[]): string[] {
  const lines: string[] = [];
  for (const [label, pick] of [
    ['Prices', (row: ModelComparisonRow) => row.sources.prices],
    ['Limits', (row: ModelComparisonRow) => row.sources.limits],
  ] as const) {
    const notes = new Map<string, SourceNote>();
    for (const row of rows) {
      const note = pick(row);
      if (note) notes.set(`${note.source}\u0000${note.asOf}`, note);
    }
    if (notes.size === 0) continue;
    lines.push(`${label}: ${[...notes.values()].map(describeSource).join('; ')}`);
  }
  return lines;
}

// "as of 2025-11" for dates; overrides say "as configured", which reads better in brackets.
function describeSource(note: SourceNote): string {
  if (!note.asOf || note.source.includes(note.asOf)) return note.source;
  return /^\d/.test(note.asOf) ? `${note.source}, as of ${note.asOf}` : `${note.source} (${note.asOf})`;
}

/** The models a comparison shows by default: every model that answers (embedding models produce no output). */
export function defaultComparisonModels(models: readonly ModelInfo[]): ModelInfo[] {
  return models.filter((model) => model.maxOutputTokens !== 0);
}
