import * as vscode from 'vscode';
import type { Budget, BudgetConfig } from '../core/config/budgetConfig';
import { CONFIG_FILE_NAMES } from '../core/config/findConfigFile';
import { budgetsForFile } from '../core/check/matchBudgets';
import { catalogWithOverrides } from '../core/catalog/catalogWithOverrides';
import { parseConfigSource, readBudgetConfig } from '../core/config/readBudgetConfig';
import { readRegularFile } from '../core/io/readRegularFile';
import type { Problem } from '../core/types';
import { log } from './log';
import { readSettings } from './settings';
import { toDiagnostic } from './problemDiagnostics';

/** One workspace folder's prompt-budget.yaml, as last read. */
export interface FolderBudgets {
  folder: vscode.WorkspaceFolder;
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
}

const CONFIG_GLOB = `{${CONFIG_FILE_NAMES.join(',')}}`;
const REPARSE_DELAY_MS = 250;

/**
 * The owner of each workspace folder's prompt-budget.yaml (multi-root: one per folder): the only
 * reader of it in the editor (unsaved text included), through the core's reader, as the CLI reads it.
 * Keeps the last good config in force, publishes every change (`onDidChange`), and shows the config's
 * problems, the workspace scan's and the usage logs' findings on the file in the one diagnostic collection.
 */
export class WorkspaceBudgets implements vscode.Disposable {
  private readonly folders = new Map<string, FolderBudgets>();
  private readonly watchers = new Map<string, vscode.FileSystemWatcher>();
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
        const folder = this.folderOfConfig(event.document.uri);
        if (folder) this.scheduleRead(folder);
      }),
      // Closed without saving: the file on disk is what is in force again.
      vscode.workspace.onDidCloseTextDocument((document) => {
        const folder = this.folderOfConfig(document.uri);
        if (folder) this.scheduleRead(folder);
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
  setScanProblems(folder: vscode.WorkspaceFolder, problems: readonly Problem[]): void {
    const state = this.folders.get(folder.uri.toString());
    if (!state) return;
    state.scanProblems = [...problems];
    this.showDiagnostics(state);
  }

  /**
   * Shows the quotas' findings from the folder's usage logs on its config file, in the same collection as
   * its other problems. Ignored while the file has errors, like the scan's findings.
   */
  setUsageProblems(folder: vscode.Uri, problems: readonly Problem[]): void {
    const state = this.folders.get(folder.toString());
    if (!state) return;
    state.usageProblems = [...problems];
    this.showDiagnostics(state);
  }

  /** The budgets state of the folder holding `uri`. */
  folderOf(uri: vscode.Uri): FolderBudgets | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }

  /** Every folder's state. */
  all(): FolderBudgets[] {
    return [...this.folders.values()];
  }

  /** The budgets whose globs match a file, first match first. */
  budgetsFor(uri: vscode.Uri): Budget[] {
    const state = this.folderOf(uri);
    if (!state?.config) return [];
    return budgetsForFile(state.config, relativePath(state.folder, uri));
  }

  /** Resolves when every folder's config has been read once, by its latest read (never rejects). */
  async whenLoaded(): Promise<void> {
    // A read overtaken by a newer one settles without applying anything: wait for the newest.
    for (;;) {
      const reads = [...this.folders.values()].map((state) => state.lastRead);
      await Promise.allSettled(reads);
      if ([...this.folders.values()].every((state, index) => state.lastRead === reads[index])) return;
    }
  }

  /** Reads every folder's config again (the "refresh" action). */
  async refresh(): Promise<void> {
    await Promise.all([...this.folders.values()].map((state) => this.read(state.folder)));
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const timer of this.modelChecks.values()) clearTimeout(timer);
    for (const watcher of this.watchers.values()) watcher.dispose();
    for (const disposable of this.disposables) disposable.dispose();
  }

  private addFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    this.folders.set(key, { folder, stale: false, problems: [] });
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, CONFIG_GLOB));
    const reread = () => this.scheduleRead(folder);
    watcher.onDidCreate(reread);
    watcher.onDidChange(reread);
    watcher.onDidDelete(reread);
    this.watchers.set(key, watcher);
    void this.read(folder);
  }

  private removeFolder(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    const state = this.folders.get(key);
    if (state?.configUri) this.diagnostics.delete(state.configUri);
    this.watchers.get(key)?.dispose();
    this.watchers.delete(key);
    this.folders.delete(key);
    this.changed.fire();
  }

  private folderOfConfig(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return undefined;
    const relative = relativePath(folder, uri);
    return CONFIG_FILE_NAMES.includes(relative) ? folder : undefined;
  }

  private scheduleRead(folder: vscode.WorkspaceFolder): void {
    const key = folder.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        void this.read(folder);
      }, REPARSE_DELAY_MS),
    );
  }

  private read(folder: vscode.WorkspaceFolder): Promise<void> {
    const state = this.folders.get(folder.uri.toString());
    if (!state) return Promise.resolve();
    state.lastRead = this.readInto(state, folder).catch((error: unknown) => log().error(`Reading the budget config of ${folder.name} failed`, error));
    return state.lastRead;
  }

  private async readInto(state: FolderBudgets, folder: vscode.WorkspaceFolder): Promise<void> {
    const generation = (state.readGeneration = (state.readGeneration ?? 0) + 1);
    // The first config name that exists wins, as in the CLI (the same core reader); its open editor's text counts over the disk's.
    const read = await readFolderConfig(folder);
    const found = read && { uri: vscode.Uri.joinPath(folder.uri, read.name), parsed: read.parsed, fileLabel: read.file, source: read.source };
    // A newer read started while this one waited on the file system: its result wins.
    if (state.readGeneration !== generation || this.folders.get(folder.uri.toString()) !== state) return;
    if (state.configUri && state.configUri.toString() !== found?.uri.toString()) this.diagnostics.delete(state.configUri);
    // Positions of the last scan's and usage read's findings may not fit the new text; the next ones set them again.
    state.scanProblems = [];
    state.usageProblems = [];
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
    const key = state.folder.uri.toString();
    clearTimeout(this.modelChecks.get(key));
    this.modelChecks.set(
      key,
      setTimeout(() => {
        this.modelChecks.delete(key);
        if (state.readGeneration !== generation || this.folders.get(key) !== state) return;
        state.problems = parseConfigSource(file, source, catalogWithOverrides(readSettings(state.folder.uri).models, undefined)).problems;
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

/** The folder-relative path with `/` separators, as budget globs are written. */
export function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  const base = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
  return uri.path.startsWith(base) ? uri.path.slice(base.length) : uri.path;
}

/**
 * The folder's config as the CLI reads it, unsaved editor text over the disk's, with what it was parsed
 * from (`source`). Model names are not checked here (scheduleModelCheck does that a turn later).
 */
async function readFolderConfig(folder: vscode.WorkspaceFolder) {
  const uriOf = (name: string) => vscode.Uri.joinPath(folder.uri, name);
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
  return read && { ...read, source };
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
