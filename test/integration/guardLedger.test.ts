import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import type { UsageTreeNode } from '../../src/extension/usageTree';
import { createGuard } from '../../src/library';
import { extensionApi, waitFor } from './editorTestSupport';

describe("The runtime guard's ledger in the Prompt Usage view", () => {
  let api: PromptBudgetApi;
  let originalConfig: Uint8Array;
  const folder = () => {
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'no workspace folder is open');
    return first.uri;
  };
  const configUri = () => vscode.Uri.joinPath(folder(), 'prompt-budget.yaml');
  const ledgerDir = () => vscode.Uri.joinPath(folder(), 'guard-usage');
  const roots = () => api.usage.tree.getChildren();
  const label = (node: UsageTreeNode) => String(api.usage.tree.getTreeItem(node).label);
  const description = (node: UsageTreeNode) => String(api.usage.tree.getTreeItem(node).description);

  before(async () => {
    api = await extensionApi();
    originalConfig = await vscode.workspace.fs.readFile(configUri());
    // Only `usage.ledger`, no `usage.files`: the ledger is read as a usage log all the same.
    const config = new TextDecoder().decode(originalConfig).concat('\nusage:\n  ledger: guard-usage/ledger.jsonl\n  quotas:\n    - name: Guarded calls\n      period: day\n      maxCalls: 10\n');
    await vscode.workspace.fs.writeFile(configUri(), new TextEncoder().encode(config));
    // An application's guard records two calls (and a failed one, released) into the workspace's ledger.
    const guard = createGuard({ cwd: folder().fsPath, user: 'app', tags: ['support'] });
    for (const [id, output] of [['chatcmpl-g1', 40], ['chatcmpl-g2', 60]] as const) {
      const call = await guard.reserve({ model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 });
      await call.settle({ usage: { prompt_tokens: 1000, completion_tokens: output }, id, model: 'gpt-4o-mini-2024-07-18' });
    }
    await (await guard.reserve({ model: 'gpt-4o-mini', inputTokens: 10, maxOutputTokens: 10 })).release();
    await guard.close();
    await api.usage.logs.reload();
    await api.usage.logs.whenIdle();
    await waitFor('the calls of the guard ledger', () => (api.usage.logs.snapshot?.report.records === 2 ? true : undefined));
  });

  after(async () => {
    await vscode.workspace.fs.writeFile(configUri(), originalConfig);
    await vscode.workspace.fs.delete(ledgerDir(), { recursive: true });
    await api.usage.logs.reload();
  });

  it("shows the guard's calls by model and against the quota, with no problem for its reservation lines", () => {
    const models = api.usage.tree.getChildren(roots().find((node) => node.kind === 'section' && node.section === 'models'));
    assert.deepEqual(models.map(label), ['gpt-4o-mini']);
    assert.match(description(models[0]), /^2 calls · 2,100 tok · \$/);
    const quota = roots().find((node) => node.kind === 'quota');
    assert.ok(quota);
    assert.equal(label(quota), 'Guarded calls (calls, day)');
    assert.match(description(quota), / 2 calls of 10 calls /);
    assert.equal(roots().some((node) => node.kind === 'section' && node.section === 'problems'), false);
  });
});
