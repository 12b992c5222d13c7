// Shared by the editor-surface suites: the extension's API, the fixtures under editor/, a small
// custom model, waits on real events, and counts made independently of the extension (js-tiktoken).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { PromptBudgetApi } from '../../src/extension/extension';
import type { DocumentAnalysis } from '../../src/extension/promptDocuments';

const EXTENSION_ID = 'prompt-budget.prompt-budget';
const WAIT_MS = 15_000;

/** A model with a 64-token window and 32 max output, so near- and over-window fixtures stay small. */
export const TINY_MODEL = 'tiny-window-test';
const TINY_MODEL_SETTING = {
  [TINY_MODEL]: { name: 'Tiny Window', provider: 'test', contextWindow: 64, maxOutputTokens: 32, inputPerMillion: 1, outputPerMillion: 2, tokenizer: 'o200k_base' },
};

export async function extensionApi(): Promise<PromptBudgetApi> {
  const extension = vscode.extensions.getExtension<PromptBudgetApi>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  return extension.activate();
}

export function fixtureUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, 'editor', name);
}

/** Adds the tiny model in user settings (the test host's throwaway profile, not the fixture folder). */
export async function addTinyModel(): Promise<void> {
  await vscode.workspace.getConfiguration('promptBudget').update('models', TINY_MODEL_SETTING, vscode.ConfigurationTarget.Global);
}

export async function removeTinyModel(): Promise<void> {
  await vscode.workspace.getConfiguration('promptBudget').update('models', undefined, vscode.ConfigurationTarget.Global);
}

/** Polls `probe` until it returns a value (or true), failing with `what` after a timeout. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The analysis of the document's current version, once the worker has sent it. */
export function currentAnalysis(api: PromptBudgetApi, document: vscode.TextDocument, accept: (analysis: DocumentAnalysis) => boolean = () => true): Promise<DocumentAnalysis> {
  return waitFor(`the analysis of ${document.uri.path} v${document.version}`, () => {
    const analysis = api.documents.get(document.uri);
    return analysis && analysis.version === document.version && accept(analysis) ? analysis : undefined;
  });
}

/** Opens a fixture in the active editor and waits for its analysis. */
export async function openPrompt(api: PromptBudgetApi, name: string): Promise<{ editor: vscode.TextEditor; analysis: DocumentAnalysis }> {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  return { editor, analysis: await currentAnalysis(api, document) };
}

/** Diagnostics of a uri once `accept` holds for them, waiting on onDidChangeDiagnostics. */
export function diagnosticsWhen(uri: vscode.Uri, accept: (diagnostics: vscode.Diagnostic[]) => boolean, what: string): Promise<vscode.Diagnostic[]> {
  const ours = () => vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === 'Prompt Budget');
  if (accept(ours())) return Promise.resolve(ours());
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      listener.dispose();
      reject(new Error(`Timed out waiting for ${what}; diagnostics: ${JSON.stringify(ours().map(describeDiagnostic))}`));
    }, WAIT_MS);
    const listener = vscode.languages.onDidChangeDiagnostics((event) => {
      if (!event.uris.some((changed) => changed.toString() === uri.toString()) || !accept(ours())) return;
      clearTimeout(timer);
      listener.dispose();
      resolve(ours());
    });
  });
}

export function describeDiagnostic(diagnostic: vscode.Diagnostic): string {
  const { start, end } = diagnostic.range;
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return `${code} ${vscode.DiagnosticSeverity[diagnostic.severity]} ${start.line}:${start.character}-${end.line}:${end.character}`;
}

export function ruleOf(diagnostic: vscode.Diagnostic): string {
  return typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code);
}

/** Reverts and closes every editor, so each test starts clean and nothing is saved. */
export async function closeAllEditors(): Promise<void> {
  for (const document of vscode.workspace.textDocuments) {
    if (document.isDirty && document.uri.scheme === 'file') {
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}

interface Encoder {
  encode(text: string): number[];
  decode(tokens: number[]): string;
}
let encoder: Encoder | undefined;

/** o200k_base straight from js-tiktoken, independent of the extension's own tokenizer code. */
export function o200k(): Encoder {
  if (!encoder) {
    const { Tiktoken } = require('js-tiktoken/lite') as { Tiktoken: new (ranks: unknown) => Encoder };
    encoder = new Tiktoken(require('js-tiktoken/ranks/o200k_base'));
  }
  return encoder;
}

/**
 * js-tiktoken's o200k_base counts of a text and of slices of it, in a worker thread: counting a
 * megabyte takes js-tiktoken seconds, which on the extension host's thread would stall VS Code
 * (and every surface a test is timing) meanwhile.
 */
export async function o200kCountsOffThread(text: string, ranges: readonly { start: number; end: number }[]): Promise<{ total: number; slices: number[] }> {
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { Tiktoken } = require(workerData.lite);
    const encoder = new Tiktoken(require(workerData.ranks));
    const count = (text) => encoder.encode(text).length;
    parentPort.postMessage({ total: count(workerData.text), slices: workerData.ranges.map(({ start, end }) => count(workerData.text.slice(start, end))) });`;
  const workerData = { text, ranges, lite: require.resolve('js-tiktoken/lite'), ranks: require.resolve('js-tiktoken/ranks/o200k_base') };
  const worker = new Worker(source, { eval: true, workerData });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the js-tiktoken worker exited (${code}) without counting`)));
    });
  } finally {
    await worker.terminate();
  }
}

/** The index of the segment an inline count at `offset` belongs to: the last one starting before it (counts sit at the end of a segment's first line). */
export function segmentIndexAt(segments: readonly { range: { start: number } }[], offset: number): number {
  let index = segments.length - 1;
  while (index > 0 && segments[index].range.start >= offset) index--;
  return index;
}

/** The text of a `.prompt.md` after its frontmatter: what is sent. */
export function bodyOf(text: string): string {
  const frontmatter = /^---\r?\n[\s\S]*?\r?\n---\r?\n/.exec(text);
  return frontmatter ? text.slice(frontmatter[0].length) : text;
}

export function statusText(api: PromptBudgetApi): string {
  return api.statusBar.item.text;
}

export function statusTooltip(api: PromptBudgetApi): string {
  const tooltip = api.statusBar.item.tooltip;
  return typeof tooltip === 'string' ? tooltip : (tooltip?.value ?? '');
}

/**
 * Sets the editor's selections and waits until the workbench reports them back: an echo of an
 * earlier selection (the one showTextDocument made) could otherwise overwrite ours.
 */
export async function select(editor: vscode.TextEditor, selections: vscode.Selection[]): Promise<void> {
  const same = (actual: readonly vscode.Selection[]) => actual.length === selections.length && actual.every((selection, i) => selection.isEqual(selections[i]));
  for (let attempt = 0; attempt < 3; attempt++) {
    const echoed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        listener.dispose();
        resolve(false);
      }, 2_000);
      const listener = vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor.document !== editor.document || !same(event.selections)) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(true);
      });
    });
    editor.selections = selections;
    if ((await echoed) && same(editor.selections)) return;
    if (same(editor.selections) && same(vscode.window.activeTextEditor?.selections ?? [])) return;
  }
  throw new Error(`Could not select ${JSON.stringify(selections)}; the editor has ${JSON.stringify(editor.selections)}`);
}
