import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import {
  evaluateCountedPrompt,
  resolvePromptModel,
  tokenizerFor,
  type PromptAnalysis,
  type PromptContext,
} from '../core/analyzePrompt';
import { detectPromptFormat } from '../core/prompts/detectPromptFormat';
import type { ParsedPrompt, PromptCount, TokenizerId } from '../core/types';
import type { CountRequest, CountResponse } from './countProtocol';
import { log } from './log';

/** A document's analysis, tagged with the document version it describes. */
export interface DocumentAnalysis extends PromptAnalysis {
  uri: vscode.Uri;
  version: number;
  /** Time the worker spent on the latest update. */
  elapsedMs: number;
}

/** What the service needs to know about a document's setting: model, limits, budgets. */
export interface PromptContextSource {
  contextFor(uri: vscode.Uri): PromptContext;
  /** Whether a file is a prompt file beyond the recognised formats (`promptBudget.files`). */
  isExtraPromptFile(uri: vscode.Uri): boolean;
  readonly onDidChange: vscode.Event<void>;
}

interface TrackedDocument {
  tokenizer: TokenizerId;
  version: number;
  latest?: { parsed: ParsedPrompt; count: PromptCount; elapsedMs: number };
}

// Languages whose untitled documents are counted too (a scratch prompt has no file name yet).
const UNTITLED_LANGUAGES = new Set(['markdown', 'plaintext', 'prompt']);

/**
 * The one place that counts open prompt documents. Surfaces never recount: they read `get()`
 * and listen to `onDidAnalyze`. Counting runs in a worker thread, edit by edit.
 */
export class PromptDocuments implements vscode.Disposable {
  private worker: Worker | undefined;
  private readonly tracked = new Map<string, TrackedDocument>();
  private notPrompt = new WeakMap<vscode.TextDocument, number>();
  private readonly analyses = new Map<string, DocumentAnalysis>();
  private readonly pendingReplies = new Map<number, (response: Extract<CountResponse, { kind: 'reply' }>) => void>();
  private nextRequestId = 1;
  private readonly analyzed = new vscode.EventEmitter<DocumentAnalysis>();
  private readonly forgotten = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires when a document's analysis changes. */
  readonly onDidAnalyze = this.analyzed.event;
  /** Fires when a document is no longer tracked (closed, or no longer a prompt file). */
  readonly onDidForget = this.forgotten.event;

  constructor(
    private readonly workerPath: string,
    private readonly contexts: PromptContextSource,
  ) {
    this.disposables.push(
      this.analyzed,
      this.forgotten,
      vscode.workspace.onDidOpenTextDocument((document) => this.track(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidCloseTextDocument((document) => this.forget(document.uri)),
      contexts.onDidChange(() => {
        // `promptBudget.files` or a config's globs may have made other files prompts.
        this.notPrompt = new WeakMap();
        this.reevaluateAll();
      }),
    );
    for (const document of vscode.workspace.textDocuments) this.track(document);
  }

  /** Whether the document is a prompt file Prompt Budget counts. */
  isPromptDocument(document: vscode.TextDocument): boolean {
    if (document.uri.scheme === 'untitled') return UNTITLED_LANGUAGES.has(document.languageId);
    if (!['file', 'vscode-remote', 'vscode-vfs'].includes(document.uri.scheme)) return false;
    if (detectPromptFormat(document.fileName, document.languageId === 'json' ? document.getText() : undefined)) return true;
    return this.contexts.isExtraPromptFile(document.uri);
  }

  /** The latest analysis of a document, if it is a prompt file and has been counted. */
  get(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.analyses.get(uri.toString());
  }

  /** Ensures a document is tracked (e.g. opened before activation); returns whether it is a prompt. */
  track(document: vscode.TextDocument): boolean {
    const key = document.uri.toString();
    if (this.tracked.has(key)) return true;
    // Deciding may read the whole text (chat JSON): decide once per document version.
    if (this.notPrompt.get(document) === document.version) return false;
    if (!this.isPromptDocument(document)) {
      this.notPrompt.set(document, document.version);
      return false;
    }
    const tokenizer = this.tokenizerGuess(document);
    this.tracked.set(key, { tokenizer, version: document.version });
    this.send({
      kind: 'open',
      uri: key,
      version: document.version,
      fileName: document.uri.scheme === 'untitled' ? untitledFileName(document) : document.fileName,
      text: document.getText(),
      tokenizer,
    });
    return true;
  }

  /** Token end offsets of `text` for a tokenizer (for "show token boundaries"). */
  async tokenBoundaries(text: string, tokenizer: TokenizerId): Promise<number[]> {
    const reply = await this.request({ kind: 'boundaries', id: 0, tokenizer, text });
    if (reply.error || !reply.boundaries) throw new Error(reply.error ?? 'no boundaries');
    return reply.boundaries;
  }

  /** Parses `text` as `fileName` would be and counts it with each tokenizer (selections, comparisons). */
  async countText(fileName: string, text: string, tokenizers: TokenizerId[]) {
    const reply = await this.request({ kind: 'countText', id: 0, fileName, text, tokenizers });
    if (reply.error || !reply.counts) throw new Error(reply.error ?? 'no counts');
    return reply.counts;
  }

  /** Re-evaluates every tracked document (model, settings or budgets changed). */
  reevaluateAll(): void {
    for (const [key, tracked] of this.tracked) {
      if (tracked.latest) this.evaluate(vscode.Uri.parse(key), tracked);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    void this.worker?.terminate();
    this.worker = undefined;
    this.tracked.clear();
    this.analyses.clear();
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    const tracked = this.tracked.get(key);
    if (!tracked) {
      this.track(event.document);
      return;
    }
    if (event.contentChanges.length === 0) return;
    tracked.version = event.document.version;
    this.send({
      kind: 'change',
      uri: key,
      version: event.document.version,
      changes: event.contentChanges.map((change) => ({ offset: change.rangeOffset, deletedLength: change.rangeLength, text: change.text })),
    });
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    if (!this.tracked.delete(key)) return;
    this.analyses.delete(key);
    this.send({ kind: 'close', uri: key });
    this.forgotten.fire(uri);
  }

  // The worker counts with this tokenizer before it knows the file's declared model; a
  // declaration that needs another tokenizer is caught in evaluate() and recounted.
  private tokenizerGuess(document: vscode.TextDocument): TokenizerId {
    const context = this.contexts.contextFor(document.uri);
    const resolution = context.catalog.resolve(context.fallbackModel);
    return 'model' in resolution ? resolution.model.tokenizer : 'estimate';
  }

  private onWorkerMessage(response: CountResponse): void {
    if (response.kind === 'reply') {
      this.pendingReplies.get(response.id)?.(response);
      this.pendingReplies.delete(response.id);
      return;
    }
    const tracked = this.tracked.get(response.uri);
    // Stale: a newer edit is on its way and will bring its own result.
    if (!tracked || response.version !== tracked.version) return;
    if (response.kind === 'failed') {
      log().error(`Counting ${response.uri} failed: ${response.message}`);
      return;
    }
    tracked.latest = { parsed: response.parsed, count: response.count, elapsedMs: response.elapsedMs };
    this.evaluate(vscode.Uri.parse(response.uri), tracked);
  }

  private evaluate(uri: vscode.Uri, tracked: TrackedDocument): void {
    if (!tracked.latest) return;
    const { parsed, count, elapsedMs } = tracked.latest;
    const context = this.contexts.contextFor(uri);
    const resolved = resolvePromptModel(parsed, context);
    const tokenizer = tokenizerFor(resolved);
    if (tokenizer !== tracked.tokenizer) {
      tracked.tokenizer = tokenizer;
      this.send({ kind: 'tokenizer', uri: uri.toString(), version: tracked.version, tokenizer });
      return;
    }
    const analysis = evaluateCountedPrompt(uri.fsPath || uri.toString(), parsed, resolved, count, context);
    const documentAnalysis: DocumentAnalysis = { ...analysis, uri, version: tracked.version, elapsedMs };
    this.analyses.set(uri.toString(), documentAnalysis);
    this.analyzed.fire(documentAnalysis);
  }

  private request(request: Extract<CountRequest, { id: number }>): Promise<Extract<CountResponse, { kind: 'reply' }>> {
    const id = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pendingReplies.set(id, resolve);
      this.send({ ...request, id });
    });
  }

  private send(request: CountRequest): void {
    this.ensureWorker().postMessage(request);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (response: CountResponse) => this.onWorkerMessage(response));
    worker.on('error', (error) => log().error('Count worker failed', error));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      // Start afresh on the next request; documents re-open as they are edited or viewed.
      this.worker = undefined;
      this.tracked.clear();
      for (const [id, reply] of this.pendingReplies) reply({ kind: 'reply', id, error: `count worker exited (${code})` });
      this.pendingReplies.clear();
      log().warn(`Count worker exited with code ${code}`);
    });
    this.worker = worker;
    return worker;
  }
}

/** Where the bundled worker script lives inside the installed extension. */
export function countWorkerPath(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'countWorker.js');
}

function untitledFileName(document: vscode.TextDocument): string {
  return document.languageId === 'markdown' ? 'untitled.md' : 'untitled.txt';
}
