import * as vscode from 'vscode';
import { formatPercent, formatTokens, formatUsd } from '../core/report/formatNumbers';
import { estimateSpreadLabel } from '../core/tokenize/estimateProfiles';
import type { PromptFileDiff } from '../core/promptDiff/diffPromptChecks';
import { describeFileDelta } from '../core/promptDiff/diffWording';
import { COMMAND } from './commandIds';
import type { HeadDiffs } from './headDiffs';
import type { DocumentAnalysis, PromptDocuments } from './promptDocuments';
import { describeProviderCount, type ProviderCounts } from './providerCounts';
import { describeModelSourceForTooltip, describeSourceNote, describeTokenizer, escapeMarkdown, perCallCost } from './promptWording';

const SELECTION_DELAY_MS = 120;
// Counting a thousand cursors' selections one by one would flood the worker for no use.
const MAX_COUNTED_SELECTIONS = 200;
const CONTEXT_RULES = new Set(['context-window', 'max-input', 'context-with-output']);

/** The status bar item: tokens, cost per call and model of the active prompt (or its selection). */
export function registerStatusBar(context: vscode.ExtensionContext, documents: PromptDocuments, providerCounts?: ProviderCounts, headDiffs?: HeadDiffs): PromptStatusBar {
  const statusBar = new PromptStatusBar(documents, providerCounts, headDiffs);
  context.subscriptions.push(statusBar);
  return statusBar;
}

export class PromptStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('promptBudget.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];
  private selectionTimer: ReturnType<typeof setTimeout> | undefined;
  private selection: { uri: string; version: number; tokens: number; count: number } | undefined;
  private selectionGeneration = 0;
  private activeIsPrompt: boolean | undefined;
  // What the item shows, as last sent; undefined while hidden.
  private shownContent: string | undefined;

  constructor(
    private readonly documents: PromptDocuments,
    private readonly providerCounts?: ProviderCounts,
    private readonly headDiffs?: HeadDiffs,
  ) {
    this.item.name = 'Prompt Budget';
    this.item.command = COMMAND.selectModel;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor === vscode.window.activeTextEditor) this.scheduleSelectionCount();
      }),
      documents.onDidAnalyze((analysis) => {
        if (analysis.uri.toString() === vscode.window.activeTextEditor?.document.uri.toString()) this.scheduleSelectionCount();
      }),
      documents.onDidForget(() => this.render()),
      ...(providerCounts ? [providerCounts.onDidChange(() => this.render())] : []),
    );
    if (headDiffs) this.disposables.push(headDiffs.onDidChange(() => this.render()));
    // After activation, like the documents' first count: activate() only wires.
    const initial = setTimeout(() => this.refresh(), 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  /** Re-reads the active editor (it changed, or its document became a prompt). */
  refresh(): void {
    const editor = vscode.window.activeTextEditor;
    if (editor) this.documents.track(editor.document);
    this.selection = undefined;
    this.scheduleSelectionCount();
    this.render();
  }

  dispose(): void {
    clearTimeout(this.selectionTimer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private scheduleSelectionCount(): void {
    clearTimeout(this.selectionTimer);
    this.selectionTimer = setTimeout(() => void this.countSelection(), SELECTION_DELAY_MS);
    this.render();
  }

  private async countSelection(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const generation = ++this.selectionGeneration;
    const analysis = editor && this.documents.get(editor.document.uri);
    const selected = editor?.selections.filter((selection) => !selection.isEmpty).slice(0, MAX_COUNTED_SELECTIONS) ?? [];
    if (!editor || !analysis || selected.length === 0) {
      this.selection = undefined;
      this.render();
      return;
    }
    let tokens = 0;
    try {
      for (const selection of selected) {
        // A selection is counted as the raw text it is, whatever the file's format.
        const { byTokenizer } = await this.documents.countText('selection.txt', editor.document.getText(selection), [analysis.count.tokenizer]);
        tokens += byTokenizer[analysis.count.tokenizer]?.tokens ?? 0;
      }
    } catch {
      return;
    }
    if (generation !== this.selectionGeneration) return;
    this.selection = { uri: editor.document.uri.toString(), version: editor.document.version, tokens, count: selected.length };
    this.render();
  }

  private render(): void {
    const editor = vscode.window.activeTextEditor;
    const isPrompt = editor !== undefined && this.documents.track(editor.document);
    if (isPrompt !== this.activeIsPrompt) {
      this.activeIsPrompt = isPrompt;
      // Drives the editor title's Compare Models button.
      void vscode.commands.executeCommand('setContext', 'promptBudget.isPrompt', isPrompt);
    }
    if (!editor || !isPrompt) {
      this.hide();
      return;
    }
    const counted = this.documents.get(editor.document.uri);
    if (!counted || counted.version !== editor.document.version) {
      // Keep the last figures while a newer count is on its way; say so only the first time.
      if (!counted) this.show({ text: '$(sync~spin) Counting tokens…', tooltip: 'Prompt Budget is counting this prompt.' });
      return;
    }
    // The provider's count, when its API counted this very text (Count with Provider API).
    const analysis = this.providerCounts?.analysisFor(editor.document, counted) ?? counted;
    const approx = analysis.count.exact ? '' : '≈';
    const icon = analysis.count.fromProvider ? '$(cloud)' : '$(symbol-numeric)';
    const model = analysis.resolved.model?.id ?? analysis.resolved.name;
    const selection = this.selection?.uri === editor.document.uri.toString() && this.selection.version === editor.document.version ? this.selection : undefined;
    // A selection is always our own count, whatever counted the whole text.
    const ownApprox = counted.count.exact ? '' : '≈';
    const tokens = selection
      ? `$(selection) ${ownApprox}${formatTokens(selection.tokens)} of ${approx}${formatTokens(analysis.count.tokens)} tok`
      : `${icon} ${approx}${formatTokens(analysis.count.tokens)} tok${spreadOf(analysis)}`;
    const cost = perCallCost(analysis);
    // ≤ marks a worst case (the declared max output); "input" a cost without any output.
    const costText = cost
      ? cost.basis === 'worst-case'
        ? `≤${approx}${formatUsd(cost.total)}`
        : cost.basis === 'input-only'
          ? `${approx}${formatUsd(cost.total)} input`
          : `${approx}${formatUsd(cost.total)}`
      : undefined;
    const contextFindings = analysis.findings.filter((finding) => CONTEXT_RULES.has(finding.rule) || finding.rule === 'max-output');
    this.show({
      text: [tokens, costText, model].filter(Boolean).join(' · '),
      tooltip: tooltip(analysis, selection, analysis.context.budgetName, this.headDiffs?.deltaFor(editor.document.uri)),
      accessibilityInformation: { label: `${analysis.count.exact ? '' : 'about '}${analysis.count.tokens} tokens on ${model}`, role: 'button' },
      backgroundColor: contextFindings.some((finding) => finding.severity === 'error')
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : contextFindings.some((finding) => finding.severity === 'warning')
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined,
    });
  }

  /**
   * Shows `content`, unless the item shows it already: each change sends the whole item, tooltip
   * included, to the workbench, and on opening a prompt those messages queue with the editor's own.
   */
  private show(content: ItemContent): void {
    const { text, tooltip, accessibilityInformation, backgroundColor } = content;
    const key = JSON.stringify([text, typeof tooltip === 'string' ? tooltip : tooltip.value, accessibilityInformation, backgroundColor?.id]);
    if (key === this.shownContent) return;
    this.shownContent = key;
    this.item.text = text;
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = accessibilityInformation;
    this.item.backgroundColor = backgroundColor;
    this.item.show();
  }

  private hide(): void {
    if (this.shownContent === undefined) return;
    this.shownContent = undefined;
    this.item.hide();
  }
}

interface ItemContent {
  text: string;
  tooltip: string | vscode.MarkdownString;
  accessibilityInformation?: vscode.AccessibilityInformation;
  backgroundColor?: vscode.ThemeColor;
}

function tooltip(
  analysis: DocumentAnalysis,
  selection: { tokens: number; count: number } | undefined,
  budgetName: string | undefined,
  againstHead: PromptFileDiff | undefined,
): vscode.MarkdownString {
  const { count, resolved, worstCase, expected } = analysis;
  const model = resolved.model;
  const approx = count.exact ? '' : '≈';
  // The selection and the sample values are our own counts, even where a provider counted the whole text.
  const ownApprox = (count.fromProvider ? count.fromProvider.localExact : count.exact) ? '' : '≈';
  const lines: string[] = [`**Prompt Budget** · ${escapeMarkdown(model?.name ?? resolved.name)}`, ''];
  lines.push(`Tokens: **${approx}${formatTokens(count.tokens)}** (${count.fromProvider ? escapeMarkdown(describeProviderCount(count.fromProvider)) : describeTokenizer(count, model?.tokenizer, model?.tokenizerFile)})`);
  if (count.overheadTokens > 0) lines.push(`Includes ${formatTokens(count.overheadTokens)} tokens of chat message framing`);
  if (selection) lines.push(`Selection: ${ownApprox}${formatTokens(selection.tokens)} tokens in ${selection.count} ${selection.count === 1 ? 'selection' : 'selections'}`);
  if (againstHead) lines.push(`Against HEAD (saved file, ${againstHead.status}): **${escapeMarkdown(describeFileDelta(againstHead))}**`);
  if (count.renderedTokens !== undefined) lines.push(`With the file's sample values: ${ownApprox}${formatTokens(count.renderedTokens)} tokens`);
  if (model?.contextWindow) {
    lines.push(`Context used: ${approx}${formatPercent(count.tokens / model.contextWindow, 1)} of ${formatTokens(model.contextWindow)}`);
  }
  if (model?.maxInputTokens && (!model.contextWindow || model.maxInputTokens < model.contextWindow)) {
    lines.push(`Input limit: ${approx}${formatPercent(count.tokens / model.maxInputTokens, 1)} of ${formatTokens(model.maxInputTokens)}`);
  }
  if (analysis.declaredMaxOutputTokens !== undefined) {
    lines.push(`Declared max output: ${formatTokens(analysis.declaredMaxOutputTokens)} tokens (model cap ${model?.maxOutputTokens ? formatTokens(model.maxOutputTokens) : 'unknown'})`);
  }
  lines.push('');
  if (!model) {
    lines.push(`$(warning) ${escapeMarkdown(resolved.unknownMessage ?? 'Unknown model.')}`);
  } else if (!analysis.priced || !worstCase) {
    lines.push('No known price for this model.');
  } else {
    // The three figures of every surface, with the same names: input, expected per call, worst case.
    lines.push(`Input: ${approx}${formatUsd(worstCase.input)}`);
    lines.push(
      expected
        ? `Expected per call: **${approx}${formatUsd(expected.total)}** (${formatTokens(expected.outputTokens)} output tok, +${formatUsd(expected.output)})`
        : 'Expected per call: set `expectedOutputTokens` in the budget or the setting',
    );
    if (worstCase.outputBasis === 'none') {
      lines.push('Worst case: unknown (no max output known for this model)');
    } else {
      const basis = worstCase.outputBasis === 'declared' ? 'declared max output' : "model's max output";
      lines.push(`Worst case: ${approx}${formatUsd(worstCase.total)} (${formatTokens(worstCase.outputTokens)} output tok, ${basis}, +${formatUsd(worstCase.output)})`);
    }
  }
  lines.push('');
  lines.push(`Model: ${describeModelSourceForTooltip(resolved.source, budgetName && escapeMarkdown(budgetName))}`);
  if (model?.sources.prices) lines.push(`Prices: ${describeSourceNote(model.sources.prices)}`);
  if (model?.sources.limits) lines.push(`Limits: ${describeSourceNote(model.sources.limits)}`);
  lines.push('', `[Switch model](command:${COMMAND.selectModel}) · [Compare models](command:${COMMAND.compareModels})`);
  const markdown = new vscode.MarkdownString(lines.join('  \n'), true);
  markdown.isTrusted = { enabledCommands: [COMMAND.selectModel, COMMAND.compareModels] };
  return markdown;
}

/** An estimate's measured spread, so the status bar itself tells an estimate's tier: ' (±33 %)'; nothing for an exact count. */
function spreadOf(analysis: DocumentAnalysis): string {
  if (analysis.count.exact || analysis.count.fromProvider) return '';
  const spread = estimateSpreadLabel(analysis.count.tokenizer);
  return spread ? ` (${spread})` : '';
}
