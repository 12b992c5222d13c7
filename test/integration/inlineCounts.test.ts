import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import { closeAllEditors, currentAnalysis, extensionApi, fixtureUri, o200k, openPrompt, segmentIndexAt, waitFor } from './editorTestSupport';

/** What the inline counts feature last applied to a document: line, character and text of each count. */
function shownCounts(api: PromptBudgetApi, uri: vscode.Uri): { line: number; character: number; text: string }[] | undefined {
  return api.inlineCounts.applied.get(uri.toString())?.decorations.map((decoration) => ({
    line: decoration.range.start.line,
    character: decoration.range.start.character,
    text: decoration.renderOptions?.after?.contentText ?? '',
  }));
}

describe('Inline counts', () => {
  let api: PromptBudgetApi;

  before(async () => {
    api = await extensionApi();
  });
  afterEach(async () => {
    await vscode.workspace.getConfiguration('promptBudget').update('inlineCounts.enabled', undefined, vscode.ConfigurationTarget.Global);
  });
  after(closeAllEditors);

  it('puts each heading section’s exact count at the end of its first line', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const document = editor.document;
    const text = document.getText();
    // Sections start at each heading; the first one also holds the blank line before it.
    const headings = [...text.matchAll(/^#+ .*$/gm)].map((match) => match.index);
    const ends = [...headings.slice(1), text.length];
    const bodyStart = text.indexOf('---\n', 4) + 4;
    const expected = headings.map((start, i) => {
      const line = document.positionAt(start).line;
      const tokens = o200k().encode(text.slice(i === 0 ? bodyStart : start, ends[i])).length;
      return { line, character: document.lineAt(line).text.length, text: `· ${tokens} tok` };
    });
    assert.equal(expected.length, 3);
    assert.deepEqual(await waitFor('inline counts', () => shownCounts(api, document.uri)?.length && shownCounts(api, document.uri)), expected);
  });

  it('marks estimated counts with ≈ and leaves single-section files undecorated', async () => {
    const { editor } = await openPrompt(api, 'claude.prompt.md');
    // One section: its count is the status bar's total, so there is nothing to add inline.
    await waitFor('the decorations of the Claude prompt', () => shownCounts(api, editor.document.uri));
    assert.deepEqual(shownCounts(api, editor.document.uri), []);

    const untitled = await vscode.workspace.openTextDocument({ language: 'markdown', content: '# One\n\nFirst part.\n\n# Two\n\nSecond part.\n' });
    await vscode.window.showTextDocument(untitled);
    await vscode.commands.executeCommand('promptBudget.useModel', 'claude-sonnet-4');
    await currentAnalysis(api, untitled, (analysis) => !analysis.count.exact);
    const counts = await waitFor('estimated inline counts', () => shownCounts(api, untitled.uri)?.some((count) => count.text.includes('≈')) && shownCounts(api, untitled.uri));
    assert.deepEqual(counts.map((count) => count.line), [0, 4]);
    assert.ok(counts.every((count) => /^· ≈\d+ tok$/.test(count.text)), JSON.stringify(counts));
    await api.choice.choose(undefined);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('follows edits: a new heading gets its own count', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    assert.ok(await editor.edit((edit) => edit.insert(end, '\n## Tone\n\nWarm and brief.\n')));
    await currentAnalysis(api, editor.document);
    const counts = await waitFor('four counts', () => shownCounts(api, editor.document.uri)?.length === 4 && shownCounts(api, editor.document.uri));
    const toneLine = editor.document.lineCount - 4;
    assert.equal(editor.document.lineAt(toneLine).text, '## Tone');
    assert.deepEqual(counts[3], { line: toneLine, character: 7, text: `· ${o200k().encode('## Tone\n\nWarm and brief.\n').length} tok` });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('turns off with the setting and with the toggle command', async () => {
    const { editor } = await openPrompt(api, 'sections.prompt.md');
    const uri = editor.document.uri;
    await waitFor('counts', () => shownCounts(api, uri)?.length === 3);

    await vscode.workspace.getConfiguration('promptBudget').update('inlineCounts.enabled', false, vscode.ConfigurationTarget.Global);
    await waitFor('no counts after the setting is off', () => shownCounts(api, uri)?.length === 0);

    await vscode.commands.executeCommand('promptBudget.toggleInlineCounts');
    await waitFor('counts toggled back on', () => shownCounts(api, uri)?.length === 3);
    await vscode.commands.executeCommand('promptBudget.toggleInlineCounts');
    await waitFor('counts toggled off', () => shownCounts(api, uri)?.length === 0);

    // Changing the setting ends the session toggle: the setting rules again.
    await vscode.workspace.getConfiguration('promptBudget').update('inlineCounts.enabled', true, vscode.ConfigurationTarget.Global);
    await waitFor('counts with the setting back on', () => shownCounts(api, uri)?.length === 3);
  });

  it('in a long document, counts the sections around the view, and follows scrolling', async () => {
    // 600 sections of 12 lines: more than a document is decorated whole for.
    const sections = Array.from({ length: 600 }, (_, i) => `## Part ${i}\n\n${'Some words for this part. '.repeat(1 + (i % 7))}\n${'line\n'.repeat(8)}`);
    const uri = fixtureUri('many-sections.prompt.md');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(sections.join('\n')));
    try {
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document, { preview: false });
      const analysis = await currentAnalysis(api, document);
      assert.equal(analysis.parsed.segments.length, 600);
      const text = document.getText();
      /** The shown counts, each checked against js-tiktoken for the section it sits in; returns their lines. */
      const exactCounts = (): number[] => {
        const applied = api.inlineCounts.applied.get(uri.toString());
        assert.ok(applied && applied.version === document.version);
        return applied.decorations.map((decoration) => {
          const index = segmentIndexAt(analysis.parsed.segments, document.offsetAt(decoration.range.start));
          const { start, end } = analysis.parsed.segments[index].range;
          assert.equal(decoration.renderOptions?.after?.contentText, `· ${o200k().encode(text.slice(start, end)).length} tok`);
          assert.equal(document.lineAt(decoration.range.start.line).text, `## Part ${index}`);
          return decoration.range.start.line;
        });
      };
      const covers = (line: number) => {
        const lines = exactCounts();
        return lines.length > 0 && lines.length < 200 && Math.min(...lines) <= line && line <= Math.max(...lines) ? lines : undefined;
      };
      // At the top: the first sections, not all 600.
      await waitFor('counts at the top', () => covers(0));
      // Scrolled to the middle and to the end: the counts follow.
      for (const part of [300, 599]) {
        const line = text.slice(0, text.indexOf(`## Part ${part}\n`)).split('\n').length - 1;
        editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
        const lines = await waitFor(`counts around part ${part}`, () => covers(line));
        assert.ok(!lines.includes(0), 'the counts at the top were replaced');
      }
    } finally {
      await closeAllEditors();
      await vscode.workspace.fs.delete(uri);
    }
  });
});
