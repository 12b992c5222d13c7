// The usage dashboard: a daily chart stacked by model and the table behind it, exported as CSV.
// One panel; strict CSP with a nonce, scripts and styles only from media/, no remote loads.
import * as vscode from 'vscode';
import { toCsv } from '../core/report/toCsv';
import type { UsageReport } from '../core/usage/usageReport';
import { registerCommand } from './log';
import { COMMAND } from './commandIds';
import type { UsageLogs, UsageSnapshot } from './usageLogs';
import { webviewOptions, webviewPage } from './webviewPage';

export const USAGE_DASHBOARD_VIEW_TYPE = 'promptBudget.usageDashboard';

/** What the page is sent: plain data, no message contents. */
export interface DashboardData {
  command: 'update';
  days: string[];
  models: string[];
  /** One row per day and model. */
  rows: { day: string; model: string; calls: number; inputTokens: number; cachedInputTokens: number; outputTokens: number; cost: number | null }[];
  totals: UsageReport['totals'];
  quotas: UsageReport['quotas'];
  records: number;
  skipped: number;
  problems: number;
  files: number;
}

/** What the page reports after drawing, so tests can check the chart it drew. */
export interface DashboardRendered {
  command: 'rendered';
  bars: number;
  segments: number;
  tableRows: number;
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
  ) {
    this.disposables.push(this.rendered, logs.onDidChange((snapshot) => this.post(snapshot)));
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
    await this.logs.start();
    this.post(this.logs.snapshot);
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
      panel.webview.onDidReceiveMessage((message: { command?: string; bars?: number; segments?: number; tableRows?: number }) => {
        if (message.command === 'ready') {
          void this.logs.start().then(() => this.post(this.logs.snapshot));
        } else if (message.command === 'exportCsv') {
          void vscode.commands.executeCommand(COMMAND.exportUsageCsv);
        } else if (message.command === 'rendered') {
          this.lastRendered = { command: 'rendered', bars: message.bars ?? 0, segments: message.segments ?? 0, tableRows: message.tableRows ?? 0 };
          this.rendered.fire(this.lastRendered);
        }
      }),
    );
  }

  private post(snapshot: UsageSnapshot | undefined): void {
    if (!this.panel || !snapshot) return;
    void this.panel.webview.postMessage(dashboardData(snapshot));
  }

  dispose(): void {
    this.panel?.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** The chart's and table's data: one row per day and model. */
export function dashboardData(snapshot: UsageSnapshot): DashboardData {
  const rows = snapshot.report.groups.map((group) => ({
    day: String(group.day),
    model: String(group.model),
    calls: group.calls,
    inputTokens: group.inputTokens,
    cachedInputTokens: group.cachedInputTokens,
    outputTokens: group.outputTokens,
    cost: group.cost,
  }));
  return {
    command: 'update',
    days: [...new Set(rows.map((row) => row.day))].sort(),
    models: [...new Set(rows.map((row) => row.model))].sort(),
    rows,
    totals: snapshot.report.totals,
    quotas: snapshot.report.quotas,
    records: snapshot.report.records,
    skipped: snapshot.report.skipped,
    problems: snapshot.report.problems.length,
    files: snapshot.files.length,
  };
}

/** The dashboard's table as CSV (formula-safe). */
export function dashboardCsv(snapshot: UsageSnapshot): string {
  const data = dashboardData(snapshot);
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
    <h2 id="chart-title">Cost per day, by model</h2>
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
  <p class="muted note">Costs are the records' own (LiteLLM, Langfuse, Helicone) or from the price data in use (@pydantic/genai-prices, or the copy saved by Prompt Budget: Update Prices) at each call's date; "—" where no price is known. Times are UTC.</p>`,
  });
}

/** Registers the dashboard, its serializer and the open and export commands. */
export function registerUsageDashboard(context: vscode.ExtensionContext, logs: UsageLogs): UsageDashboard {
  const dashboard = new UsageDashboard(context.extensionUri, logs);
  context.subscriptions.push(
    dashboard,
    vscode.window.registerWebviewPanelSerializer(USAGE_DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel) => dashboard.attach(panel),
    }),
    registerCommand(COMMAND.openUsageDashboard, () => dashboard.createOrShow()),
    registerCommand(COMMAND.exportUsageCsv, async (target?: vscode.Uri) => {
      await logs.start();
      const snapshot = logs.snapshot;
      if (!snapshot) {
        void vscode.window.showInformationMessage("No usage to export: list usage logs under 'usage.files' in prompt-budget.yaml.");
        return undefined;
      }
      const uri = target ?? (await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(snapshot.folder, 'prompt-usage.csv'), filters: { CSV: ['csv'] } }));
      if (!uri) return undefined;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(dashboardCsv(snapshot)));
      return uri;
    }),
  );
  return dashboard;
}
