// The budgets engine over a folder: which files are prompts, what each costs under its budget,
// and which limits are crossed. `prompt-budget check`/`report` and the budget tree share it.
import { analyzePrompt, type PromptAnalysis, type PromptCountSettings, type PromptFinding } from '../count/analyzePrompt';
import type { Budget, BudgetConfig, SourcePosition } from '../config/budgetConfig';
import { resolvePromptSettings, type PromptSettingSources } from '../count/resolvePromptSettings';
import { evaluateBudget, type BudgetEvaluation, type FileUsage } from './evaluateBudget';
import { budgetsForFile, isPromptFile, unmatchedGlobs } from './matchBudgets';
import { modelMismatchFinding } from './modelMismatch';
import { bodyAnchor, LineIndex } from '../prompts/textPosition';
import { loadTokenCounter } from '../tokenize/tokenCounter';
import { upperBound } from '../tokenize/estimateProfiles';
import { costPerCall } from '../catalog/cost';
import type { Problem, TokenCounter, TokenizerId } from '../types';

/** Folders never walked for prompts (version control, dependencies, our own VS Code): they can be huge. */
export const SKIPPED_FOLDERS: readonly string[] = ['.git', 'node_modules', '.hg', '.svn', '.vscode-host'];

// Without a config `files` list, only files that are prompts by their name are scanned: a
// repository's README.md or package.json is not a prompt unless a budget says so.
const DEDICATED_PROMPT_FILE = /(\.prompt\.md|\.prompty|\.prompt\.ya?ml)$/i;

/** Whether a path is a prompt by its name alone (`.prompt.md`, `.prompty`, `.prompt.yml`). */
export function isDedicatedPromptFile(relativePath: string): boolean {
  return DEDICATED_PROMPT_FILE.test(relativePath);
}

/** One prompt file analysed under each budget that matched it (or none). */
export interface WorkspaceFileResult {
  relativePath: string;
  /** The analysis under the file's first budget (or the defaults when no budget matched). */
  analysis?: PromptAnalysis;
  /** The analysis under each matched budget, by budget name (a budget may set another model). */
  byBudget: Map<string, PromptAnalysis>;
  budgets: string[];
  /** Where per-file budget findings are shown: the body's first non-blank line (bodyAnchor), as the editor shows them. */
  bodyStart?: { line: number; column: number };
  bodyEnd?: { line: number; column: number };
  /** Where each segment of `analysis` starts (1-based), so a view can open the file at a message. */
  segmentStarts?: { line: number; column: number }[];
  /** Unreadable, binary, non-UTF-8, parse problems and limit findings, positioned. */
  problems: Problem[];
}

export interface WorkspaceCheck {
  budgets: BudgetEvaluation[];
  /** Prompt files that no budget matched. */
  unbudgeted: FileUsage[];
  files: WorkspaceFileResult[];
  /** Every problem: config, files, limits and budgets, sorted by file and line. */
  problems: Problem[];
}

export interface WorkspaceFileInput {
  relativePath: string;
  /** The decoded text, or the problem that stopped it being read. */
  text: string | { problem: Problem };
}

/** The prompt files among `relativePaths`: the config's `files` (or the dedicated prompt names) and every budget's. */
export function selectPromptFiles(config: BudgetConfig | undefined, relativePaths: readonly string[]): string[] {
  return relativePaths.filter((path) => (config ? isPromptFile(config, path, isDedicatedPromptFile) : isDedicatedPromptFile(path)));
}

/** Analyses one prompt file under each budget that matches it (or under `sources` alone). */
export async function analyzeWorkspaceFile(
  input: WorkspaceFileInput,
  config: BudgetConfig | undefined,
  sources: PromptSettingSources,
  loadCounter: (tokenizer: TokenizerId) => Promise<TokenCounter> = loadTokenCounter,
): Promise<WorkspaceFileResult> {
  const { relativePath, text } = input;
  const budgets = config ? budgetsForFile(config, relativePath) : [];
  const result: WorkspaceFileResult = { relativePath, byBudget: new Map(), budgets: budgets.map((budget) => budget.name), problems: [] };
  if (typeof text !== 'string') {
    result.problems.push(text.problem);
    return result;
  }
  const lines = new LineIndex(text);
  const contexts: [Budget | undefined, PromptCountSettings][] = budgets.length
    ? budgets.map((budget) => [budget, resolvePromptSettings(sources, budget)])
    : [[undefined, resolvePromptSettings(sources)]];
  const seen = new Set<string>();
  for (const [budget, budgetCtx] of contexts) {
    const analysis = await analyzePrompt(relativePath, text, budgetCtx, loadCounter);
    if (!result.analysis) {
      result.analysis = analysis;
      const anchor = bodyAnchor(text, analysis.parsed.bodyRange);
      result.bodyStart = lines.positionAt(anchor.start);
      result.bodyEnd = lines.positionAt(anchor.end);
      result.segmentStarts = analysis.parsed.segments.map((segment) => lines.positionAt(segment.range.start));
    }
    if (budget) result.byBudget.set(budget.name, analysis);
    for (const finding of analysis.findings) {
      const key = `${finding.rule}:${finding.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      result.problems.push(findingProblem(relativePath, lines, finding));
    }
    const mismatch = budget && modelMismatchFinding(analysis, budget, budgetCtx.catalog);
    if (mismatch) result.problems.push(findingProblem(relativePath, lines, mismatch));
  }
  for (const problem of result.analysis?.parsed.problems ?? []) result.problems.push(problem);
  return result;
}

/** Evaluates every budget over the analysed files and gathers all problems. */
export function evaluateWorkspace(
  config: BudgetConfig | undefined,
  files: readonly WorkspaceFileResult[],
  allRelativePaths: readonly string[],
  configProblems: readonly Problem[] = [],
  /** How a file is named in messages (the CLI: relative to where it runs); the relative path by default. */
  nameFile?: (relativePath: string) => string,
): WorkspaceCheck {
  const problems: Problem[] = [...configProblems];
  const budgets: BudgetEvaluation[] = [];
  for (const budget of config?.budgets ?? []) {
    const usage: FileUsage[] = [];
    for (const file of files) {
      const analysis = file.byBudget.get(budget.name);
      if (analysis) usage.push(fileUsage(file.relativePath, analysis));
    }
    const evaluation = evaluateBudget(budget, usage, nameFile);
    budgets.push(evaluation);
    for (const finding of evaluation.findings) {
      const file = finding.file ? files.find((candidate) => candidate.relativePath === finding.file) : undefined;
      const at: SourcePosition | undefined = file ? undefined : (budget.positions.maxMonthlyCost ?? budget.position);
      const bodyStart = file?.bodyStart;
      problems.push({
        file: finding.file ?? config!.file,
        line: at?.line ?? bodyStart?.line ?? 1,
        column: at?.column ?? bodyStart?.column ?? 1,
        endLine: at ? at.endLine : file?.bodyEnd?.line,
        endColumn: at ? at.endColumn : file?.bodyEnd?.column,
        severity: finding.severity,
        rule: finding.rule,
        message: finding.message,
      });
    }
  }
  const unbudgeted = files.filter((file) => file.budgets.length === 0 && file.analysis).map((file) => fileUsage(file.relativePath, file.analysis!));
  for (const file of files) problems.push(...file.problems);
  if (config) problems.push(...unmatchedGlobs(config, allRelativePaths));
  // Plain code-unit order: localeCompare is far slower on thousands of problems and gains nothing here.
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column);
  return { budgets, unbudgeted, files: [...files], problems };
}

/** The figures a budget compares: input tokens and the cost of one call with the expected output. */
export function fileUsage(relativePath: string, analysis: PromptAnalysis): FileUsage {
  const model = analysis.resolved.model?.id ?? analysis.resolved.name;
  const usage: FileUsage = { file: relativePath, tokens: analysis.count.tokens, exact: analysis.count.exact, model };
  const cost = analysis.priced ? (analysis.expected ?? analysis.worstCase) : undefined;
  if (cost) {
    usage.inputCost = cost.input;
    // Without an expected output, a call is priced on its input alone (the worst case is the tooltip's).
    const output = analysis.expected ? cost.output : 0;
    usage.outputCost = output;
    usage.outputTokens = analysis.expected ? cost.outputTokens : 0;
    usage.costPerCall = cost.input + output;
  }
  const upper = upperBound(analysis.count.tokens, analysis.count.tokenizer);
  if (!analysis.count.exact && upper > analysis.count.tokens) {
    usage.inputUpperBound = upper;
    const model = analysis.resolved.model;
    if (model && usage.costPerCall !== undefined) usage.costUpperBound = costPerCall(model, upper, usage.outputTokens ?? 0).total;
  }
  return usage;
}

/** A finding with offsets as a problem with 1-based lines and columns. */
export function findingProblem(file: string, lines: LineIndex, finding: PromptFinding): Problem {
  const start = lines.positionAt(finding.range.start);
  const end = lines.positionAt(finding.range.end);
  return {
    file,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    severity: finding.severity,
    rule: finding.rule,
    message: finding.message,
  };
}
