// Each workspace folder's prompts against HEAD, through VS Code's git extension: the same core diff
// as `prompt-budget diff`, run in the count worker. HEAD's versions of changed files are read once
// per commit and cached; the diff is recomputed when git reports a new commit or set of changes, or
// a file is saved, never on keystrokes. The folder's file list is made once per commit and config
// and kept current from there: a save or a change git reports looks at those files only.
import * as vscode from 'vscode';
import { CONFIG_FILE_NAMES } from '../core/config/findConfigFile';
import { SKIPPED_FOLDERS } from '../core/check/checkWorkspace';
import type { PromptDiff, PromptFileDiff } from '../core/promptDiff/diffPromptChecks';
import { log } from './log';
import type { SnapshotFiles } from './worker/countProtocol';

/** The parts of the git extension's API (vscode.git, API version 1) used here. */
interface GitChange {
  readonly uri: vscode.Uri;
  readonly originalUri: vscode.Uri;
  readonly renameUri: vscode.Uri | undefined;
  readonly status: number;
}
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: {
    readonly HEAD: { readonly commit?: string } | undefined;
    readonly workingTreeChanges: readonly GitChange[];
    readonly indexChanges: readonly GitChange[];
    readonly untrackedChanges?: readonly GitChange[];
    readonly onDidChange: vscode.Event<void>;
  };
  show(ref: string, path: string): Promise<string>;
  diffWith(ref: string): Promise<GitChange[]>;
}
interface GitApi {
  readonly state: 'uninitialized' | 'initialized';
  readonly onDidChangeState: vscode.Event<'uninitialized' | 'initialized'>;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
  getRepository(uri: vscode.Uri): GitRepository | null;
}
interface GitExtension {
  getAPI(version: 1): GitApi;
}

// Git's status codes in the extension's API.
const INDEX_ADDED = 1;
const INDEX_DELETED = 2;
const INDEX_RENAMED = 3;
const DELETED = 6;
const UNTRACKED = 7;
const INTENT_TO_ADD = 9;
const REFRESH_DELAY_MS = 500;
// A bound on one listing of a folder's files, and on the changed files looked at one by one before listing afresh is cheaper.
const MAX_LISTED_FILES = 200_000;
const MAX_CHANGES_CHECKED_ONE_BY_ONE = 1_000;
const SKIPPED_GLOB = `**/{${SKIPPED_FOLDERS.join(',')}}/**`;

/** A scope's files (paths below it) for one HEAD commit. */
interface FileListing {
  commit: string;
  paths: Promise<Set<string>>;
}

/** Where a diff is taken: a repository's part of a workspace folder (the deeper of the two roots). */
interface DiffScope {
  uri: vscode.Uri;
  name: string;
  repository: GitRepository;
}

export class HeadDiffs implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a diff against HEAD was recomputed, or git opened a repository. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private readonly diffs = new Map<string, PromptDiff>();
  private readonly watched = new Set<string>();
  private readonly baseTexts = new Map<string, Promise<Uint8Array>>();
  private readonly listings = new Map<string, FileListing>();
  private scans = 0;
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, number>();
  private readonly rerun = new Set<string>();
  private generation = 0;
  private baseCommit: string | undefined;
  private api: Promise<GitApi | undefined> | undefined;
  private readyApi: GitApi | undefined;

  /** `diffInWorker` checks both revisions in the count worker (PromptDocuments.diffSnapshots): no tokenizer loads in the extension host. */
  constructor(private readonly diffInWorker: (base: SnapshotFiles, head: SnapshotFiles, renames: ReadonlyMap<string, string>) => Promise<PromptDiff>) {}

  /** The cached change of a prompt file against HEAD; asks for its diff when there is none yet. Never waits. */
  deltaFor(uri: vscode.Uri): PromptFileDiff | undefined {
    if (!this.readyApi) {
      void this.gitApi();
      return undefined;
    }
    const scope = this.scopeOf(uri);
    if (!scope) return undefined;
    const key = scope.uri.toString();
    const cached = this.diffs.get(key);
    if (!cached) {
      this.schedule(scope, 0);
      return undefined;
    }
    const path = relativePath(scope.uri, uri);
    return path === undefined ? undefined : cached.files.find((change) => change.file === path);
  }

  /** The full diff against HEAD (every prompt, budget totals) of the repository holding `uri`: what **Compare with HEAD** shows. */
  async compare(uri: vscode.Uri): Promise<PromptDiff | { error: string }> {
    await this.gitApi();
    const scope = this.scopeOf(uri);
    if (!scope) return { error: 'this folder is not in a git repository that VS Code’s git extension has opened.' };
    return this.compute(scope, false);
  }

  /** How many times a folder's files were listed in full (once per commit and config, and per Compare with HEAD). */
  get fullListings(): number {
    return this.scans;
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const disposable of this.disposables) disposable.dispose();
  }

  private gitApi(): Promise<GitApi | undefined> {
    this.api ??= (async () => {
      const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
      if (!extension) return undefined;
      const api = (extension.isActive ? extension.exports : await extension.activate()).getAPI(1);
      if (api.state !== 'initialized') await new Promise<void>((resolve) => this.disposables.push(api.onDidChangeState((state) => state === 'initialized' && resolve())));
      this.disposables.push(api.onDidOpenRepository(() => this.changed.fire()));
      this.readyApi = api;
      this.changed.fire();
      return api;
    })().catch((error: unknown) => {
      log().warn(`Git extension unavailable: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    });
    return this.api;
  }

  private scopeOf(uri: vscode.Uri): DiffScope | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const repository = this.readyApi?.getRepository(uri);
    if (!folder || !repository) return undefined;
    // A repository inside the folder, or the folder inside a repository: the diff covers the deeper one.
    const root = relativePath(folder.uri, repository.rootUri) !== undefined ? repository.rootUri : folder.uri;
    return { uri: root, name: root.path.split('/').pop() || folder.name, repository };
  }

  private schedule(scope: DiffScope, delay: number): void {
    const key = scope.uri.toString();
    if (this.timers.has(key)) return;
    // One computation at a time per scope; a change meanwhile runs it once more afterwards.
    if (this.running.has(key)) {
      if (delay > 0) this.rerun.add(key);
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.refresh(scope);
      }, delay),
    );
  }

  private async refresh(scope: DiffScope): Promise<void> {
    const key = scope.uri.toString();
    const generation = ++this.generation;
    this.running.set(key, generation);
    try {
      if (!this.watched.has(key)) {
        this.watched.add(key);
        // git's state also changes when this class asks it for a diff: only a new commit or a new set of changes counts, and saves.
        let fingerprint = stateFingerprint(scope.repository);
        this.disposables.push(
          scope.repository.state.onDidChange(() => {
            const now = stateFingerprint(scope.repository);
            if (now === fingerprint) return;
            fingerprint = now;
            this.schedule(scope, REFRESH_DELAY_MS);
          }),
          vscode.workspace.onDidSaveTextDocument((document) => {
            const path = relativePath(scope.uri, document.uri);
            if (path === undefined) return;
            // A config decides which files are prompts and budgets: list afresh. Any other save adds at most its own file.
            if (CONFIG_FILE_NAMES.includes(path.split('/').pop() ?? '')) this.listings.delete(key);
            else void this.listings.get(key)?.paths.then((paths) => !isSkipped(path) && paths.add(path), () => undefined);
            this.schedule(scope, REFRESH_DELAY_MS);
          }),
        );
      }
      const diff = await this.compute(scope, true).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
      if (this.running.get(key) !== generation) return;
      if ('error' in diff) log().warn(`Diff against HEAD of ${scope.name}: ${diff.error}`);
      // A failure is remembered as "no changes" until git or a save says something changed: a render never retries it.
      this.diffs.set(key, 'error' in diff ? noChanges() : diff);
      this.changed.fire();
    } finally {
      if (this.running.get(key) === generation) this.running.delete(key);
      if (this.rerun.delete(key)) this.schedule(scope, REFRESH_DELAY_MS);
    }
  }

  /** Checks HEAD and the saved files with the core; `changedOnly` limits both to the changed files (per-file figures, no budget totals). */
  private async compute(scope: DiffScope, changedOnly: boolean): Promise<PromptDiff | { error: string }> {
    const repository = scope.repository;
    const commit = repository.state.HEAD?.commit;
    if (!commit) return { error: `${scope.name}: the repository has no commit yet.` };
    if (scope.uri.scheme !== 'file') return { error: `${scope.name}: only local folders can be compared with HEAD.` };
    const changes = [...(await repository.diffWith('HEAD')), ...(repository.state.untrackedChanges ?? []), ...repository.state.workingTreeChanges.filter((change) => change.status === UNTRACKED)];
    const inScope = (uri: vscode.Uri) => relativePath(scope.uri, uri);
    const addedAtHead = new Set<string>();
    const goneAtHead = new Set<string>();
    const changedAtBase = new Set<string>();
    const renames = new Map<string, string>();
    for (const change of changes) {
      const original = inScope(change.originalUri);
      const current = inScope(change.renameUri ?? change.uri);
      if (change.status === UNTRACKED || change.status === INDEX_ADDED || change.status === INTENT_TO_ADD) {
        if (current) addedAtHead.add(current);
      } else if (change.status === INDEX_DELETED || change.status === DELETED) {
        if (original) goneAtHead.add(original);
        if (original) changedAtBase.add(original);
      } else if (change.status === INDEX_RENAMED || (original && current && original !== current)) {
        if (original) goneAtHead.add(original);
        if (original) changedAtBase.add(original);
        if (current) addedAtHead.add(current);
        if (original && current) renames.set(original, current);
      } else if (original) {
        changedAtBase.add(original);
      }
    }
    const changedPaths = new Set([...addedAtHead, ...goneAtHead, ...changedAtBase]);
    if (changedOnly && changedPaths.size === 0) return noChanges();
    // Compare with HEAD lists afresh; otherwise the listing of this commit, with the changed files looked at as they are now.
    const fresh = !changedOnly || changedPaths.size > MAX_CHANGES_CHECKED_ONE_BY_ONE;
    const listing = await this.listing(scope, commit, fresh);
    if (!fresh) {
      for (const path of changedPaths) {
        if (!isSkipped(path) && (await isFile(vscode.Uri.joinPath(scope.uri, path)))) listing.add(path);
        else listing.delete(path);
      }
    }
    const headPaths = [...listing].sort();
    const basePaths = new Set([...headPaths.filter((path) => !addedAtHead.has(path)), ...goneAtHead]);
    const listed = (paths: Iterable<string>) => [...paths].filter((path) => !changedOnly || changedPaths.has(path)).sort();
    // The worker reads local files itself; HEAD's versions of changed files go as bytes. Config files are always readable.
    const sourcesOf = async (files: readonly string[], present: ReadonlySet<string>, atHead: boolean): Promise<SnapshotFiles['sources']> => {
      const sources: SnapshotFiles['sources'] = {};
      for (const path of new Set([...files, ...CONFIG_FILE_NAMES.filter((name) => present.has(name))])) {
        const local = { path: vscode.Uri.joinPath(scope.uri, path).fsPath };
        sources[path] = atHead && changedAtBase.has(path) ? await this.baseText(repository, commit, vscode.Uri.joinPath(scope.uri, path)).then((bytes) => ({ bytes }), () => local) : local;
      }
      return sources;
    };
    const headFiles = listed(headPaths);
    const baseFiles = listed(basePaths);
    const folder = scope.uri.scheme === 'file' ? scope.uri.fsPath : undefined;
    const head: SnapshotFiles = { revision: 'working tree', files: headFiles, sources: await sourcesOf(headFiles, new Set(headPaths), false), folder };
    const base: SnapshotFiles = { revision: 'HEAD', files: baseFiles, sources: await sourcesOf(baseFiles, basePaths, true), folder };
    return this.diffInWorker(base, head, renames);
  }

  /** The scope's files at `commit`: the cached list unless `fresh`, or none is cached for that commit. */
  private listing(scope: DiffScope, commit: string, fresh: boolean): Promise<Set<string>> {
    const key = scope.uri.toString();
    const cached = this.listings.get(key);
    if (cached && cached.commit === commit && !fresh) return cached.paths;
    this.scans++;
    const paths = Promise.resolve(vscode.workspace.findFiles(new vscode.RelativePattern(scope.uri, '**/*'), SKIPPED_GLOB, MAX_LISTED_FILES)).then((found) => {
      if (found.length >= MAX_LISTED_FILES) log().warn(`Diff against HEAD of ${scope.name}: ${MAX_LISTED_FILES} files or more; the diff covers the first ${MAX_LISTED_FILES} found.`);
      return new Set(found.flatMap((uri) => relativePath(scope.uri, uri) ?? []));
    });
    this.listings.set(key, { commit, paths });
    // A failed listing is not kept: the next diff lists again.
    paths.then(undefined, () => this.listings.get(key)?.paths === paths && this.listings.delete(key));
    return paths;
  }

  /** A file's text at HEAD, read through the git extension once per commit. */
  private baseText(repository: GitRepository, commit: string, uri: vscode.Uri): Promise<Uint8Array> {
    const key = `${commit}:${uri.toString()}`;
    // Texts of an older HEAD are not needed again.
    if (this.baseCommit !== commit) {
      this.baseTexts.clear();
      this.baseCommit = commit;
    }
    let text = this.baseTexts.get(key);
    if (!text) {
      text = repository.show(commit, uri.fsPath).then(
        (content) => new TextEncoder().encode(content),
        () => Promise.reject(Object.assign(new Error(`${uri.fsPath} is not in HEAD`), { code: 'ENOENT' })),
      );
      this.baseTexts.set(key, text);
    }
    return text;
  }
}

/** A diff with nothing changed. */
function noChanges(): PromptDiff {
  return { base: 'HEAD', head: 'working tree', files: [], budgets: [], problems: [], totals: { tokens: { before: 0, after: 0, delta: 0 }, monthly: null } };
}

/** What the repository's state says has changed: the commit, and each changed file with its status. */
function stateFingerprint(repository: GitRepository): string {
  const { state } = repository;
  const changes = [...state.indexChanges, ...state.workingTreeChanges].map((change) => `${change.status}:${change.uri.toString()}`);
  return `${state.HEAD?.commit ?? ''}\u0000${changes.sort().join('\u0000')}`;
}

/** Whether a path lies in a folder no scan enters (.git, node_modules, …). */
function isSkipped(path: string): boolean {
  return path.split('/').some((segment) => SKIPPED_FOLDERS.includes(segment));
}

/** Whether a file exists (a folder or nothing does not count). */
async function isFile(uri: vscode.Uri): Promise<boolean> {
  try {
    return ((await vscode.workspace.fs.stat(uri)).type & vscode.FileType.File) !== 0;
  } catch {
    return false;
  }
}

/** A path below the folder, `/`-separated; undefined outside it. */
function relativePath(folder: vscode.Uri, uri: vscode.Uri): string | undefined {
  const from = folder.path.endsWith('/') ? folder.path : `${folder.path}/`;
  return uri.scheme === folder.scheme && uri.path.startsWith(from) ? uri.path.slice(from.length) : undefined;
}
