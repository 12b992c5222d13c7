// The document service's results always describe the text they were counted on: re-evaluations,
// reopened untitled documents and chat files that change shape never show another text's figures.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import type { DocumentAnalysis } from '../../src/extension/promptDocuments';
import { parsePrompt } from '../../src/core/prompts/parsePrompt';
import { closeAllEditors, currentAnalysis, extensionApi, fixtureUri, waitFor } from './editorTestSupport';

/** Every analysis published for `uri` while `body` runs. */
async function analysesDuring(api: PromptBudgetApi, uri: vscode.Uri, body: () => Promise<void>): Promise<DocumentAnalysis[]> {
  const seen: DocumentAnalysis[] = [];
  const listener = api.documents.onDidAnalyze((analysis) => {
    if (analysis.uri.toString() === uri.toString()) seen.push(analysis);
  });
  try {
    await body();
  } finally {
    listener.dispose();
  }
  return seen;
}

/** Fails unless the segments are those of a fresh parse of `text` (a Markdown prompt), label for label and range for range. */
function assertSegmentsMatch(analysis: DocumentAnalysis, text: string, what: string): void {
  const expected = parsePrompt('prompt.md', text).segments.map(({ label, range }) => ({ label, range }));
  assert.deepEqual(
    analysis.parsed.segments.map(({ label, range }) => ({ label, range })),
    expected,
    `${what}: the segments of v${analysis.version} are out of place`,
  );
}

function sections(count: number, words: string): string {
  return Array.from({ length: count }, (_, i) => `# Section ${i + 1}\n\n${words}\n\n`).join('');
}

async function closeActiveUntitled(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

describe('Prompt documents', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
  });

  it('never labels an older count with a newer version when settings change right after an edit', async () => {
    // Big enough that each recount takes a while, so re-evaluations land while one is under way.
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: sections(400, 'Answer briefly and cite the policy. '.repeat(8)) });
    const editor = await vscode.window.showTextDocument(document);
    const texts = new Map<number, string>([[document.version, document.getText()]]);
    const recordText = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document) texts.set(document.version, document.getText());
    });
    try {
      await currentAnalysis(api, document);
      const published = await analysesDuring(api, document.uri, async () => {
        for (let round = 0; round < 5; round++) {
          // A heading at the top moves every later segment: an old parse labelled as new is visibly wrong.
          await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), `# Inserted ${round}\n\nNew opening words.\n\n`));
          api.documents.reevaluateAll();
          await vscode.workspace.getConfiguration('promptBudget').update('warnAt', round % 2 === 0 ? 0.7 : 0.75, vscode.ConfigurationTarget.Global);
        }
        const latest = await currentAnalysis(api, document);
        assertSegmentsMatch(latest, document.getText(), 'the current analysis');
        assert.equal(latest.parsed.segments.length, 405);
      });
      assert.ok(published.length > 0, 'no analysis was published');
      for (const analysis of published) {
        const text = texts.get(analysis.version);
        assert.ok(text !== undefined, `an analysis names v${analysis.version}, a version the document never had`);
        assertSegmentsMatch(analysis, text, 'a published analysis');
      }
    } finally {
      recordText.dispose();
      await vscode.workspace.getConfiguration('promptBudget').update('warnAt', undefined, vscode.ConfigurationTarget.Global);
      await closeActiveUntitled();
    }
  });

  it('counts a reopened untitled document as itself, not as the one closed before it', async function () {
    // The first document is slow to count, so its count is still coming when the second one opens.
    const first = await vscode.workspace.openTextDocument({ language: 'markdown', content: sections(3000, 'A long scratch prompt about invoices. '.repeat(12)) });
    const uri = first.uri;
    const secondText = '# Reopened\n\nSay hello.\n';
    // VS Code sometimes hands the reused untitled name its old content (the closed model was not
    // disposed yet): the extension then rightly counts that text, and there is nothing to test. That
    // opening is then the one closed, its count still coming, and the name is reused again.
    let previous = first;
    for (let attempt = 1; ; attempt++) {
      await vscode.window.showTextDocument(previous);
      await closeActiveUntitled();
      const closing = previous;
      await waitFor('the earlier untitled document to close', () => closing.isClosed);
      let second: vscode.TextDocument | undefined;
      const published = await analysesDuring(api, uri, async () => {
        second = await vscode.workspace.openTextDocument({ language: 'markdown', content: secondText });
        assert.equal(second.uri.toString(), uri.toString(), 'VS Code did not reuse the untitled name; the test needs it to');
        if (second.getText() !== secondText) return;
        await vscode.window.showTextDocument(second);
        const analysis = await currentAnalysis(api, second);
        assertSegmentsMatch(analysis, secondText, 'the reopened document');
        assert.ok(analysis.count.tokens < 20, `the reopened document counts ${analysis.count.tokens} tokens`);
      });
      const reopened = second!;
      if (reopened.getText() === secondText) {
        try {
          // None in between either: the closed document's count was never shown for the new one.
          for (const analysis of published) assert.ok(analysis.count.tokens < 20, `an analysis of ${analysis.count.tokens} tokens was shown for the reopened document`);
        } finally {
          await closeActiveUntitled();
        }
        return;
      }
      if (attempt === 4) {
        await vscode.window.showTextDocument(reopened);
        await closeActiveUntitled();
        this.skip();
      }
      previous = reopened;
    }
  });

  describe('chat JSON files', () => {
    let folder: vscode.Uri;

    before(() => {
      const root = vscode.workspace.workspaceFolders?.[0];
      assert.ok(root, 'no workspace folder is open');
      folder = vscode.Uri.joinPath(root.uri, 'promptDocuments-scratch');
    });
    after(async () => {
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    });

    it('stops counting a chat file saved without messages, and starts when one gains them', async () => {
      const uri = vscode.Uri.joinPath(folder, 'chat.json');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('{"messages": [{"role": "user", "content": "Summarise the ticket."}]}\n'));
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      assert.equal((await currentAnalysis(api, document)).format, 'chat-json');

      const forgotten = new Promise<void>((resolve) => {
        const listener = api.documents.onDidForget((forgottenUri) => {
          if (forgottenUri.toString() !== uri.toString()) return;
          listener.dispose();
          resolve();
        });
      });
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      await editor.edit((edit) => edit.replace(whole, '{"note": "not a chat any more"}\n'));
      // Typing does not re-decide (that would parse the file on every keystroke): saving does.
      assert.equal(api.documents.isPromptDocument(document), true, 'decided again before the save');
      await document.save();
      await forgotten;
      assert.equal(api.documents.get(uri), undefined);
      assert.equal(api.documents.isPromptDocument(document), false);

      const again = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      await editor.edit((edit) => edit.replace(again, '[{"role": "system", "content": "Be terse."}]\n'));
      assert.equal(api.documents.get(uri), undefined, 'an unsaved edit made the file a prompt');
      await document.save();
      const analysis = await currentAnalysis(api, document);
      assert.equal(analysis.format, 'chat-json');
      assert.equal(analysis.parsed.segments.length, 1);
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });
  });

  describe('the budgets view and CI', () => {
    const scratch = 'budgets/loose/scratch.prompt.md';

    afterEach(async () => {
      await api.choice.choose(undefined);
      const settings = vscode.workspace.getConfiguration('promptBudget');
      await settings.update('expectedOutputTokens', undefined, vscode.ConfigurationTarget.Global);
      await settings.update('inlineCounts.enabled', undefined, vscode.ConfigurationTarget.Global);
    });

    it('checks files as prompt-budget check does: the picked model and the expected-output setting stay in the editor', async () => {
      const scan = api.budgetTree.scan;
      await scan.whenIdle();
      const before = scan.folders()[0].results.get(scratch)?.analysis;
      assert.ok(before, `${scratch} is not in the scan`);
      assert.equal(before.resolved.source, 'setting');

      await api.choice.choose('claude-sonnet-4');
      await vscode.workspace.getConfiguration('promptBudget').update('expectedOutputTokens', 500, vscode.ConfigurationTarget.Global);
      const root = vscode.workspace.workspaceFolders![0].uri;
      // The editor follows the picker and the setting…
      const editorContext = api.contexts.contextFor(vscode.Uri.joinPath(root, scratch));
      assert.equal(editorContext.fallbackSource, 'picker');
      assert.equal(editorContext.expectedOutputTokens, 500);
      // …the budgets view does not, as CI does not.
      await scan.whenIdle();
      const after = scan.folders()[0].results.get(scratch)?.analysis;
      assert.ok(after);
      assert.equal(after.resolved.name, before.resolved.name);
      assert.equal(after.resolved.source, 'setting');
      assert.equal(after.expected, undefined);
    });

    it('reports idle after a settings change that changes nothing it counts', async () => {
      const scan = api.budgetTree.scan;
      await scan.whenIdle();
      await vscode.workspace.getConfiguration('promptBudget').update('inlineCounts.enabled', false, vscode.ConfigurationTarget.Global);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), 5_000)));
      const outcome = await Promise.race([scan.whenIdle().then(() => 'idle' as const), timedOut]);
      clearTimeout(timer);
      assert.equal(outcome, 'idle');
    });
  });

  it('counts a long prompt once, with the tokenizer of the model its frontmatter declares', async () => {
    const uri = fixtureUri('declares-gpt-4.prompt.md');
    // Longer than the host parses whole: the model is read from the frontmatter alone.
    const text = `---\nmodel: gpt-4\n---\n${sections(1500, 'Reply briefly and cite the policy.')}`;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    try {
      const recountsBefore = api.documents.recounts;
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const analysis = await currentAnalysis(api, document);
      assert.equal(analysis.count.tokenizer, 'cl100k_base');
      assert.equal(analysis.resolved.model?.id, 'gpt-4');
      assert.equal(api.documents.recounts, recountsBefore, 'the document was counted with another tokenizer first');
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('opens a .prompty file as Prompty, not Plain Text, and counts its messages', async () => {
    // A fixture outside the workspace (the test workspace is a temporary copy of test/fixtures/workspace).
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'prompts', 'basic-v2.prompty')));
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'prompty');
    const analysis = await currentAnalysis(api, document);
    assert.deepEqual(analysis.parsed.segments.map((segment) => segment.role), ['system', 'user', 'assistant', 'user']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

