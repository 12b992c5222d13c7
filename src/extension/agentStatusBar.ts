// The opt-in status bar item with today's spend of the coding agents (`promptBudget.usage.agentsStatusBar`).
// It starts the agents' reads itself when shown, since the Prompt Usage view may never be opened.
import * as vscode from 'vscode';
import { agentSpend } from '../core/usage/agents/agentSpend';
import { formatUsageCost, formatUsageCount } from '../core/usage/formatUsage';
import type { AgentUsage } from './agentUsage';
import { onDidChangeSettings, readSettings } from './settings';
import { USAGE_VIEW_ID } from './usageTree';

export class AgentStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('promptBudget.agentSpend', vscode.StatusBarAlignment.Right, 99);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly agents: AgentUsage) {
    this.item.name = 'Prompt Budget: Agent Spend';
    this.item.command = `${USAGE_VIEW_ID}.focus`;
    this.disposables.push(
      this.item,
      agents.onDidChange(() => this.render()),
      onDidChangeSettings((event) => {
        if (event.affectsConfiguration('promptBudget.usage')) this.render();
      }),
    );
    // After activation: activate() only wires, and reading the agents' files waits until then.
    const initial = setTimeout(() => this.render(), 0);
    this.disposables.push({ dispose: () => clearTimeout(initial) });
  }

  /** Shows today's spend when the item is turned on and agents are listed; hides otherwise. */
  render(): void {
    const settings = readSettings();
    if (!settings.agentsStatusBar || settings.usageAgents.length === 0) {
      this.item.hide();
      return;
    }
    void this.agents.start();
    const snapshot = this.agents.snapshot;
    if (!snapshot) {
      this.item.text = '$(hubot) …';
      this.item.tooltip = "Reading the agents' usage files…";
      this.item.show();
      return;
    }
    const spend = agentSpend(snapshot.ledger.buckets.values(), snapshot.at);
    const cost = spend.today.cost === null ? (spend.today.calls === 0 ? '$0' : 'no price') : formatUsageCost(spend.today.cost);
    this.item.text = `$(hubot) ${cost} today`;
    const lines = [`Coding agents today (UTC): ${formatUsageCount(spend.today.calls)} calls, ${formatUsageCount(spend.today.inputTokens + spend.today.outputTokens)} tokens, ${cost}`];
    for (const { agent, sums } of spend.todayByAgent) lines.push(`${agent}: ${sums.cost === null ? 'no price' : formatUsageCost(sums.cost)} (${formatUsageCount(sums.calls)} calls)`);
    for (const { block, projection } of spend.activeBlocks) {
      const minutes = Math.max(0, Math.round((block.end - snapshot.at) / 60_000));
      lines.push(`${block.agent} block: ${formatUsageCost(block.cost)}, ${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m left${projection ? `, projected ${formatUsageCost(projection.projectedCost)}` : ''}`);
    }
    lines.push('Priced by @pydantic/genai-prices at API rates (a subscription bills differently).');
    this.item.tooltip = lines.join('\n');
    this.item.show();
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }
}

/** Creates the item; it stays hidden until the user turns it on. */
export function registerAgentStatusBar(context: vscode.ExtensionContext, agents: AgentUsage): AgentStatusBar {
  const statusBar = new AgentStatusBar(agents);
  context.subscriptions.push(statusBar);
  return statusBar;
}
