// The same prompt's tokens and cost across models; shared by `prompt-budget compare` and the webview.
import { costPerCall } from './catalog/cost';
import { countPrompt } from './prompts/countPrompt';
import type { ModelInfo, ParsedPrompt, TokenCounter, TokenizerId } from './types';

export interface ModelComparisonRow {
  modelId: string;
  modelName: string;
  provider: string;
  tokens: number;
  exact: boolean;
  tokenizer: TokenizerId;
  /** USD, or null when the model has no known price. */
  inputCost: number | null;
  /** Worst case: the declared max output (capped at the model's), else the model's max output. */
  outputTokens: number;
  outputCost: number | null;
  costPerCall: number | null;
  contextWindow: number | null;
  /** Share of the context window that input plus worst-case output fill, 0..∞. */
  contextShare: number | null;
}

/** Counts one parsed prompt for each model, loading each tokenizer once. */
export async function compareModels(
  parsed: ParsedPrompt,
  models: ModelInfo[],
  loadCounter: (tokenizer: TokenizerId) => Promise<TokenCounter>,
): Promise<ModelComparisonRow[]> {
  const countsByTokenizer = new Map<TokenizerId, ReturnType<typeof countPrompt>>();
  const rows: ModelComparisonRow[] = [];
  for (const model of models) {
    let count = countsByTokenizer.get(model.tokenizer);
    if (!count) {
      count = countPrompt(parsed, await loadCounter(model.tokenizer));
      countsByTokenizer.set(model.tokenizer, count);
    }
    const declared = parsed.maxOutputTokens?.value;
    const cap = model.maxOutputTokens;
    const outputTokens = declared !== undefined ? Math.min(declared, cap ?? declared) : (cap ?? 0);
    const cost = model.pricing ? costPerCall(model, count.tokens, outputTokens) : undefined;
    rows.push({
      modelId: model.id,
      modelName: model.name,
      provider: model.provider,
      tokens: count.tokens,
      exact: count.exact,
      tokenizer: count.tokenizer,
      inputCost: cost ? cost.input : null,
      outputTokens,
      outputCost: cost ? cost.output : null,
      costPerCall: cost ? cost.total : null,
      contextWindow: model.contextWindow ?? null,
      contextShare: model.contextWindow ? (count.tokens + outputTokens) / model.contextWindow : null,
    });
  }
  return rows;
}
