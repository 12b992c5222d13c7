// The "Prompt Usage" view: quotas with a bar and their forecast, then calls and cost by day, model,
// user and budget, and the log lines that could not be read; and, when the user lists coding agents,
// what the agents spent today and this week, and their current 5-hour blocks.
import * as vscode from 'vscode';
import { agentSpend } from '../core/usage/agents/agentSpend';
import type { BlockProjection, UsageBlock } from '../core/usage/agents/usageBlocks';
import type { QuotaStatus } from '../core/usage/evaluateQuotas';
import { formatPercent } from '../core/report/formatNumbers';
import { formatUsageAmount, formatUsageCost, formatUsageCount } from '../core/usage/formatUsage';
import { groupUsage, type UsageGroup, type UsageSums } from '../core/usage/summarizeUsage';
import type { UsageProblem } from '../core/usage/usageRecord';
import { registerCommand } from './log';
import type { AgentUsage, AgentUsageSnapshot } from './agentUsage';
import { COMMAND } from './commandIds';
import type { UsageLogs, UsageSnapshot } from './usageLogs';

export const USAGE_VIEW_ID = 'promptBudget.usage';
const RECENT_DAYS = 14;
const DAYS_PER_MONTH = 30;

/** A budget's prompt size as the Prompt Budgets view counted it (its largest prompt), when it has. */
export type PromptTokensOf = (budgetName: string) => { tokens: number; exact: boolean } | undefined;

export type UsageTreeNode =
  | { kind: 'folder'; folder: vscode.Uri; label: string }
  | { kind: 'quota'; quota: QuotaStatus }
  /** `folder`: whose usage it lists (the first folder's when absent). */
  | { kind: 'section'; section: 'days' | 'models' | 'users' | 'budgets' | 'problems'; label: string; count: number; folder?: vscode.Uri }
  | { kind: 'group'; section: 'days' | 'models' | 'users'; label: string; group: UsageGroup }
  | { kind: 'budget'; name: string; group: UsageGroup; days: number; maxMonthlyCost?: number }
  | { kind: 'problem'; problem: UsageProblem; folder?: vscode.Uri }
  | { kind: 'agents'; label: string; description: string }
  | { kind: 'agentPeriod'; label: string; sums: UsageSums; byAgent: { agent: string; sums: UsageSums }[] }
  | { kind: 'agentBlock'; block: UsageBlock; projection?: BlockProjection; now: number }
  | { kind: 'agentNote'; label: string; tooltip: string }
  | { kind: 'agentProblems'; problems: UsageProblem[] };

export class UsageTreeProvider implements vscode.TreeDataProvider<UsageTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly logs: UsageLogs,
    private readonly promptTokensOf: PromptTokensOf = () => undefined,
    private readonly agents?: AgentUsage,
  ) {
    this.subscriptions = [logs.onDidChange(() => this.changed.fire())];
    if (agents) this.subscriptions.push(agents.onDidChange(() => this.changed.fire()));
  }

  /** Redraws, e.g. when the budgets' prompt counts change. */
  refresh(): void {
    this.changed.fire();
  }

  getChildren(node?: UsageTreeNode): UsageTreeNode[] {
    const snapshots = this.logs.snapshots;
    const agents = this.agents?.snapshot;
    if (!node) {
      // Several folders with usage (multi-root): one node each, named by its folder.
      if (snapshots.length > 1) {
        const folders: UsageTreeNode[] = snapshots.map((snapshot) => ({ kind: 'folder', folder: snapshot.folder, label: folderLabel(snapshot.folder) }));
        return agents ? [agentsNode(agents), ...folders] : folders;
      }
      const [snapshot] = snapshots;
      const nodes = snapshot ? rootNodes(snapshot) : [];
      if (agents) nodes.splice(snapshot ? snapshot.report.quotas.length : 0, 0, agentsNode(agents));
      return nodes;
    }
    if (node.kind === 'agents') return agents ? agentNodes(agents) : [];
    if (node.kind === 'agentProblems') return node.problems.map((problem) => ({ kind: 'problem', problem }));
    if (node.kind === 'folder') {
      const snapshot = this.snapshotOf(node.folder);
      return snapshot ? rootNodes(snapshot) : [];
    }
    const snapshot = node.kind === 'section' ? this.snapshotOf(node.folder) : undefined;
    if (node.kind !== 'section' || !snapshot) return [];
    return sectionNodes(snapshot, node.section);
  }

  /** The usage of `folder`, or the first folder's. */
  private snapshotOf(folder: vscode.Uri | undefined): UsageSnapshot | undefined {
    const snapshots = this.logs.snapshots;
    return folder ? snapshots.find((snapshot) => snapshot.folder.toString() === folder.toString()) : snapshots[0];
  }

  getTreeItem(node: UsageTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.resourceUri = node.folder;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.contextValue = 'usageFolder';
        return item;
      }
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
      case 'agents': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Expanded);
        item.description = node.description;
        item.iconPath = new vscode.ThemeIcon('hubot');
        item.tooltip = "What the coding agents in the promptBudget.usage.agents setting spent, read from their own session files and priced at API rates (@pydantic/genai-prices at each call's date). Times are UTC.";
        item.contextValue = 'usageAgents';
        return item;
      }
      case 'agentPeriod': {
        const item = new vscode.TreeItem(node.label);
        item.description = node.sums.calls === 0 ? 'no calls' : sumsText({ ...node.sums, keys: {} });
        item.tooltip = [groupTooltip(node.label, { ...node.sums, keys: {} }), ...node.byAgent.map(({ agent, sums }) => `${agent}: ${sumsText({ ...sums, keys: {} })}`)].join('\n');
        item.contextValue = 'usageAgentPeriod';
        return item;
      }
      case 'agentBlock':
        return blockItem(node.block, node.projection, node.now);
      case 'agentNote': {
        const item = new vscode.TreeItem(node.label);
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      case 'agentProblems': {
        const item = new vscode.TreeItem('Unread lines and notes', vscode.TreeItemCollapsibleState.Collapsed);
        item.description = String(node.problems.length);
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
        item.contextValue = 'usageAgentProblems';
        return item;
      }
      case 'problem': {
        const item = new vscode.TreeItem(`${node.problem.file}${node.problem.line > 0 ? `:${node.problem.line}` : ''}`);
        item.description = node.problem.message;
        item.tooltip = `${node.problem.file}:${node.problem.line}: ${node.problem.message}`;
        const folder = node.folder ?? this.logs.snapshot?.folder;
        if (folder && node.problem.line > 0 && !node.problem.file.startsWith('~')) {
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
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

/** A workspace folder by its name, a folder inside one by its relative path. */
function folderLabel(folder: vscode.Uri): string {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
  return workspaceFolder && workspaceFolder.uri.toString() === folder.toString() ? workspaceFolder.name : vscode.workspace.asRelativePath(folder);
}

/** The Agents section: its description is today's spend. */
function agentsNode(snapshot: AgentUsageSnapshot): UsageTreeNode {
  const { today } = agentSpend(snapshot.ledger.buckets.values(), snapshot.at);
  return { kind: 'agents', label: 'Agents', description: today.calls === 0 ? 'no calls today' : `${today.cost === null ? 'no price' : formatUsageCost(today.cost)} today` };
}

function agentNodes(snapshot: AgentUsageSnapshot): UsageTreeNode[] {
  const spend = agentSpend(snapshot.ledger.buckets.values(), snapshot.at);
  const nodes: UsageTreeNode[] = [
    { kind: 'agentPeriod', label: 'Today', sums: spend.today, byAgent: spend.todayByAgent },
    { kind: 'agentPeriod', label: 'This week', sums: spend.week, byAgent: [] },
  ];
  for (const { block, projection } of spend.activeBlocks) nodes.push({ kind: 'agentBlock', block, projection, now: snapshot.at });
  if (spend.activeBlocks.length === 0) nodes.push({ kind: 'agentNote', label: 'No active 5-hour block', tooltip: 'A block starts on the hour of the first call after the previous block ended, and lasts 5 hours.' });
  const missing = snapshot.agents.filter((agent) => !snapshot.folders.some((folder) => folder.agent === agent && folder.found));
  for (const agent of missing) {
    const looked = snapshot.folders.filter((folder) => folder.agent === agent).map((folder) => folder.folder);
    nodes.push({ kind: 'agentNote', label: `No ${agent} data found`, tooltip: `Looked in ${looked.join(', ')}.` });
  }
  const problems = snapshot.ledger.allProblems();
  if (problems.length > 0) nodes.push({ kind: 'agentProblems', problems });
  return nodes;
}

function blockItem(block: UsageBlock, projection: BlockProjection | undefined, now: number): vscode.TreeItem {
  const item = new vscode.TreeItem(`${block.agent ?? 'Agents'} block`);
  const minutes = Math.max(0, Math.round((block.end - now) / 60_000));
  const left = `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m left`;
  const projected = projection ? ` · projected ${formatUsageCost(projection.projectedCost)}` : '';
  item.description = `${formatUsageCost(block.cost)} · ${left}${projected}`;
  const time = (epoch: number) => new Date(epoch).toISOString().slice(11, 16);
  const pace = projection
    ? `At the pace from its first call to its last (${formatUsageCost(projection.costPerHour)} an hour, ${formatUsageCount(projection.tokensPerMinute)} tokens a minute), it ends at ${formatUsageCost(projection.projectedCost)}.`
    : 'Too few calls yet for a rate.';
  const unpriced = block.unpricedRecords > 0 ? `\n${block.unpricedRecords} call(s) without a price: tokens counted, cost left out.` : '';
  item.tooltip = `5-hour block ${time(block.start)}–${time(block.end)} UTC: ${formatUsageCount(block.calls)} calls, ${formatUsageCount(block.tokens)} tokens, ${formatUsageCost(block.cost)} so far; ${left}.\n${pace}${unpriced}`;
  item.iconPath = new vscode.ThemeIcon('watch');
  item.contextValue = 'usageAgentBlock';
  return item;
}

function rootNodes(snapshot: UsageSnapshot): UsageTreeNode[] {
  const buckets = [...snapshot.ledger.buckets.values()];
  const days = new Set(buckets.map((bucket) => bucket.day)).size;
  const folder = snapshot.folder;
  const nodes: UsageTreeNode[] = snapshot.report.quotas.map((quota) => ({ kind: 'quota', quota }));
  nodes.push({ kind: 'section', section: 'days', label: `Last ${RECENT_DAYS} days`, count: Math.min(days, RECENT_DAYS), folder });
  nodes.push({ kind: 'section', section: 'models', label: 'Models', count: new Set(buckets.map((bucket) => bucket.model)).size, folder });
  nodes.push({ kind: 'section', section: 'users', label: 'Users', count: new Set(buckets.map((bucket) => bucket.user ?? '')).size, folder });
  const linked = snapshot.config.budgets.filter((budget) => budget.usageTags && budget.usageTags.length > 0).length;
  if (linked > 0) nodes.push({ kind: 'section', section: 'budgets', label: 'Budgets', count: linked, folder });
  if (snapshot.report.problems.length > 0) nodes.push({ kind: 'section', section: 'problems', label: 'Unread lines', count: snapshot.report.problems.length, folder });
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
      return snapshot.report.problems.map((problem) => ({ kind: 'problem', problem, folder: snapshot.folder }));
  }
}

function byCost(groups: UsageGroup[]): UsageGroup[] {
  return groups.sort((a, b) => (b.cost ?? 0) - (a.cost ?? 0) || b.calls - a.calls);
}

function quotaItem(quota: QuotaStatus): vscode.TreeItem {
  const item = new vscode.TreeItem(`${quota.name} (${quota.metric}, ${quota.period})`);
  item.description = `${quotaBar(quota.share)} ${formatPercent(quota.share)} · ${formatUsageAmount(quota.metric, quota.used)} of ${formatUsageAmount(quota.metric, quota.limit)} · forecast ${formatUsageAmount(quota.metric, quota.forecast)}`;
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
export function registerUsageTree(context: vscode.ExtensionContext, logs: UsageLogs, promptTokensOf?: PromptTokensOf, agents?: AgentUsage): UsageTreeProvider {
  const provider = new UsageTreeProvider(logs, promptTokensOf, agents);
  const view = vscode.window.createTreeView(USAGE_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    provider,
    view,
    // The logs are read when the view is first shown, not on activation.
    view.onDidChangeVisibility((event) => {
      if (event.visible) {
        void logs.start();
        void agents?.start();
      }
    }),
    registerCommand(COMMAND.refreshUsage, () => Promise.all([logs.isStarted ? logs.reload() : logs.start(), agents && (agents.isStarted ? agents.reload() : agents.start())])),
  );
  if (view.visible) {
    void logs.start();
    void agents?.start();
  }
  return provider;
}
