// Prompt Budget: Compare Models, in a real VS Code: the panel, its rows against counts made here
// with js-tiktoken and prices read from the catalog, selection mode, live updates, the exports,
// the restore path and the page's Content-Security-Policy.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { getEncoding } from 'js-tiktoken';
import * as vscode from 'vscode';
import type { ComparePanel } from '../../src/extension/comparePanel';
import type { RowsMessage } from '../../src/extension/compareMessages';
import type { PromptBudgetApi } from '../../src/extension/extension';

const EXTENSION_ID = 'prompt-budget.prompt-budget';
const WAIT_MS = 20_000;
// Starts with '=' so a spreadsheet would run it; unpriced, and its window is too small for the prompt.
const FORMULA_MODEL = '=SUM(1,1)';
const COMPARED = ['gpt-4o', 'gpt-4o-mini', 'gpt-4', 'claude-sonnet-4-5', FORMULA_MODEL];
const FRONTMATTER = /^---\r?\n[\s\S]*?\r?\n---\r?\n/;

type Row = RowsMessage['rows'][number];

// Building an encoder parses its whole rank table: make each once.
const encoders = new Map<'o200k_base' | 'cl100k_base', ReturnType<typeof getEncoding>>();
function tiktokenCount(encoding: 'o200k_base' | 'cl100k_base', text: string): number {
  let encoder = encoders.get(encoding);
  if (!encoder) encoders.set(encoding, (encoder = getEncoding(encoding)));
  return encoder.encode(text).length;
}

describe('Prompt Budget: Compare Models webview', () => {
  let api: PromptBudgetApi;
  const previous: Record<string, unknown> = {};

  before(async () => {
    const extension = vscode.extensions.getExtension<PromptBudgetApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not loaded`);
    api = await extension.activate();
    // User settings of the test host's throwaway profile; restored afterwards.
    const config = vscode.workspace.getConfiguration('promptBudget');
    for (const key of ['compareModels', 'models']) previous[key] = config.inspect(key)?.globalValue;
    await config.update('models', { [FORMULA_MODEL]: { provider: 'local', contextWindow: 50, maxOutputTokens: 20, tokenizer: 'cl100k_base' } }, vscode.ConfigurationTarget.Global);
    await config.update('compareModels', COMPARED, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    api.compareViews.current?.dispose();
    const config = vscode.workspace.getConfiguration('promptBudget');
    for (const key of ['compareModels', 'models']) await config.update(key, previous[key], vscode.ConfigurationTarget.Global);
  });

  /** The open view once it has delivered a message that `accept` holds for to its webview. */
  async function delivered(what: string, accept: (message: RowsMessage) => boolean): Promise<{ view: ComparePanel; message: RowsMessage }> {
    const settled = () => {
      const view = api.compareViews.current;
      const message = view?.lastMessage;
      return view && view.isReady && message && accept(message) ? { view, message } : undefined;
    };
    const now = settled();
    if (now) return now;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listener.dispose();
        const last = api.compareViews.current?.lastMessage;
        reject(new Error(`Timed out waiting for ${what}; last rows: ${JSON.stringify(last && { subject: last.subject, notes: last.notes, tokens: last.rows.map(tokensOf) })}`));
      }, WAIT_MS);
      const listener = api.compareViews.onDidPostRows(() => {
        const result = settled();
        if (!result) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(result);
      });
    });
  }

  async function waitFor(what: string, probe: () => boolean): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!probe()) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  function fixture(name: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    return vscode.Uri.joinPath(folder.uri, 'compare', name);
  }

  async function openFixture(name: string): Promise<vscode.TextEditor> {
    const document = await vscode.workspace.openTextDocument(fixture(name));
    return vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
  }

  function row(message: RowsMessage, id: string): Row {
    const found = message.rows.find((entry) => entry.row.modelId === id);
    assert.ok(found, `no row for ${id} in ${message.rows.map((entry) => entry.row.modelId).join(', ')}`);
    return found;
  }

  function tokensOf(entry: Row): string {
    return `${entry.row.modelId}=${entry.row.tokens}`;
  }

  /** What the catalog's prices say one call costs, computed here rather than by the view. */
  function expectedCosts(uri: vscode.Uri, id: string, inputTokens: number, outputTokens: number) {
    const pricing = api.contexts.catalogFor(uri).find(id)?.pricing;
    assert.ok(pricing, `${id} has no price in the catalog`);
    const input = (inputTokens * pricing.inputPerMillion) / 1e6;
    const output = (outputTokens * pricing.outputPerMillion) / 1e6;
    return { input, output, total: input + output };
  }

  function assertUsd(actual: number | null, expected: number, what: string): void {
    assert.ok(actual !== null && Math.abs(actual - expected) < 1e-12, `${what}: expected ${expected}, got ${actual}`);
  }

  function compareTabs(): vscode.Tab[] {
    return vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.includes('promptBudget.compare'));
  }

  it('opens one panel for the active prompt, and reveals it when run again', async () => {
    await openFixture('refund-reply.prompt.md');
    await vscode.commands.executeCommand('promptBudget.compareModels');
    const { view, message } = await delivered('the rows of refund-reply.prompt.md', (candidate) => candidate.subject.title.endsWith('refund-reply.prompt.md'));
    assert.equal(view.panel.viewType, 'promptBudget.compare');
    assert.match(message.subject.detail, /whole prompt/);

    await openFixture('refund-reply.prompt.md');
    await vscode.commands.executeCommand('promptBudget.compareModels');
    assert.equal(api.compareViews.current, view, 'running the command again made a second view');
    assert.equal(compareTabs().length, 1);
  });

  it('prices each model as tiktoken counts it and the catalog prices it, unpriced models last', async () => {
    const uri = fixture('refund-reply.prompt.md');
    // On its own too, not only after the test that opens the panel (it reveals the open one).
    await openFixture('refund-reply.prompt.md');
    await vscode.commands.executeCommand('promptBudget.compareModels');
    const { message } = await delivered('the rows of refund-reply.prompt.md', (candidate) => candidate.subject.title.endsWith('refund-reply.prompt.md'));
    const body = (await vscode.workspace.openTextDocument(uri)).getText().replace(FRONTMATTER, '');
    const o200k = tiktokenCount('o200k_base', body);
    const cl100k = tiktokenCount('cl100k_base', body);

    for (const [id, tokens] of [
      ['gpt-4o', o200k],
      ['gpt-4o-mini', o200k],
      ['gpt-4', cl100k],
    ] as const) {
      const { row: figures, shown } = row(message, id);
      assert.equal(figures.tokens, tokens, `${id} tokens`);
      assert.equal(figures.exact, true);
      // The prompt declares maxTokens: 800, below each of these models' own max output.
      assert.equal(figures.outputTokens, 800);
      assert.equal(figures.outputBasis, 'declared');
      const cost = expectedCosts(uri, id, tokens, 800);
      assertUsd(figures.inputCost, cost.input, `${id} input cost`);
      assertUsd(figures.outputCost, cost.output, `${id} output cost`);
      assertUsd(figures.costPerCall, cost.total, `${id} cost per call`);
      assert.equal(shown.tokens, tokens.toLocaleString('en-US'));
    }
    assert.match(message.notes.output, /declared max output of 800 tokens/);

    const claude = row(message, 'claude-sonnet-4-5');
    assert.equal(claude.row.exact, false);
    assert.match(claude.shown.tokens, /^≈\d/);
    assert.equal(message.notes.estimates, true);

    // Sorted by cost per call: the unpriced model comes last and shows n/a; its window is too small.
    const last = message.rows[message.rows.length - 1];
    assert.equal(last.row.modelId, FORMULA_MODEL);
    assert.deepEqual([last.shown.inputCost, last.shown.costPerCall, last.shown.perThousandCalls], ['n/a', 'n/a', 'n/a']);
    assert.equal(last.shown.over, true);
    assert.equal(last.row.outputTokens, 20, "the declared 800 is capped at the model's 20");
    const costs = message.rows.slice(0, -1).map((entry) => entry.row.costPerCall as number);
    assert.deepEqual(costs, [...costs].sort((a, b) => a - b));

    assert.ok(message.notes.sources.some((line) => /^Prices: .*\d{4}-\d{2}-\d{2}/.test(line)), message.notes.sources.join('\n'));
    assert.ok(message.notes.sources.some((line) => /^Limits: /.test(line)));
  });

  it('serves a page with a fresh nonce per render, a strict policy and nothing remote', async () => {
    const first = api.compareViews.current;
    assert.ok(first);
    const html = first.html;
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    assert.ok(policy, 'no Content-Security-Policy meta');
    const nonce = /script-src 'nonce-([A-Za-z0-9+/=]{16,})'/.exec(policy)?.[1];
    assert.ok(nonce, `no script nonce in ${policy}`);
    const source = first.panel.webview.cspSource;
    assert.equal(policy, `default-src 'none'; style-src ${source}; script-src 'nonce-${nonce}'; img-src ${source} data:;`);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
    assert.equal(scripts.length, 1);
    assert.ok(scripts[0].includes(`nonce="${nonce}"`), scripts[0]);
    assert.doesNotMatch(html, /\sstyle=|<style/, 'inline styles would be blocked by the policy');
    assert.doesNotMatch(html, /http:\/\//);
    // Every https URL is a webview resource of this extension's media folder.
    const mediaRoot = first.panel.webview.asWebviewUri(vscode.Uri.joinPath(vscode.extensions.getExtension(EXTENSION_ID)!.extensionUri, 'media')).toString();
    for (const [url] of html.matchAll(/https:\/\/[^\s"'<>;]+/g)) {
      const resource = url.startsWith(mediaRoot);
      const policySource = policy.includes(url) && first.panel.webview.cspSource.includes(url);
      assert.ok(resource || policySource, `remote URL in the page: ${url}`);
    }
    // The page's script ran under that policy: it asked for the rows, and got them.
    assert.equal(first.isReady, true);

    first.dispose();
    assert.equal(api.compareViews.current, undefined, 'the disposed view is still current');
    await waitFor('the compare tab to close', () => compareTabs().length === 0);
    await openFixture('refund-reply.prompt.md');
    await vscode.commands.executeCommand('promptBudget.compareModels');
    const { view } = await delivered('rows in a new panel', (candidate) => candidate.rows.length === COMPARED.length);
    assert.notEqual(view, first);
    const nextNonce = /'nonce-([^']+)'/.exec(view.html)?.[1];
    assert.ok(nextNonce && nextNonce !== nonce, 'the nonce was reused');
  });

  it('compares only the selection when one is made, as plain text', async () => {
    const editor = await openFixture('refund-reply.prompt.md');
    const document = editor.document;
    const start = document.getText().indexOf('The customer asks');
    const end = document.getText().indexOf('never promise a refund.') + 'never promise a refund.'.length;
    editor.selection = new vscode.Selection(document.positionAt(start), document.positionAt(end));
    await vscode.commands.executeCommand('promptBudget.compareModels');
    const { message } = await delivered('rows for the selection', (candidate) => candidate.subject.detail.startsWith('Selection'));
    assert.match(message.subject.detail, /^Selection: lines 8–9 \(\d+ characters\)/);
    const selected = document.getText().slice(start, end);
    const gpt4o = row(message, 'gpt-4o');
    assert.equal(gpt4o.row.tokens, tiktokenCount('o200k_base', selected));
    assert.equal(row(message, 'gpt-4').row.tokens, tiktokenCount('cl100k_base', selected));
    // The selection has no frontmatter: the document's declared max output still applies.
    assert.equal(gpt4o.row.outputTokens, 800);
    assertUsd(gpt4o.row.costPerCall, expectedCosts(document.uri, 'gpt-4o', gpt4o.row.tokens, 800).total, 'gpt-4o cost per call');
    assert.deepEqual(message.state.selection, { start, end });
    editor.selection = new vscode.Selection(0, 0, 0, 0);
  });

  it('follows edits to the prompt', async () => {
    // An untitled prompt: edits stay in memory, and no fixture on disk can be saved by accident.
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: "Summarise the customer's ticket in two sentences.\n" });
    const editor = await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('promptBudget.compareModels');
    const title = vscode.workspace.asRelativePath(document.uri);
    const before = await delivered(`rows for ${title}`, (candidate) => candidate.subject.title === document.uri.path);
    assert.equal(row(before.message, 'gpt-4o').row.tokens, tiktokenCount('o200k_base', document.getText()));
    assert.match(before.message.notes.output, /each model's max output/);

    try {
      const added = 'List the products the customer mentions, each with its plan and the date of the problem.\n';
      assert.ok(await editor.edit((edit) => edit.insert(document.positionAt(document.getText().length), added)));
      const expected = tiktokenCount('o200k_base', document.getText());
      const after = await delivered(`gpt-4o at ${expected} tokens after the edit`, (candidate) => candidate.rows.some((entry) => entry.row.modelId === 'gpt-4o' && entry.row.tokens === expected));
      assert.equal(after.view, before.view);
    } finally {
      await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('copies Markdown in the order shown, and ignores malformed messages', async () => {
    await openFixture('refund-reply.prompt.md');
    await vscode.commands.executeCommand('promptBudget.compareModels');
    const { view } = await delivered('rows of refund-reply.prompt.md', (candidate) => candidate.subject.title.endsWith('refund-reply.prompt.md') && !candidate.state.selection);
    await vscode.env.clipboard.writeText('untouched');
    await view.handleMessage({ command: 'copyMarkdown', sort: { key: 'constructor', direction: 'ascending' } });
    await view.handleMessage({ command: 'runCommand', id: 'workbench.action.quit' });
    assert.equal(await vscode.env.clipboard.readText(), 'untouched');

    await view.handleMessage({ command: 'copyMarkdown', sort: { key: 'model', direction: 'descending' } });
    const markdown = await vscode.env.clipboard.readText();
    assert.equal(markdown, view.markdown({ key: 'model', direction: 'descending' }));
    assert.match(markdown, /^Worst-case cost per call by model for .*refund-reply\.prompt\.md\./);
    const tableRows = markdown.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| model |') && !line.startsWith('| ---'));
    // Model names descending: the formula-like id sorts by its name, which is its id.
    assert.deepEqual(
      tableRows.map((line) => line.split(' | ')[1]),
      ['gpt-4o-mini', 'gpt-4o', 'gpt-4', 'claude-sonnet-4-5', FORMULA_MODEL],
    );
  });

  it('saves CSV whose formula-like cells cannot run in a spreadsheet', async () => {
    const view = api.compareViews.current;
    assert.ok(view);
    const target = vscode.Uri.file(path.join(os.tmpdir(), `prompt-budget-compare-${process.pid}.csv`));
    try {
      await view.saveCsvTo(target, { key: 'costPerCall', direction: 'ascending' });
      const csv = new TextDecoder().decode(await vscode.workspace.fs.readFile(target));
      const lines = csv.split('\r\n');
      assert.match(lines[0], /^model,model id,provider,tokens,exact,input \(USD\),expected output tokens,expected per call \(USD\),/);
      assert.equal(lines.length, COMPARED.length + 2, 'a header, a line per model, and the final line break');
      const formula = lines[COMPARED.length];
      assert.ok(formula.startsWith(`"'${FORMULA_MODEL}","'${FORMULA_MODEL}",local,`), formula);
      const body = (await vscode.workspace.openTextDocument(fixture('refund-reply.prompt.md'))).getText().replace(FRONTMATTER, '');
      const tokens = tiktokenCount('o200k_base', body);
      assert.ok(lines.some((line) => line.startsWith(`GPT-4o,gpt-4o,openai,${tokens},true,`)), csv);
    } finally {
      await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    }
  });

  it('restores a panel VS Code kept across a reload from its saved state', async () => {
    api.compareViews.current?.dispose();
    const uri = fixture('refund-reply.prompt.md');
    // What the serializer receives after a reload: a bare panel and the webview's saved state.
    const panel = vscode.window.createWebviewPanel('promptBudget.compare', 'Compare Models', vscode.ViewColumn.Two);
    api.compareViews.restore(panel, { uri: uri.toString(), sort: { key: 'tokens', direction: 'descending' } });
    const { view, message } = await delivered('rows in the restored panel', (candidate) => candidate.subject.title.endsWith('refund-reply.prompt.md'));
    assert.equal(view.panel, panel);
    assert.deepEqual(message.state.sort, { key: 'tokens', direction: 'descending' });
    assert.equal(message.rows.length, COMPARED.length);
    assert.match(panel.webview.html, /Content-Security-Policy/);
  });
});
