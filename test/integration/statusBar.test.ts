import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import {
  addTinyModel,
  bodyOf,
  closeAllEditors,
  currentAnalysis,
  extensionApi,
  fixtureUri,
  o200k,
  openPrompt,
  removeTinyModel,
  statusText,
  statusTooltip,
  TINY_MODEL,
  waitFor,
} from './editorTestSupport';

describe('Status bar', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
    await addTinyModel();
  });
  after(async () => {
    await closeAllEditors();
    await removeTinyModel();
  });

  it('shows the exact o200k count of a GPT-4o prompt, and says how it was counted and priced', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const expected = o200k().encode(bodyOf(editor.document.getText())).length;
    const text = await waitFor('the status bar count', () => statusText(api).startsWith('$(symbol-numeric)') && statusText(api));
    assert.ok(text.startsWith(`$(symbol-numeric) ${expected} tok · `), text);
    assert.match(text, / · gpt-4o$/);
    const tooltip = statusTooltip(api);
    assert.match(tooltip, new RegExp(`Tokens: \\*\\*${expected}\\*\\* \\(exact, o200k_base\\)`));
    // The three figures with the names every surface uses, and context used as the input's share.
    assert.match(tooltip, /^Input: \$0\.000\d+ {2}$/m);
    assert.match(tooltip, /^Expected per call: set `expectedOutputTokens`/m);
    assert.match(tooltip, /^Worst case: \$0\.16 \(16,384 output tok, model's max output/m);
    assert.match(tooltip, new RegExp(`^Context used: <0\\.1% of 128,000`, 'm'));
    assert.match(tooltip, /Model: declared in file/);
    assert.match(tooltip, /Prices: .+/);
  });

  it('marks a Claude count as an estimate with ≈', async () => {
    await openPrompt(api, 'claude.prompt.md');
    const text = await waitFor('a Claude status', () => / · claude-sonnet-4/.test(statusText(api)) && statusText(api));
    // The tier is in the status bar itself: ≈ and the estimate's measured spread.
    assert.match(text, /^\$\(symbol-numeric\) ≈\d+ tok \(±6 %\) · /);
    assert.match(statusTooltip(api), /estimate: no public tokenizer/);
    assert.match(statusTooltip(api), /within ±6 %, published comparisons/);
  });

  it('counts a DeepSeek prompt exactly with its published vocabulary, and the tooltip says which', async () => {
    await openPrompt(api, 'deepseek.prompt.md');
    // 32 tokens: Hugging Face's reference tokenizer (@huggingface/tokenizers 0.2.0) on DeepSeek V3's tokenizer.json.
    const text = await waitFor('a DeepSeek status', () => / · deepseek-chat$/.test(statusText(api)) && statusText(api));
    assert.ok(text.startsWith('$(symbol-numeric) 32 tok · '), text);
    assert.match(statusTooltip(api), /Tokens: \*\*32\*\* \(exact, DeepSeek V3 \(deepseek-ai\/DeepSeek-V3@e815299b tokenizer\.json\)\)/);
  });

  it('says the worst case is unknown for a model whose max output no source gives, not its input cost', async () => {
    assert.equal(api.contexts.catalogFor(fixtureUri('sections.prompt.md')).find('deepseek-v3.2')?.maxOutputTokens, undefined, 'the catalog now knows its max output');
    const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: 'no-max-output.md' }));
    const editor = await vscode.window.showTextDocument(document);
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '---\nmodel: deepseek-v3.2\n---\nLabel this ticket.\n')));
    await waitFor('a deepseek-v3.2 status', () => / · deepseek-v3\.2$/.test(statusText(api)));
    const tooltip = statusTooltip(api);
    assert.match(tooltip, /^Input: <?\$0\.\d+ {2}$/m);
    assert.match(tooltip, /^Worst case: unknown \(no max output known for this model\)/m);
  });

  it('warns in the status bar when a prompt nears its context window', async () => {
    const { editor } = await openPrompt(api, 'near-window.prompt.md');
    const tokens = o200k().encode(bodyOf(editor.document.getText())).length;
    assert.ok(tokens >= 0.8 * 64 && tokens < 64, `fixture should be 80-100% of 64 tokens, is ${tokens}`);
    await waitFor('a warning background', () => statusText(api).includes(TINY_MODEL) && api.statusBar.item.backgroundColor);
    assert.deepEqual(api.statusBar.item.backgroundColor, new vscode.ThemeColor('statusBarItem.warningBackground'));
    assert.ok(statusText(api).startsWith(`$(symbol-numeric) ${tokens} tok`), statusText(api));
  });

  it('shows an error background when a prompt is over its context window', async () => {
    await openPrompt(api, 'over-window.prompt.md');
    await waitFor('an error background', () => statusText(api).includes(TINY_MODEL) && api.statusBar.item.backgroundColor);
    assert.deepEqual(api.statusBar.item.backgroundColor, new vscode.ThemeColor('statusBarItem.errorBackground'));
  });

  it('clears the background for a prompt well inside its window', async () => {
    await openPrompt(api, 'sections.prompt.md');
    await waitFor('the gpt-4o status', () => statusText(api).endsWith(' · gpt-4o'));
    assert.equal(api.statusBar.item.backgroundColor, undefined);
  });

  it('updates the count as the prompt is edited, without saving it', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const onDisk = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri('sections.prompt.md')));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    assert.ok(await editor.edit((edit) => edit.insert(end, '\nAlways answer in British English, with prices in pounds.\n')));
    const analysis = await currentAnalysis(api, editor.document);
    const expected = o200k().encode(bodyOf(editor.document.getText())).length;
    assert.equal(analysis.count.tokens, expected);
    await waitFor('the edited count in the status bar', () => statusText(api).startsWith(`$(symbol-numeric) ${expected} tok · `));
    assert.equal(editor.document.isDirty, true);
    assert.equal(new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri('sections.prompt.md'))), onDisk);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(editor.document.getText(), onDisk);
  });

  it('reads no settings while the prompt is edited: the surfaces render a snapshot', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    await waitFor('the gpt-4o status', () => statusText(api).endsWith(' · gpt-4o'));
    const before = api.settingsReads();
    for (const word of [' one', ' two', ' three']) {
      assert.ok(await editor.edit((edit) => edit.insert(editor.document.lineAt(editor.document.lineCount - 1).range.end, word)));
      await currentAnalysis(api, editor.document);
    }
    const expected = o200k().encode(bodyOf(editor.document.getText())).length;
    await waitFor('the edited count in the status bar', () => statusText(api).startsWith(`$(symbol-numeric) ${expected} tok · `));
    assert.equal(api.settingsReads() - before, 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});
