// How quickly a 1 MB prompt's counts reach the editor: on opening, and after edits at its start,
// middle and end. The figures are logged (docs/performance.md quotes them), not
// asserted: a timed assertion would flake on a busy machine. What is asserted is that every
// count shown is exact.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import type { DocumentAnalysis } from '../../src/extension/promptDocuments';
import { formatTokens } from '../../src/core/report/formatNumbers';
import { selectPromptFiles } from '../../src/core/check/checkWorkspace';
import { mixedText } from '../bench/mixedText';
import { closeAllEditors, extensionApi, fixtureUri, o200kCountsOffThread, segmentIndexAt, waitFor } from './editorTestSupport';

/** Resolves when the document's current version is analysed and its inline counts and diagnostics show it. */
function shown(api: PromptBudgetApi, document: vscode.TextDocument): Promise<DocumentAnalysis> {
  const ready = (): DocumentAnalysis | undefined => {
    const analysis = api.documents.get(document.uri);
    if (!analysis || analysis.version !== document.version) return undefined;
    // Inline counts are laid out around the view (see InlineCounts): those of this version.
    if (api.inlineCounts.applied.get(document.uri.toString())?.version !== analysis.version) return undefined;
    const total = formatTokens(analysis.count.tokens);
    const diagnostics = vscode.languages.getDiagnostics(document.uri);
    return diagnostics.some((diagnostic) => diagnostic.message.includes(`${total} tokens`)) ? analysis : undefined;
  };
  return new Promise((resolve, reject) => {
    const done = (analysis: DocumentAnalysis) => {
      clearTimeout(timer);
      for (const listener of listeners) listener.dispose();
      resolve(analysis);
    };
    const check = () => {
      const analysis = ready();
      if (analysis) done(analysis);
    };
    // Diagnostics may be set after the analysis event (or the other way round): check on both.
    const listeners = [api.documents.onDidAnalyze(() => setImmediate(check)), vscode.languages.onDidChangeDiagnostics(check)];
    const timer = setTimeout(() => {
      for (const listener of listeners) listener.dispose();
      reject(new Error(`Timed out waiting for the counts of ${document.uri.path} v${document.version}`));
    }, 60_000);
    check();
  });
}

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Opens `name` (1 MB of mixed prose, code and Markdown sections), edits it, checks every count, and logs the latencies. */
async function measure(api: PromptBudgetApi, name: string, editsPerPlace: number): Promise<void> {
  const uri = fixtureUri(name);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(mixedText(1_000_000)));
  try {
    // The workspace scan counts a file that was just written, in its own worker: a user opening a
    // file that already exists does not pay for that, so it is over before the clock starts.
    // (The scan starts with the budgets view; in a run of this file alone it never does.)
    const { scan } = api.budgetTree;
    const relativePath = vscode.workspace.asRelativePath(uri, false);
    const scanned = scan.folders()[0];
    if (scan.isStarted && scanned && selectPromptFiles(scanned.config, [relativePath]).length > 0) {
      await waitFor('the workspace scan to count the new file', () => scan.folders().some((folder) => folder.results.has(relativePath)), 60_000);
      await scan.whenIdle();
    }
    let started = performance.now();
    // When VS Code reports the document open, and when the first analysis (of any surface) arrives.
    let openedAt = 0;
    let analyzedAt = 0;
    let workerMs = 0;
    const opening = [
      vscode.workspace.onDidOpenTextDocument((opened) => {
        if (opened.uri.toString() === uri.toString() && !openedAt) openedAt = performance.now();
      }),
      api.documents.onDidAnalyze((analysis) => {
        if (analysis.uri.toString() === uri.toString() && !analyzedAt) {
          analyzedAt = performance.now();
          workerMs = analysis.elapsedMs;
        }
      }),
    ];
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    await shown(api, document);
    const shownAt = performance.now();
    const openMs = shownAt - started;
    for (const listener of opening) listener.dispose();

    // When each version's change reached the extension host: from there on, the time is the extension's.
    const changeArrived = new Map<number, number>();
    const changes = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document) changeArrived.set(event.document.version, performance.now());
    });
    const figures: string[] = [
      `open to counts shown ${openMs.toFixed(0)} ms (VS Code opened it after ${(openedAt - started).toFixed(0)} ms; ` +
        `analysis ${(analyzedAt - openedAt).toFixed(0)} ms after that, ${workerMs.toFixed(0)} ms of it in the worker; shown ${(shownAt - analyzedAt).toFixed(0)} ms later)`,
    ];
    for (const place of ['start', 'middle', 'end'] as const) {
      const latencies: number[] = [];
      const ours: number[] = [];
      for (let i = 0; i < editsPerPlace; i++) {
        // Typing at the start of the third line, the start of the middle line, or the end of the text.
        const last = document.lineAt(document.lineCount - 1).range.end;
        const at = place === 'start' ? new vscode.Position(2, 0) : place === 'middle' ? new vscode.Position(document.lineCount >> 1, 0) : last;
        // Two in three edits type a character, one in three deletes the one typed before.
        const deleting = i % 3 === 2;
        started = performance.now();
        await editor.edit(
          (edit) => {
            if (deleting && place === 'end') edit.delete(new vscode.Range(last.translate(0, -1), last));
            else if (deleting) edit.delete(new vscode.Range(at, at.translate(0, 1)));
            else edit.insert(at, i % 2 ? ' ' : 'x');
          },
          { undoStopBefore: false, undoStopAfter: false },
        );
        await shown(api, document);
        const now = performance.now();
        latencies.push(now - started);
        ours.push(now - (changeArrived.get(document.version) ?? started));
      }
      const spread = (values: number[]) => `p50 ${percentile(values, 0.5).toFixed(0)} / p95 ${percentile(values, 0.95).toFixed(0)} / max ${Math.max(...values).toFixed(0)} ms`;
      figures.push(`${place}: edit to counts shown ${spread(latencies)}, change event to counts shown ${spread(ours)}`);
    }
    changes.dispose();
    console.log(`Live counts of ${name} (1 MB, ${document.languageId}, ${editsPerPlace} edits per place): ${figures.join('; ')}`);

    // Exact: the total, each section's count and inline count, against js-tiktoken.
    const analysis = await shown(api, document);
    const text = document.getText();
    const { segments } = analysis.parsed;
    assert.ok(segments.length > 100, `${segments.length} sections`);
    const reference = await o200kCountsOffThread(text, segments.map((segment) => segment.range));
    assert.equal(analysis.count.tokens, reference.total);
    const expected = reference.slices;
    segments.forEach((segment, index) => assert.equal(analysis.count.segmentTokens[index], expected[index], segment.label));
    // Each inline count shown is its section's: the section the decorated line starts.
    const inline = api.inlineCounts.applied.get(document.uri.toString())?.decorations ?? [];
    assert.ok(inline.length > 0);
    for (const decoration of inline) {
      const index = segmentIndexAt(segments, document.offsetAt(decoration.range.start));
      assert.equal(decoration.renderOptions?.after?.contentText, `· ${formatTokens(expected[index])} tok`, segments[index].label);
    }
  } finally {
    await closeAllEditors();
    await vscode.workspace.fs.delete(uri);
  }
}

describe('Live counts of a 1 MB prompt', function () {
  this.timeout(600_000);
  let api: PromptBudgetApi;
  before(async () => {
    api = await extensionApi();
  });

  it('a .prompt.md: exact on opening and after 50 edits at the start, middle and end (latencies logged)', async () => {
    await measure(api, 'latency-1mb.prompt.md', 50);
  });

  // VS Code's own Markdown extension sends a .md file's whole text to its language server on every
  // change, which keeps the extension host busy; the figures show what a user of .md files sees.
  it('a .md: exact on opening and after 10 edits at the start, middle and end (latencies logged)', async () => {
    await measure(api, 'latency-1mb.md', 10);
  });
});
