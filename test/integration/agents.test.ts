import * as assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calcPrice } from '@pydantic/genai-prices';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import type { UsageTreeNode } from '../../src/extension/usageTree';
import { claudeCalls, codexCalls, writeAgentHome } from '../agentHomeFixture';
import { extensionApi, waitFor } from './editorTestSupport';

const MINUTE = 60_000;

/** Today's (UTC) calls of the generated home and their price at API rates, from the price package directly. */
function todaysFigures(now: number): { calls: number; cost: number } {
  const day = new Date(now).toISOString().slice(0, 10);
  const today = (at: number) => new Date(at).toISOString().slice(0, 10) === day;
  let calls = 0;
  let cost = 0;
  for (const call of claudeCalls(now).filter((candidate) => today(candidate.at))) {
    calls++;
    cost += calcPrice({ input_tokens: call.input + call.cacheWrite + call.cacheRead, cache_write_tokens: call.cacheWrite, cache_read_tokens: call.cacheRead, output_tokens: call.output }, call.model, { providerId: 'anthropic', timestamp: new Date(call.at) })!.total_price;
  }
  for (const call of codexCalls(now).filter((candidate) => today(candidate.at))) {
    calls++;
    cost += calcPrice({ input_tokens: call.input, cache_read_tokens: call.cached, output_tokens: call.output }, call.model ?? 'gpt-5', { providerId: 'openai', timestamp: new Date(call.at) })!.total_price;
  }
  return { calls, cost };
}

describe("Coding agents' usage in the editor", () => {
  let api: PromptBudgetApi;
  let home: string;
  let now: number;
  const saved = { claude: process.env.CLAUDE_CONFIG_DIR, codex: process.env.CODEX_HOME };
  const settings = () => vscode.workspace.getConfiguration('promptBudget');

  const roots = () => api.usage.tree.getChildren();
  const item = (node: UsageTreeNode) => api.usage.tree.getTreeItem(node);
  const agentsSection = () => roots().find((node) => node.kind === 'agents');
  /** Lists both agents in the settings, as a user opts in, and waits until their generated calls are read. */
  const listAgents = async () => {
    await api.usage.agents.start();
    await settings().update('usage.agents', ['claude-code', 'codex'], vscode.ConfigurationTarget.Global);
    await waitFor('the agents read', () => ((api.usage.agents.snapshot?.ledger.records ?? 0) >= 8 ? true : undefined));
  };

  before(async () => {
    api = await extensionApi();
    home = await mkdtemp(join(tmpdir(), 'prompt-budget-agents-host-'));
    now = Date.now();
    await writeAgentHome(home, { now });
    // The extension host is this process: the agents' variables point it at the generated home.
    process.env.CLAUDE_CONFIG_DIR = `${join(home, '.claude')},${join(home, '.config/claude')}`;
    process.env.CODEX_HOME = join(home, '.codex');
  });

  after(async () => {
    await settings().update('usage.agentsStatusBar', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('usage.agents', undefined, vscode.ConfigurationTarget.Global);
    if (saved.claude === undefined) delete process.env.CLAUDE_CONFIG_DIR;
    else process.env.CLAUDE_CONFIG_DIR = saved.claude;
    if (saved.codex === undefined) delete process.env.CODEX_HOME;
    else process.env.CODEX_HOME = saved.codex;
    await api.usage.agents.reload();
    await rm(home, { recursive: true, force: true });
  });

  it('reads nothing outside the workspace until the user lists an agent', async () => {
    await api.usage.agents.start();
    assert.equal(api.usage.agents.snapshot, undefined);
    assert.equal(agentsSection(), undefined);
  });

  it("shows today's and this week's spend and the active 5-hour block with its time left and projection", async () => {
    await listAgents();
    assert.equal(api.usage.agents.snapshot?.ledger.records, 8);
    const section = agentsSection();
    assert.ok(section, `no Agents section among ${roots().map((node) => String(item(node).label)).join(', ')}`);
    const expected = todaysFigures(now);
    const children = api.usage.tree.getChildren(section);
    const labels = children.map((node) => String(item(node).label));
    assert.deepEqual(labels.slice(0, 2), ['Today', 'This week']);
    const today = item(children[0]);
    assert.match(String(today.description), new RegExp(`^${expected.calls} calls · [\\d,]+ tok · \\$`));
    const shownCost = Number(/\$([\d.]+)$/.exec(String(today.description))?.[1]);
    // The view shows two significant digits below $0.10, cents above.
    assert.ok(Math.abs(shownCost - expected.cost) <= Math.max(0.01, expected.cost * 0.05), `${today.description} vs $${expected.cost}`);
    assert.match(String(item(section).description), /^\$[\d.]+ today$/);

    // The generated calls of the last 50 minutes make one active block for each agent.
    const blocks = children.filter((node) => node.kind === 'agentBlock');
    assert.deepEqual(blocks.map((node) => String(item(node).label)).sort(), ['claude-code block', 'codex block']);
    const claudeBlock = item(blocks.find((node) => String(item(node).label) === 'claude-code block')!);
    const end = Math.floor((now - 50 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE + 5 * 60 * MINUTE;
    const minutesLeft = Math.round((end - api.usage.agents.snapshot!.at) / MINUTE);
    assert.match(String(claudeBlock.description), new RegExp(`^\\$[\\d.]+ · ${Math.floor(minutesLeft / 60)}h ${String(minutesLeft % 60).padStart(2, '0')}m left · projected \\$[\\d.]+$`));
    assert.match(String(claudeBlock.tooltip), /5-hour block \d\d:00–\d\d:00 UTC: 3 calls/);

    // The line Claude Code left cut off is listed by file and line.
    const problems = children.find((node) => node.kind === 'agentProblems');
    assert.ok(problems);
    const problemLabels = api.usage.tree.getChildren(problems).map((node) => String(item(node).label));
    assert.ok(problemLabels.some((label) => /\.jsonl:7$/.test(label)), problemLabels.join(', '));
  });

  it("the opt-in status bar item shows today's agent spend", async () => {
    await listAgents();
    assert.equal(api.usage.agentStatusBar.item.text.includes('today'), false);
    await settings().update('usage.agentsStatusBar', true, vscode.ConfigurationTarget.Global);
    const text = await waitFor('the agent spend item', () => (/^\$\(hubot\) \$[\d.]+ today$/.test(api.usage.agentStatusBar.item.text) ? api.usage.agentStatusBar.item.text : undefined));
    assert.match(text, /today$/);
    assert.match(String(api.usage.agentStatusBar.item.tooltip), /claude-code block: \$[\d.]+, \dh \d\dm left, projected \$/);
  });

  it("counts the agents' calls toward prompt-budget.yaml's quotas when it lists usage.agents", async () => {
    // The agents' files are read only once the user's setting lists them, whatever a workspace asks.
    await listAgents();
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const configUri = vscode.Uri.joinPath(folder.uri, 'prompt-budget.yaml');
    const original = await vscode.workspace.fs.readFile(configUri);
    try {
      const config = new TextDecoder().decode(original).concat('\nusage:\n  agents: [claude-code]\n  quotas:\n    - name: Claude block\n      period: block\n      agents: [claude-code]\n      maxCalls: 2\n');
      await vscode.workspace.fs.writeFile(configUri, new TextEncoder().encode(config));
      await api.usage.logs.reload();
      await api.usage.logs.whenIdle();
      const quota = await waitFor('the block quota', () => api.usage.logs.snapshot?.report.quotas.find((candidate) => candidate.name === 'Claude block'));
      // The active Claude Code block holds the sidechain, Opus and web calls.
      assert.equal(quota.used, 3);
      assert.equal(quota.status, 'over');
      const node = roots().find((candidate) => candidate.kind === 'quota');
      assert.ok(node);
      assert.match(String(item(node).description), /150% · 3 calls of 2 calls/);
    } finally {
      await vscode.workspace.fs.writeFile(configUri, original);
      await api.usage.logs.reload();
    }
  });

  it('the dashboard charts each agent beside the API calls, a series per agent', async () => {
    await listAgents();
    const day = (at: number) => new Date(at).toISOString().slice(0, 10);
    const pairs = new Set([...claudeCalls(now).map((call) => `${day(call.at)} claude-code`), ...codexCalls(now).map((call) => `${day(call.at)} codex`)]);
    const days = new Set([...pairs].map((pair) => pair.slice(0, 10)));
    const rendered = new Promise<{ bars: number; segments: number; tableRows: number }>((resolve) => {
      const subscription = api.usage.dashboard.onDidRender((drawing) => {
        if (drawing.tableRows === pairs.size) {
          subscription.dispose();
          resolve(drawing);
        }
      });
    });
    await vscode.commands.executeCommand('promptBudget.openUsageDashboard');
    const drawing = await Promise.race([rendered, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the dashboard drew ${JSON.stringify(api.usage.dashboard.lastRendered)}`)), 20_000))]);
    assert.equal(drawing.bars, days.size);
    assert.equal(drawing.segments, pairs.size);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Later suites wait for the dashboard's next drawing, not this one.
    api.usage.dashboard.lastRendered = undefined;
  });

  it('reads calls appended to a running session', async () => {
    await listAgents();
    const before = api.usage.agents.snapshot!.ledger.records;
    const file = api.usage.agents.snapshot!.files.find((candidate) => candidate.path.includes('/.config/claude/'))!;
    const line = JSON.stringify({ type: 'assistant', sessionId: 'appended', cwd: join(home, 'src/web'), timestamp: new Date().toISOString(), requestId: 'req_appended', message: { id: 'msg_appended', model: 'claude-sonnet-4-20250514', usage: { input_tokens: 10, output_tokens: 5 } } });
    const { appendFile } = await import('node:fs/promises');
    await appendFile(file.path, line + '\n');
    await api.usage.agents.refresh();
    assert.equal(api.usage.agents.snapshot!.ledger.records, before + 1);
  });
});
