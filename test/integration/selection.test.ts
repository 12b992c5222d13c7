import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { bodyOf, closeAllEditors, extensionApi, o200k, openPrompt, select, statusText, waitFor } from './editorTestSupport';

describe('Selections and token boundaries', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
  });
  after(closeAllEditors);

  it('shows the tokens of a selection out of the total', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const total = o200k().encode(bodyOf(editor.document.getText())).length;
    const line = editor.document.lineAt(5);
    await select(editor, [new vscode.Selection(line.range.start, line.range.end)]);
    const expected = o200k().encode(line.text).length;
    const text = await waitFor('the selection count', () => statusText(api).startsWith('$(selection)') && statusText(api));
    assert.ok(text.startsWith(`$(selection) ${expected} of ${total} tok · `), text);
  });

  it('adds up several selections', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const total = o200k().encode(bodyOf(editor.document.getText())).length;
    const lines = [5, 9, 10].map((index) => editor.document.lineAt(index));
    await select(editor, lines.map((line) => new vscode.Selection(line.range.start, line.range.end)));
    const expected = lines.reduce((sum, line) => sum + o200k().encode(line.text).length, 0);
    const text = await waitFor('the count of three selections', () => statusText(api).startsWith(`$(selection) ${expected} of`) && statusText(api));
    assert.ok(text.startsWith(`$(selection) ${expected} of ${total} tok`), text);

    await select(editor, [new vscode.Selection(0, 0, 0, 0)]);
    await waitFor('the whole-prompt count again', () => statusText(api).startsWith(`$(symbol-numeric) ${total} tok`));
  });

  it('colours the tokens of the selection in alternating backgrounds, and clears them on edit', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const document = editor.document;
    const line = document.lineAt(5);
    await select(editor, [new vscode.Selection(line.range.start, line.range.end)]);
    const shown = await vscode.commands.executeCommand('promptBudget.showTokenBoundaries');
    assert.ok(shown, 'boundaries shown');
    const boundaries = api.tokenBoundaries.shown.get(document.uri.toString());
    assert.ok(boundaries);
    // Independent: the text of each o200k token of the line, in order (ASCII, so lengths are offsets).
    const tokens = o200k().encode(line.text).map((token) => o200k().decode([token]));
    const expected = [];
    let character = 0;
    for (const token of tokens) {
      expected.push(new vscode.Range(5, character, 5, character + token.length));
      character += token.length;
    }
    assert.deepEqual(boundaries.first, expected.filter((_, index) => index % 2 === 0));
    assert.deepEqual(boundaries.second, expected.filter((_, index) => index % 2 === 1));
    assert.equal(boundaries.tokenizer, 'o200k_base');

    assert.ok(await editor.edit((edit) => edit.insert(line.range.end, ' Extra.')));
    assert.equal(api.tokenBoundaries.shown.has(document.uri.toString()), false);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('colours a whole small document when nothing is selected, until hidden', async () => {
    const { editor } = await openPrompt(api, 'plain.prompt.md');
    await select(editor, [new vscode.Selection(0, 0, 0, 0)]);
    await vscode.commands.executeCommand('promptBudget.showTokenBoundaries');
    const boundaries = api.tokenBoundaries.shown.get(editor.document.uri.toString());
    assert.ok(boundaries);
    assert.equal(boundaries.first.length + boundaries.second.length, o200k().encode(editor.document.getText()).length);
    await vscode.commands.executeCommand('promptBudget.hideTokenBoundaries');
    assert.equal(api.tokenBoundaries.shown.has(editor.document.uri.toString()), false);
  });
});
