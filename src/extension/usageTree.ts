// The "Prompt Usage" view: quotas with a bar and their forecast, then calls and cost by day, model,
// user and budget, and the log lines that could not be read.
import * as vscode from 'vscode';
import type { QuotaStatus } from '../core/usage/evaluateQuotas';
import { formatUsageAmount, formatUsageCost, formatUsageCount } from '../core/usage/formatUsage';
import { groupUsage, type UsageGroup } from '../core/usage/summarizeUsage';
import type { UsageProblem } from '../core/usage/usageRecord';
import { registerCommand } from './log';
import { COMMAND } from './commandIds';
import type { UsageLogs, UsageSnapshot } from './usageLogs';

export const USAGE_VIEW_ID = 'promptBudget.usage';
const RECENT_DAYS = 14;
const DAYS_PER_MONTH = 30;

/** A budget's prompt size as the Prompt Budgets view counted it (its largest prompt), when it has. */
export type PromptTokensOf = (budgetName: string) => { tokens: number; exact: boolean } | undefined;

export type UsageTreeNode =
  | { kind: 'quota'; quota: QuotaStatus }
  | { kind: 'section'; section: 'days' | 'models' | 'users' | 'budgets' | 'problems'; label: string; count: number }
  | { kind: 'group'; section: 'days' | 'models' | 'users'; label: string; group: UsageGroup }
  | { kind: 'budget'; name: string; group: UsageGroup; days: number; maxMonthlyCost?: number }
  | { kind: 'problem'; problem: UsageProblem };

export class UsageTreeProvider implements vscode.TreeDataProvider<UsageTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly logs: UsageLogs,
    private readonly promptTokensOf: PromptTokensOf = () => undefined,
  ) {
    this.subscription = logs.onDidChange(() => this.changed.fire());
  }

  /** Redraws, e.g. when the budgets' prompt counts change. */
  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: UsageTreeNode): UsageTreeNode[] {
    const snapshot = this.logs.snapshot;
    if (!snapshot) return [];
    if (!node) return rootNodes(snapshot);
    if (node.kind !== 'section') return [];
    return sectionNodes(snapshot, node.section);
  }

  getTreeItem(node: UsageTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'quota':
        return quotaItem(node.quota);
      case 'section': {
        const item = new vscode.TreeItem(node.label, node.section === 'problems' ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.Expanded);
        item.description = String(node.count);
        item.contextValue = `usageSection.${node.section}`;
        if (node.section === 'problems') item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        return item;
      }
      case 'group': {
        const item = new vscode.TreeItem(node.label);
        item.description = sumsText(node.group);
        item.tooltip = groupTooltip(node.label, node.group);
        item.contextValue = `usageGroup.${node.section}`;
        return item;
      }
      case 'budget': {
        const item = new vscode.TreeItem(node.name);
        const perDay = node.group.calls / Math.max(1, node.days);
        const meanInput = node.group.calls > 0 ? node.group.inputTokens / node.group.calls : 0;
        const monthly = node.group.cost === null ? undefined : (node.group.cost / Math.max(1, node.days)) * DAYS_PER_MONTH;
        const monthlyText = monthly === undefined ? 'cost unknown' : `${formatUsageCost(monthly)}/mo${node.maxMonthlyCost !== undefined ? ` of ${formatUsageCost(node.maxMonthlyCost)}` : ''}`;
        const prompt = this.promptTokensOf(node.name);
        const promptText = prompt ? ` (prompt ${prompt.exact ? '' : '≈'}${formatUsageCount(prompt.tokens)})` : '';
        item.description = `${formatUsageCount(perDay)} calls/day · ${formatUsageCount(meanInput)} input tok/call${promptText} · ${monthlyText}`;
        const promptTooltip = prompt ? ` against ${prompt.exact ? '' : '≈'}${formatUsageCount(prompt.tokens)} tokens counted in its largest prompt` : '';
        item.tooltip = `Budget '${node.name}': ${formatUsageCount(node.group.calls)} calls over ${node.days} day(s) of logs; mean input ${formatUsageCount(meanInput)} tokens a call${promptTooltip}; actual monthly cost at this rate ${monthlyText}.`;
        item.iconPath = new vscode.ThemeIcon(monthly !== undefined && node.maxMonthlyCost !== undefined && monthly > node.maxMonthlyCost ? 'error' : 'pie-chart');
        item.contextValue = 'usageBudget';
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(`${node.problem.file}${node.problem.line > 0 ? `:${node.problem.line}` : ''}`);
        item.description = node.problem.message;
        item.tooltip = `${node.problem.file}:${node.problem.line}: ${node.problem.message}`;
        const folder = this.logs.snapshot?.folder;
        if (folder && node.problem.line > 0) {
          const uri = vscode.Uri.joinPath(folder, node.problem.file);
          const line = node.problem.line - 1;
          item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { selection: new vscode.Range(line, 0, line, 0) }] };
        }
        item.contextValue = 'usageProblem';
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function rootNodes(snapshot: UsageSnapshot): UsageTreeNode[] {
  const buckets = [...snapshot.ledger.buckets.values()];
  const days = new Set(buckets.map((bucket) => bucket.day)).size;
  const nodes: UsageTreeNode[] = snapshot.report.quotas.map((quota) => ({ kind: 'quota', quota }));
  nodes.push({ kind: 'section', section: 'days', label: `Last ${RECENT_DAYS} days`, count: Math.min(days, RECENT_DAYS) });
  nodes.push({ kind: 'section', section: 'models', label: 'Models', count: new Set(buckets.map((bucket) => bucket.model)).size });
  nodes.push({ kind: 'section', section: 'users', label: 'Users', count: new Set(buckets.map((bucket) => bucket.user ?? '')).size });
  const linked = snapshot.config.budgets.filter((budget) => budget.usageTags && budget.usageTags.length > 0).length;
  if (linked > 0) nodes.push({ kind: 'section', section: 'budgets', label: 'Budgets', count: linked });
  if (snapshot.report.problems.length > 0) nodes.push({ kind: 'section', section: 'problems', label: 'Unread lines', count: snapshot.report.problems.length });
  return nodes;
}

function sectionNodes(snapshot: UsageSnapshot, section: 'days' | 'models' | 'users' | 'budgets' | 'problems'): UsageTreeNode[] {
  const buckets = [...snapshot.ledger.buckets.values()];
  switch (section) {
    case 'days':
      return groupUsage(buckets, ['day'])
        .slice(-RECENT_DAYS)
        .reverse()
        .map((group) => ({ kind: 'group', section, label: group.keys.day ?? '', group }));
    case 'models':
      return byCost(groupUsage(buckets, ['model'])).map((group) => ({ kind: 'group', section, label: group.keys.model ?? '', group }));
    case 'users':
      return byCost(groupUsage(buckets, ['user'])).map((group) => ({ kind: 'group', section, label: group.keys.user ?? '', group }));
    case 'budgets': {
      const days = new Set(buckets.map((bucket) => bucket.day)).size;
      const linked = snapshot.config.budgets.filter((budget) => budget.usageTags && budget.usageTags.length > 0);
      const groups = groupUsage(buckets, ['budget'], linked.map((budget) => ({ name: budget.name, usageTags: budget.usageTags ?? [] })));
      return linked.map((budget) => ({
        kind: 'budget',
        name: budget.name,
        group: groups.find((group) => group.keys.budget === budget.name) ?? { keys: {}, records: 0, calls: 0, inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, cost: 0, unpricedRecords: 0 },
        days,
        maxMonthlyCost: budget.maxMonthlyCost,
      }));
    }
    case 'problems':
      return snapshot.report.problems.map((problem) => ({ kind: 'problem', problem }));
  }
}

function byCost(groups: UsageGroup[]): UsageGroup[] {
  return groups.sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0) || b.calls - a.calls);
}

function quotaItem(quota: QuotaStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(`${quota.name} (${quota.metric}, ${quota.period})`);
  item.description = `${quotaBar(quota.share)} ${Math.round(quota.share * 100)}% · ${formatUsageAmount(quota.metric, quota.used)} of ${formatUsageAmount(quota.metric, quota.limit)} · forecast ${formatUsageAmount(quota.metric, quota.forecast)}`;
  item.tooltip = `Quota '${quota.name}', ${quota.period} from ${quota.periodStart}: ${formatUsageAmount(quota.metric, quota.used)} of ${formatUsageAmount(quota.metric, quota.limit)}. At this rate ${formatUsageAmount(quota.metric, quota.forecast)} by ${quota.periodEnd}. Warns at ${Math.round(quota.warnAt * 100)}%.`;
  item.iconPath =
    quota.status === 'over'
      ? new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'))
      : quota.status === 'warning'
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
  item.contextValue = `usageQuota.${quota.status}`;
  return item;
}

/** Ten cells, filled by the share used (capped at full). */
export function quotaBar(share: number): string {
  const filled = Math.max(0, Math.min(10, Math.round(share * 10)));
  return '▰'.repeat(filled) + '▱'.repeat(10 - filled);
}

function sumsText(group: UsageGroup): string {
  const cost = group.cost === null ? 'no price' : formatUsageCost(group.cost);
  return `${formatUsageCount(group.calls)} calls · ${formatUsageCount(group.inputTokens + group.outputTokens)} tok · ${cost}`;
}

function groupTooltip(label: string, group: UsageGroup): string {
  const unpriced = group.unpricedRecords > 0 ? `\n${group.unpricedRecords} record(s) without a price: their tokens are counted, their cost left out.` : '';
  return `${label}\n${formatUsageCount(group.calls)} calls\n${formatUsageCount(group.inputTokens)} input tokens (${formatUsageCount(group.cachedInputTokens)} cached)\n${formatUsageCount(group.outputTokens)} output tokens\n${group.cost === null ? 'no price data' : formatUsageCost(group.cost)}${unpriced}`;
}

/** Creates the view and its refresh command. */
export function registerUsageTree(context: vscode.ExtensionContext, logs: UsageLogs, promptTokensOf?: PromptTokensOf): UsageTreeProvider {
  const provider = new UsageTreeProvider(logs, promptTokensOf);
  const view = vscode.window.createTreeView(USAGE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    provider,
    view,
    // The logs are read when the view is first shown, not on activation.
    view.onDidChangeVisibility((event) => {
      if (event.visible) void logs.start();
    }),
    registerCommand(COMMAND.refreshUsage, () => (logs.isStarted ? logs.reload() : logs.start())),
  );
  if (view.visible) void logs.start();
  return provider;
}
