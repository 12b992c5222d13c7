import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import type { UsageTreeNode } from '../../src/extension/usageTree';
import { diagnosticsWhen, extensionApi, waitFor } from './editorTestSupport';

const HOUR_S = 3600;

function folderUri(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

/** A chat completion as OpenAI returns it, `hoursAgo` before now. */
function chatLine(id: string, model: string, promptTokens: number, completionTokens: number, hoursAgo: number, user = 'alice'): string {
  const created = Math.floor(Date.now() / 1000) - hoursAgo * HOUR_S;
  return JSON.stringify({
    timestamp: new Date(created * 1000).toISOString(),
    user,
    tags: ['support'],
    response: { id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content: 'not kept' }, finish_reason: 'stop' }], usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } },
  });
}

describe('Usage ledger in the editor', () => {
  let api: PromptBudgetApi;
  let originalConfig: Uint8Array;
  const encoder = new TextEncoder();
  const configUri = () => vscode.Uri.joinPath(folderUri(), 'prompt-budget.yaml');
  const logsDir = () => vscode.Uri.joinPath(folderUri(), 'usage-logs');
  const appLog = () => vscode.Uri.joinPath(logsDir(), 'app.jsonl');
  let firstLines: string;

  const roots = () => api.usage.tree.getChildren();
  const label = (node: UsageTreeNode) => String(api.usage.tree.getTreeItem(node).label);
  const description = (node: UsageTreeNode) => String(api.usage.tree.getTreeItem(node).description);
  const section = (name: string) => {
    const node = roots().find((candidate) => candidate.kind === 'section' && candidate.section === name);
    assert.ok(node, `no '${name}' section among ${roots().map(label).join(', ')}`);
    return api.usage.tree.getChildren(node);
  };

  before(async () => {
    api = await extensionApi();
    originalConfig = await vscode.workspace.fs.readFile(configUri());
    // gpt-4o: 2 calls of 1M input + 100k output = $3.50 each; gpt-4o-mini: 1 small call.
    firstLines = [chatLine('chatcmpl-int-1', 'gpt-4o', 1_000_000, 100_000, 0), chatLine('chatcmpl-int-2', 'gpt-4o', 1_000_000, 100_000, 0, 'bob'), chatLine('chatcmpl-int-3', 'gpt-4o-mini', 1000, 100, 0), '{"oops": '].join('\n') + '\n';
    await vscode.workspace.fs.createDirectory(logsDir());
    await vscode.workspace.fs.writeFile(appLog(), encoder.encode(firstLines));
    const config = new TextDecoder()
      .decode(originalConfig)
      .replace('  - name: Support\n', '  - name: Support\n    usageTags: [support]\n')
      .concat('\nusage:\n  files: ["usage-logs/**/*.jsonl"]\n  quotas:\n    - name: Daily spend\n      period: day\n      maxCost: 5\n    - name: Monthly calls\n      period: month\n      maxCalls: 1000\n');
    await vscode.workspace.fs.writeFile(configUri(), encoder.encode(config));
    await api.usage.logs.reload();
    await api.usage.logs.whenIdle();
    await waitFor('the usage of the fixture logs', () => (api.usage.logs.snapshot?.report.records === 3 ? true : undefined));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.writeFile(configUri(), originalConfig);
    await vscode.workspace.fs.delete(logsDir(), { recursive: true });
    await api.usage.logs.reload();
  });

  it('shows each quota with a bar, its share and forecast, and its status icon', () => {
    const quotas = roots().filter((node) => node.kind === 'quota');
    assert.deepEqual(quotas.map(label), ['Daily spend (cost, day)', 'Monthly calls (calls, month)']);
    const spend = api.usage.tree.getTreeItem(quotas[0]);
    assert.match(String(spend.description), /^▰{10} 140% · \$7\.00 of \$5\.00 · forecast \$/);
    assert.equal((spend.iconPath as vscode.ThemeIcon).id, 'error');
    assert.equal((api.usage.tree.getTreeItem(quotas[1]).iconPath as vscode.ThemeIcon).id, 'pass');
  });

  it('lists models by cost, users, days and the budget linked by usageTags, and the line it could not read', async () => {
    await api.budgetTree.scan.whenIdle();
    assert.deepEqual(section('models').map(label), ['gpt-4o', 'gpt-4o-mini']);
    assert.match(description(section('models')[0]), /^2 calls · 2,200,000 tok · \$7\.00$/);
    assert.deepEqual(section('users').map(label).sort(), ['alice', 'bob']);
    assert.equal(section('days').length, 1);
    const [support] = section('budgets');
    assert.equal(label(support), 'Support');
    // The budget's own prompt size, as the Prompt Budgets view counted it, sits next to the actual mean.
    const counted = api.budgetTree.getChildren().find((node) => node.kind === 'budget' && node.evaluation.name === 'Support');
    assert.ok(counted?.kind === 'budget', 'the Prompt Budgets view counted the Support budget');
    const prompt = ` \\(prompt ${counted.evaluation.tokens.toLocaleString('en')}\\)`;
    assert.match(description(support), new RegExp(`^3 calls/day · 667,000 input tok/call${prompt} · \\$210/mo of \\$100$`));
    const [problem] = section('problems');
    assert.equal(label(problem), 'usage-logs/app.jsonl:4');
  });

  it('puts an error on the quota in prompt-budget.yaml when it is over', async () => {
    const diagnostics = await diagnosticsWhen(configUri(), (list) => list.some((diagnostic) => diagnostic.message.startsWith("Quota 'Daily spend' is over")), 'the quota diagnostic');
    const quota = diagnostics.find((diagnostic) => diagnostic.message.startsWith("Quota 'Daily spend'"))!;
    assert.equal(quota.severity, vscode.DiagnosticSeverity.Error);
    assert.equal((quota.code as { value: string }).value, 'usage-quota');
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(configUri())).split('\n');
    assert.equal(text[quota.range.start.line].trim(), 'maxCost: 5');
  });

  it('opens the dashboard, which draws a stacked bar per day and the table behind it', async () => {
    await vscode.commands.executeCommand('promptBudget.openUsageDashboard');
    const rendered = await waitFor('the dashboard to draw', () => api.usage.dashboard.lastRendered);
    const { bars, segments, tableRows, summary, cells } = rendered;
    assert.deepEqual({ bars, segments, tableRows }, { bars: 1, segments: 2, tableRows: 2 });
    // The page prints its figures as the Prompt Usage view does: grouped digits, the same dollars.
    const day = new Date().toISOString().slice(0, 10);
    const viewCost = description(section('models')[0]).split(' · ').pop();
    assert.equal(viewCost, '$7.00');
    assert.deepEqual(
      cells.sort((a, b) => a[1].localeCompare(b[1])),
      [
        [day, 'gpt-4o', '2', '2,000,000', '0', '200,000', viewCost],
        [day, 'gpt-4o-mini', '1', '1,000', '0', '100', '$0.00021'],
      ],
    );
    assert.equal(summary, '3 calls · 2,001,000 input tokens (0 cached) · 200,100 output tokens · $7.00 — 3 records from 1 log(s), 1 lines skipped');
  });

  it('exports the table as CSV', async () => {
    const target = vscode.Uri.joinPath(logsDir(), 'export.csv');
    await vscode.commands.executeCommand('promptBudget.exportUsageCsv', target);
    const lines = new TextDecoder().decode(await vscode.workspace.fs.readFile(target)).trimEnd().split('\r\n');
    const day = new Date().toISOString().slice(0, 10);
    assert.deepEqual(lines, ['day,model,calls,inputTokens,cachedInputTokens,outputTokens,cost', `${day},gpt-4o,2,2000000,0,200000,7`, `${day},gpt-4o-mini,1,1000,0,100,0.00021`]);
  });

  it('reads only the bytes appended to a growing log', async () => {
    const before = api.usage.logs.snapshot!;
    // Rewrite the first record in place (same length, another model) and append one call: a reader
    // of appended bytes counts the new call and never sees the rewritten line.
    const rewritten = firstLines.replace('"model":"gpt-4o",', '"model":"gpt-4x",');
    assert.equal(rewritten.length, firstLines.length);
    const appended = chatLine('chatcmpl-int-4', 'o4-mini', 2000, 500, 0, 'carol');
    api.usage.dashboard.lastRendered = undefined;
    await vscode.workspace.fs.writeFile(appLog(), encoder.encode(`${rewritten}${appended}\n`));
    const snapshot = await waitFor('the appended call', () => (api.usage.logs.snapshot !== before && api.usage.logs.snapshot?.report.records === 4 ? api.usage.logs.snapshot : undefined));
    assert.deepEqual(section('models').map(label).sort(), ['gpt-4o', 'gpt-4o-mini', 'o4-mini']);
    assert.equal(snapshot.ledger, before.ledger, 'the same ledger, extended');
    const rendered = await waitFor('the dashboard to redraw', () => api.usage.dashboard.lastRendered);
    assert.equal(rendered.tableRows, 3);
  });
});
