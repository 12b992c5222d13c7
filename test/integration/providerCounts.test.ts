import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ProviderCountResult } from '../../src/core/providerCounts/providerCounter';
import { COMMAND } from '../../src/extension/commandIds';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { closeAllEditors, currentAnalysis, extensionApi, statusText, statusTooltip, waitFor } from './editorTestSupport';

// Anthropic's count_tokens, served from this extension host on 127.0.0.1: every prompt is 4,242 tokens.
const PROVIDER_TOKENS = 4242;
const ENV_NAMES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL'] as const;

describe('Count with Provider API', () => {
  let api: PromptBudgetApi;
  let server: Server;
  let requests: { url: string; headers: IncomingHttpHeaders; body: { model: string; messages: { role: string; content: string }[] } }[];
  let scratch: string;
  const savedEnv = new Map<string, string | undefined>();

  before(async () => {
    api = await extensionApi();
    requests = [];
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        requests.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(text) });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ input_tokens: PROVIDER_TOKENS }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    for (const name of ENV_NAMES) savedEnv.set(name, process.env[name]);
    process.env.ANTHROPIC_BASE_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.env.ANTHROPIC_API_KEY = 'sk-ant-integration';
    scratch = await mkdtemp(join(tmpdir(), 'prompt-budget-apicount-'));
  });

  after(async () => {
    await closeAllEditors();
    await vscode.workspace.getConfiguration('promptBudget').update('countWithApi.onSave', undefined, vscode.ConfigurationTarget.Global);
    for (const [name, value] of savedEnv) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(scratch, { recursive: true, force: true });
  });

  /** Opens a new prompt file outside the workspace: the provider's counts stay with it, not with shared fixtures. */
  async function openScratchPrompt(name: string, text: string): Promise<vscode.TextEditor> {
    const file = join(scratch, name);
    await writeFile(file, text);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await currentAnalysis(api, document);
    return editor;
  }

  it('sends nothing on opening and typing; the command shows the provider\'s exact count with its source', async () => {
    const editor = await openScratchPrompt('claude.prompt.md', '---\nmodel: claude-sonnet-4\n---\nSummarise the attached meeting notes in five bullet points, most important first.\n');
    await waitFor('the estimate in the status bar', () => /^\$\(symbol-numeric\) ≈\d+ tok/.test(statusText(api)));
    await editor.edit((edit) => edit.insert(editor.document.positionAt(editor.document.getText().length), ' Be brief.'));
    await currentAnalysis(api, editor.document);
    await vscode.commands.executeCommand('undo');
    await currentAnalysis(api, editor.document);
    assert.equal(requests.length, 0, 'no request without the command');

    const result = await vscode.commands.executeCommand<ProviderCountResult>(COMMAND.countWithProviderApi);
    assert.equal(result?.kind, 'counted', JSON.stringify(result));
    assert.equal(requests.length, 1);
    const [request] = requests;
    assert.equal(request.url, '/v1/messages/count_tokens');
    assert.equal(request.headers['x-api-key'], 'sk-ant-integration');
    assert.equal(request.headers['anthropic-version'], '2023-06-01');
    assert.equal(request.body.model, 'claude-sonnet-4');
    assert.deepEqual(request.body.messages, [{ role: 'user', content: 'Summarise the attached meeting notes in five bullet points, most important first.\n' }]);
    const text = await waitFor('the provider\'s count in the status bar', () => statusText(api).startsWith('$(cloud)') && statusText(api));
    assert.match(text, /^\$\(cloud\) 4,?242 tok · .* · claude-sonnet-4$/);
    const tooltip = statusTooltip(api);
    assert.match(tooltip, /Tokens: \*\*4,?242\*\* \(exact from Anthropic's count\\?_tokens API at /);
    assert.match(tooltip, /our count ≈\d+/);
  });

  it('drops the provider\'s count when the text changes, and shows it again when the same text is back', async () => {
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(editor.document.positionAt(editor.document.getText().length), ' Be brief.'));
    await waitFor('our estimate after an edit', () => statusText(api).startsWith('$(symbol-numeric) ≈'));
    await vscode.commands.executeCommand('undo');
    await waitFor('the provider\'s count after the undo', () => statusText(api).startsWith('$(cloud)'));
    assert.equal(requests.length, 1, 'the undone text was counted before: no new request');
  });

  it('makes no request without a key, and says which variable to set', async () => {
    const key = process.env.ANTHROPIC_API_KEY;
    delete process.env.ANTHROPIC_API_KEY;
    try {
      const result = await vscode.commands.executeCommand<ProviderCountResult>(COMMAND.countWithProviderApi);
      assert.equal(result?.kind, 'unavailable');
      assert.match((result as { reason: string }).reason, /^no Anthropic API key \(set ANTHROPIC_API_KEY before starting VS Code, or run "Prompt Budget: Store Provider API Key"\)$/);
      assert.equal(requests.length, 1);
    } finally {
      process.env.ANTHROPIC_API_KEY = key;
    }
  });

  it('counts on save only with the opt-in setting', async () => {
    const editor = await openScratchPrompt('saved.prompt.md', '---\nmodel: claude-sonnet-4-5\n---\nClassify the ticket.\n');
    const document = editor.document;
    const before = requests.length;
    await editor.edit((edit) => edit.insert(document.positionAt(document.getText().length), 'Answer in one word.\n'));
    await document.save();
    await currentAnalysis(api, document);
    assert.equal(requests.length, before, 'saving sends nothing by default');

    await vscode.workspace.getConfiguration('promptBudget').update('countWithApi.onSave', true, vscode.ConfigurationTarget.Global);
    await editor.edit((edit) => edit.insert(document.positionAt(document.getText().length), 'No explanation.\n'));
    await document.save();
    await waitFor('a count on save', () => requests.length === before + 1);
    assert.equal(requests.at(-1)?.body.model, 'claude-sonnet-4-5');
    await waitFor('the provider\'s count in the status bar', () => statusText(api).startsWith('$(cloud) 4,242 tok') || statusText(api).startsWith('$(cloud) 4242 tok'));
  });
});
