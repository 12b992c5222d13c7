// Compare Models with today's catalog: a current default set, and "Add model…" for any other model.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { defaultCompareSet } from '../../src/core/catalog/compareDefaults';
import type { RowsMessage } from '../../src/extension/compareMessages';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { extensionApi } from './editorTestSupport';

const WAIT_MS = 20_000;

describe('Compare Models default set', () => {
  let api: PromptBudgetApi;
  let previous: unknown;

  before(async () => {
    api = await extensionApi();
    const config = vscode.workspace.getConfiguration('promptBudget');
    previous = config.inspect('compareModels')?.globalValue;
    await config.update('compareModels', undefined, vscode.ConfigurationTarget.Global);
    await config.update('compareModels', undefined, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    api.compareViews.current?.dispose();
    const config = vscode.workspace.getConfiguration('promptBudget');
    await config.update('compareModels', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('compareModels', previous, vscode.ConfigurationTarget.Global);
  });

  async function rows(what: string, accept: (message: RowsMessage) => boolean): Promise<RowsMessage> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const view = api.compareViews.current;
      const message = view?.lastMessage;
      if (view?.isReady && message && accept(message)) return message;
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last rows: ${message?.rows.map((entry) => entry.row.modelId).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('shows one or two current models per major provider, then adds any model picked with "Add model…"', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const uri = vscode.Uri.joinPath(folder.uri, 'compare', 'refund-reply.prompt.md');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    await vscode.commands.executeCommand('promptBudget.compareModels');
    const expected = defaultCompareSet(api.contexts.catalogFor(uri)).map((model) => model.id);
    assert.ok(expected.includes('gpt-5.5') && expected.includes('claude-sonnet-5') && expected.includes('grok-4.6'));
    const first = await rows('the default set', (message) => message.rows.length === expected.length);
    assert.deepEqual(first.rows.map((entry) => entry.row.modelId).sort(), [...expected].sort());
    const providers = new Set(first.rows.map((entry) => api.contexts.catalogFor(uri).find(entry.row.modelId)?.provider));
    assert.ok(providers.size >= 6, `${providers.size} providers`);

    // "Add model…" opens a picker of every other model; Enter takes the first one.
    const adding = api.compareViews.current!.handleMessage({ command: 'addModel' });
    let done = false;
    void adding.finally(() => (done = true));
    for (let attempt = 0; !done && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    await adding;
    const setting = vscode.workspace.getConfiguration('promptBudget').get<string[]>('compareModels') ?? [];
    assert.equal(setting.length, expected.length + 1);
    assert.deepEqual(setting.slice(0, expected.length).sort(), [...expected].sort());
    const added = setting[setting.length - 1];
    await rows(`a row for ${added}`, (message) => message.rows.some((entry) => entry.row.modelId === added));
  });
});
