// One prompt file, end to end: parse -> resolve model -> count -> cost -> limits.
// The CLI, the workspace check and the editor all go through here, so they agree.
import type { ModelCatalog } from '../catalog/modelCatalog';
import { costPerCall, worstCaseOutput, type OutputBasis } from '../catalog/cost';
import { evaluateLimits, type LimitFinding } from '../check/evaluateLimits';
import { countPrompt } from '../prompts/countPrompt';
import { parsePrompt } from '../prompts/parsePrompt';
import { upperBound } from '../tokenize/estimateProfiles';
import { loadTokenCounter } from '../tokenize/tokenCounter';
import type {
  CallCost,
  ModelInfo,
  ParsedPrompt,
  PromptCount,
  PromptFormat,
  Severity,
  TextRange,
  TokenCounter,
  TokenizerId,
} from '../types';

/** Where the model a prompt is counted for came from, strongest first. */
export type ModelSource = 'file' | 'budget' | 'picker' | 'cli' | 'config' | 'setting' | 'default';

export interface ResolvedPromptModel {
  /** The name as written (in the file, the budget, the setting). */
  name: string;
  source: ModelSource;
  /** Undefined when the catalog does not know the name. */
  model?: ModelInfo;
  /** The message for an unknown name, with the closest known ids. */
  unknownMessage?: string;
  suggestions: string[];
}

/** A positioned finding about a prompt, in document offsets (the editor and the CLI convert them). */
export interface PromptFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: TextRange;
  /** Set on max-output findings: the largest max output that would fit, for a quick fix. */
  fittingMaxOutput?: number;
}

export interface PromptAnalysis {
  file: string;
  parsed: ParsedPrompt;
  format: PromptFormat;
  resolved: ResolvedPromptModel;
  count: PromptCount;
  /** Declared max output in the file, if any. */
  declaredMaxOutputTokens?: number;
  /** Input plus the worst-case output: the declared max output, else the model's cap. */
  worstCase?: CallCost & { outputBasis: OutputBasis };
  /** Input plus the configured expected output, when one is configured. */
  expected?: CallCost;
  /** Whether the model has a known price (a local model at price 0 is priced). */
  priced: boolean;
  findings: PromptFinding[];
}

export interface PromptCountSettings {
  catalog: ModelCatalog;
  /** The model to use when the file declares none: a budget's, the picker's, a setting's. */
  fallbackModel: string;
  fallbackSource: ModelSource;
  /** Expected output tokens per call (budget or setting), for the expected cost. */
  expectedOutputTokens?: number;
  /** Warn at this share of any limit (0..1]. */
  warnAt: number;
  /** Set only when the user asked for counts from the providers' APIs (`--count-with-api`). */
  countFromProvider?: CountFromProvider;
}

/** Replaces our count of a prompt with its provider's, where it can (see providerCounts/). */
export type CountFromProvider = (parsed: ParsedPrompt, model: ModelInfo, local: PromptCount) => Promise<PromptCount>;

/** Picks the model a prompt will run on: the file's own declaration wins over everything else. */
export function resolvePromptModel(parsed: Pick<ParsedPrompt, 'model'>, context: PromptCountSettings): ResolvedPromptModel {
  const declared = parsed.model?.value.trim();
  const name = declared || context.fallbackModel;
  const source: ModelSource = declared ? 'file' : context.fallbackSource;
  const resolution = context.catalog.resolve(name);
  if ('model' in resolution) return { name, source, model: resolution.model, suggestions: [] };
  return { name, source, unknownMessage: resolution.error, suggestions: resolution.suggestions };
}

/** The tokenizer a resolved model counts with; unknown models get an estimate, never a false exact. */
export function tokenizerFor(resolved: ResolvedPromptModel): TokenizerId {
  return resolved.model?.tokenizer ?? 'estimate';
}

/** Evaluates an already counted prompt: costs, and the context-window and max-output limits. */
export function evaluateCountedPrompt(
  file: string,
  parsed: ParsedPrompt,
  resolved: ResolvedPromptModel,
  count: PromptCount,
  context: PromptCountSettings,
): PromptAnalysis {
  const model = resolved.model;
  const declaredMaxOutputTokens = parsed.maxOutputTokens?.value;
  const findings: PromptFinding[] = [];

  if (!model && resolved.unknownMessage) {
    findings.push({
      rule: 'unknown-model',
      severity: 'warning',
      message: `${resolved.unknownMessage} Counted as an estimate.`,
      range: resolved.source === 'file' && parsed.model ? parsed.model.range : { start: 0, end: 0 },
    });
  }

  let worstCase: PromptAnalysis['worstCase'];
  let expected: CallCost | undefined;
  if (model) {
    const output = worstCaseOutput(declaredMaxOutputTokens, model);
    worstCase = { ...costPerCall(model, count.tokens, output.tokens), outputBasis: output.basis };
    if (context.expectedOutputTokens !== undefined) {
      expected = costPerCall(model, count.tokens, context.expectedOutputTokens);
    }
    for (const finding of evaluateLimits({
      modelId: model.id,
      inputTokens: count.tokens,
      exact: count.exact,
      inputUpperBound: upperBound(count.tokens, count.tokenizer),
      maxOutputTokens: declaredMaxOutputTokens,
      contextWindow: model.contextWindow,
      modelMaxInputTokens: model.maxInputTokens,
      modelMaxOutputTokens: model.maxOutputTokens,
      warnAt: context.warnAt,
    })) {
      findings.push(positionLimitFinding(finding, parsed, count.tokens, model));
    }
  }

  return {
    file,
    parsed,
    format: parsed.format,
    resolved,
    count,
    declaredMaxOutputTokens,
    worstCase,
    expected,
    priced: model?.pricing !== undefined,
    findings,
  };
}

/** Parses, counts and evaluates one prompt file's text. */
export async function analyzePrompt(
  file: string,
  text: string,
  context: PromptCountSettings,
  loadCounter: (tokenizer: TokenizerId) => Promise<TokenCounter> = loadTokenCounter,
): Promise<PromptAnalysis> {
  const parsed = parsePrompt(file, text);
  const resolved = resolvePromptModel(parsed, context);
  const counter = await loadCounter(tokenizerFor(resolved));
  const local = countPrompt(parsed, counter);
  const count = context.countFromProvider && resolved.model ? await context.countFromProvider(parsed, resolved.model, local) : local;
  return evaluateCountedPrompt(file, parsed, resolved, count, context);
}

function positionLimitFinding(finding: LimitFinding, parsed: ParsedPrompt, inputTokens: number, model: ModelInfo): PromptFinding {
  const onMaxOutput = finding.at === 'maxOutput' && parsed.maxOutputTokens;
  const range = onMaxOutput ? parsed.maxOutputTokens!.range : parsed.bodyRange;
  let fittingMaxOutput: number | undefined;
  if (onMaxOutput) {
    const byWindow = model.contextWindow !== undefined ? model.contextWindow - inputTokens : Infinity;
    const byCap = model.maxOutputTokens ?? Infinity;
    const fit = Math.min(byWindow, byCap);
    if (Number.isFinite(fit) && fit > 0) fittingMaxOutput = fit;
  }
  return { rule: finding.rule, severity: finding.severity, message: finding.message, range, fittingMaxOutput };
}
