import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { closeAllEditors, diagnosticsWhen, extensionApi, openPrompt, ruleOf, statusText, statusTooltip, waitFor } from './editorTestSupport';

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

  it('shows a missing tokenizer file on its config line and counts the model as an estimate, saying why', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const config = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'prompt-budget.yaml'));
    const editor = await vscode.window.showTextDocument(config);
    const offset = config.getText().indexOf('./tokenizers/tiny-tokenizer.json');
    assert.ok(offset >= 0);
    const start = config.positionAt(offset);
    try {
      // In memory only: the fixture on disk is never written.
      assert.ok(await editor.edit((edit) => edit.replace(new vscode.Range(start, start.translate(0, './tokenizers/tiny-tokenizer.json'.length)), './tokenizers/missing.json')));
      const found = await diagnosticsWhen(config.uri, (all) => all.some((d) => ruleOf(d) === 'tokenizer-file'), 'a tokenizer-file error');
      const problem = found.find((d) => ruleOf(d) === 'tokenizer-file')!;
      assert.equal(problem.range.start.line, start.line);
      assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
      assert.match(problem.message, /Tokenizer '\.\/tokenizers\/missing\.json' cannot be read/);
      await openPrompt(api, 'custom-tokenizer.prompt.md');
      await waitFor('an estimate for the custom model', () => /^\$\(symbol-numeric\) ≈\d+ tok.* · custom-tokenizer-fixture$/.test(statusText(api)));
      assert.match(statusTooltip(api), /the tokenizer file \.\/tokenizers\/missing\.json named in the budget config could not be used/);
    } finally {
      await vscode.window.showTextDocument(config);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await diagnosticsWhen(config.uri, (all) => !all.some((d) => ruleOf(d) === 'tokenizer-file'), 'the error to clear');
  });
});
