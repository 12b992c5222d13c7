// One owner per workspace folder: its config (unsaved text included) drives its usage logs, every
// folder's logs are read, and the quotas' findings share the config's one diagnostic collection.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { parseBudgetConfig } from '../../src/core/config/parseBudgetConfig';
import { dashboardData } from '../../src/extension/usageDashboard';
import { UsageLogs, type FolderConfigs } from '../../src/extension/usageLogs';
import { UsageTreeProvider, type UsageTreeNode } from '../../src/extension/usageTree';
import type { FolderBudgets } from '../../src/extension/workspaceBudgets';
import { closeAllEditors, diagnosticsWhen, extensionApi, ruleOf, waitFor } from './editorTestSupport';

const encoder = new TextEncoder();

function firstFolder(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return folder.uri;
}

/** A chat completion as OpenAI returns it, made now. */
function chatLine(id: string, model: string, promptTokens: number, completionTokens: number): string {
  const created = Math.floor(Date.now() / 1000);
  return JSON.stringify({ id, object: 'chat.completion', created, model, usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens } });
}

const USAGE_SECTION = (glob: string, maxCost: number) => `\nusage:\n  files: ["${glob}"]\n  quotas:\n    - name: Daily spend\n      period: day\n      maxCost: ${maxCost}\n`;

describe('One owner per workspace folder', () => {
  let api: PromptBudgetApi;
  const logsDir = () => vscode.Uri.joinPath(firstFolder(), 'folder-usage-logs');
  const configUri = () => vscode.Uri.joinPath(firstFolder(), 'prompt-budget.yaml');

  before(async () => {
    api = await extensionApi();
    await vscode.workspace.fs.createDirectory(logsDir());
    // gpt-4o: 1M input + 100k output = $3.50.
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(logsDir(), 'calls.jsonl'), encoder.encode(`${chatLine('chatcmpl-folder-1', 'gpt-4o', 1_000_000, 100_000)}\n`));
    await api.usage.logs.start();
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.fs.delete(logsDir(), { recursive: true });
    await api.usage.logs.reload();
  });

  it('reads the usage logs that the unsaved text of prompt-budget.yaml names, and forgets them when the edit is reverted', async () => {
    await waitFor('no usage: the fixture config has no usage section on disk', () => api.usage.logs.snapshot === undefined);
    const document = await vscode.workspace.openTextDocument(configUri());
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, document.positionAt(document.getText().length), USAGE_SECTION('folder-usage-logs/*.jsonl', 1));
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(document.isDirty, 'the edit is not saved');
    const snapshot = await waitFor('the usage named by the unsaved config', () => (api.usage.logs.snapshot?.report.records === 1 ? api.usage.logs.snapshot : undefined));
    assert.equal(snapshot.configUri.toString(), configUri().toString());
    // The quota's finding sits on the unsaved text, beside the config's own problems, in the one collection.
    const diagnostics = await diagnosticsWhen(configUri(), (list) => list.some((diagnostic) => ruleOf(diagnostic) === 'usage-quota'), 'the quota finding on the unsaved config');
    const quota = diagnostics.find((diagnostic) => ruleOf(diagnostic) === 'usage-quota')!;
    assert.match(quota.message, /^Quota 'Daily spend' is over/);
    assert.equal(document.lineAt(quota.range.start.line).text.trim(), 'maxCost: 1');

    await closeAllEditors();
    await waitFor('the usage to go with the reverted edit', () => api.usage.logs.snapshot === undefined);
    await diagnosticsWhen(configUri(), (list) => !list.some((diagnostic) => ruleOf(diagnostic) === 'usage-quota'), 'the quota finding to go');
  });

  it('reads the usage logs of every folder whose config has a usage section, each under its own node', async () => {
    // code-server's web workbench cannot add a second workspace folder to a running test window, so two
    // folders of the fixture stand for two workspace folders, their configs handed over as the owner does.
    const folders = ['owner-a', 'owner-b'].map((name, index) => ({ uri: vscode.Uri.joinPath(firstFolder(), name), name, index }));
    const logLines = [[chatLine('chatcmpl-a-1', 'gpt-4o', 1000, 100)], [chatLine('chatcmpl-b-1', 'gpt-4o-mini', 1000, 100), chatLine('chatcmpl-b-2', 'gpt-4o-mini', 2000, 100)]];
    const states: FolderBudgets[] = [];
    for (const [index, folder] of folders.entries()) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(folder.uri, 'logs', 'app.jsonl'), encoder.encode(`${logLines[index].join('\n')}\n`));
      const { config } = parseBudgetConfig('prompt-budget.yaml', `version: 1${USAGE_SECTION('logs/*.jsonl', 100)}`);
      assert.ok(config);
      states.push({ folder, root: folder.uri, configUri: vscode.Uri.joinPath(folder.uri, 'prompt-budget.yaml'), config, stale: false, problems: [] });
    }
    const changed = new vscode.EventEmitter<void>();
    const owner: FolderConfigs = { all: () => states, whenLoaded: async () => undefined, refresh: async () => undefined, onDidChange: changed.event };
    const logs = new UsageLogs(owner);
    const tree = new UsageTreeProvider(logs);
    try {
      await logs.start();
      assert.deepEqual(
        logs.snapshots.map((snapshot) => [snapshot.folder.toString(), snapshot.report.records]),
        folders.map((folder, index) => [folder.uri.toString(), index + 1]),
      );
      const label = (node: UsageTreeNode) => String(tree.getTreeItem(node).label);
      const roots = tree.getChildren();
      assert.deepEqual(roots.map(label), ['owner-a', 'owner-b']);
      const models = (folder: UsageTreeNode) => {
        const section = tree.getChildren(folder).find((node) => node.kind === 'section' && node.section === 'models');
        assert.ok(section, `no Models section under ${label(folder)}`);
        return tree.getChildren(section).map(label);
      };
      assert.deepEqual(roots.map(models), [['gpt-4o'], ['gpt-4o-mini']]);
      // The dashboard shows both folders' calls, each model and quota named with its folder.
      const dashboard = dashboardData(logs.snapshots, undefined, (folder) => folder.path.slice(folder.path.lastIndexOf('/') + 1));
      assert.ok(dashboard, 'the dashboard has no data');
      assert.deepEqual(dashboard.models, ['gpt-4o · owner-a', 'gpt-4o-mini · owner-b']);
      assert.equal(dashboard.records, 3);
      assert.equal(dashboard.totals.calls, 3);
      assert.deepEqual(dashboard.quotas.map((quota) => quota.name), ['owner-a: Daily spend', 'owner-b: Daily spend']);
      // A folder whose config loses its usage section is forgotten; the other stays, and the view goes back to one folder's nodes.
      states[1] = { ...states[1], config: { ...states[1].config!, usage: undefined } };
      changed.fire();
      await waitFor('the second folder to be forgotten', () => logs.snapshots.length === 1);
      await logs.whenIdle();
      assert.equal(tree.getChildren().some((node) => node.kind === 'folder'), false);
    } finally {
      tree.dispose();
      logs.dispose();
      changed.dispose();
      for (const folder of folders) await vscode.workspace.fs.delete(folder.uri, { recursive: true });
    }
  });
});
