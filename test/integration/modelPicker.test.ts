import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { modelPicks } from '../../src/extension/modelPicker';
import { closeAllEditors, currentAnalysis, extensionApi, openPrompt, statusText, statusTooltip, waitFor } from './editorTestSupport';

describe('Model picker', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
  });
  after(async () => {
    await api.choice.choose(undefined);
    await closeAllEditors();
  });

  it('lists the default first, then recently picked models, then every model by provider', async () => {
    await api.choice.choose('gpt-4.1');
    const picks = modelPicks(api.contexts.catalogFor(undefined).list(), api.choice);
    assert.equal(picks[0].label, '$(discard) Use the default model');
    assert.equal(picks[1].label, 'Recently used');
    assert.equal(picks[1].kind, vscode.QuickPickItemKind.Separator);
    assert.equal(picks[2].modelId, 'gpt-4.1');
    assert.match(picks[2].label, /^\$\(check\) /);
  });

  it('counts a prompt without a model for the picked model, and the real QuickPick can go back to the default', async () => {
    const { editor } = await openPrompt(api, 'plain.prompt.md');
    await api.choice.choose('claude-sonnet-4');
    await currentAnalysis(api, editor.document, (analysis) => analysis.resolved.source === 'picker');
    await waitFor('the picked model in the status bar', () => / · claude-sonnet-4$/.test(statusText(api)));
    assert.match(statusText(api), /^\$\(symbol-numeric\) ≈/);
    assert.match(statusTooltip(api), /Model: picked for this workspace/);

    // Open the real QuickPick; its first item is "Use the default model". Accept until it takes
    // (accepting does nothing until the picker is shown with its items).
    let closed = false;
    const picking = Promise.resolve(vscode.commands.executeCommand('promptBudget.selectModel')).finally(() => (closed = true));
    for (let attempt = 0; !closed && attempt < 200; attempt++) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await picking;
    assert.equal(api.choice.chosen, undefined);
    await currentAnalysis(api, editor.document, (analysis) => analysis.resolved.source === 'setting');
    await waitFor('the default model in the status bar', () => / · gpt-4o$/.test(statusText(api)));
    assert.match(statusTooltip(api), /Model: the promptBudget\.defaultModel setting/);
  });

  it('groups every priced model by provider, major makers first, deprecated ones only while searching', async () => {
    const models = api.contexts.catalogFor(undefined).list();
    const current = modelPicks(models, api.choice);
    const separators = current.filter((pick) => pick.kind === vscode.QuickPickItemKind.Separator && pick.label !== 'Recently used').map((pick) => pick.label);
    assert.deepEqual(separators.slice(0, 3), ['OpenAI', 'Anthropic', 'Google']);
    assert.ok(separators.length >= 10, `${separators.length} providers`);
    assert.ok(!current.some((pick) => / \(deprecated\)$/.test(pick.label)));
    const searched = modelPicks(models, api.choice, true);
    assert.ok(searched.some((pick) => / \(deprecated\)$/.test(pick.label)));
    // Newer versions first: GPT-5.5 before GPT-5.
    const ids = current.map((pick) => pick.modelId);
    assert.ok(ids.indexOf('gpt-5.5') < ids.indexOf('gpt-5'));
  });

  it('picks a 2026 model by typing its name in the real picker, then counts and prices the prompt for it', async () => {
    await api.choice.choose(undefined);
    const { editor } = await openPrompt(api, 'plain.prompt.md');
    // The picker opens with 'gpt-5.5' typed into its filter; VS Code filters and ranks, Enter takes the top pick.
    let closed = false;
    const picking = Promise.resolve(vscode.commands.executeCommand('promptBudget.selectModel', 'gpt-5.5')).finally(() => (closed = true));
    for (let attempt = 0; !closed && attempt < 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    }
    await picking;
    assert.equal(api.choice.chosen, 'gpt-5.5');
    const analysis = await currentAnalysis(api, editor.document, (candidate) => candidate.resolved.model?.id === 'gpt-5.5');
    assert.equal(analysis.count.exact, true, 'GPT-5.x counts with o200k_base');
    assert.equal(analysis.resolved.model?.pricing?.inputPerMillion, 5);
    await waitFor('the picked model in the status bar', () => / · gpt-5\.5$/.test(statusText(api)));
    assert.match(statusTooltip(api), /Prices: OpenAI price, @pydantic\/genai\\?-prices/);
    await api.choice.choose(undefined);
  });

  it('lets a model declared in the file win over the picker, and says so', async () => {
    await api.choice.choose('claude-sonnet-4');
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const analysis = await currentAnalysis(api, editor.document);
    assert.equal(analysis.resolved.source, 'file');
    assert.equal(analysis.resolved.model?.id, 'gpt-4o');
    await waitFor('the declared model in the status bar', () => / · gpt-4o$/.test(statusText(api)));
    assert.match(statusTooltip(api), /Model: declared in file \(wins over every other choice\)/);
    await api.choice.choose(undefined);
  });
});
