// The workspace's prompt files under its budgets: what `prompt-budget check` computes, kept up to
// date file by file. Reading and counting run in a worker; the extension host keeps one result per
// file and re-aggregates them with the core's evaluateWorkspace, which is cheap.
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { BudgetConfig } from '../core/config/budgetConfig';
import { evaluateWorkspace, selectPromptFiles, SKIPPED_FOLDERS, type WorkspaceCheck, type WorkspaceFileResult } from '../core/check/checkWorkspace';
import { detectPromptFormat } from '../core/prompts/detectPromptFormat';
import type { Problem } from '../core/types';
import { uniqueRealFiles, type RealFile } from '../core/io/uniqueRealFiles';
import type { CountRequest, ScanFile, ScanResponse, ScanSettings } from './worker/countProtocol';
import { log } from './log';
import type { PromptSettingsResolver } from './promptSettingsResolver';
import { readSettings } from './settings';
import { relativePath, type WorkspaceBudgets } from './workspaceBudgets';
import { postVocabularySources } from './tokenizerFiles';

/** Whether a file can be a prompt by its name (any format, `.json` included): only those are checked for linked copies. */
function mayBePrompt(path: string): boolean {
  return detectPromptFormat(path) !== undefined || path.toLowerCase().endsWith('.json');
}

/** Resolves paths relative to `root` (a local folder) to their real files. */
function realFileIn(root: string): (path: string) => Promise<RealFile | undefined> {
  const realRoot = realpath(root).catch(() => root);
  return async (path) => {
    const real = await realpath(join(root, path));
    return { real, isReal: real === join(await realRoot, path) };
  };
}

/** One workspace folder's prompt files as last evaluated. */
export interface FolderScan {
  folder: vscode.WorkspaceFolder;
  /** The config the results were evaluated under (the last good one). */
  config?: BudgetConfig;
  /** Undefined until the folder's first results arrive. */
  check?: WorkspaceCheck;
  /** Each prompt file's analysis, by path relative to the folder. */
  results: ReadonlyMap<string, WorkspaceFileResult>;
  scanning: boolean;
}

interface FolderState {
  folder: vscode.WorkspaceFolder;
  /** Every file in the folder (relative, `/`-separated): unmatched globs are judged against all of them. */
  paths: Set<string>;
  results: Map<string, WorkspaceFileResult>;
  config?: BudgetConfig;
  settings?: ScanSettings;
  settingsKey?: string;
  check?: WorkspaceCheck;
  /** Bumped by every full analysis; results of an older one are dropped. */
  generation: number;
  /** Steps not yet finished (listing, analyses): the folder is idle at 0. */
  pendingRequests: number;
  /** Scan requests the worker has not finished: cancelled when a newer analysis starts. */
  scanIds: Set<number>;
  listed?: Promise<void>;
}

/** The progress view of the first scan, where it shows its progress bar. */
export const BUDGETS_VIEW_ID = 'promptBudget.budgets';

// Folders that never hold a team's prompts and can be huge; the CLI skips the same ones.
const SKIPPED_GLOB = `**/{${SKIPPED_FOLDERS.join(',')}}/**`;
// Files per worker request: local files go as paths; other schemes are read here and sent as bytes.
const REQUEST_FILES = 500;
const UPDATE_DELAY_MS = 150;
const RESCAN_DELAY_MS = 300;
// While a scan runs, the tree is re-aggregated at most this often.
const AGGREGATE_INTERVAL_MS = 250;
// The scan worker holds tokenizer ranks; it goes away when idle for this long.
const WORKER_IDLE_MS = 60_000;

/**
 * Scans the workspace's prompt files on demand (the first time the budgets view is shown) and
 * keeps per-file results up to date on save, create, rename and delete, and on config changes.
 */
export class WorkspaceScan implements vscode.Disposable {
  private readonly states = new Map<string, FolderState>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly watchers = new Map<string, vscode.FileSystemWatcher>();
  private readonly pendingUpdates = new Map<string, Set<string>>();
  private readonly batchHandlers = new Map<number, (response: ScanResponse) => void>();
  private readonly idleWaiters: (() => void)[] = [];
  private worker: Worker | undefined;
  private workerIdleTimer: ReturnType<typeof setTimeout> | undefined;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private rescanTimer: ReturnType<typeof setTimeout> | undefined;
  private aggregateTimer: ReturnType<typeof setTimeout> | undefined;
  private nextRequestId = 1;
  private lastAggregateMs = 0;
  private started: Promise<void> | undefined;
  private disposed = false;
  /** Fires when any folder's results change. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly workerPath: string,
    private readonly budgets: WorkspaceBudgets,
    private readonly contexts: PromptSettingsResolver,
  ) {}

  /** Starts the first scan (once); later calls return the same promise. */
  start(): Promise<void> {
    this.started ??= this.firstScan();
    return this.started;
  }

  /** Whether the first scan has been asked for. */
  get isStarted(): boolean {
    return this.started !== undefined;
  }

  /** Starts the scan if needed and resolves when no scan or update is in flight. */
  async whenIdle(): Promise<void> {
    await this.start();
    if (this.isIdle() || this.disposed) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** Every folder's state, in workspace order. */
  folders(): FolderScan[] {
    return [...this.states.values()].map((state) => ({
      folder: state.folder,
      config: state.config,
      check: state.check,
      results: state.results,
      scanning: state.pendingRequests > 0,
    }));
  }

  /** Lists every folder's files again and re-analyses them all (the view's Refresh). */
  async rescan(): Promise<void> {
    if (!this.started) return this.start();
    await this.budgets.refresh();
    await this.withProgress((progress) => Promise.all([...this.states.values()].map((state) => this.scanFolder(state, true, progress))));
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of [this.updateTimer, this.rescanTimer, this.aggregateTimer, this.workerIdleTimer]) clearTimeout(timer);
    for (const watcher of this.watchers.values()) watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    // The exit handler ignores a worker that is no longer ours: settle the waiting requests here.
    for (const [id, handler] of [...this.batchHandlers]) handler({ kind: 'scanDone', id, cancelled: true, error: 'Prompt Budget was shut down' });
    this.batchHandlers.clear();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async firstScan(): Promise<void> {
    // Scanning before the configs are read would count every file twice.
    await this.budgets.whenLoaded();
    this.disposables.push(
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) this.removeFolder(folder);
        void this.withProgress((progress) => Promise.all(event.added.map((folder) => this.scanFolder(this.addFolder(folder), true, progress))));
      }),
      vscode.workspace.onDidSaveTextDocument((document) => this.fileChanged(document.uri)),
      // The config in force, the picked model or the settings changed: every file may count differently.
      this.budgets.onDidChange(() => this.scheduleRescan()),
      this.contexts.onDidChange(() => this.scheduleRescan()),
    );
    const states = (vscode.workspace.workspaceFolders ?? []).map((folder) => this.addFolder(folder));
    await this.withProgress((progress) => Promise.all(states.map((state) => this.scanFolder(state, true, progress))));
  }

  private withProgress<T>(task: (progress: vscode.Progress<{ message?: string; increment?: number }>) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: { viewId: BUDGETS_VIEW_ID }, title: 'Scanning prompt files' }, task);
  }

  private addFolder(folder: vscode.WorkspaceFolder): FolderState {
    const key = folder.uri.toString();
    const state: FolderState = { folder, paths: new Set(), results: new Map(), generation: 0, pendingRequests: 0, scanIds: new Set() };
    this.states.set(key, state);
    // Every file, not only prompts: a new file may match a budget's glob, and unmatched globs need them all.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
    watcher.onDidCreate((uri) => void this.fileCreated(state, uri));
    watcher.onDidChange((uri) => this.fileChanged(uri));
    watcher.onDidDelete((uri) => this.fileDeleted(state, uri));
    this.watchers.set(key, watcher);
    return state;
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
    const state = this.states.get(key);
    if (state) this.newGeneration(state);
    this.states.delete(key);
    this.changed.fire();
    this.releaseIfIdle();
  }

  /** Starts a new generation: results of the older one are dropped, and its scans in the worker stop. */
  private newGeneration(state: FolderState): number {
    for (const id of state.scanIds) this.worker?.postMessage({ kind: 'cancelScan', id } satisfies CountRequest);
    state.scanIds.clear();
    return ++state.generation;
  }

  /** Analyses every prompt file of a folder under its current config; `list` finds the files again first. */
  private async scanFolder(state: FolderState, list: boolean, progress?: vscode.Progress<{ message?: string; increment?: number }>): Promise<void> {
    const generation = this.newGeneration(state);
    // Counted from the start, so that whenIdle() waits for the listing too.
    state.pendingRequests++;
    try {
      if (list) state.listed = this.listFiles(state);
      await state.listed;
    } finally {
      state.pendingRequests--;
    }
    if (generation !== state.generation) {
      // Overtaken by a newer analysis (or the folder was removed): that one, if any, finishes the work.
      this.releaseIfIdle();
      return;
    }
    this.readSettings(state);
    const selected = selectPromptFiles(state.config, [...state.paths].sort());
    const keep = new Set(selected);
    for (const path of state.results.keys()) if (!keep.has(path)) state.results.delete(path);
    log().info(`Scanning ${selected.length} prompt file(s) in ${state.folder.name}`);
    const started = performance.now();
    let reported = 0;
    await this.analyze(state, generation, selected, (done) => {
      if (!progress || selected.length === 0) return;
      progress.report({ message: `${done} of ${selected.length} files`, increment: ((done - reported) / selected.length) * 100 / this.states.size });
      reported = done;
    });
    if (generation === state.generation) log().info(`Scanned ${state.folder.name}: ${selected.length} file(s) in ${(performance.now() - started).toFixed(0)} ms`);
  }

  private async listFiles(state: FolderState): Promise<void> {
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(state.folder, '**/*'), SKIPPED_GLOB);
    const paths = uris.map((uri) => relativePath(state.folder, uri));
    // VS Code's search follows links, listing a linked folder's files again: each real file is counted once, as the CLI does.
    state.paths = new Set(state.folder.uri.scheme === 'file' ? await uniqueRealFiles(paths, realFileIn(state.folder.uri.fsPath), mayBePrompt) : paths);
  }

  /** The config in force and the folder-wide context, as plain data for the worker. */
  private readSettings(state: FolderState): void {
    const config = this.budgets.folderOf(state.folder.uri)?.config;
    const settingsModels = readSettings(state.folder.uri).models;
    // As `prompt-budget check` does: budgets set their own model, expected output and warnAt on top (core resolvePromptSettings).
    const sources = this.contexts.checkSourcesFor(state.folder.uri);
    state.config = config;
    state.settings = { config, settingsModels, sources };
    state.settingsKey = JSON.stringify({ models: settingsModels, sources });
  }

  /** Sends files to the worker in requests of REQUEST_FILES and applies each batch of results as it comes. */
  private async analyze(state: FolderState, generation: number, paths: readonly string[], onProgress?: (done: number) => void): Promise<void> {
    let done = 0;
    state.pendingRequests++;
    try {
      const requests: Promise<void>[] = [];
      for (let start = 0; start < paths.length; start += REQUEST_FILES) {
        if (generation !== state.generation) break;
        const files = await this.scanFiles(state.folder, paths.slice(start, start + REQUEST_FILES));
        requests.push(
          this.request(state, files, state.settings!, (results, missing) => {
            done += results.length + missing.length;
            onProgress?.(done);
            if (generation !== state.generation) return;
            for (const path of missing) this.fileMissing(state, path);
            for (const result of results) {
              // Deleted while it was being read: the delete event has removed it already.
              if (state.paths.has(result.relativePath)) state.results.set(result.relativePath, result);
            }
            this.scheduleAggregate();
          }),
        );
      }
      await Promise.all(requests);
    } finally {
      state.pendingRequests--;
      this.aggregate();
    }
  }

  private async scanFiles(folder: vscode.WorkspaceFolder, paths: readonly string[]): Promise<ScanFile[]> {
    if (folder.uri.scheme === 'file') return paths.map((path) => ({ relativePath: path, path: vscode.Uri.joinPath(folder.uri, path).fsPath }));
    // Virtual and remote file systems are only reachable through VS Code; the worker decodes the bytes.
    return Promise.all(
      paths.map(async (path) => {
        try {
          return { relativePath: path, bytes: await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, path)) };
        } catch (error) {
          // No path and no bytes: the worker reports it missing; any other failure is a file that cannot be read.
          if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return { relativePath: path };
          return { relativePath: path, readError: error instanceof vscode.FileSystemError && error.code === 'NoPermissions' ? 'EACCES' : 'EIO' };
        }
      }),
    );
  }

  private request(
    state: FolderState,
    files: ScanFile[],
    settings: ScanSettings,
    onResults: (results: WorkspaceFileResult[], missing: readonly string[]) => void,
  ): Promise<void> {
    if (this.disposed) return Promise.resolve();
    const id = this.nextRequestId++;
    state.scanIds.add(id);
    return new Promise((resolve, reject) => {
      this.batchHandlers.set(id, (response) => {
        if (response.kind === 'scanned') {
          onResults(response.results, response.missing);
          return;
        }
        this.batchHandlers.delete(id);
        state.scanIds.delete(id);
        this.scheduleWorkerExit();
        if (response.error) reject(new Error(response.error));
        else resolve();
      });
      const request: CountRequest = { kind: 'scanFiles', id, files, settings };
      this.ensureWorker().postMessage(request);
    });
  }

  private ensureWorker(): Worker {
    clearTimeout(this.workerIdleTimer);
    if (this.worker) return this.worker;
    // A worker of its own: a scan of thousands of files must not hold up the live count of the document being typed in.
    const worker = new Worker(this.workerPath);
    postVocabularySources(worker);
    worker.on('message', (response: ScanResponse) => this.batchHandlers.get(response.id)?.(response));
    worker.on('error', (error) => log().error('Scan worker failed', error));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const handler of [...this.batchHandlers.values()]) handler({ kind: 'scanDone', id: 0, cancelled: false, error: `scan worker exited (${code})` });
      this.batchHandlers.clear();
    });
    this.worker = worker;
    return worker;
  }

  private scheduleWorkerExit(): void {
    if (this.batchHandlers.size > 0) return;
    clearTimeout(this.workerIdleTimer);
    this.workerIdleTimer = setTimeout(() => {
      if (this.batchHandlers.size > 0 || !this.worker) return;
      const worker = this.worker;
      this.worker = undefined;
      void worker.terminate();
    }, WORKER_IDLE_MS);
  }

  private async fileCreated(state: FolderState, uri: vscode.Uri): Promise<void> {
    const path = relativePath(state.folder, uri);
    if (isSkipped(path)) return;
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return;
    }
    if (type & vscode.FileType.Directory) {
      // A folder moved or copied in brings its files with it, and no event for each of them.
      const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(uri, '**/*'), SKIPPED_GLOB);
      for (const file of await this.withoutLinkedCopies(state, uris.map((file) => relativePath(state.folder, file)))) this.addPath(state, file);
    } else {
      this.addPath(state, path);
    }
    this.scheduleAggregate();
  }

  /** `added` without the files that are linked copies of prompt files listed already (a link to a folder was created). */
  private async withoutLinkedCopies(state: FolderState, added: string[]): Promise<string[]> {
    if (state.folder.uri.scheme !== 'file') return added;
    const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);
    const names = new Set(added.map(nameOf));
    const adding = new Set(added);
    const listed = selectPromptFiles(state.config, [...state.paths]).filter((path) => names.has(nameOf(path)) && !adding.has(path));
    const kept = new Set(await uniqueRealFiles([...listed, ...added], realFileIn(state.folder.uri.fsPath)));
    return added.filter((path) => kept.has(path));
  }

  private addPath(state: FolderState, path: string): void {
    state.paths.add(path);
    if (selectPromptFiles(state.config, [path]).length > 0) this.queueUpdate(state, path);
  }

  private fileChanged(uri: vscode.Uri): void {
    const state = this.stateOf(uri);
    if (!state) return;
    const path = relativePath(state.folder, uri);
    if (state.paths.has(path) && selectPromptFiles(state.config, [path]).length > 0) this.queueUpdate(state, path);
  }

  private fileDeleted(state: FolderState, uri: vscode.Uri): void {
    this.forgetPath(state, relativePath(state.folder, uri));
    this.scheduleAggregate();
  }

  /**
   * A file gone when the worker read it: a late watcher event or a listing that raced a delete put it back.
   * Its count goes now; the path goes too unless the file is back (deleted and written again), whose
   * create event brings a new count.
   */
  private fileMissing(state: FolderState, path: string): void {
    state.results.delete(path);
    vscode.workspace.fs.stat(vscode.Uri.joinPath(state.folder.uri, path)).then(undefined, () => {
      this.forgetPath(state, path);
      this.scheduleAggregate();
    });
  }

  /** Drops a file, or a folder with every file below it (a deleted folder gets one event). */
  private forgetPath(state: FolderState, path: string): void {
    const below = `${path}/`;
    const gone = (known: string) => known === path || known.startsWith(below);
    for (const known of [...state.paths]) if (gone(known)) state.paths.delete(known);
    for (const known of [...state.results.keys()]) if (gone(known)) state.results.delete(known);
    const pending = this.pendingUpdates.get(state.folder.uri.toString());
    for (const known of [...(pending ?? [])]) if (gone(known)) pending!.delete(known);
  }

  private stateOf(uri: vscode.Uri): FolderState | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.states.get(folder.uri.toString()) : undefined;
  }

  // A save fires both the document's and the watcher's event: one analysis for both.
  private queueUpdate(state: FolderState, path: string): void {
    const key = state.folder.uri.toString();
    let paths = this.pendingUpdates.get(key);
    if (!paths) this.pendingUpdates.set(key, (paths = new Set()));
    paths.add(path);
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => this.flushUpdates(), UPDATE_DELAY_MS);
  }

  private flushUpdates(): void {
    this.updateTimer = undefined;
    for (const [key, paths] of this.pendingUpdates) {
      const state = this.states.get(key);
      if (!state?.settings || paths.size === 0) continue;
      void this.analyze(state, state.generation, [...paths]).catch((error: unknown) => log().error('Analysing changed prompt files failed', error));
    }
    this.pendingUpdates.clear();
    // Nothing may have been sent (no folder had work): waiters must not wait for an aggregation that never comes.
    this.releaseIfIdle();
  }

  private scheduleRescan(): void {
    clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      for (const state of this.states.values()) {
        const before = { config: state.config, key: state.settingsKey };
        this.readSettings(state);
        // Problems of a broken config change, the config in force does not: nothing to recount.
        if (before.config === state.config && before.key === state.settingsKey) continue;
        void this.withProgress((progress) => this.scanFolder(state, false, progress)).then(undefined, (error: unknown) =>
          log().error('Re-analysing prompt files failed', error),
        );
      }
      // Often nothing changed, and nothing was started: then the scan is idle now.
      this.releaseIfIdle();
    }, RESCAN_DELAY_MS);
  }

  private scheduleAggregate(): void {
    if (this.aggregateTimer) return;
    // On a huge workspace an aggregation takes tens of milliseconds: space them so they stay a small share of the time.
    this.aggregateTimer = setTimeout(() => this.aggregate(), Math.max(AGGREGATE_INTERVAL_MS, 4 * this.lastAggregateMs));
  }

  /** Re-evaluates every folder's budgets from its per-file results. */
  private aggregate(): void {
    clearTimeout(this.aggregateTimer);
    this.aggregateTimer = undefined;
    if (this.disposed) return;
    const started = performance.now();
    for (const state of this.states.values()) {
      if (!state.settings) continue;
      const files = [...state.results.values()].sort((a, b) => compareText(a.relativePath, b.relativePath));
      state.check = evaluateWorkspace(state.config, files, [...state.paths]);
      if (state.pendingRequests === 0 && state.config) this.budgets.setScanProblems(state.folder, configFindings(state.check, state.config));
    }
    this.lastAggregateMs = performance.now() - started;
    this.changed.fire();
    this.releaseIfIdle();
  }

  /** Resolves whenIdle()'s waiters once nothing is scheduled or in flight; called wherever work ends. */
  private releaseIfIdle(): void {
    if (this.isIdle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private isIdle(): boolean {
    return (
      this.updateTimer === undefined &&
      this.rescanTimer === undefined &&
      this.aggregateTimer === undefined &&
      [...this.states.values()].every((state) => state.pendingRequests === 0)
    );
  }
}

/** Findings that belong on the config file: globs that match nothing, and each budget's monthly cost. */
export function configFindings(check: WorkspaceCheck, config: BudgetConfig): Problem[] {
  return check.problems.filter((problem) => problem.file === config.file && (problem.rule === 'unmatched-glob' || problem.rule === 'budget-monthly-cost'));
}

function isSkipped(path: string): boolean {
  return path.split('/').some((part) => SKIPPED_FOLDERS.includes(part));
}

// Same order on every machine, as the CLI's sorted listing.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
