import { analyzePrompt, type ModelSource, type PromptAnalysis, describeModelSource, type OutputBasis, approxMark, formatPercent, formatTokens, formatUsd, LineIndex, estimateSpreadLabel, describeVocabulary, isFetchedVocabulary, standInEstimate, type Problem, escapeTerminalText, findingProblem } from '../core';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cliIo';
import { CliSettingsByFolder } from './cliFolderSettings';
import { readPromptText } from './readPromptText';
import { formatProblem } from './printProblems';
import type { CliOptions } from './cliOptions';

/** `count --json` row: one per file that could be read. */
export interface CountRow {
  file: string;
  format: string;
  model: string;
  modelSource: ModelSource;
  tokens: number;
  exact: boolean;
  tokenizer: string;
  /** The model's published vocabulary that is not on this machine yet (the count is its estimate until it is pulled). */
  vocabularyToPull?: string;
  inputCost: number | null;
  outputTokens: number;
  outputBasis: OutputBasis;
  declaredMaxOutputTokens: number | null;
  outputCost: number | null;
  /** Input plus the worst-case output (`outputTokens`); null when unpriced or no max output is known. `check`'s costPerCall uses the expected output instead. */
  worstCaseCostPerCall: number | null;
  /** Output tokens expected per call: the file's budget's `expectedOutputTokens`; null when none is set. */
  expectedOutputTokens: number | null;
  /** Input plus the expected output; null without an expected output or a price. */
  expectedCostPerCall: number | null;
  /** The budget that governs the file, if any. */
  budget: string | null;
  contextWindow: number | null;
  /** Context used: the input's share of the context window, as on every surface. */
  contextUsed: number | null;
  segments: { label: string; line: number; tokens: number }[];
  variables: string[];
  renderedTokens: number | null;
  problems: Problem[];
  /** With --count-with-api: the provider's API that counted `tokens` ("Anthropic's count_tokens API"). */
  countedBy?: string;
  /** With --count-with-api: why the provider did not count (no key, no endpoint, an HTTP error). */
  providerNote?: string;
}

/** `prompt-budget count FILE... [--model ID] [--json]` */
export async function runCount(files: string[], options: CliOptions, io: CliIo): Promise<number> {
  if (files.length === 0) {
    io.stderr("prompt-budget count: name at least one file.\nRun 'prompt-budget --help' for usage.");
    return EXIT_USAGE;
  }
  const contexts = new CliSettingsByFolder(io, options);
  let failed = false;
  const rows: CountRow[] = [];
  for (const file of files) {
    const { context, promptContext } = await contexts.forFile(file);
    if (context.usageError) return EXIT_USAGE;
    if (context.failed) failed = true;
    const text = await readPromptText(io, file);
    if (typeof text !== 'string') {
      io.stderr(text.message);
      failed = true;
      continue;
    }
    const analysis = await analyzePrompt(file, text, promptContext);
    const row = toCountRow(analysis, text, promptContext.budgetName);
    rows.push(row);
    // Malformed input is exit 2; a prompt over its model's limits is reported, and enforced by `check`.
    if (analysis.parsed.problems.some((problem) => problem.severity === 'error')) failed = true;
    if (!options.json) printCountRow(io, row);
  }
  if (options.json) io.stdout(JSON.stringify(rows, null, 2));
  return failed ? EXIT_USAGE : EXIT_OK;
}

function toCountRow(analysis: PromptAnalysis, text: string, budget: string | undefined): CountRow {
  const lines = new LineIndex(text);
  const { count, worstCase, expected, resolved, parsed } = analysis;
  const contextWindow = resolved.model?.contextWindow ?? null;
  // Without a known max output the worst case is unknown, not the input alone.
  const knownWorstCase = analysis.priced && worstCase && worstCase.outputBasis !== 'none' ? worstCase : undefined;
  return {
    file: analysis.file,
    format: analysis.format,
    model: resolved.model?.id ?? resolved.name,
    modelSource: resolved.source,
    tokens: count.tokens,
    exact: count.exact,
    tokenizer: count.tokenizer,
    inputCost: analysis.priced && worstCase ? worstCase.input : null,
    outputTokens: worstCase?.outputTokens ?? 0,
    outputBasis: worstCase?.outputBasis ?? 'none',
    declaredMaxOutputTokens: analysis.declaredMaxOutputTokens ?? null,
    outputCost: knownWorstCase ? knownWorstCase.output : null,
    worstCaseCostPerCall: knownWorstCase ? knownWorstCase.total : null,
    expectedOutputTokens: expected?.outputTokens ?? null,
    expectedCostPerCall: analysis.priced && expected ? expected.total : null,
    budget: budget ?? null,
    contextWindow,
    contextUsed: contextWindow ? count.tokens / contextWindow : null,
    segments: parsed.segments.map((segment, index) => ({
      label: segment.label,
      line: lines.positionAt(segment.range.start).line,
      tokens: count.segmentTokens[index] ?? 0,
    })),
    variables: parsed.variables,
    renderedTokens: count.renderedTokens ?? null,
    problems: [...parsed.problems, ...analysis.findings.map((finding) => findingProblem(analysis.file, lines, finding))],
    ...(resolved.model && isFetchedVocabulary(resolved.model.tokenizer) && count.tokenizer === standInEstimate(resolved.model.tokenizer) ? { vocabularyToPull: resolved.model.tokenizer } : {}),
    ...(count.fromProvider ? { countedBy: count.fromProvider.endpoint } : {}),
    ...(count.providerNote ? { providerNote: count.providerNote } : {}),
  };
}

/** One line per file: the three cost figures with the labels every surface uses, then context used. */
function printCountRow(io: CliIo, row: CountRow): void {
  const approx = approxMark(row.exact);
  const how = row.countedBy ? `${row.exact ? 'exact' : 'text exact, chat framing estimated'}, from ${row.countedBy}` : row.exact ? `exact, ${describeVocabulary(row.tokenizer)}` : `estimate, ${estimateSpreadLabel(row.tokenizer)}${row.vocabularyToPull ? `; exact after \`prompt-budget tokenizers pull ${row.vocabularyToPull}\`` : ''}`;
  const parts = [`${approx}${formatTokens(row.tokens)} tokens (${how})`, `${row.model} (${describeModelSource(row.modelSource, row.budget ?? undefined)})`];
  if (row.inputCost !== null) {
    parts.push(`input ${approx}${formatUsd(row.inputCost)}`);
    if (row.expectedCostPerCall !== null && row.expectedOutputTokens !== null) {
      parts.push(`expected per call ${approx}${formatUsd(row.expectedCostPerCall)} (${formatTokens(row.expectedOutputTokens)} output tok${row.budget ? `, budget '${row.budget}'` : ''})`);
    }
    if (row.worstCaseCostPerCall === null) {
      parts.push('worst case unknown (no max output known)');
    } else {
      const basis =
        row.outputBasis === 'model-max' ? "model's max" : row.outputTokens < (row.declaredMaxOutputTokens ?? 0) ? "declared max capped at the model's" : 'declared max';
      parts.push(`worst case ${approx}${formatUsd(row.worstCaseCostPerCall)} (${formatTokens(row.outputTokens)} output tok, ${basis})`);
    }
  } else {
    parts.push('price unknown');
  }
  if (row.contextWindow && row.contextUsed !== null) parts.push(`context used ${approx}${formatPercent(row.contextUsed, 1)} of ${formatTokens(row.contextWindow)}`);
  if (row.renderedTokens !== null) parts.push(`with sample values ${approx}${formatTokens(row.renderedTokens)} tokens`);
  io.stdout(`${escapeTerminalText(row.file)}: ${parts.join(' · ')}`);
  if (row.providerNote) io.stdout(`  --count-with-api: ${escapeTerminalText(row.providerNote)}`);
  for (const problem of row.problems) io.stdout(`  ${formatProblem(problem)}`);
}
