import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import type { UsageTreeNode } from '../../src/extension/usageTree';
import { createGuard } from '../../src/library';
import { freePort, postgresMissing, startPostgres, type PostgresServer } from '../postgresServer';
import { extensionApi, waitFor } from './editorTestSupport';

const VARIABLE = 'PB_INTEGRATION_LEDGER_URL';

describe("A fleet's PostgreSQL ledger in the Prompt Usage view", function () {
  let api: PromptBudgetApi;
  let originalConfig: Uint8Array;
  let server: PostgresServer | undefined;
  const folder = () => {
    const first = vscode.workspace.workspaceFolders?.[0];
    assert.ok(first, 'no workspace folder is open');
    return first.uri;
  };
  const configUri = () => vscode.Uri.joinPath(folder(), 'prompt-budget.yaml');
  const roots = () => api.usage.tree.getChildren();
  const label = (node: UsageTreeNode) => String(api.usage.tree.getTreeItem(node).label);
  const description = (node: UsageTreeNode) => String(api.usage.tree.getTreeItem(node).description);
  const section = (name: string) => api.usage.tree.getChildren(roots().find((node) => node.kind === 'section' && node.section === name));

  before(async function () {
    if (postgresMissing) this.skip();
    this.timeout(60_000);
    api = await extensionApi();
    server = await startPostgres();
    originalConfig = await vscode.workspace.fs.readFile(configUri());
    // The connection string comes from the environment, as in production.
    process.env[VARIABLE] = server.url;
    const config = new TextDecoder().decode(originalConfig).concat(`\nusage:\n  ledger: env:${VARIABLE}\n  quotas:\n    - name: Fleet calls\n      period: day\n      maxCalls: 10\n`);
    await vscode.workspace.fs.writeFile(configUri(), new TextEncoder().encode(config));
    // Two instances of an application record a call each through the guard.
    for (const [user, id, output] of [['ana', 'chatcmpl-pg1', 40], ['ben', 'chatcmpl-pg2', 60]] as const) {
      const guard = createGuard({ cwd: folder().fsPath, user, ledger: server.url });
      const call = await guard.reserve({ model: 'gpt-4o-mini', inputTokens: 1000, maxOutputTokens: 100 });
      await call.settle({ usage: { prompt_tokens: 1000, completion_tokens: output }, id, model: 'gpt-4o-mini-2024-07-18' });
      await guard.close();
    }
    await api.usage.logs.reload();
    await api.usage.logs.whenIdle();
    await waitFor('the calls of the PostgreSQL ledger', () => (api.usage.logs.snapshot?.report.records === 2 ? true : undefined));
  });

  after(async function () {
    this.timeout(30_000);
    delete process.env[VARIABLE];
    if (originalConfig) await vscode.workspace.fs.writeFile(configUri(), originalConfig);
    await server?.stop();
    if (api) await api.usage.logs.reload();
  });

  it("shows the fleet's calls by user and against the quota", () => {
    assert.deepEqual(section('users').map(label).sort(), ['ana', 'ben']);
    assert.deepEqual(section('models').map(label), ['gpt-4o-mini']);
    assert.match(description(section('models')[0]), /^2 calls · 2,100 tok · \$/);
    const quota = roots().find((node) => node.kind === 'quota');
    assert.ok(quota);
    assert.match(description(quota), / 2 calls of 10 calls /);
    assert.equal(roots().some((node) => node.kind === 'section' && node.section === 'problems'), false);
  });

  it('names a server it cannot reach among the unread sources, without the password', async () => {
    process.env[VARIABLE] = `postgres://app:secret@127.0.0.1:${await freePort()}/fleet`;
    await api.usage.logs.reload();
    await api.usage.logs.whenIdle();
    const problems = section('problems');
    const shown = problems.map((node) => `${label(node)} ${description(node)}`);
    assert.equal(shown.length, 1, shown.join('\n'));
    assert.match(shown[0], /^postgres:\/\/127\.0\.0\.1:\d+\/fleet cannot read \(.*ECONNREFUSED/);
    assert.doesNotMatch(shown[0], /secret/);
  });
});
