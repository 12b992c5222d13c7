// The workspace's prompt files under their budgets: what `prompt-budget check` computes, kept up to
// date file by file. Each file is judged by the nearest prompt-budget.yaml up (its config folder).
// Reading and counting run in a worker; the extension host keeps one result per file and
// re-aggregates them with the core's evaluateWorkspace, which is cheap. This file schedules the work.
import * as vscode from 'vscode';
import type { WorkspaceFileResult } from '../core/check/checkWorkspace';
import { selectPromptFiles } from '../core/check/checkWorkspace';
import { pathsByConfigFolder } from '../core/config/nearestConfigFolder';
import type { CountRequest, ScanResponse, ScanSettings } from './worker/countProtocol';
import { WorkerClient } from './worker/workerClient';
import { log } from './log';
import type { PromptSettingsResolver } from './promptSettingsResolver';
import { readSettings } from './settings';
import { isSkipped, listFiles, scanFiles, withoutLinkedCopies } from './scanListing';
import { ConfigFolderResults, configFindings, type ConfigFolder, type FolderScan } from './scanResults';
import { relativePath, type FolderBudgets, type WorkspaceBudgets } from './workspaceBudgets';
import { onWorkerStart, workerEnvironment } from './workerStart';

export { configFindings, type ConfigFolder, type FolderScan } from './scanResults';

/** A workspace folder's files, listed once and kept current by its watcher; its config folders share them. */
interface WorkspaceFiles {
  folder: vscode.WorkspaceFolder;
  /** Every file (relative to the workspace folder, `/`-separated). */
  paths: Set<string>;
  listed?: Promise<void>;
  watcher: vscode.FileSystemWatcher;
}

type Progress = vscode.Progress<{ message?: string; increment?: number }>;

/** The progress view of the first scan, where it shows its progress bar. */
export const BUDGETS_VIEW_ID = 'promptBudget.budgets';

// Files per worker request.
const REQUEST_FILES = 500;
const UPDATE_DELAY_MS = 150;
const RESCAN_DELAY_MS = 300;
// While a scan runs, the tree is re-aggregated at most this often.
const AGGREGATE_INTERVAL_MS = 250;
// The scan worker holds tokenizer ranks; it goes away when idle for this long.
const WORKER_IDLE_MS = 60_000;

/**
 * Scans the workspace's prompt files on demand (the first time the budgets view is shown) and
 * keeps per-file results up to date on save, create, rename and delete, and on config changes
 * (a config created or deleted in a subfolder moves files between config folders).
 */
export class WorkspaceScan implements vscode.Disposable {
  private readonly workspaceFiles = new Map<string, WorkspaceFiles>();
  /** Each config folder's results, by its URI. */
  private readonly states = new Map<string, ConfigFolderResults>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly pendingUpdates = new Map<ConfigFolderResults, Set<string>>();
  private readonly idleWaiters: (() => void)[] = [];
  // A worker of its own: a scan of thousands of files must not hold up the live count of the document being typed in.
  private readonly worker: WorkerClient<CountRequest, ScanResponse>;
  private updateTimer: ReturnType<typeof setTimeout> | undefined;
  private rescanTimer: ReturnType<typeof setTimeout> | undefined;
  private aggregateTimer: ReturnType<typeof setTimeout> | undefined;
  private lastAggregateMs = 0;
  /** Bumped when the price data changes: part of each folder's settings key, so every folder is analysed again. */
  private pricesVersion = 0;
  private started: Promise<void> | undefined;
  private disposed = false;
  /** Fires when any folder's results change. */
  readonly onDidChange = this.changed.event;

  constructor(
    workerPath: string,
    private readonly budgets: WorkspaceBudgets,
    private readonly contexts: PromptSettingsResolver,
    private readonly onDidChangePrices: vscode.Event<void>,
  ) {
    this.worker = new WorkerClient({
      path: workerPath,
      name: 'scan worker',
      env: workerEnvironment,
      onStart: onWorkerStart,
      onError: (error) => log().error('Scan worker failed', error),
      idleMs: WORKER_IDLE_MS,
    });
  }

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

  /** Every config folder's state: in workspace order, each workspace folder's own config first, then its nested ones by path. */
  folders(): FolderScan[] {
    return [...this.states.values()].map((state) => state.snapshot());
  }

  /** Lists every folder's files again and re-analyses them all (the view's Refresh). */
  async rescan(): Promise<void> {
    if (!this.started) return this.start();
    await this.budgets.refresh();
    this.syncFolders();
    await this.withProgress((progress) => Promise.all([...this.workspaceFiles.values()].map((files) => this.scanWorkspaceFolder(files, true, progress))));
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of [this.updateTimer, this.rescanTimer, this.aggregateTimer]) clearTimeout(timer);
    for (const files of this.workspaceFiles.values()) files.watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
    this.worker.dispose();
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async firstScan(): Promise<void> {
    // Scanning before the configs are read would count every file twice.
    await this.budgets.whenLoaded();
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((document) => this.fileChanged(document.uri)),
      // A folder added or removed, a config created, deleted or changed, the picked model or the settings changed:
      // files may belong to another config, or count differently.
      this.budgets.onDidChange(() => this.scheduleRescan()),
      this.contexts.onDidChange(() => this.scheduleRescan()),
      // The worker reads the new prices (workerStart told it); every file is priced again.
      this.onDidChangePrices(() => {
        this.pricesVersion++;
        this.scheduleRescan();
      }),
    );
    this.syncFolders();
    await this.withProgress((progress) => Promise.all([...this.workspaceFiles.values()].map((files) => this.scanWorkspaceFolder(files, true, progress))));
  }

  private withProgress<T>(task: (progress: Progress) => Promise<T>): Thenable<T> {
    return vscode.window.withProgress({ location: { viewId: BUDGETS_VIEW_ID }, title: 'Scanning prompt files' }, task);
  }

  /**
   * Follows the budgets' config folders: adds and removes workspace folders (with their watchers)
   * and config folders. Returns the workspace folders whose config folders changed, and those added.
   */
  private syncFolders(): { regrouped: WorkspaceFiles[]; added: WorkspaceFiles[] } {
    const wanted = new Map(this.budgets.all().map((state) => [state.root.toString(), state]));
    const regrouped = new Set<WorkspaceFiles>();
    const added: WorkspaceFiles[] = [];
    const folders = new Map<string, vscode.WorkspaceFolder>();
    for (const state of wanted.values()) folders.set(state.folder.uri.toString(), state.folder);
    for (const [key, files] of [...this.workspaceFiles]) {
      if (folders.has(key)) continue;
      files.watcher.dispose();
      this.workspaceFiles.delete(key);
    }
    for (const [key, folder] of folders) if (!this.workspaceFiles.has(key)) added.push(this.addWorkspaceFolder(folder));
    for (const [key, state] of [...this.states]) {
      if (wanted.has(key)) continue;
      this.newGeneration(state);
      this.states.delete(key);
      const files = this.workspaceFiles.get(state.folder.workspaceFolder.uri.toString());
      if (files) regrouped.add(files);
    }
    for (const [key, budgets] of wanted) {
      if (this.states.has(key)) continue;
      this.states.set(key, new ConfigFolderResults(configFolder(budgets)));
      regrouped.add(this.workspaceFiles.get(budgets.folder.uri.toString())!);
    }
    // Workspace order, each workspace folder's own config first.
    const ordered = [...wanted.keys()].map((key) => [key, this.states.get(key)!] as const);
    this.states.clear();
    for (const [key, state] of ordered) this.states.set(key, state);
    for (const files of added) regrouped.delete(files);
    if (regrouped.size > 0 || added.length > 0) this.changed.fire();
    return { regrouped: [...regrouped], added };
  }

  private addWorkspaceFolder(folder: vscode.WorkspaceFolder): WorkspaceFiles {
    // Every file, not only prompts: a new file may match a budget's glob, and unmatched globs need them all.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**/*'));
    const files: WorkspaceFiles = { folder, paths: new Set(), watcher };
    watcher.onDidCreate((uri) => void this.fileCreated(files, uri));
    watcher.onDidChange((uri) => this.fileChanged(uri));
    watcher.onDidDelete((uri) => this.fileDeleted(files, uri));
    this.workspaceFiles.set(folder.uri.toString(), files);
    return files;
  }

  private statesIn(folder: vscode.WorkspaceFolder): ConfigFolderResults[] {
    return [...this.states.values()].filter((state) => state.folder.workspaceFolder.uri.toString() === folder.uri.toString());
  }

  /** Starts a new generation: results of the older one are dropped, and its scans in the worker stop. */
  private newGeneration(state: ConfigFolderResults): number {
    for (const id of state.scanIds) this.worker.postIfRunning({ kind: 'cancelScan', id });
    state.scanIds.clear();
    return ++state.generation;
  }

  /**
   * Gives each config folder of a workspace folder its files (`list`: lists them again first) and
   * analyses every prompt file of each under its config.
   */
  private async scanWorkspaceFolder(files: WorkspaceFiles, list: boolean, progress?: Progress): Promise<void> {
    const states = this.statesIn(files.folder);
    const generations = states.map((state) => this.newGeneration(state));
    // Counted from the start, so that whenIdle() waits for the listing too.
    for (const state of states) state.pendingRequests++;
    try {
      if (list || !files.listed) {
        files.listed = listFiles(files.folder).then((paths) => {
          files.paths = new Set(paths);
        });
      }
      await files.listed;
    } finally {
      for (const state of states) state.pendingRequests--;
    }
    const current = states.filter((state, index) => generations[index] === state.generation && this.states.get(state.folder.uri.toString()) === state);
    if (current.length === states.length) {
      const groups = pathsByConfigFolder(states.map((state) => state.folder.relativeRoot), [...files.paths]);
      for (const state of states) state.paths = new Set(groups.get(state.folder.relativeRoot));
    }
    // Overtaken by a newer analysis (or the folder was removed): that one, if any, finishes the work.
    if (current.length < states.length) this.releaseIfIdle();
    await Promise.all(current.map((state) => this.analyzeFolder(state, state.generation, progress)));
  }

  /** Analyses every prompt file of a config folder under its current config. */
  private async analyzeFolder(state: ConfigFolderResults, generation: number, progress?: Progress): Promise<void> {
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

  /** The config in force and the folder-wide context, as plain data for the worker. */
  private readSettings(state: ConfigFolderResults): void {
    const config = this.budgets.folderOf(state.folder.uri)?.config;
    const settingsModels = readSettings(state.folder.uri).models;
    // As `prompt-budget check` does: budgets set their own model, expected output and warnAt on top (core resolvePromptSettings).
    const sources = this.contexts.checkSourcesFor(state.folder.uri);
    state.config = config;
    state.settings = { config, settingsModels, sources };
    state.settingsKey = JSON.stringify({ models: settingsModels, sources, prices: this.pricesVersion });
  }

  /** Sends files to the worker in requests of REQUEST_FILES and applies each batch of results as it comes. */
  private async analyze(state: ConfigFolderResults, generation: number, paths: readonly string[], onProgress?: (done: number) => void): Promise<void> {
    let done = 0;
    state.pendingRequests++;
    try {
      const requests: Promise<void>[] = [];
      for (let start = 0; start < paths.length; start += REQUEST_FILES) {
        if (generation !== state.generation) break;
        const files = await scanFiles(state.folder.uri, paths.slice(start, start + REQUEST_FILES));
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

  private request(
    state: ConfigFolderResults,
    files: Awaited<ReturnType<typeof scanFiles>>,
    settings: ScanSettings,
    onResults: (results: WorkspaceFileResult[], missing: readonly string[]) => void,
  ): Promise<void> {
    if (this.disposed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const id = this.worker.request(
        (id) => ({ kind: 'scanFiles', id, files, settings }),
        (response) => {
          if (response.kind === 'scanned') {
            onResults(response.results, response.missing);
            return false;
          }
          state.scanIds.delete(id);
          if (response.error) reject(new Error(response.error));
          else resolve();
          return true;
        },
        (error) => {
          state.scanIds.delete(id);
          reject(new Error(error));
        },
      );
      state.scanIds.add(id);
    });
  }

  private async fileCreated(files: WorkspaceFiles, uri: vscode.Uri): Promise<void> {
    const path = relativePath(files.folder, uri);
    if (isSkipped(path)) return;
    let type: vscode.FileType;
    try {
      type = (await vscode.workspace.fs.stat(uri)).type;
    } catch {
      return;
    }
    // A folder moved or copied in brings its files with it, and no event for each of them.
    const added = type & vscode.FileType.Directory ? await listFiles(files.folder, uri) : [path];
    const groups = pathsByConfigFolder(this.statesIn(files.folder).map((state) => state.folder.relativeRoot), added);
    for (const state of this.statesIn(files.folder)) {
      const paths = groups.get(state.folder.relativeRoot) ?? [];
      if (paths.length === 0) continue;
      const kept = type & vscode.FileType.Directory ? await withoutLinkedCopies(state.folder.uri, state.config, state.paths, paths) : paths;
      for (const file of kept) {
        files.paths.add(state.workspacePath(file));
        state.paths.add(file);
        if (selectPromptFiles(state.config, [file]).length > 0) this.queueUpdate(state, file);
      }
    }
    this.scheduleAggregate();
  }

  private fileChanged(uri: vscode.Uri): void {
    const state = this.stateOf(uri);
    if (!state) return;
    const path = relativePath(state.folder, uri);
    if (state.paths.has(path) && selectPromptFiles(state.config, [path]).length > 0) this.queueUpdate(state, path);
  }

  private fileDeleted(files: WorkspaceFiles, uri: vscode.Uri): void {
    const path = relativePath(files.folder, uri);
    for (const known of [...files.paths]) if (known === path || known.startsWith(`${path}/`)) files.paths.delete(known);
    for (const state of this.statesIn(files.folder)) {
      const root = state.folder.relativeRoot;
      // The deleted file or folder lies in the config folder, or holds it (then every file goes).
      if (root === '' || path.startsWith(`${root}/`)) this.forgetPath(state, root === '' ? path : path.slice(root.length + 1));
      else if (root === path || root.startsWith(`${path}/`)) this.forgetPath(state, '');
    }
    this.scheduleAggregate();
  }

  /**
   * A file gone when the worker read it: a late watcher event or a listing that raced a delete put it back.
   * Its count goes now; the path goes too unless the file is back (deleted and written again), whose
   * create event brings a new count.
   */
  private fileMissing(state: ConfigFolderResults, path: string): void {
    state.results.delete(path);
    vscode.workspace.fs.stat(vscode.Uri.joinPath(state.folder.uri, path)).then(undefined, () => {
      this.forgetPath(state, path);
      this.workspaceFiles.get(state.folder.workspaceFolder.uri.toString())?.paths.delete(state.workspacePath(path));
      this.scheduleAggregate();
    });
  }

  private forgetPath(state: ConfigFolderResults, path: string): void {
    state.forget(path);
    const pending = this.pendingUpdates.get(state);
    for (const known of [...(pending ?? [])]) if (path === '' || known === path || known.startsWith(`${path}/`)) pending!.delete(known);
  }

  /** The config folder whose config governs `uri`. */
  private stateOf(uri: vscode.Uri): ConfigFolderResults | undefined {
    const budgets = this.budgets.folderOf(uri);
    return budgets ? this.states.get(budgets.root.toString()) : undefined;
  }

  // A save fires both the document's and the watcher's event: one analysis for both.
  private queueUpdate(state: ConfigFolderResults, path: string): void {
    let paths = this.pendingUpdates.get(state);
    if (!paths) this.pendingUpdates.set(state, (paths = new Set()));
    paths.add(path);
    clearTimeout(this.updateTimer);
    this.updateTimer = setTimeout(() => this.flushUpdates(), UPDATE_DELAY_MS);
  }

  private flushUpdates(): void {
    this.updateTimer = undefined;
    for (const [state, paths] of this.pendingUpdates) {
      if (!state.settings || paths.size === 0 || this.states.get(state.folder.uri.toString()) !== state) continue;
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
      const { regrouped, added } = this.syncFolders();
      const scans: ((progress: Progress) => Promise<void>)[] = [];
      // Files moved between config folders, or a new workspace folder: every file is judged again.
      for (const files of regrouped) scans.push((progress) => this.scanWorkspaceFolder(files, false, progress));
      for (const files of added) scans.push((progress) => this.scanWorkspaceFolder(files, true, progress));
      const rescanned = new Set([...regrouped, ...added].map((files) => files.folder.uri.toString()));
      for (const state of this.states.values()) {
        if (rescanned.has(state.folder.workspaceFolder.uri.toString())) continue;
        const before = { config: state.config, key: state.settingsKey };
        this.readSettings(state);
        // Problems of a broken config change, the config in force does not: nothing to recount.
        if (before.config === state.config && before.key === state.settingsKey) continue;
        scans.push((progress) => this.analyzeFolder(state, this.newGeneration(state), progress));
      }
      if (scans.length > 0) {
        void this.withProgress((progress) => Promise.all(scans.map((scan) => scan(progress)))).then(undefined, (error: unknown) =>
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

  /** Re-evaluates every config folder's budgets from its per-file results. */
  private aggregate(): void {
    clearTimeout(this.aggregateTimer);
    this.aggregateTimer = undefined;
    if (this.disposed) return;
    const started = performance.now();
    for (const state of this.states.values()) {
      if (!state.settings) continue;
      const check = state.evaluate();
      if (state.pendingRequests === 0 && state.config) this.budgets.setScanProblems(state.folder.uri, configFindings(check, state.config));
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

/** The config folder a budgets state governs, as the scan and its views name it. */
function configFolder(budgets: FolderBudgets): ConfigFolder {
  const relativeRoot = budgets.root.toString() === budgets.folder.uri.toString() ? '' : relativePath(budgets.folder, budgets.root);
  return { uri: budgets.root, name: relativeRoot || budgets.folder.name, workspaceFolder: budgets.folder, relativeRoot };
}
