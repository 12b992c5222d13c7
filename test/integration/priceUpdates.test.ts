// Prompt Budget: Update Prices in a real VS Code, against a local server standing in for the published data file.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import * as path from 'node:path';
import { waitForUpdate } from '@pydantic/genai-prices';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { perCallCost } from '../../src/extension/promptWording';
import { formatUsd } from '../../src/core/report/formatNumbers';
import { closeAllEditors, currentAnalysis, extensionApi, fixtureUri, statusText, waitFor } from './editorTestSupport';

const fixtures = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'prices');

describe('Update Prices', () => {
  let api: PromptBudgetApi;
  let server: Server;
  let base = '';
  let bundled = '';
  const previous: Record<string, unknown> = {};

  before(async () => {
    api = await extensionApi();
    // The package's own data, served as a data file: the tests after this one see the whole catalog again.
    bundled = JSON.stringify(await waitForUpdate());
    // A real newer data file: the package's data with the fixture's gpt-9 added (a file of five models would not be plausible).
    const parsed = JSON.parse(bundled) as { id: string; models: unknown[] }[] | { providers: { id: string; models: unknown[] }[] };
    const fixture = JSON.parse(readFileSync(path.join(fixtures, 'data.json'), 'utf8')) as { models: unknown[] }[];
    const full = JSON.stringify((Array.isArray(parsed) ? parsed : parsed.providers).map((provider) => (provider.id === 'openai' ? { ...provider, models: [...provider.models, fixture[0].models[1]] } : provider)));
    server = createServer((request, response) => {
      const name = (request.url ?? '/').slice(1);
      if (name === 'bundled.json') return void response.writeHead(200).end(bundled);
      if (name === 'full.json') return void response.writeHead(200, { 'last-modified': 'Fri, 20 Nov 2026 08:00:00 GMT' }).end(full);
      if (!['data.json', 'truncated.json', 'broken.json'].includes(name)) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/json', 'last-modified': 'Fri, 20 Nov 2026 08:00:00 GMT' });
      response.end(readFileSync(path.join(fixtures, name)));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const config = vscode.workspace.getConfiguration('promptBudget');
    for (const key of ['prices.url', 'defaultModel']) previous[key] = config.inspect(key)?.globalValue;
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('promptBudget');
    await config.update('prices.url', `${base}/bundled.json`, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('promptBudget.updatePrices');
    server.close();
    for (const key of ['prices.url', 'defaultModel']) await config.update(key, previous[key], vscode.ConfigurationTarget.Global);
  });

  /** The catalog the editor counts with now: an update reaches it without a settings change or a reload. */
  function catalogInForce() {
    return api.contexts.catalogFor(undefined);
  }

  it('loads newer prices from the configured URL, and keeps them when a later download is broken, truncated or implausibly small', async () => {
    const config = vscode.workspace.getConfiguration('promptBudget');
    assert.equal(catalogInForce().find('gpt-9'), undefined, 'the bundled data has no gpt-9');
    assert.equal(api.catalogFromSnapshot(), true, "the bundled data's catalog is the build's snapshot, not built again");

    await config.update('prices.url', `${base}/full.json`, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('promptBudget.updatePrices');
    const updated = catalogInForce().find('gpt-9');
    assert.equal(updated?.provider, 'openai');
    assert.equal(updated?.sources.prices?.asOf, '2026-11-20');
    assert.match(api.priceDataFile() ?? '', /genai-prices\.json$/, 'count workers started from now on read the same data');
    assert.equal(api.catalogFromSnapshot(), false, 'the updated data has a catalog of its own');
    assert.equal(process.env.PROMPT_BUDGET_PRICES_FILE, undefined, "the extension host's shared environment is left alone");

    for (const name of ['broken.json', 'truncated.json', 'data.json']) {
      await config.update('prices.url', `${base}/${name}`, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('promptBudget.updatePrices');
      assert.equal(catalogInForce().find('gpt-9')?.pricing?.inputPerMillion, 8, `${name} left the last good prices in place`);
    }
  });

  it("prices a prompt in the Prompt Budgets view as the status bar does, once the updated prices are in force", async () => {
    const config = vscode.workspace.getConfiguration('promptBudget');
    const scan = api.budgetTree.scan;
    // The scan worker runs, and has read the prices in force (the package's, without gpt-9), before the update: the update has to reach it.
    await config.update('prices.url', `${base}/bundled.json`, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('promptBudget.updatePrices');
    await scan.whenIdle();
    await config.update('prices.url', `${base}/full.json`, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('promptBudget.updatePrices');
    // gpt-9 is in the updated data only; plain.prompt.md declares no model, so it takes the setting's.
    await config.update('defaultModel', 'gpt-9', vscode.ConfigurationTarget.Global);
    try {
      const document = await vscode.workspace.openTextDocument(fixtureUri('plain.prompt.md'));
      await vscode.window.showTextDocument(document, { preview: false });
      const analysis = await currentAnalysis(api, document, (candidate) => candidate.resolved.name === 'gpt-9');
      const statusCost = perCallCost(analysis);
      assert.ok(statusCost, `the status bar prices gpt-9 with the updated data: ${statusText(api)}`);
      assert.ok(statusText(api).includes(formatUsd(statusCost.total)), statusText(api));

      const tree = api.budgetTree;
      const fileNode = await waitFor('plain.prompt.md in the view, counted for gpt-9', () => {
        if (scan.folders().some((folder) => folder.scanning)) return undefined;
        const unbudgeted = tree.getChildren().find((node) => node.kind === 'noBudget');
        const file = unbudgeted && tree.getChildren(unbudgeted).find((node) => node.kind === 'file' && node.usage.file === 'editor/plain.prompt.md');
        return file?.kind === 'file' && file.usage.model === 'gpt-9' ? file : undefined;
      });
      assert.ok(fileNode.kind === 'file');
      assert.equal(fileNode.usage.costPerCall, statusCost.total, 'the budgets view prices the prompt with the same data as the status bar');
      const description = String(tree.getTreeItem(fileNode).description);
      assert.ok(description.endsWith(formatUsd(statusCost.total)), `the view shows the status bar's cost: ${description}`);
    } finally {
      await closeAllEditors();
      await config.update('defaultModel', previous.defaultModel, vscode.ConfigurationTarget.Global);
    }
  });
});
