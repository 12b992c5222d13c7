import type { ModelSource, PromptAnalysis } from '../core/count/analyzePrompt';
import { describeModelSource } from '../core/report/describeModelSource';
import { ESTIMATE_PROFILES, isEstimate } from '../core/tokenize/estimateProfiles';
import { describeVocabulary, VOCABULARIES } from '../core/tokenize/vocabularies';
import { isFetchedVocabulary } from '../core/tokenize/sources/pinnedVocabularies';
import type { CallCost, PromptCount, SourceNote } from '../core/types';

/**
 * How a count was made, in words a user can check; `modelTokenizer` is the tokenizer the model's family
 * has, `tokenizerFile` the vocabulary file its config names.
 */
export function describeTokenizer(count: PromptCount, modelTokenizer?: string, tokenizerFile?: string): string {
  if (count.exact) return `exact, ${describeVocabulary(count.tokenizer)}`;
  const profile = isEstimate(count.tokenizer) ? ESTIMATE_PROFILES[count.tokenizer] : ESTIMATE_PROFILES.estimate;
  const spread = `within ±${Math.round(profile.spread * 100)} %, ${profile.source}`;
  if (modelTokenizer && isFetchedVocabulary(modelTokenizer)) {
    return `estimate until the ${VOCABULARIES[modelTokenizer].label} tokenizer is on this machine (Prompt Budget: Download Tokenizer…, or \`prompt-budget tokenizers pull ${modelTokenizer}\`); ${spread}`;
  }
  if (tokenizerFile) return `estimate: the tokenizer file ${tokenizerFile} named in the budget config could not be used (see the problem on its line there); ${spread}`;
  return `estimate: no public tokenizer for this model; ${spread}`;
}

/** Where the model a prompt is counted for came from, for the tooltip (Markdown). */
export function describeModelSourceForTooltip(source: ModelSource, budgetName?: string): string {
  const words = describeModelSource(source, budgetName);
  return source === 'file' ? `${words} (wins over every other choice)` : words;
}

/** What the status bar's cost means: input plus the expected output, the declared worst case, or input alone. */
export type PerCallBasis = 'expected' | 'worst-case' | 'input-only';

/** The cost shown as "per call": with the expected output if configured, else the declared worst case, else input only. */
export function perCallCost(analysis: PromptAnalysis): (CallCost & { basis: PerCallBasis }) | undefined {
  if (!analysis.priced || !analysis.worstCase) return undefined;
  if (analysis.expected) return { ...analysis.expected, basis: 'expected' };
  if (analysis.worstCase.outputBasis === 'declared') return { ...analysis.worstCase, basis: 'worst-case' };
  const { input, inputTokens } = analysis.worstCase;
  return { inputTokens, outputTokens: 0, input, output: 0, total: input, basis: 'input-only' };
}

/** Text from workspace files (model and budget names) made inert inside a trusted MarkdownString. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

/** A figure's source and date, without saying the date twice when the source already names it. */
export function describeSourceNote(note: SourceNote): string {
  const source = escapeMarkdown(note.source);
  return note.source.includes(note.asOf) ? source : `${source}, ${escapeMarkdown(note.asOf)}`;
}
