import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { formatPercent } from '../../src/core/report/formatNumbers';
import type { PromptBudgetApi } from '../../src/extension/extension';
import {
  addTinyModel,
  bodyOf,
  closeAllEditors,
  currentAnalysis,
  describeDiagnostic,
  diagnosticsWhen,
  extensionApi,
  fixtureUri,
  o200k,
  openPrompt,
  removeTinyModel,
  ruleOf,
  statusText,
  statusTooltip,
  TINY_MODEL,
  waitFor,
} from './editorTestSupport';

/**
 * The quick fixes at `range` whose title starts with `prefix`, once there are some. The workbench
 * learns of new diagnostics a moment after the extension host, and passes only those it knows.
 */
async function quickFixes(uri: vscode.Uri, range: vscode.Range, prefix: string): Promise<vscode.CodeAction[]> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const all = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value);
    const actions = all.filter((action) => action.title.startsWith(prefix));
    if (actions.length > 0 || Date.now() > deadline) return actions;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An untitled Markdown prompt with its own name, so no earlier untitled document's state can leak in. */
async function untitledMarkdown(name: string, content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: 'untitled', path: name }));
  const editor = await vscode.window.showTextDocument(document);
  assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), content)));
  return document;
}

describe('Diagnostics and quick fixes', () => {
  let api: PromptBudgetApi;

  const edited = ['over-window.prompt.md', 'max-output.prompt.md', 'plain.prompt.md'];
  const onDisk = new Map<string, string>();
  const readFixture = async (name: string) => new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(name)));

  before(async () => {
    api = await extensionApi();
    await addTinyModel();
    for (const name of edited) onDisk.set(name, await readFixture(name));
  });
  after(async () => {
    await closeAllEditors();
    await removeTinyModel();
    // Quick fixes edit the open document only: the files must be as they were.
    for (const name of edited) assert.equal(await readFixture(name), onDisk.get(name), `${name} was changed on disk`);
  });

  it('reports a prompt over its context window as an error on the body', async () => {
    const { editor } = await openPrompt(api, 'over-window.prompt.md');
    const document = editor.document;
    const tokens = o200k().encode(bodyOf(document.getText())).length;
    const [diagnostic] = await diagnosticsWhen(document.uri, (all) => all.some((d) => ruleOf(d) === 'context-window'), 'a context-window error');
    assert.equal(ruleOf(diagnostic), 'context-window');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.message, `Prompt is ${tokens} tokens; ${TINY_MODEL}'s context window is 64.`);
    // The body: from the line after the frontmatter to the end of the file.
    assert.deepEqual(diagnostic.range, new vscode.Range(3, 0, document.lineCount - 1, 0));
    assert.ok(typeof diagnostic.code === 'object', 'the code links to its rule');
    assert.equal(diagnostic.code.target.fragment, 'rule-context-window');
    assert.match(diagnostic.code.target.path, /\/docs\/rules\.md$/);
    // The page the link opens is in the extension, and has that anchor.
    const page = new TextDecoder().decode(await vscode.workspace.fs.readFile(diagnostic.code.target.with({ fragment: '' })));
    assert.match(page, /<a id="rule-context-window"><\/a>/);
  });

  it('warns at warnAt of the context window', async () => {
    const { editor } = await openPrompt(api, 'near-window.prompt.md');
    const all = await diagnosticsWhen(editor.document.uri, (found) => found.length > 0, 'a context-window warning');
    assert.deepEqual(all.map(describeDiagnostic), [`context-window Warning 3:0-${editor.document.lineCount - 1}:0`]);
  });

  it('flags a declared max output over the model cap and offers to lower it; the fix edits only the number', async () => {
    const { editor } = await openPrompt(api, 'max-output.prompt.md');
    const document = editor.document;
    const all = await diagnosticsWhen(document.uri, (found) => found.length === 2, 'max-output and context-with-output errors');
    // `max_tokens: 90` is line 2; the value 90 is at characters 12-14.
    assert.deepEqual(all.map(describeDiagnostic).sort(), ['context-with-output Error 2:12-2:14', 'max-output Error 2:12-2:14']);

    const lower = await quickFixes(document.uri, all[0].range, 'Lower max output tokens');
    // The model allows 32 output tokens and the window leaves 64 - 8: the smaller one fits both.
    assert.deepEqual(lower.map((action) => action.title), ['Lower max output tokens to 32']);
    assert.ok(lower[0].edit);
    assert.ok(await vscode.workspace.applyEdit(lower[0].edit));
    assert.equal(document.lineAt(2).text, 'max_tokens: 32');
    await diagnosticsWhen(document.uri, (found) => found.length === 0, 'no diagnostics after the fix');
    assert.equal(document.isDirty, true);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.lineAt(2).text, 'max_tokens: 90');
  });

  it('offers models whose window fits, cheapest first, and switching rewrites the declared model', async () => {
    const { editor } = await openPrompt(api, 'over-window.prompt.md');
    const document = editor.document;
    const [diagnostic] = await diagnosticsWhen(document.uri, (all) => all.some((d) => ruleOf(d) === 'context-window'), 'a context-window error');
    const actions = await quickFixes(document.uri, diagnostic.range, 'Switch to ');
    assert.ok(actions.length >= 1 && actions.length <= 3, actions.map((action) => action.title).join(', '));
    const tokens = api.documents.get(document.uri)!.count.tokens;
    const catalog = api.contexts.catalogFor(document.uri);
    // The edit replaces the declared model with the offered model's id.
    const offered = actions.map((action) => catalog.find(action.edit!.entries()[0][1][0].newText));
    assert.ok(offered.every((model) => model && (model.contextWindow ?? 0) >= tokens && (model.maxOutputTokens ?? 0) > 0), actions.map((action) => action.title).join(', '));
    const prices = offered.map((model) => model!.pricing!.inputPerMillion * tokens);
    assert.deepEqual(prices, [...prices].sort((a, b) => a - b));

    assert.ok(await vscode.workspace.applyEdit(actions[0].edit!));
    assert.equal(document.lineAt(1).text, `model: ${offered[0]!.id}`);
    await currentAnalysis(api, document, (analysis) => analysis.resolved.model?.id === offered[0]!.id);
    await diagnosticsWhen(document.uri, (all) => !all.some((d) => ruleOf(d) === 'context-window'), 'the error to go');
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('for a prompt without a model, switching sets the workspace model instead of editing the file', async () => {
    const { editor } = await openPrompt(api, 'plain.prompt.md');
    const document = editor.document;
    await api.choice.choose(TINY_MODEL);
    // 13 tokens fit the 64-token window, so make the prompt overflow by editing (never saved).
    const filler = ' Keep every sentence short, plain and free of jargon so that anyone can follow it.'.repeat(6);
    assert.ok(await editor.edit((edit) => edit.insert(document.lineAt(0).range.end, filler)));
    const [diagnostic] = await diagnosticsWhen(document.uri, (all) => all.some((d) => ruleOf(d) === 'context-window'), 'a context-window error');
    const [action] = await quickFixes(document.uri, diagnostic.range, 'Switch to ');
    assert.ok(action?.command, 'a Switch action with a command');
    assert.equal(action.edit, undefined);
    assert.equal(action.command.command, 'promptBudget.useModel');
    const [modelId] = action.command.arguments as [string];
    await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
    assert.equal(api.choice.chosen, modelId);
    await currentAnalysis(api, document, (analysis) => analysis.resolved.model?.id === modelId && analysis.resolved.source === 'picker');
    await diagnosticsWhen(document.uri, (all) => all.length === 0, 'no diagnostics on the new model');
    await api.choice.choose(undefined);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('holds a prompt to its model’s input limit where that is below the window, and offers models that take it', async () => {
    const settings = vscode.workspace.getConfiguration('promptBudget');
    const models = settings.get<Record<string, unknown>>('models') ?? {};
    const capped = { name: 'Capped Input', provider: 'test', contextWindow: 1000, maxInputTokens: 20, maxOutputTokens: 500, inputPerMillion: 1, outputPerMillion: 2, tokenizer: 'o200k_base' };
    await settings.update('models', { ...models, 'capped-input-test': capped }, vscode.ConfigurationTarget.Global);
    try {
      const body = 'Summarise the customer ticket below in two plain sentences, then label it billing, outage or other.\n';
      const document = await untitledMarkdown('capped-input.md', `---\nmodel: capped-input-test\n---\n${body}`);
      const tokens = o200k().encode(body).length;
      const [diagnostic] = await diagnosticsWhen(document.uri, (all) => all.some((d) => ruleOf(d) === 'max-input'), 'a max-input error');
      assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(diagnostic.message, `Prompt is ${tokens} tokens; capped-input-test's input limit is 20 (its 1,000-token context window keeps the rest for output).`);
      assert.equal(typeof diagnostic.code === 'object' && diagnostic.code.target.fragment, 'rule-max-input');
      // Well inside the window, yet over the input limit: no context-window finding as well.
      assert.ok(!vscode.languages.getDiagnostics(document.uri).some((d) => ruleOf(d) === 'context-window'));
      // The status bar says it too: an error background, and the share of the input limit.
      await waitFor('the status bar on the capped prompt', () => statusText(api).endsWith('capped-input-test'));
      assert.ok(statusTooltip(api).includes(`Input limit: ${formatPercent(tokens / 20, 1)} of 20`), statusTooltip(api));
      assert.deepEqual(api.statusBar.item.backgroundColor, new vscode.ThemeColor('statusBarItem.errorBackground'));
      const actions = await quickFixes(document.uri, diagnostic.range, 'Switch to ');
      assert.ok(actions.length >= 1, 'no model offered');
      const catalog = api.contexts.catalogFor(document.uri);
      const offered = actions.map((action) => catalog.find(action.edit!.entries()[0][1][0].newText)!);
      assert.ok(offered.every((model) => (model.maxInputTokens ?? Infinity) >= tokens), offered.map((model) => model.id).join(', '));
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    } finally {
      await settings.update('models', models, vscode.ConfigurationTarget.Global);
    }
  });

  it('warns about an unknown declared model, naming close ids, at the model value', async () => {
    const document = await untitledMarkdown('unknown-model.md', '---\nmodel: gpt-4oo\n---\nHello there.\n');
    // Untitled markdown is a plain Markdown prompt: frontmatter model is read the same way.
    const [diagnostic] = await diagnosticsWhen(document.uri, (all) => all.some((d) => ruleOf(d) === 'unknown-model'), 'an unknown-model warning');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(diagnostic.range, new vscode.Range(1, 7, 1, 14));
    assert.match(diagnostic.message, /gpt-4o/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows broken frontmatter as a problem at its line and column', async () => {
    const document = await untitledMarkdown('broken-frontmatter.md', '---\nmodel: [gpt-4o\n---\nHello.\n');
    const all = await diagnosticsWhen(document.uri, (found) => found.some((d) => ruleOf(d) === 'frontmatter-syntax'), 'a frontmatter-syntax problem');
    const problem = all.find((d) => ruleOf(d) === 'frontmatter-syntax')!;
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(problem.range.start.line >= 1 && problem.range.start.line <= 2, describeDiagnostic(problem));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows a budget’s per-file limit on the first line of the prompt’s body', async () => {
    // budgets/summaries/ belongs to the budget-tree fixtures: budget 'Summaries' allows 50 input tokens.
    const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(fixtureUri('..'), 'budgets', 'summaries', 'weekly.prompt.md'));
    await vscode.window.showTextDocument(document);
    const tokens = o200k().encode(document.getText()).length;
    assert.ok(tokens >= 40, `the fixture should be near or over 50 tokens, is ${tokens}`);
    const all = await diagnosticsWhen(document.uri, (found) => found.some((d) => ruleOf(d) === 'budget-input-tokens'), 'a budget-input-tokens finding');
    const finding = all.find((d) => ruleOf(d) === 'budget-input-tokens')!;
    assert.equal(finding.severity, tokens > 50 ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    assert.deepEqual(finding.range, new vscode.Range(0, 0, 0, document.lineAt(0).text.trimEnd().length));
    if (tokens > 50) assert.equal(finding.message, `budgets/summaries/weekly.prompt.md is ${tokens} tokens; budget 'Summaries' allows 50.`);
    // The monthly cost belongs to the whole budget: it is shown on the config, never on a prompt.
    assert.ok(!all.some((d) => ruleOf(d) === 'budget-monthly-cost'));
  });

  it('clears a prompt’s diagnostics when it is closed', async () => {
    // Opened the way a user opens it: documents opened through the API stay open minutes after their editor closes.
    const uri = fixtureUri('closing.prompt.md');
    await vscode.commands.executeCommand('vscode.open', uri);
    await diagnosticsWhen(uri, (all) => all.some((d) => ruleOf(d) === 'unknown-model'), 'an unknown-model warning to clear later');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await diagnosticsWhen(uri, (all) => all.length === 0, 'diagnostics cleared on close');
    assert.equal(api.documents.get(uri), undefined);
  });
});
