import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  evaluateCountedPrompt,
  resolvePromptModel,
  tokenizerFor,
  type PromptAnalysis,
  type PromptFinding,
} from '../core/count/analyzePrompt';
import type { Budget } from '../core/config/budgetConfig';
import { fileBudgetFindings } from '../core/check/fileBudgetFindings';
import type { ResolvedPromptSettings } from '../core/count/resolvePromptSettings';
import { countsAs } from '../core/tokenize/sources/pinnedVocabularies';
import { detectPromptFormat } from '../core/prompts/detectPromptFormat';
import { parsePromptHead } from '../core/prompts/parsePrompt';
import { LivePromptCount } from '../core/count/livePromptCount';
import { getLoadedTokenCounter, loadTokenCounter } from '../core/tokenize/tokenCounter';
import type { ParsedPrompt, PromptCount, TokenizerId } from '../core/types';
import type { PromptDiff } from '../core/promptDiff/diffPromptChecks';
import type { CountRequest, CountResponse, SnapshotFiles } from './worker/countProtocol';
import { warmUpCounting } from './worker/warmUpCounting';
import { WorkerClient } from './worker/workerClient';
import { log } from './log';
import { onWorkerStart, workerEnvironment } from './workerStart';

/**
 * A document's analysis, tagged with the document version it describes: surfaces render it, they ask
 * nothing else. Its segments have positions and labels but no text (the document has it; see LiveCount).
 */
export interface DocumentAnalysis extends PromptAnalysis {
  uri: vscode.Uri;
  version: number;
  /** The model, limits and budget it was evaluated under. */
  context: ResolvedPromptSettings;
  /** Findings of the budgets that match the file, on this file alone (per-call limits, model mismatch). */
  budgetFindings: PromptFinding[];
  /** From the worker receiving the text or edit to its count being sent back (waits for the tokenizer included); the count's own time when the extension host made it. */
  elapsedMs: number;
}

/** What the service needs to know about a document's setting: model, limits, budgets. */
export interface PromptSettingsSource {
  contextFor(uri: vscode.Uri): ResolvedPromptSettings;
  /** The budgets that match a file, first match first, and its path as their globs see it. */
  budgetsFor(uri: vscode.Uri): { relativePath: string; budgets: readonly Budget[] };
  /** Whether a file is a prompt file beyond the recognised formats (`promptBudget.files`). */
  isExtraPromptFile(uri: vscode.Uri): boolean;
  /** False until the config governing `uri` is known and read: its counts are held back until then (onDidChange fires). */
  readyFor(uri: vscode.Uri): boolean;
  readonly onDidChange: vscode.Event<void>;
}

interface TrackedDocument {
  /** This opening of the uri (an untitled uri is reused after a close). */
  openId: number;
  /** The document object of this opening: a close or open event of another opening must not touch it. */
  document: vscode.TextDocument;
  /** The tokenizer the worker counts with now; counts made with another are dropped. */
  tokenizer: TokenizerId;
  /** The version last sent to the worker. */
  version: number;
  /** The latest count, with the version and tokenizer it was made on: analyses are labelled from it. */
  latest?: { version: number; parsed: ParsedPrompt; count: PromptCount; elapsedMs: number };
}

// Languages whose untitled documents are counted too (a scratch prompt has no file name yet).
const UNTITLED_LANGUAGES = new Set(['markdown', 'plaintext', 'prompt']);
// Whether a .json file is a chat file is decided from its text, once per document and on save,
// never per keystroke. Larger files are not taken for chat files by content.
const CHAT_JSON_MAX_CHARS = 2 * 1024 * 1024;
// A prompt up to this long is counted on the extension host when it is opened (well under a
// millisecond for 6 KB), so its count is shown in the same turn as its editor; longer ones, and every
// edit, are counted in the worker. Only with a tokenizer already loaded here (o200k_base, see below).
const HOST_COUNT_MAX_CHARS = 32 * 1024;

/**
 * The one place that counts open prompt documents. Surfaces never recount: they read `get()`
 * and listen to `onDidAnalyze`. Counting runs in a worker thread, edit by edit; a short prompt's
 * first count, on opening, is made on this thread with the same core counter.
 */
export class PromptDocuments implements vscode.Disposable {
  private readonly worker: WorkerClient<CountRequest, CountResponse>;
  private readonly tracked = new Map<string, TrackedDocument>();
  // Whether a document is a prompt by its format (name, and content for .json): decided once per document, again on save.
  private readonly formatDecisions = new WeakMap<vscode.TextDocument, boolean>();
  // The whole decision (format, or a glob of the settings or the config): also dropped when the contexts change.
  private promptDecisions = new WeakMap<vscode.TextDocument, boolean>();
  private nextOpenId = 1;
  private recountCount = 0;
  private readonly analyses = new Map<string, DocumentAnalysis>();
  private readonly analyzed = new vscode.EventEmitter<DocumentAnalysis>();
  private readonly forgotten = new vscode.EventEmitter<vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];

  /** Fires when a document's analysis changes. */
  readonly onDidAnalyze = this.analyzed.event;
  /** Fires when a document is no longer tracked (closed, or no longer a prompt file). */
  readonly onDidForget = this.forgotten.event;

  constructor(
    private readonly workerPath: string,
    private readonly contexts: PromptSettingsSource,
  ) {
    this.worker = new WorkerClient<CountRequest, CountResponse>({
      path: workerPath,
      name: 'count worker',
      env: workerEnvironment,
      onStart: onWorkerStart,
      onMessage: (response) => this.onWorkerMessage(response),
      onError: (error) => log().error('Count worker failed', error),
      onExit: (code) => {
        // Documents re-open as they are edited or viewed.
        this.tracked.clear();
        log().warn(`Count worker exited with code ${code}`);
      },
    });
    this.disposables.push(
      this.analyzed,
      this.forgotten,
      vscode.workspace.onDidOpenTextDocument((document) => this.track(document)),
      vscode.workspace.onDidChangeTextDocument((event) => this.onChange(event)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.formatDecisions.delete(document);
        this.promptDecisions.delete(document);
        this.forget(document.uri, document);
      }),
      vscode.workspace.onDidSaveTextDocument((document) => {
        // A saved .json may have gained or lost its messages.
        this.formatDecisions.delete(document);
        this.promptDecisions.delete(document);
        this.retrack(document);
      }),
      contexts.onDidChange(() => {
        // `promptBudget.files` or a config's globs may have made other files prompts, or taken them out.
        this.promptDecisions = new WeakMap();
        for (const document of vscode.workspace.textDocuments) this.retrack(document);
        this.reevaluateAll();
      }),
    );
    // Documents already open are picked up right after activation, so activate() itself stays cheap
    // (deciding and counting them builds the catalog). The worker readies o200k_base (the default
    // model's tokenizer, and the estimates' base) at once: on a busy machine that takes a few hundred
    // ms, which the first prompt opened would otherwise wait for. The extension host loads it too
    // for the short prompts it counts itself (loadEncoder): its file is read while the configs are, and a
    // prompt opened with a starting window is counted here before a starting worker has its own.
    let deciding: ReturnType<typeof setTimeout> | undefined;
    const initial = setTimeout(() => {
      this.send({ kind: 'warm', tokenizer: 'o200k_base' });
      this.loadEncoder();
      deciding = setTimeout(() => {
        for (const document of vscode.workspace.textDocuments) this.track(document);
      }, 0);
    }, 0);
    this.disposables.push({
      dispose: () => {
        clearTimeout(initial);
        clearTimeout(deciding);
      },
    });
  }

  /** Loads o200k_base in the extension host, for the short prompts counted here, and counts those waiting for it. */
  private loadEncoder(): void {
    loadTokenCounter('o200k_base').then(
      (counter) => {
        // A prompt counted here has compiled the counting code; else a sample does, for the first prompt opened.
        if (this.countWaitingHere() === 0) warmUpCounting(counter);
      },
      (error: unknown) => log().warn(`o200k_base could not be loaded in the extension host: ${String(error)}`),
    );
  }

  /** How many times a document was counted again with another tokenizer (its model changed). */
  get recounts(): number {
    return this.recountCount;
  }

  /** Whether the document is a prompt file Prompt Budget counts. */
  isPromptDocument(document: vscode.TextDocument): boolean {
    if (document.uri.scheme === 'untitled') return UNTITLED_LANGUAGES.has(document.languageId);
    if (!['file', 'vscode-remote', 'vscode-vfs'].includes(document.uri.scheme)) return false;
    // Asked on every keystroke in an untracked document: decided once, again on save and when the contexts change.
    let decision = this.promptDecisions.get(document);
    if (decision === undefined) {
      decision = this.hasPromptFormat(document) || this.contexts.isExtraPromptFile(document.uri);
      this.promptDecisions.set(document, decision);
    }
    return decision;
  }

  /** The tokenizer a document is (or would be) counted with: its analysis's, else its fallback model's. */
  tokenizerFor(uri: vscode.Uri): TokenizerId {
    const analysis = this.analyses.get(uri.toString());
    if (analysis) return analysis.count.tokenizer;
    const context = this.contexts.contextFor(uri);
    const resolution = context.catalog.resolve(context.fallbackModel);
    return 'model' in resolution ? resolution.model.tokenizer : 'estimate';
  }

  /** The latest analysis of a document, if it is a prompt file and has been counted. */
  get(uri: vscode.Uri): DocumentAnalysis | undefined {
    return this.analyses.get(uri.toString());
  }

  /** Ensures a document is tracked (e.g. opened before activation); returns whether it is a prompt. */
  track(document: vscode.TextDocument): boolean {
    const key = document.uri.toString();
    const existing = this.tracked.get(key);
    if (existing?.document === document) return true;
    // A reused untitled uri whose earlier opening's close event has not arrived yet: that opening is over.
    if (existing) this.forget(existing.document.uri, existing.document);
    if (document.isClosed || !this.isPromptDocument(document)) return false;
    const fileName = fileNameOf(document);
    const text = document.getText();
    // Counted with the tokenizer of the model the file declares (read from its frontmatter, not a
    // parse of the whole file), else the fallback model's. A model that changes later (an edit, the
    // picker) is caught in evaluate() and recounted.
    const head = parsePromptHead(fileName, text);
    const tokenizer = head ? tokenizerFor(resolvePromptModel(head, this.contexts.contextFor(document.uri))) : this.tokenizerFor(document.uri);
    const openId = this.nextOpenId++;
    // An analysis left from an earlier opening (or a worker that exited) does not describe this text.
    this.analyses.delete(key);
    const counted = this.countHere(fileName, text, tokenizer);
    const entry: TrackedDocument = { openId, document, tokenizer, version: document.version, latest: counted && { version: document.version, ...counted } };
    this.tracked.set(key, entry);
    this.send({ kind: 'open', uri: key, openId, version: document.version, fileName, text, tokenizer, counted: counted !== undefined });
    // Published once the event that opened it has reached every listener (the status bar then finds
    // the count when the editor becomes active), yet before VS Code sends the surfaces' updates.
    if (counted) {
      queueMicrotask(() => {
        if (this.tracked.get(key) === entry && entry.latest?.version === entry.version) this.evaluate(document.uri, entry);
      });
    }
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

  /** Checks two revisions of a folder in the worker, as `prompt-budget check` does, and diffs them (issue 18). */
  async diffSnapshots(base: SnapshotFiles, head: SnapshotFiles, renames: ReadonlyMap<string, string>): Promise<PromptDiff> {
    const reply = await this.request({ kind: 'diffSnapshots', id: 0, base, head, renames: [...renames] });
    if (reply.error || !reply.diff) throw new Error(reply.error ?? 'no diff');
    return reply.diff;
  }

  /** Re-evaluates every tracked document (model, settings or budgets changed). */
  reevaluateAll(): void {
    for (const [key, tracked] of this.tracked) {
      // A count of an older version is on its way out: the newer one is evaluated under the new context when it comes.
      if (tracked.latest?.version === tracked.version) this.evaluate(vscode.Uri.parse(key), tracked);
    }
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
    this.worker.dispose();
    this.tracked.clear();
    this.analyses.clear();
  }

  private onChange(event: vscode.TextDocumentChangeEvent): void {
    const key = event.document.uri.toString();
    const tracked = this.tracked.get(key);
    if (tracked?.document !== event.document) {
      this.track(event.document);
      return;
    }
    if (event.contentChanges.length === 0) return;
    tracked.version = event.document.version;
    this.send({
      kind: 'change',
      uri: key,
      openId: tracked.openId,
      version: event.document.version,
      changes: event.contentChanges.map((change) => ({ offset: change.rangeOffset, deletedLength: change.rangeLength, text: change.text })),
    });
  }

  /** Stops tracking `uri`; given `document`, only when that is the opening tracked (a late close of an earlier one is ignored). */
  private forget(uri: vscode.Uri, document?: vscode.TextDocument): void {
    const key = uri.toString();
    const tracked = this.tracked.get(key);
    if (!tracked || (document && tracked.document !== document)) return;
    this.tracked.delete(key);
    this.analyses.delete(key);
    // Nothing to close in a worker that is not running (it exited, or never started).
    this.worker.postIfRunning({ kind: 'close', uri: key, openId: tracked.openId });
    this.forgotten.fire(uri);
  }

  /** Tracks a document that has become a prompt, forgets one that no longer is. */
  private retrack(document: vscode.TextDocument): void {
    if (document.isClosed) return;
    const tracked = this.tracked.get(document.uri.toString())?.document === document;
    if (tracked && !this.isPromptDocument(document)) this.forget(document.uri);
    else if (!tracked) this.track(document);
  }

  /**
   * Counts here the short prompts still waiting for the worker's first count: in a window that has
   * just started, a prompt open at activation was sent to a worker that has yet to start and load.
   */
  private countWaitingHere(): number {
    let counts = 0;
    for (const [key, tracked] of this.tracked) {
      if (tracked.latest || tracked.version !== tracked.document.version) continue;
      const counted = this.countHere(fileNameOf(tracked.document), tracked.document.getText(), tracked.tokenizer);
      if (!counted) continue;
      tracked.latest = { version: tracked.version, ...counted };
      this.evaluate(vscode.Uri.parse(key), tracked);
      counts++;
    }
    return counts;
  }

  /** The count of a short prompt, made on this thread with a tokenizer loaded here; undefined for the worker to make. */
  private countHere(fileName: string, text: string, tokenizer: TokenizerId): { parsed: ParsedPrompt; count: PromptCount; elapsedMs: number } | undefined {
    const counter = text.length <= HOST_COUNT_MAX_CHARS ? getLoadedTokenCounter(tokenizer) : undefined;
    if (!counter) return undefined;
    const started = performance.now();
    try {
      const { parsed, count } = new LivePromptCount(fileName, text, counter).result();
      return { parsed, count, elapsedMs: performance.now() - started };
    } catch (error) {
      log().error(`Counting ${fileName} in the extension host failed; the count worker counts it`, error);
      return undefined;
    }
  }

  private hasPromptFormat(document: vscode.TextDocument): boolean {
    let decision = this.formatDecisions.get(document);
    if (decision === undefined) {
      decision = detectPromptFormat(document.fileName, chatCandidateText(document)) !== undefined;
      this.formatDecisions.set(document, decision);
    }
    return decision;
  }

  private onWorkerMessage(response: CountResponse): void {
    // A reply nobody waits for any more (its caller was answered when a worker exited).
    if (response.kind === 'reply') return;
    const tracked = this.tracked.get(response.uri);
    // Stale: of an earlier opening of this uri, or a newer edit is on its way and will bring its own result.
    if (!tracked || response.openId !== tracked.openId || response.version !== tracked.version) return;
    if (response.kind === 'failed') {
      log().error(`Counting ${response.uri} failed: ${response.message}`);
      return;
    }
    // Counted before the model changed: the recount with the new tokenizer follows.
    if (!countsAs(tracked.tokenizer, response.count.tokenizer)) return;
    // The same version with the same tokenizer, counted here while the worker was busy: the same figures.
    if (tracked.latest?.version === response.version && tracked.latest.count.tokenizer === response.count.tokenizer) return;
    tracked.latest = { version: response.version, parsed: response.parsed, count: response.count, elapsedMs: response.elapsedMs };
    this.evaluate(vscode.Uri.parse(response.uri), tracked);
  }

  private evaluate(uri: vscode.Uri, tracked: TrackedDocument): void {
    // Kept in `latest`: published under the right budget when the configs are read (reevaluateAll).
    if (!tracked.latest || !this.contexts.readyFor(uri)) return;
    const { version, parsed, count, elapsedMs } = tracked.latest;
    const context = this.contexts.contextFor(uri);
    const resolved = resolvePromptModel(parsed, context);
    const tokenizer = tokenizerFor(resolved);
    if (!countsAs(tokenizer, count.tokenizer)) {
      if (tokenizer !== tracked.tokenizer) {
        tracked.tokenizer = tokenizer;
        this.recountCount++;
        this.send({ kind: 'tokenizer', uri: uri.toString(), openId: tracked.openId, version: tracked.version, tokenizer });
      }
      return;
    }
    const analysis = evaluateCountedPrompt(uri.fsPath || uri.toString(), parsed, resolved, count, context);
    // The editor counts a file once, for its first budget's model; a later budget naming another
    // model is checked on that count (`prompt-budget check` recounts for each budget).
    const { relativePath, budgets } = this.contexts.budgetsFor(uri);
    const budgetFindings = fileBudgetFindings(relativePath, analysis, budgets, context.catalog);
    // Labelled with the version the text was counted on, not the newest one sent.
    const documentAnalysis: DocumentAnalysis = { ...analysis, uri, version, elapsedMs, context, budgetFindings };
    this.analyses.set(uri.toString(), documentAnalysis);
    this.analyzed.fire(documentAnalysis);
  }

  private request(request: Extract<CountRequest, { id: number }>): Promise<Extract<CountResponse, { kind: 'reply' }>> {
    return new Promise((resolve) => {
      this.worker.request(
        (id) => ({ ...request, id }),
        (response) => {
          if (response.kind !== 'reply') return false;
          resolve(response);
          return true;
        },
        (error) => resolve({ kind: 'reply', id: 0, error }),
      );
    });
  }

  private send(request: CountRequest): void {
    this.worker.post(request);
  }
}

/** Where the bundled worker script lives inside the installed extension. */
export function promptWorkerPath(extensionPath: string): string {
  return path.join(extensionPath, 'dist', 'promptWorker.js');
}

/** The text a .json document's chat-ness is decided on, or undefined when it cannot be a chat file. */
function chatCandidateText(document: vscode.TextDocument): string | undefined {
  if (document.languageId !== 'json' || !document.fileName.toLowerCase().endsWith('.json')) return undefined;
  const text = document.getText();
  if (text.length > CHAT_JSON_MAX_CHARS) return undefined;
  // Every chat message has a "role" key: a file without one is not parsed at all. (detectPromptFormat
  // also takes a malformed file with `"role":` for a chat file, so its syntax errors are reported.)
  return text.includes('"role"') ? text : undefined;
}

/** The name a document is parsed under: its file name, or a Markdown or text name for an untitled one. */
function fileNameOf(document: vscode.TextDocument): string {
  return document.uri.scheme === 'untitled' ? untitledFileName(document) : document.fileName;
}

function untitledFileName(document: vscode.TextDocument): string {
  return document.languageId === 'markdown' ? 'untitled.md' : 'untitled.txt';
}
