import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { closeAllEditors, extensionApi, openPrompt, statusText, statusTooltip, waitFor } from './editorTestSupport';

describe('Tokenizers fetched on demand', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
    // No consent prompt and no download in a test run.
    await vscode.workspace.getConfiguration('promptBudget').update('tokenizers.download', 'never', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('promptBudget').update('tokenizers.download', undefined, vscode.ConfigurationTarget.Global);
  });

  it('counts a Kimi K2 prompt as an estimate until its tokenizer is on the machine, and says how to get it', async () => {
    await openPrompt(api, 'kimi.prompt.md');
    const text = await waitFor('a Kimi K2 status', () => / · kimi-k2-0905-preview$/.test(statusText(api)) && statusText(api));
    assert.match(text, /^\$\(symbol-numeric\) ≈\d+ tok/);
    assert.match(statusTooltip(api), /estimate until the Kimi K2 tokenizer is on this machine \(Prompt Budget: Download Tokenizer…/);
    assert.match(statusTooltip(api), /within ±33 %/);
    assert.ok((await vscode.commands.getCommands(true)).includes('promptBudget.downloadTokenizer'));
  });

  it('counts exactly with the tokenizer file a workspace config names for a model, and says which file', async () => {
    await openPrompt(api, 'custom-tokenizer.prompt.md');
    const text = await waitFor('a custom-tokenizer status', () => / · custom-tokenizer-fixture$/.test(statusText(api)) && statusText(api));
    // The fixture's tiny vocabulary: "hello" one token, " hello" two, the line break one.
    assert.match(text, /^\$\(symbol-numeric\) 6 tok/);
    assert.match(statusTooltip(api), /exact, custom tokenizer\.json \(\.\/tokenizers\/tiny-tokenizer\.json, sha256 [0-9a-f]{12}\)/);
  });
});
