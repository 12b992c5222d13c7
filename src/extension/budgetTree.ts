// The "Prompt Budgets" view: each budget of prompt-budget.yaml with its status, figures and files,
// the prompt files in no budget, and a node when the config has errors. It renders what
// WorkspaceScan computed (the CLI's engine); it never counts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptAnalysis } from '../core/count/analyzePrompt';
import type { BudgetEvaluation, BudgetStatus, FileEvaluation, FileUsage, LimitUsage } from '../core/check/evaluateBudget';
import { limitShare } from '../core/check/limitShare';
import { formatPercent, formatTokens, formatUsd } from '../core/report/formatNumbers';
import type { PromptFileDiff } from '../core/promptDiff/diffPromptChecks';
import { describeFileDelta } from '../core/promptDiff/diffWording';
import { COMMAND } from './commandIds';
import type { HeadDiffs } from './headDiffs';
import { registerCommand } from './log';
import { escapeMarkdown } from './promptWording';
import type { FolderBudgets, WorkspaceBudgets } from './workspaceBudgets';
import { BUDGETS_VIEW_ID, WorkspaceScan, type ConfigFolder, type FolderScan } from './workspaceScan';

export type BudgetTreeNode =
  | { kind: 'folder'; folder: ConfigFolder }
  | { kind: 'configError'; folder: ConfigFolder; configUri: vscode.Uri; stale: boolean; errors: number }
  | { kind: 'budget'; folder: ConfigFolder; evaluation: BudgetEvaluation }
  | { kind: 'noBudget'; folder: ConfigFolder; files: FileUsage[] }
  | { kind: 'file'; folder: ConfigFolder; usage: FileEvaluation | FileUsage; budget?: BudgetEvaluation; analysis?: PromptAnalysis; segmentStarts?: TextPosition[] }
  | { kind: 'message'; folder: ConfigFolder; file: string; label: string; tokens: number; exact: boolean; start?: TextPosition }
  | { kind: 'unreadable'; folder: ConfigFolder; files: UnreadableFile[] }
  | { kind: 'unreadableFile'; folder: ConfigFolder; file: UnreadableFile };

/** 1-based, as the core reports positions. */
type TextPosition = { line: number; column: number };

/** A prompt file the scan could not count (binary, not UTF-8, unreadable): `check` fails on it too. */
interface UnreadableFile {
  relativePath: string;
  message: string;
}

/** `viewItem` values for menus: `view == promptBudget.budgets && viewItem == promptBudget.file`. */
export const TREE_ITEM_CONTEXT = {
  folder: 'promptBudget.folder',
  configError: 'promptBudget.configError',
  budget: 'promptBudget.budget',
  noBudget: 'promptBudget.noBudget',
  file: 'promptBudget.file',
  message: 'promptBudget.message',
  unreadable: 'promptBudget.unreadable',
} as const;

const NO_BUDGET_LABEL = 'No budget';

/** Tree data for the budgets view; `refresh()` redraws it from the scan's latest results. */
export class BudgetTreeProvider implements vscode.TreeDataProvider<BudgetTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<BudgetTreeNode | undefined>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    readonly scan: WorkspaceScan,
    private readonly budgets: WorkspaceBudgets,
    private readonly headDiffs?: HeadDiffs,
  ) {
    this.disposables.push(
      scan.onDidChange(() => this.refresh()),
      budgets.onDidChange(() => this.refresh()),
    );
    if (headDiffs) this.disposables.push(headDiffs.onDidChange(() => this.refresh()));
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(node?: BudgetTreeNode): BudgetTreeNode[] {
    if (!node) {
      const scans = this.scan.folders();
      if (scans.length > 1) return scans.map((scan) => ({ kind: 'folder', folder: scan.folder }));
      return scans.length === 1 ? this.folderChildren(scans[0]) : [];
    }
    switch (node.kind) {
      case 'folder': {
        const scan = this.scan.folders().find((candidate) => candidate.folder.uri.toString() === node.folder.uri.toString());
        return scan ? this.folderChildren(scan) : [];
      }
      case 'budget': {
        const scan = this.folderScan(node.folder);
        return node.evaluation.files.map((usage) => ({
          kind: 'file',
          folder: node.folder,
          usage,
          budget: node.evaluation,
          analysis: scan?.results.get(usage.file)?.byBudget.get(node.evaluation.name),
          segmentStarts: scan?.results.get(usage.file)?.segmentStarts,
        }));
      }
      case 'noBudget': {
        const scan = this.folderScan(node.folder);
        return node.files.map((usage) => {
          const result = scan?.results.get(usage.file);
          return { kind: 'file', folder: node.folder, usage, analysis: result?.analysis, segmentStarts: result?.segmentStarts };
        });
      }
      case 'file':
        return chatMessages(node);
      case 'unreadable':
        return node.files.map((file) => ({ kind: 'unreadableFile', folder: node.folder, file }));
      default:
        return [];
    }
  }

  getTreeItem(node: BudgetTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return folderItem(node.folder);
      case 'configError':
        return configErrorItem(node);
      case 'budget':
        return budgetItem(node.evaluation);
      case 'noBudget':
        return noBudgetItem(node.files);
      case 'file':
        return fileItem(node, this.headDiffs?.deltaFor(vscode.Uri.joinPath(node.folder.uri, node.usage.file)));
      case 'message':
        return messageItem(node);
      case 'unreadable':
        return unreadableItem(node.files);
      case 'unreadableFile':
        return unreadableFileItem(node);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  private folderScan(folder: ConfigFolder): FolderScan | undefined {
    return this.scan.folders().find((candidate) => candidate.folder.uri.toString() === folder.uri.toString());
  }

  private folderChildren(scan: FolderScan): BudgetTreeNode[] {
    const nodes: BudgetTreeNode[] = [];
    const budgets: FolderBudgets | undefined = this.budgets.folderOf(scan.folder.uri);
    const errors = budgets?.problems.filter((problem) => problem.severity === 'error').length ?? 0;
    if (budgets?.configUri && errors > 0) {
      nodes.push({ kind: 'configError', folder: scan.folder, configUri: budgets.configUri, stale: budgets.stale, errors });
    }
    const check = scan.check;
    if (!check) return nodes;
    for (const evaluation of check.budgets) nodes.push({ kind: 'budget', folder: scan.folder, evaluation });
    if (check.unbudgeted.length > 0) nodes.push({ kind: 'noBudget', folder: scan.folder, files: check.unbudgeted });
    const unreadable = [...scan.results.values()]
      .filter((result) => !result.analysis && result.problems.length > 0)
      .map((result) => ({ relativePath: result.relativePath, message: result.problems[0].message }));
    if (unreadable.length > 0) nodes.push({ kind: 'unreadable', folder: scan.folder, files: unreadable });
    return nodes;
  }
}

/** The view and its actions; the provider is returned for the extension's API (tests read the tree through it). */
export function registerBudgetTree(context: vscode.ExtensionContext, scan: WorkspaceScan, budgets: WorkspaceBudgets, headDiffs?: HeadDiffs): BudgetTreeProvider {
  const provider = new BudgetTreeProvider(scan, budgets, headDiffs);
  const view = vscode.window.createTreeView(BUDGETS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  // The workspace is scanned when the view is first shown, never on activation.
  const startWhenVisible = () => {
    if (view.visible) void scan.start();
  };
  context.subscriptions.push(
    provider,
    view,
    view.onDidChangeVisibility(startWhenVisible),
    scan.onDidChange(() => updateBadge(view, scan)),
    registerCommand(COMMAND.refreshBudgets, () => scan.rescan()),
  );
  startWhenVisible();
  return provider;
}

function updateBadge(view: vscode.TreeView<BudgetTreeNode>, scan: WorkspaceScan): void {
  const over = scan.folders().flatMap((folder) => folder.check?.budgets ?? []).filter((budget) => budget.status === 'over').length;
  view.badge = over > 0 ? { value: over, tooltip: `${over} ${over === 1 ? 'budget' : 'budgets'} over the limit` } : undefined;
}

function folderItem(folder: ConfigFolder): vscode.TreeItem {
  const item = new vscode.TreeItem(folder.name, vscode.TreeItemCollapsibleState.Expanded);
  item.iconPath = vscode.ThemeIcon.Folder;
  item.resourceUri = folder.uri;
  item.contextValue = TREE_ITEM_CONTEXT.folder;
  return item;
}

function configErrorItem(node: Extract<BudgetTreeNode, { kind: 'configError' }>): vscode.TreeItem {
  const name = path.posix.basename(node.configUri.path);
  const item = new vscode.TreeItem(`${name} has errors`, vscode.TreeItemCollapsibleState.None);
  item.description = node.stale ? 'last valid version in force' : 'no budgets in force';
  item.tooltip = `${node.errors} ${node.errors === 1 ? 'error' : 'errors'} in ${name} (see Problems). ${
    node.stale ? 'The budgets below are those of the last valid version.' : 'No budgets apply until they are fixed.'
  }`;
  item.iconPath = statusIcon('over');
  item.contextValue = TREE_ITEM_CONTEXT.configError;
  item.command = { command: 'vscode.open', title: 'Open Budget Config', arguments: [node.configUri] };
  return item;
}

/** The budget line: `1.2k / 2k tok · $0.004/call · $18.00/mo`, `≈` before estimated figures. */
export function budgetDescription(evaluation: BudgetEvaluation): string {
  if (evaluation.files.length === 0) return 'no files';
  const approx = evaluation.exact ? '' : '≈';
  // A side bar has room for one figure: the limit nearest to (or furthest past) its cap. The tooltip has them all.
  const { inputTokens, totalTokens, costPerCall, monthlyCost } = evaluation.limits;
  const tightest = [inputTokens, totalTokens, costPerCall, monthlyCost].reduce<LimitUsage | undefined>(
    (best, usage) => (usage && (!best || usage.ratio > best.ratio) ? usage : best),
    undefined,
  );
  const tokens = (value: number) => formatTokens(value, 'compact');
  // Compact: the cents of a monthly bill do not fit a side bar, and the tooltip has them.
  const usd = (value: number) => formatUsd(value, 'compact');
  if (!tightest) return `${approx}${tokens(evaluation.tokens)} tok`;
  if (tightest === inputTokens) return `${approx}${tokens(tightest.used)} / ${tokens(tightest.limit)} tok`;
  if (tightest === totalTokens) return `${approx}${tokens(tightest.used)} / ${tokens(tightest.limit)} tok in+out`;
  if (tightest === costPerCall) return `${approx}${usd(tightest.used)} of ${usd(tightest.limit)}/call`;
  return `${approx}${usd(tightest.used)} of ${usd(tightest.limit)}/mo`;
}

function budgetItem(evaluation: BudgetEvaluation): vscode.TreeItem {
  const item = new vscode.TreeItem(
    evaluation.name,
    evaluation.files.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
  );
  item.description = budgetDescription(evaluation);
  item.iconPath = statusIcon(evaluation.status);
  item.tooltip = budgetTooltip(evaluation);
  item.contextValue = TREE_ITEM_CONTEXT.budget;
  return item;
}

function budgetTooltip(evaluation: BudgetEvaluation): vscode.MarkdownString {
  const { budget, limits } = evaluation;
  const approx = evaluation.exact ? '' : '≈';
  const rows: string[] = [];
  const row = (label: string, usage: LimitUsage | undefined, limit: number | undefined, format: (value: number) => string) => {
    if (limit === undefined) return;
    const used = usage ? `${approx}${format(usage.used)}` : '—';
    const share = usage ? formatPercent(usage.ratio) : '—';
    rows.push(`| ${label} | ${used} | ${format(limit)} | ${share} | ${usage ? STATUS_WORD[usage.status] : 'no files'} |`);
  };
  const tokens = (value: number) => formatTokens(value);
  row('Input tokens per call (largest prompt)', limits.inputTokens, budget.maxInputTokens, tokens);
  row(`Total tokens per call (with ${formatTokens(budget.expectedOutputTokens ?? 0)} output)`, limits.totalTokens, budget.maxTotalTokens, tokens);
  row('Cost per call (dearest prompt)', limits.costPerCall, budget.maxCostPerCall, formatUsd);
  row('Monthly cost (all prompts)', limits.monthlyCost, budget.maxMonthlyCost, formatUsd);

  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.appendMarkdown(`**${escapeMarkdown(evaluation.name)}**: ${STATUS_WORD[evaluation.status]}\n\n`);
  if (rows.length > 0) {
    markdown.appendMarkdown('| Limit | Used | Allowed | Share | |\n|---|---:|---:|---:|---|\n');
    markdown.appendMarkdown(`${rows.join('\n')}\n\n`);
  } else {
    markdown.appendMarkdown('No limits set.\n\n');
  }
  const models = [...new Set(evaluation.files.map((file) => file.model))];
  const facts = [
    `Files: ${evaluation.files.length}`,
    `Model: ${models.length > 0 ? models.map((model) => `\`${model}\``).join(', ') : '—'}`,
    `Counts: ${evaluation.exact ? 'exact' : 'estimate for some files (a tokenizer that is not public, or not on this machine yet)'}`,
  ];
  if (evaluation.costPerCall !== undefined) facts.push(`Cost per call: ${approx}${formatUsd(evaluation.costPerCall)} (dearest prompt)`);
  if (budget.expectedOutputTokens !== undefined) facts.push(`Expected output: ${formatTokens(budget.expectedOutputTokens)} tokens per call`);
  if (evaluation.callsPerDay !== undefined) facts.push(`Calls per day: ${formatTokens(evaluation.callsPerDay)} per prompt`);
  if (evaluation.monthlyCost !== undefined) facts.push(`Monthly cost: ${approx}${formatUsd(evaluation.monthlyCost)}`);
  if (evaluation.unpricedFiles.length > 0) facts.push(`No price, left out of costs: ${evaluation.unpricedFiles.map(escapeMarkdown).join(', ')}`);
  markdown.appendMarkdown(facts.join('  \n'));
  return markdown;
}

function noBudgetItem(files: readonly FileUsage[]): vscode.TreeItem {
  const item = new vscode.TreeItem(NO_BUDGET_LABEL, vscode.TreeItemCollapsibleState.Collapsed);
  item.description = `${files.length} ${files.length === 1 ? 'file' : 'files'}`;
  item.tooltip = 'Prompt files that no budget in prompt-budget.yaml matches: checked against their model’s limits only.';
  item.iconPath = new vscode.ThemeIcon('circle-outline');
  item.contextValue = TREE_ITEM_CONTEXT.noBudget;
  return item;
}

function unreadableItem(files: readonly UnreadableFile[]): vscode.TreeItem {
  const item = new vscode.TreeItem('Not counted', vscode.TreeItemCollapsibleState.Expanded);
  item.description = `${files.length} ${files.length === 1 ? 'file' : 'files'}`;
  item.tooltip = 'Prompt files that could not be read as UTF-8 text (binary, another encoding, unreadable). `prompt-budget check` fails on them.';
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  item.contextValue = TREE_ITEM_CONTEXT.unreadable;
  return item;
}

function unreadableFileItem(node: Extract<BudgetTreeNode, { kind: 'unreadableFile' }>): vscode.TreeItem {
  const uri = vscode.Uri.joinPath(node.folder.uri, node.file.relativePath);
  const item = new vscode.TreeItem(path.posix.basename(node.file.relativePath), vscode.TreeItemCollapsibleState.None);
  item.resourceUri = uri;
  item.description = node.file.message;
  item.tooltip = node.file.message;
  item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  item.command = { command: 'revealInExplorer', title: 'Reveal in Explorer', arguments: [uri] };
  return item;
}

/** A file's line: `1,234 tok · $0.0031 · 62%`; the share is of the budget's tightest limit. */
export function fileDescription(usage: FileEvaluation | FileUsage, budget?: BudgetEvaluation): string {
  const approx = usage.exact ? '' : '≈';
  const parts = [`${approx}${formatTokens(usage.tokens)} tok`];
  const share = budget && 'status' in usage ? budgetShare(usage, budget) : undefined;
  // In a budget, its share of the budget says more than the cost (which is in the tooltip); elsewhere the cost.
  if (share !== undefined) parts.push(formatPercent(share));
  else if (usage.costPerCall !== undefined) parts.push(`${approx}${formatUsd(usage.costPerCall)}`);
  return parts.join(' · ');
}

/** The largest share the file uses of one of its budget's limits; per-call limits first, else its part of the monthly cap. */
export function budgetShare(file: FileEvaluation, budget: BudgetEvaluation): number | undefined {
  const { maxInputTokens, maxTotalTokens, maxCostPerCall, maxMonthlyCost } = budget.budget;
  const ratios: number[] = [];
  if (maxInputTokens !== undefined) ratios.push(limitShare(file.tokens, maxInputTokens));
  if (maxTotalTokens !== undefined) ratios.push(limitShare(file.totalTokens, maxTotalTokens));
  if (maxCostPerCall !== undefined && file.costPerCall !== undefined) ratios.push(limitShare(file.costPerCall, maxCostPerCall));
  if (ratios.length === 0 && maxMonthlyCost !== undefined && file.monthlyCost !== undefined) ratios.push(limitShare(file.monthlyCost, maxMonthlyCost));
  return ratios.length > 0 ? Math.max(...ratios) : undefined;
}

function fileItem(node: Extract<BudgetTreeNode, { kind: 'file' }>, againstHead: PromptFileDiff | undefined): vscode.TreeItem {
  const { usage, budget, analysis, folder } = node;
  const uri = vscode.Uri.joinPath(folder.uri, usage.file);
  const hasMessages = analysis?.parsed.isChat === true && analysis.parsed.segments.length > 0;
  const item = new vscode.TreeItem(path.posix.basename(usage.file), hasMessages ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
  item.resourceUri = uri;
  item.description = fileDescription(usage, budget);
  // A changed prompt also says what the change does, against HEAD.
  if (againstHead) item.description += ` · ${describeFileDelta(againstHead)} vs HEAD`;
  const status = 'status' in usage ? usage.status : undefined;
  // The file's own icon when it is within its limits; the status icon when it is not.
  if (status && status !== 'ok') item.iconPath = statusIcon(status);
  item.tooltip = fileTooltip(node, againstHead);
  item.contextValue = TREE_ITEM_CONTEXT.file;
  item.command = { command: 'vscode.open', title: 'Open File', arguments: [uri] };
  return item;
}

function fileTooltip(node: Extract<BudgetTreeNode, { kind: 'file' }>, againstHead: PromptFileDiff | undefined): vscode.MarkdownString {
  const { usage, budget, analysis } = node;
  const approx = usage.exact ? '' : '≈';
  const markdown = new vscode.MarkdownString(undefined, true);
  markdown.appendMarkdown(`**${escapeMarkdown(usage.file)}**\n\n`);
  const lines = [
    `Input: ${approx}${formatTokens(usage.tokens)} tokens (${usage.exact ? `exact${analysis ? `, ${analysis.count.tokenizer}` : ''}` : 'estimate'})`,
    `Model: \`${usage.model}\``,
  ];
  if (usage.costPerCall !== undefined) {
    const output = usage.outputTokens ? ` with ${formatTokens(usage.outputTokens)} output tokens` : ', input only';
    lines.push(`Cost per call: ${approx}${formatUsd(usage.costPerCall)}${output}`);
  } else {
    lines.push('Cost per call: no price for this model');
  }
  if ('monthlyCost' in usage && usage.monthlyCost !== undefined) lines.push(`Monthly: ${approx}${formatUsd(usage.monthlyCost)}`);
  if (budget && 'status' in usage) {
    const share = budgetShare(usage, budget);
    lines.push(`Budget: ${escapeMarkdown(budget.name)}${share !== undefined ? `, ${formatPercent(share)} of its tightest limit` : ''} (${STATUS_WORD[usage.status]})`);
    for (const finding of usage.findings) lines.push(`$(${finding.severity === 'error' ? 'error' : 'warning'}) ${escapeMarkdown(finding.message)}`);
  } else {
    lines.push('Budget: none (checked against the model’s limits only)');
  }
  if (againstHead) lines.push(`Against HEAD (saved file, ${againstHead.status}): ${escapeMarkdown(describeFileDelta(againstHead))}`);
  markdown.appendMarkdown(lines.join('  \n'));
  return markdown;
}

function chatMessages(node: Extract<BudgetTreeNode, { kind: 'file' }>): BudgetTreeNode[] {
  const analysis = node.analysis;
  if (!analysis?.parsed.isChat) return [];
  return analysis.parsed.segments.map((segment, index) => ({
    kind: 'message',
    folder: node.folder,
    file: node.usage.file,
    label: segment.label,
    tokens: analysis.count.segmentTokens[index] ?? 0,
    exact: analysis.count.exact,
    start: node.segmentStarts?.[index],
  }));
}

function messageItem(node: Extract<BudgetTreeNode, { kind: 'message' }>): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
  item.description = `${node.exact ? '' : '≈'}${formatTokens(node.tokens)} tok`;
  item.iconPath = new vscode.ThemeIcon('comment');
  item.contextValue = TREE_ITEM_CONTEXT.message;
  const uri = vscode.Uri.joinPath(node.folder.uri, node.file);
  // At the message itself: a chat file can hold dozens of them.
  const at = node.start && new vscode.Position(node.start.line - 1, node.start.column - 1);
  item.command = { command: 'vscode.open', title: 'Open at Message', arguments: at ? [uri, { selection: new vscode.Range(at, at) }] : [uri] };
  return item;
}

const STATUS_WORD: Record<BudgetStatus, string> = { ok: 'within budget', warning: 'close to the limit', over: 'over budget' };

/** The status icon in the theme's test and problem colours. */
export function statusIcon(status: BudgetStatus): vscode.ThemeIcon {
  switch (status) {
    case 'ok':
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'warning':
      return new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    case 'over':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
  }
}
