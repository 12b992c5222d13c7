// Quick fixes for Prompt Budget's diagnostics: lower a max output that does not fit, or switch
// a prompt that overflows its context window to a model whose window fits it.
import * as vscode from 'vscode';
import { toRange } from './documentRanges';
import type { PromptFinding } from '../core/count/analyzePrompt';
import { costPerCall } from '../core/catalog/cost';
import { isEstimate } from '../core/tokenize/estimateProfiles';
import { ESTIMATE_FACTOR } from '../core/tokenize/tokenCounter';
import { formatTokens } from '../core/report/formatNumbers';
import type { ModelInfo, TextRange } from '../core/types';
import { COMMAND } from './commandIds';
import { registerCommand } from './log';
import type { ModelChoice } from './modelChoice';
import { DIAGNOSTIC_SOURCE } from './problemDiagnostics';
import type { PromptSettingsResolver } from './promptSettingsResolver';
import type { DocumentAnalysis, PromptDocuments } from './promptDocuments';

const MAX_OUTPUT_RULES = new Set(['max-output', 'context-with-output']);
const MODEL_SUGGESTIONS = 3;

export function registerPromptCodeActions(
  context: vscode.ExtensionContext,
  documents: PromptDocuments,
  contexts: PromptSettingsResolver,
  choice: ModelChoice,
): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      // Prompt files are recognised by name and settings, not by language; provideCodeActions checks.
      [{ scheme: 'file' }, { scheme: 'untitled' }, { scheme: 'vscode-remote' }, { scheme: 'vscode-vfs' }],
      new PromptCodeActions(documents, contexts),
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    // The quick fix for prompts that declare no model: sets the workspace's model, like the picker.
    registerCommand(COMMAND.useModel, async (modelId: string) => {
      if (typeof modelId !== 'string' || modelId === '') throw new Error('No model given.');
      await choice.choose(modelId);
    }),
  );
}

export class PromptCodeActions implements vscode.CodeActionProvider {
  constructor(
    private readonly documents: PromptDocuments,
    private readonly contexts: PromptSettingsResolver,
  ) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const analysis = this.documents.get(document.uri);
    if (!analysis || analysis.version !== document.version) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
      const rule = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
      const finding = analysis.findings.find((candidate) => candidate.rule === rule && candidate.message === diagnostic.message);
      if (!finding) continue;
      if (MAX_OUTPUT_RULES.has(rule)) {
        const action = lowerMaxOutput(document, analysis, finding, diagnostic);
        if (action) actions.push(action);
      } else if ((rule === 'context-window' || rule === 'max-input') && finding.severity === 'error') {
        actions.push(...this.switchModel(document, analysis, diagnostic));
      }
    }
    // max-output and context-with-output on one value both suggest the same number: offer it once.
    const titles = new Set<string>();
    return actions.filter((action) => !titles.has(action.title) && titles.add(action.title));
  }

  private switchModel(document: vscode.TextDocument, analysis: DocumentAnalysis, diagnostic: vscode.Diagnostic): vscode.CodeAction[] {
    const declared = analysis.parsed.model;
    const source = analysis.resolved.source;
    if (source === 'budget') {
      // The budget's model wins over the picker: the fix is in prompt-budget.yaml (or a model in the file).
      const action = new vscode.CodeAction("Open prompt-budget.yaml to change this budget's model", vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      action.command = { title: action.title, command: COMMAND.openConfig };
      return [action];
    }
    return modelsThatFit(this.contexts.catalogFor(document.uri).list(), analysis).map((model) => {
      const fromFile = declared && source === 'file';
      const where = fromFile ? '' : ' for this workspace';
      const action = new vscode.CodeAction(`Switch to ${model.name}${where} (${formatTokens(model.contextWindow ?? 0, 'compact')} context)`, vscode.CodeActionKind.QuickFix);
      action.diagnostics = [diagnostic];
      if (fromFile) {
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(document.uri, toRange(document, declared.range), replacementKeepingQuotes(document.getText(toRange(document, declared.range)), model.id));
      } else {
        action.command = { title: action.title, command: COMMAND.useModel, arguments: [model.id] };
      }
      return action;
    });
  }
}

/** "Lower max output tokens to N": rewrites the declared number in place. */
function lowerMaxOutput(
  document: vscode.TextDocument,
  analysis: DocumentAnalysis,
  finding: PromptFinding,
  diagnostic: vscode.Diagnostic,
): vscode.CodeAction | undefined {
  const declared = analysis.parsed.maxOutputTokens;
  const fitting = finding.fittingMaxOutput;
  if (!declared || fitting === undefined) return undefined;
  const number = numberRange(document.getText(), declared.range, declared.value);
  if (!number) return undefined;
  const action = new vscode.CodeAction(`Lower max output tokens to ${formatTokens(fitting)}`, vscode.CodeActionKind.QuickFix);
  action.diagnostics = [diagnostic];
  action.isPreferred = true;
  action.edit = new vscode.WorkspaceEdit();
  action.edit.replace(document.uri, toRange(document, number), String(fitting));
  return action;
}

/** Up to three models whose context window holds the prompt plus its declared output (and whose input cap the prompt), cheapest call first. */
export function modelsThatFit(models: readonly ModelInfo[], analysis: DocumentAnalysis): ModelInfo[] {
  const output = analysis.declaredMaxOutputTokens ?? 0;
  const current = analysis.resolved.model?.id;
  // Another tokenizer counts differently: an estimate runs ESTIMATE_FACTOR above o200k_base.
  const inputFor = (model: ModelInfo) => {
    if (model.tokenizer === analysis.count.tokenizer) return analysis.count.tokens;
    if (isEstimate(model.tokenizer)) return Math.round(analysis.count.tokens * ESTIMATE_FACTOR);
    return analysis.count.exact ? analysis.count.tokens : Math.round(analysis.count.tokens / ESTIMATE_FACTOR);
  };
  const cost = (model: ModelInfo) => (model.pricing ? costPerCall(model, inputFor(model), output).total : Infinity);
  return models
    // A model without output (an embedding model) cannot run a prompt, however large its window.
    .filter(
      (model) =>
        model.id !== current &&
        (model.maxOutputTokens ?? 0) > 0 &&
        (model.contextWindow ?? 0) >= inputFor(model) + output &&
        (model.maxInputTokens ?? Infinity) >= inputFor(model),
    )
    .sort((a, b) => cost(a) - cost(b) || (a.contextWindow ?? 0) - (b.contextWindow ?? 0) || a.id.localeCompare(b.id))
    .slice(0, MODEL_SUGGESTIONS);
}

/** The digits of `value` inside a declared key/value range (`max_tokens: 9000`, `"max_tokens": "9000"`). */
function numberRange(text: string, range: TextRange, value: number): TextRange | undefined {
  const digits = /\d+/g;
  const slice = text.slice(range.start, range.end);
  for (let match = digits.exec(slice); match; match = digits.exec(slice)) {
    if (Number(match[0]) === value) return { start: range.start + match.index, end: range.start + match.index + match[0].length };
  }
  return undefined;
}

/** The new model id, quoted the way the old value was (JSON needs its quotes; YAML keeps its style). */
function replacementKeepingQuotes(old: string, id: string): string {
  const quote = /^(["'])[\s\S]*\1$/.exec(old)?.[1];
  return quote ? `${quote}${id}${quote}` : id;
}
