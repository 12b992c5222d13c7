// The usage dashboard: a daily chart stacked by model (and by coding agent, when the user lists
// agents) and the table behind it, exported as CSV. Every config with a `usage` section is shown:
// with several, each model and quota is labelled with its config's folder.
// One panel; strict CSP with a nonce, scripts and styles only from media/, no remote loads.
import * as vscode from 'vscode';
import { formatPercent } from '../core/report/formatNumbers';
import { toCsv } from '../core/report/toCsv';
import { formatUsageAmount, formatUsageCost, formatUsageCount } from '../core/usage/formatUsage';
import { groupUsage, totalUsage } from '../core/usage/summarizeUsage';
import type { UsageReport } from '../core/usage/usageReport';
import type { AgentUsage, AgentUsageSnapshot } from './agentUsage';
import { registerCommand } from './log';
import { COMMAND } from './commandIds';
import type { UsageLogs, UsageSnapshot } from './usageLogs';
import { webviewOptions, webviewPage } from './webviewPage';

export const USAGE_DASHBOARD_VIEW_TYPE = 'promptBudget.usageDashboard';

interface DashboardRow {
  day: string;
  model: string;
  calls: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
  cost: number | null;
}

/**
 * What the page is sent: plain data, no message contents. Every figure it prints comes formatted
 * here, by the formatters the Prompt Usage view and the CLI use; the page only computes geometry.
 */
export interface DashboardData {
  command: 'update';
  days: string[];
  models: string[];
  /** One row per day and model; `shown` holds the table's cells as printed. */
  rows: (DashboardRow & { shown: { calls: string; inputTokens: string; cachedInputTokens: string; outputTokens: string; cost: string } })[];
  totals: UsageReport['totals'];
  quotas: (UsageReport['quotas'][number] & { shown: { heading: string; amounts: string; forecast: string } })[];
  /** The line above the chart: totals, records, files. */
  summary: string;
  /** The tallest day's cost, which the chart's scale reaches, and its label. */
  chartTop: { cost: number; shown: string };
  records: number;
  skipped: number;
  problems: number;
  files: number;
}

/** What the page reports after drawing, so tests can check what it drew and printed. */
export interface DashboardRendered {
  command: 'rendered';
  bars: number;
  segments: number;
  tableRows: number;
  /** The summary line and the table's cells as the page shows them. */
  summary: string;
  cells: string[][];
}

export class UsageDashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private panelDisposables: vscode.Disposable[] = [];
  /** The last drawing the page reported. */
  lastRendered: DashboardRendered | undefined;
  private readonly rendered = new vscode.EventEmitter<DashboardRendered>();
  readonly onDidRender = this.rendered.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly logs: UsageLogs,
    private readonly agents?: AgentUsage,
  ) {
    this.disposables.push(this.rendered, logs.onDidChange(() => this.post()));
    if (agents) this.disposables.push(agents.onDidChange(() => this.post()));
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel (or reveals it) and starts reading the logs if nothing has yet. */
  async createOrShow(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
    } else {
      const panel = vscode.window.createWebviewPanel(USAGE_DASHBOARD_VIEW_TYPE, 'Prompt Usage', vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
      this.attach(panel);
    }
    await Promise.all([this.logs.start(), this.agents?.start()]);
    this.post();
  }

  /** Restores a panel VS Code kept across a reload. */
  attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = dashboardHtml(panel.webview, this.extensionUri);
    this.panelDisposables.push(
      panel.onDidDispose(() => {
        for (const disposable of this.panelDisposables) disposable.dispose();
        this.panelDisposables = [];
        this.panel = undefined;
      }),
      panel.webview.onDidReceiveMessage((message: { command?: string; bars?: number; segments?: number; tableRows?: number; summary?: unknown; cells?: unknown }) => {
        if (message.command === 'ready') {
          void Promise.all([this.logs.start(), this.agents?.start()]).then(() => this.post());
        } else if (message.command === 'exportCsv') {
          void vscode.commands.executeCommand(COMMAND.exportUsageCsv);
        } else if (message.command === 'rendered') {
          const cells = Array.isArray(message.cells) ? message.cells.map((row) => (Array.isArray(row) ? row.map(String) : [])) : [];
          this.lastRendered = { command: 'rendered', bars: message.bars ?? 0, segments: message.segments ?? 0, tableRows: message.tableRows ?? 0, summary: String(message.summary ?? ''), cells };
          this.rendered.fire(this.lastRendered);
        }
      }),
    );
  }

  private post(): void {
    const data = this.panel && dashboardData(this.logs.snapshots, this.agents?.snapshot, folderLabel);
    if (this.panel && data) void this.panel.webview.postMessage(data);
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/**
 * The chart's and table's data: one row per day and model, and per day and agent (`claude-code (agent)`);
 * undefined when there is no usage at all. With several folders' usage, a model is named with its
 * folder (`gpt-4o · packages/a`, `labelOf`) and so is each quota: they are separate logs and budgets.
 */
export function dashboardData(snapshots: readonly UsageSnapshot[], agents?: AgentUsageSnapshot, labelOf: (folder: vscode.Uri) => string = (folder) => folder.path): DashboardData | undefined {
  if (snapshots.length === 0 && !agents) return undefined;
  const several = snapshots.length > 1;
  const named = (name: string, snapshot: UsageSnapshot) => (several ? `${name} · ${labelOf(snapshot.folder)}` : name);
  const rows: DashboardRow[] = snapshots.flatMap((snapshot) =>
    snapshot.report.groups.map((group) => ({
      day: String(group.day),
      model: named(String(group.model), snapshot),
      calls: group.calls,
      inputTokens: group.inputTokens,
      cachedInputTokens: group.cachedInputTokens,
      outputTokens: group.outputTokens,
      cost: group.cost,
    })),
  );
  const agentBuckets = [...(agents?.ledger.buckets.values() ?? [])];
  for (const group of groupUsage(agentBuckets, ['day', 'agent'])) {
    rows.push({ day: String(group.keys.day), model: `${group.keys.agent} (agent)`, calls: group.calls, inputTokens: group.inputTokens, cachedInputTokens: group.cachedInputTokens, outputTokens: group.outputTokens, cost: group.cost });
  }
  rows.sort((a, b) => a.day.localeCompare(b.day));
  const totals = totalUsage([...snapshots.flatMap((snapshot) => [...snapshot.ledger.buckets.values()]), ...agentBuckets]);
  const sum = (of: (snapshot: UsageSnapshot) => number) => snapshots.reduce((total, snapshot) => total + of(snapshot), 0);
  const records = sum((snapshot) => snapshot.report.records) + (agents?.ledger.records ?? 0);
  const skipped = sum((snapshot) => snapshot.report.skipped) + (agents?.ledger.skipped ?? 0);
  const files = sum((snapshot) => snapshot.files.length) + (agents?.files.length ?? 0);
  const perDay = new Map<string, number>();
  for (const row of rows) perDay.set(row.day, (perDay.get(row.day) ?? 0) + (row.cost ?? 0));
  const topCost = Math.max(0, ...perDay.values());
  const count = formatUsageCount;
  const unpriced = totals.unpricedRecords > 0 ? ` · ${count(totals.unpricedRecords)} record(s) without a price` : '';
  return {
    command: 'update',
    days: [...perDay.keys()].sort(),
    models: [...new Set(rows.map((row) => row.model))].sort(),
    rows: rows.map((row) => ({
      ...row,
      shown: { calls: count(row.calls), inputTokens: count(row.inputTokens), cachedInputTokens: count(row.cachedInputTokens), outputTokens: count(row.outputTokens), cost: row.cost === null ? '—' : formatUsageCost(row.cost) },
    })),
    totals: { calls: totals.calls, inputTokens: totals.inputTokens, cachedInputTokens: totals.cachedInputTokens, outputTokens: totals.outputTokens, cost: totals.cost, cacheWriteTokens: totals.cacheWriteTokens, unpricedRecords: totals.unpricedRecords },
    quotas: snapshots.flatMap((snapshot) =>
      snapshot.report.quotas.map((quota) => {
        const name = several ? `${labelOf(snapshot.folder)}: ${quota.name}` : quota.name;
        return {
          ...quota,
          name,
          shown: {
            heading: `${name} (${quota.metric}, ${quota.period})`,
            amounts: `${formatUsageAmount(quota.metric, quota.used)} of ${formatUsageAmount(quota.metric, quota.limit)} (${formatPercent(quota.share)}) — ${quota.status}`,
            forecast: `Forecast by ${quota.periodEnd}: ${formatUsageAmount(quota.metric, quota.forecast)}`,
          },
        };
      }),
    ),
    summary:
      `${count(totals.calls)} calls · ${count(totals.inputTokens)} input tokens (${count(totals.cachedInputTokens)} cached) · ${count(totals.outputTokens)} output tokens · ` +
      `${totals.cost === null ? 'no cost known' : formatUsageCost(totals.cost)}${unpriced} — ${count(records)} records from ${count(files)} log(s), ${count(skipped)} lines skipped`,
    chartTop: { cost: topCost, shown: formatUsageCost(topCost) },
    records,
    skipped,
    problems: sum((snapshot) => snapshot.report.problems.length) + (agents?.ledger.allProblems().length ?? 0),
    files,
  };
}

/** The dashboard's table as CSV (formula-safe). */
export function dashboardCsv(snapshots: readonly UsageSnapshot[], agents?: AgentUsageSnapshot, labelOf?: (folder: vscode.Uri) => string): string {
  const data = dashboardData(snapshots, agents, labelOf);
  if (!data) return '';
  return toCsv([
    ['day', 'model', 'calls', 'inputTokens', 'cachedInputTokens', 'outputTokens', 'cost'],
    ...data.rows.map((row) => [row.day, row.model, row.calls, row.inputTokens, row.cachedInputTokens, row.outputTokens, row.cost]),
  ]);
}

/** The page: structure only; media/usageDashboard.js draws the chart and table from the `update` message. */
export function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, {
    name: 'usageDashboard',
    title: 'Prompt Usage',
    body: `  <header class="top">
    <div>
      <h1>Prompt Usage</h1>
      <p id="summary" class="muted">Reading usage logs…</p>
    </div>
    <div class="actions"><button type="button" id="export-csv">Export CSV</button></div>
  </header>
  <section id="quotas" class="quotas" aria-label="Quotas"></section>
  <section aria-labelledby="chart-title">
    <h2 id="chart-title">Cost per day, by model and coding agent</h2>
    <div id="chart" class="chart" role="img" aria-label="Daily cost stacked by model"></div>
    <ul id="legend" class="legend"></ul>
  </section>
  <section aria-labelledby="table-title">
    <h2 id="table-title">By day and model</h2>
    <div class="table-wrap">
      <table id="table">
        <thead><tr><th scope="col">Day</th><th scope="col">Model</th><th scope="col" class="numeric">Calls</th><th scope="col" class="numeric">Input tokens</th><th scope="col" class="numeric">Cached</th><th scope="col" class="numeric">Output tokens</th><th scope="col" class="numeric">Cost</th></tr></thead>
        <tbody id="rows"></tbody>
      </table>
    </div>
  </section>
  <p class="muted note">Costs are the records' own (LiteLLM, Langfuse, Helicone) or from the price data in use (@pydantic/genai-prices, or the copy saved by Prompt Budget: Update Prices) at each call's date (coding agents' calls at API prices); "—" where no price is known. Times are UTC.</p>`,
  });
}

/** Registers the dashboard, its serializer and the open and export commands. */
export function registerUsageDashboard(context: vscode.ExtensionContext, logs: UsageLogs, agents?: AgentUsage): UsageDashboard {
  const dashboard = new UsageDashboard(context.extensionUri, logs, agents);
  context.subscriptions.push(
    dashboard,
    vscode.window.registerWebviewPanelSerializer(USAGE_DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => dashboard.attach(panel),
    }),
    registerCommand(COMMAND.openUsageDashboard, () => dashboard.createOrShow()),
    registerCommand(COMMAND.exportUsageCsv, async (target?: vscode.Uri) => {
      await Promise.all([logs.start(), agents?.start()]);
      const snapshot = logs.snapshot;
      const snapshots = logs.snapshots;
      if (!snapshot && !agents?.snapshot) {
        void vscode.window.showInformationMessage("No usage to export: list usage logs under 'usage.files' in prompt-budget.yaml, or coding agents in the promptBudget.usage.agents setting.");
        return undefined;
      }
      const folder = snapshot?.folder ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: folder && vscode.Uri.joinPath(folder, 'prompt-usage.csv'), filters: { CSV: ['csv'] } }));
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(dashboardCsv(snapshots, agents?.snapshot, folderLabel)));
      return uri;
    }),
  );
  return dashboard;
}

/** A config folder as the dashboard names it: the workspace folder's name, or the subfolder's path in it. */
export function folderLabel(folder: vscode.Uri): string {
  const workspaceFolder = vscode.workspace.getWorkspaceFolder(folder);
  if (!workspaceFolder) return folder.path;
  if (workspaceFolder.uri.toString() === folder.toString()) return workspaceFolder.name;
  const relative = vscode.workspace.asRelativePath(folder, false);
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1 ? `${workspaceFolder.name}/${relative}` : relative;
}
