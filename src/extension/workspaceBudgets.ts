import { existsSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import * as vscode from 'vscode';
import type { Budget, BudgetConfig } from '../core/config/budgetConfig';
import { CONFIG_FILE_NAMES } from '../core/config/findConfigFile';
import { budgetsForFile } from '../core/check/matchBudgets';
import { SKIPPED_FOLDERS } from '../core/check/checkWorkspace';
import { realFileIn } from '../core/io/realFileIn';
import { uniqueRealFiles } from '../core/io/uniqueRealFiles';
import { catalogWithOverrides } from '../core/catalog/catalogWithOverrides';
import { withCustomTokenizers, CUSTOM_TOKENIZER_RULE } from '../core/tokenize/sources/customTokenizerFiles';
import { editorVocabularySources } from './tokenizerFiles';
import { parseConfigSource, readBudgetConfig } from '../core/config/readBudgetConfig';
import { readRegularFile } from '../core/io/readRegularFile';
import type { Problem } from '../core/types';
import { log } from './log';
import { readSettings } from './settings';
import { toDiagnostic } from './problemDiagnostics';

/**
 * One config's folder, as last read: a workspace folder's own (its root), or a subfolder's with a
 * prompt-budget.yaml of its own, which governs the files below it (the nearest config up, as in the CLI).
 */
export interface FolderBudgets {
  /** The workspace folder the config lies in. */
  folder: vscode.WorkspaceFolder;
  /** The folder the config's globs and paths are relative to: the workspace folder, or a subfolder with its own config. */
  root: vscode.Uri;
  /** The config file in force, if any. */
  configUri?: vscode.Uri;
  /** The last config that parsed without errors; kept while a broken edit is being fixed. */
  config?: BudgetConfig;
  /** True when the file on disk or in the editor has errors and `config` is an older good one. */
  stale: boolean;
  problems: Problem[];
  /** Findings about the config that need the workspace's files (globs that match nothing, monthly cost), from the last scan. */
  scanProblems?: Problem[];
  /** Findings about the config from its usage logs (quotas near or over their limit), from the last read of them. */
  usageProblems?: Problem[];
  /** Counts reads of this folder's config, so an older, slower read never overwrites a newer one. */
  readGeneration?: number;
  /** The latest read of the config, settled when it has been applied (or failed). */
  lastRead?: Promise<void>;
  /** True once a read has been applied (a config found or not). */
  readOnce?: boolean;
}

const CONFIG_GLOB = `**/{${CONFIG_FILE_NAMES.join(',')}}`;
const REPARSE_DELAY_MS = 250;
// Bounds of the search for nested configs: a monorepo has tens of packages, not thousands.
export const MAX_NESTED_CONFIGS = 100;
export const MAX_CONFIG_DEPTH = 8;
const SKIPPED_GLOB = `**/{${SKIPPED_FOLDERS.join(',')}}/**`;
// Created paths are gathered this long, and at most this many of them checked for being a folder.
const CREATED_BATCH_MS = 300;
const MAX_CREATED_CHECKED = 20;

/**
 * The owner of each workspace folder's prompt-budget.yaml (multi-root: one per folder) and of the
 * configs in its subfolders (the nearest one up from a file governs it, as in the CLI): the only
 * reader of them in the editor (unsaved text included), through the core's reader, as the CLI reads them.
 * Keeps the last good config in force, publishes every change (`onDidChange`), and shows the config's
 * problems, the workspace scan's and the usage logs' findings on the file in the one diagnostic collection.
 */
export class WorkspaceBudgets implements vscode.Disposable {
  private readonly folders = new Map<string, FolderBudgets>();
  private readonly watchers = new Map<string, vscode.Disposable[]>();
  /** Each workspace folder's latest search for nested configs. */
  private readonly searches = new Map<string, Promise<void>>();
  private readonly searchGenerations = new Map<string, number>();
  /** Workspace folders whose search for nested configs has finished once. */
  private readonly searched = new Set<string>();
  /** Paths created in each workspace folder in the last moment, checked together for new folders. */
  private readonly createdPaths = new Map<string, { uris: vscode.Uri[]; timer: ReturnType<typeof setTimeout> | undefined }>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly modelChecks = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [];
  private hasConfig: boolean | undefined;
  /** Fires when any folder's config in force, or its problems, change. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly diagnostics: vscode.DiagnosticCollection) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeWorkspaceFolders((event) => {
        for (const folder of event.removed) this.removeFolder(folder);
        for (const folder of event.added) this.addFolder(folder);
      }),
      // Diagnostics follow the editor's unsaved text, so a typo shows while typing.
      vscode.workspace.onDidChangeTextDocument((event) => {
        const state = this.stateOfConfig(event.document.uri);
        if (state) this.scheduleRead(state);
      }),
      // Closed without saving: the file on disk is what is in force again.
      vscode.workspace.onDidCloseTextDocument((document) => {
        const state = this.stateOfConfig(document.uri);
        if (state) this.scheduleRead(state);
      }),
    );
    for (const folder of vscode.workspace.workspaceFolders ?? []) this.addFolder(folder);
    this.disposables.push(this.onDidChange(() => this.updateHasConfigContext()));
    this.updateHasConfigContext();
  }

  /**
   * Shows findings of a workspace scan on the folder's config file, next to its own problems.
   * Ignored while the file has errors: the findings describe the last good version, not the text shown.
   */
  setScanProblems(root: vscode.Uri, problems: readonly Problem[]): void {
    const state = this.folders.get(root.toString());
    if (!state) return;
    state.scanProblems = [...problems];
    this.showDiagnostics(state);
  }

  /**
   * Shows the quotas' findings from the folder's usage logs on its config file, in the same collection as
   * its other problems. Ignored while the file has errors, like the scan's findings.
   */
  setUsageProblems(root: vscode.Uri, problems: readonly Problem[]): void {
    const state = this.folders.get(root.toString());
    if (!state) return;
    state.usageProblems = [...problems];
    this.showDiagnostics(state);
  }

  /**
   * The state of the config governing `uri`: the nearest config folder at or above it, within its
   * workspace folder (the workspace folder's own state when no subfolder between has a config).
   */
  folderOf(uri: vscode.Uri): FolderBudgets | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    let nearest = this.folders.get(folder.uri.toString());
    for (const state of this.folders.values()) {
      if (state.folder !== nearest?.folder || state.root.path.length <= nearest.root.path.length) continue;
      if (uri.path === state.root.path || relativePath({ uri: state.root }, uri) !== uri.path) nearest = state;
    }
    return nearest;
  }

  /**
   * Whether the config governing `uri` is known and read, so a count can be shown under it: the
   * workspace folder's search for nested configs has finished, or (a local file, while it runs) no
   * folder between the file and the config known to govern it holds a config the search would find.
   */
  settledFor(uri: vscode.Uri): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return true;
    const state = this.folderOf(uri);
    if (!state?.readOnce) return false;
    if (this.searched.has(folder.uri.toString())) return true;
    return uri.scheme === 'file' && !configBetween(folder.uri.fsPath, state.root.fsPath, uri.fsPath);
  }

  /** Every config folder's state: each workspace folder's own, then its nested configs' (shallowest first). */
  all(): FolderBudgets[] {
    return [...this.folders.values()].sort((a, b) => a.folder.index - b.folder.index || compareText(a.root.path, b.root.path));
  }

  /** The budgets whose globs match a file, first match first, under the config that governs it. */
  budgetsFor(uri: vscode.Uri): Budget[] {
    const state = this.folderOf(uri);
    if (!state?.config) return [];
    return budgetsForFile(state.config, relativePath({ uri: state.root }, uri));
  }

  /** Resolves when every config has been found and read once, by its latest read (never rejects). */
  async whenLoaded(): Promise<void> {
    // A read overtaken by a newer one settles without applying anything: wait for the newest.
    for (;;) {
      await Promise.allSettled([...this.searches.values()]);
      const reads = [...this.folders.values()].map((state) => state.lastRead);
      await Promise.allSettled(reads);
      if ([...this.folders.values()].every((state, index) => state.lastRead === reads[index])) return;
    }
  }

  /** Looks for nested configs again and reads every config again (the "refresh" action). */
  async refresh(): Promise<void> {
    const folders = new Set(all(this.folders).map((state) => state.folder));
    await Promise.all([...folders].map((folder) => this.search(folder)));
    await Promise.all(all(this.folders).map((state) => this.read(state)));
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const timer of this.modelChecks.values()) clearTimeout(timer);
    for (const batch of this.createdPaths.values()) clearTimeout(batch.timer);
    for (const watchers of this.watchers.values()) for (const watcher of watchers) watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private addFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const state: FolderBudgets = { folder, root: folder.uri, stale: false, problems: [] };
    this.folders.set(key, state);
    // Configs in subfolders too: one created or deleted adds or removes the folder it governs.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, CONFIG_GLOB));
    const reread = (uri: vscode.Uri) => {
      const config = this.stateOfConfig(uri);
      if (config) this.scheduleRead(config);
      else void this.search(folder);
    };
    watcher.onDidCreate(reread);
    watcher.onDidChange(reread);
    // A folder may hold another config name, which is then in force: read again what the search keeps.
    watcher.onDidDelete((uri) =>
      void this.search(folder).then(() => {
        const config = this.stateOfConfig(uri);
        if (config) this.scheduleRead(config);
      }),
    );
    // A deleted folder gets one event, none for the configs in it: one that held a nested config drops it.
    // A created folder may get one event too (a config written into it at once can go unreported): look again.
    const folderEvents = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '**'), false, true, false);
    folderEvents.onDidDelete((uri) => {
      const held = (root: vscode.Uri) => root.path === uri.path || root.path.startsWith(`${uri.path}/`);
      if (all(this.folders).some((nested) => nested.folder === folder && nested !== state && held(nested.root))) void this.search(folder);
    });
    folderEvents.onDidCreate((uri) => this.noteCreated(folder, uri));
    this.watchers.set(key, [watcher, folderEvents]);
    void this.read(state);
    void this.search(folder);
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    for (const state of all(this.folders)) if (state.folder.uri.toString() === key) this.removeState(state);
    for (const watcher of this.watchers.get(key) ?? []) watcher.dispose();
    this.watchers.delete(key);
    this.searches.delete(key);
    this.searched.delete(key);
    this.changed.fire();
  }

  private removeState(state: FolderBudgets): void {
    if (state.configUri) this.diagnostics.delete(state.configUri);
    const key = state.root.toString();
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
    this.folders.delete(key);
  }

  /**
   * Finds the folder's nested configs (with the workspace's search, bounded in number and depth; a
   * linked folder's copy of a config is the same config) and keeps a state for each folder holding one.
   */
  private search(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    const generation = (this.searchGenerations.get(key) ?? 0) + 1;
    this.searchGenerations.set(key, generation);
    const searching = this.searchInto(folder, () => this.searchGenerations.get(key) === generation)
      .catch((error: unknown) => log().error(`Looking for nested budget configs in ${folder.name} failed`, error))
      .finally(() => this.searched.add(key));
    this.searches.set(key, searching);
    return searching;
  }

  private async searchInto(folder: vscode.WorkspaceFolder, isLatest: () => boolean): Promise<void> {
    const key = folder.uri.toString();
    const uris = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, CONFIG_GLOB), SKIPPED_GLOB, 4 * MAX_NESTED_CONFIGS);
    if (!this.folders.has(key)) return;
    const nested = new Set<string>();
    let tooDeep = 0;
    for (const uri of uris) {
      const relative = relativePath(folder, uri);
      const parts = relative.split('/');
      if (parts.length < 2) continue;
      if (parts.length - 1 > MAX_CONFIG_DEPTH) tooDeep++;
      else nested.add(parts.slice(0, -1).join('/'));
    }
    let roots = [...nested].sort(compareText);
    if (folder.uri.scheme === 'file') {
      // A linked folder lists its config again: the real folder's config is the one that governs.
      const kept = new Set(await uniqueRealFiles(roots, realFileIn(folder.uri.fsPath)));
      if (kept.size < roots.length) log().info(`${folder.name}: ${roots.length - kept.size} nested config folder(s) are linked copies of others; their real folder governs.`);
      roots = roots.filter((root) => kept.has(root));
    }
    if (tooDeep > 0) log().warn(`${folder.name}: ${tooDeep} prompt-budget.yaml deeper than ${MAX_CONFIG_DEPTH} folders ignored; the nearest config above governs their files.`);
    if (roots.length > MAX_NESTED_CONFIGS) {
      log().warn(`${folder.name}: ${roots.length} nested prompt-budget.yaml found; the first ${MAX_NESTED_CONFIGS} (by path) govern their folders, the others are ignored.`);
      roots = roots.slice(0, MAX_NESTED_CONFIGS);
    }
    if (uris.length >= 4 * MAX_NESTED_CONFIGS) log().warn(`${folder.name}: the search for nested configs stopped at ${uris.length} files.`);
    // A newer search (a config created or deleted meanwhile) decides.
    if (!isLatest() || !this.folders.has(key)) return;
    const wanted = new Set(roots.map((root) => vscode.Uri.joinPath(folder.uri, root).toString()));
    let changed = false;
    for (const state of all(this.folders)) {
      if (state.folder.uri.toString() !== key || state.root.toString() === key || wanted.has(state.root.toString())) continue;
      this.removeState(state);
      changed = true;
    }
    for (const root of wanted) {
      if (this.folders.has(root)) continue;
      const state: FolderBudgets = { folder, root: vscode.Uri.parse(root), stale: false, problems: [] };
      this.folders.set(root, state);
      void this.read(state);
    }
    if (changed) this.changed.fire();
  }

  /**
   * Collects created paths for a moment, then searches again if one of them is a folder (a bounded
   * number of stats): files created one by one are reported by the config watcher itself.
   */
  private noteCreated(folder: vscode.WorkspaceFolder, uri: vscode.Uri): void {
    const key = folder.uri.toString();
    const relative = relativePath(folder, uri);
    if (relative.split('/').some((part) => SKIPPED_FOLDERS.includes(part))) return;
    const batch = this.createdPaths.get(key) ?? { uris: [], timer: undefined };
    if (batch.uris.length < MAX_CREATED_CHECKED) batch.uris.push(uri);
    clearTimeout(batch.timer);
    batch.timer = setTimeout(() => {
      this.createdPaths.delete(key);
      void Promise.all(batch.uris.map((created) => Promise.resolve(vscode.workspace.fs.stat(created)).then((info) => info.type === vscode.FileType.Directory, () => false))).then(
        (folders) => {
          if (folders.some(Boolean) && this.folders.has(key)) void this.search(folder);
        },
      );
    }, CREATED_BATCH_MS);
    this.createdPaths.set(key, batch);
  }

  /** The state whose config file `uri` is (any of CONFIG_FILE_NAMES in its root). */
  private stateOfConfig(uri: vscode.Uri): FolderBudgets | undefined {
    const name = uri.path.slice(uri.path.lastIndexOf('/') + 1);
    if (!CONFIG_FILE_NAMES.includes(name)) return undefined;
    return this.folders.get(vscode.Uri.joinPath(uri, '..').toString());
  }

  private scheduleRead(state: FolderBudgets): void {
    const key = state.root.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.read(state);
      }, REPARSE_DELAY_MS),
    );
  }

  private read(state: FolderBudgets): Promise<void> {
    state.lastRead = this.readInto(state).catch((error: unknown) => log().error(`Reading the budget config in ${state.root.toString()} failed`, error));
    return state.lastRead;
  }

  private async readInto(state: FolderBudgets): Promise<void> {
    const generation = (state.readGeneration = (state.readGeneration ?? 0) + 1);
    const root = state.root;
    // The first config name that exists wins, as in the CLI (the same core reader); its open editor's text counts over the disk's.
    const read = await readFolderConfig(root);
    const found = read && { uri: vscode.Uri.joinPath(root, read.name), parsed: read.parsed, fileLabel: read.file, source: read.source };
    // A newer read started while this one waited on the file system: its result wins.
    if (state.readGeneration !== generation || this.folders.get(root.toString()) !== state) return;
    if (state.configUri && state.configUri.toString() !== found?.uri.toString()) this.diagnostics.delete(state.configUri);
    // Positions of the last scan's and usage read's findings may not fit the new text; the next ones set them again.
    state.scanProblems = [];
    state.usageProblems = [];
    state.readOnce = true;
    if (!found) {
      Object.assign(state, { configUri: undefined, config: undefined, stale: false, problems: [] });
      this.changed.fire();
      return;
    }
    const { parsed, fileLabel, source } = found;
    state.configUri = found.uri;
    state.problems = parsed.problems;
    if (parsed.config) {
      state.config = parsed.config;
      state.stale = false;
    } else {
      state.stale = state.config !== undefined;
    }
    this.showDiagnostics(state);
    log().info(`${fileLabel}: ${parsed.config ? 'loaded' : 'has errors'} (${parsed.problems.length} problem(s))`);
    this.changed.fire();
    if (source !== undefined) this.scheduleModelCheck(state, generation, fileLabel, source);
  }

  /**
   * Adds the warnings about model names the catalog does not know, in a later turn: the catalog (1,500
   * models) is not built before the config's budgets are in force. Only warnings come of it, so the
   * config in force does not change and nothing is published again.
   */
  private scheduleModelCheck(state: FolderBudgets, generation: number, file: string, source: Uint8Array | string): void {
    const key = state.root.toString();
    clearTimeout(this.modelChecks.get(key));
    this.modelChecks.set(
      key,
      setTimeout(() => {
        this.modelChecks.delete(key);
        if (state.readGeneration !== generation || this.folders.get(key) !== state) return;
        // The parse again, now with the catalog; the custom tokenizer files' findings come from the read, not the text.
        const tokenizerFiles = state.problems.filter((problem) => problem.rule === CUSTOM_TOKENIZER_RULE);
        state.problems = [...parseConfigSource(file, source, catalogWithOverrides(readSettings(state.root).models, undefined)).problems, ...tokenizerFiles];
        this.showDiagnostics(state);
      }, 0),
    );
  }


  private showDiagnostics(state: FolderBudgets): void {
    if (!state.configUri) return;
    const diagnostics = [...state.problems, ...(state.stale ? [] : [...(state.scanProblems ?? []), ...(state.usageProblems ?? [])])].map(toDiagnostic);
    if (state.stale) {
      const notice = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, 0),
        'Prompt Budget keeps the last valid version of this file in force until the errors below are fixed.',
        vscode.DiagnosticSeverity.Information,
      );
      notice.source = 'Prompt Budget';
      diagnostics.unshift(notice);
    }
    this.diagnostics.set(state.configUri, diagnostics);
  }

  private updateHasConfigContext(): void {
    const hasConfig = this.all().some((state) => state.configUri !== undefined);
    if (hasConfig === this.hasConfig) return;
    this.hasConfig = hasConfig;
    // The Prompt Budgets view shows its welcome ("Create Budget Config") while this is false.
    void vscode.commands.executeCommand('setContext', 'promptBudget.hasConfig', hasConfig);
  }
}

/** The folder-relative path with `/` separators, as budget globs are written (the path itself when outside the folder). */
export function relativePath(folder: { readonly uri: vscode.Uri }, uri: vscode.Uri): string {
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}

/** The config folders' states, as a list to change the map while going through it. */
function all(folders: Map<string, FolderBudgets>): FolderBudgets[] {
  return [...folders.values()];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The folder's config as the CLI reads it, unsaved editor text over the disk's, with what it was parsed
 * from (`source`). Model names are not checked here (scheduleModelCheck does that a turn later).
 */
async function readFolderConfig(root: vscode.Uri) {
  const uriOf = (name: string) => vscode.Uri.joinPath(root, name);
  let source: Uint8Array | string | undefined;
  const read = await readBudgetConfig(
    async (name) => {
      const bytes = await readConfigFile(uriOf(name));
      source = openText(uriOf(name)) ?? bytes;
      return source;
    },
    (_, name) => name,
    '',
    () => undefined,
    undefined,
    (name) => vscode.workspace.asRelativePath(uriOf(name)),
  );
  // Custom tokenizer files are read with Node, from the folder on disk, as the CLI reads them.
  const resolved = root.scheme === 'file' ? await withCustomTokenizers(read, root.fsPath, editorVocabularySources()) : read;
  return resolved && { ...resolved, source };
}

/**
 * A local file is read with Node, bounded as the CLI reads it: `vscode.workspace.fs` first asks the
 * window (a round trip that waits while a freshly loaded window starts), and every first count waits
 * for the config. Other schemes go through `vscode.workspace.fs`.
 */
function readConfigFile(uri: vscode.Uri): Promise<Uint8Array> {
  return uri.scheme === 'file' ? readRegularFile(uri.fsPath) : Promise.resolve(vscode.workspace.fs.readFile(uri));
}

/** The unsaved text of the file's editor; a saved one may lag the disk (changed outside), which is then read. */
function openText(uri: vscode.Uri): string | undefined {
  const document = vscode.workspace.textDocuments.find((candidate) => candidate.uri.toString() === uri.toString());
  return document?.isDirty ? document.getText() : undefined;
}

/**
 * Whether a folder between `file` and `governing` (below it) holds a config the nested search would
 * keep (within MAX_CONFIG_DEPTH of `workspaceRoot`, outside SKIPPED_FOLDERS). A few stats on the local
 * disk, made only until that search has finished.
 */
function configBetween(workspaceRoot: string, governing: string, file: string): boolean {
  for (let folder = dirname(file); folder.length > governing.length && folder.startsWith(governing); folder = dirname(folder)) {
    const parts = relative(workspaceRoot, folder).split(sep);
    if (parts.length > MAX_CONFIG_DEPTH || parts.some((part) => SKIPPED_FOLDERS.includes(part))) continue;
    if (CONFIG_FILE_NAMES.some((name) => existsSync(join(folder, name)))) return true;
  }
  return false;
}
