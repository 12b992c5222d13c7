// Opening a short prompt: its exact count is known in the turn VS Code reports it open, so the status
// bar shows it together with the editor instead of after a round trip to the count worker; the
// worker still counts the edits that follow.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DocumentAnalysis } from '../../src/extension/promptDocuments';
import { formatTokens } from '../../src/core/report/formatNumbers';
import { mixedText } from '../bench/mixedText';
import { closeAllEditors, currentAnalysis, extensionApi, fixtureUri, o200k } from './editorTestSupport';

/** Writes a new prompt, opens it, and returns the analysis published by the end of the turn it opened in (null if none). */
async function openCountingInTurn(name: string, text: string): Promise<{ document: vscode.TextDocument; inTurn: DocumentAnalysis | null }> {
  const api = await extensionApi();
  const uri = fixtureUri(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  let inTurn: DocumentAnalysis | null = null;
  const listener = vscode.workspace.onDidOpenTextDocument((document) => {
    // The extension's own listener ran first (it subscribed at activation); what it queued for
    // this turn runs before this microtask, a reply from the count worker cannot.
    if (document.uri.toString() === uri.toString()) queueMicrotask(() => (inTurn = api.documents.get(uri) ?? null));
  });
  try {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: false });
    return { document, inTurn };
  } finally {
    listener.dispose();
  }
}

describe('Opening a prompt', () => {
  const names = ['opening-first.prompt.md', 'opening-short.prompt.md'];

  after(async () => {
    await closeAllEditors();
    for (const name of names) await vscode.workspace.fs.delete(fixtureUri(name)).then(undefined, () => undefined);
  });

  it("knows a short prompt's exact count in the turn it opens, and counts its edits after that", async () => {
    const api = await extensionApi();
    // One prompt opened and counted first: the extension host loads its tokenizer in the background after activation.
    const first = await openCountingInTurn(names[0], `# First\n\n${mixedText(2_000, 5)}`);
    await currentAnalysis(api, first.document);

    const text = `# Opening\n\n${mixedText(6_000, 19)}`;
    const { document, inTurn } = await openCountingInTurn(names[1], text);
    assert.ok(inTurn, 'the 6 KB prompt was not counted in the turn it was opened');
    const counted: DocumentAnalysis = inTurn;
    assert.equal(counted.version, document.version);
    assert.equal(counted.count.tokens, o200k().encode(text).length, 'the count made on opening is not the exact count');
    assert.ok(api.statusBar.item.text.includes(` ${formatTokens(counted.count.tokens)} tok`), `the status bar says "${api.statusBar.item.text}"`);

    // The count worker has the document too: an edit is counted there, exactly.
    const editor = vscode.window.activeTextEditor!;
    await editor.edit((edit) => edit.insert(new vscode.Position(1, 0), 'Answer in French.\n'));
    const edited = await currentAnalysis(api, document);
    assert.equal(edited.count.tokens, o200k().encode(document.getText()).length, 'the count after an edit is not the exact count');
  });
});
