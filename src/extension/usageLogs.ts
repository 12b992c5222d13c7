// Reads the usage logs named by each workspace folder's `usage.files` and keeps their ledgers current.
// The config comes from the folder's owner (WorkspaceBudgets: unsaved text included), never from a
// read of its own. A log that grows is read from the bytes appended since the last read; a log that
// shrinks, goes away or is a whole JSON document makes every folder read again from scratch. A
// generation counter drops the results of a read that a newer one has overtaken.
import { createReadStream, promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { BudgetConfig } from '../core/config/budgetConfig';
import type { OpenUsageFile } from '../core/usage/collectUsage';
import { evaluateQuotas } from '../core/usage/evaluateQuotas';
import { readUsageFile, type UsageFileState } from '../core/usage/readUsageFile';
import { UsageLedger } from '../core/usage/usageLedger';
import { usageReport, type UsageReport } from '../core/usage/usageReport';
import type { AgentUsage } from './agentUsage';
import { log } from './log';
import { PostgresLedgerReader } from './postgresLedgerReader';
import { SerialReads } from './serialReads';
import type { WorkspaceBudgets } from './workspaceBudgets';

/** What the logs need of the folders' owner: each folder's config in force, and its changes. */
export type FolderConfigs = Pick<WorkspaceBudgets, 'all' | 'whenLoaded' | 'refresh' | 'onDidChange'>;

/** The usage of one workspace folder whose config has a `usage` section. */
export interface UsageSnapshot {
  folder: vscode.Uri;
  configUri: vscode.Uri;
  config: BudgetConfig;
  ledger: UsageLedger;
  /** By day and model: the dashboard's chart and table, and the quotas. */
  report: UsageReport;
  files: vscode.Uri[];
  /** When the quotas were evaluated (their period holds it). */
  at: number;
}

/** What one folder's read keeps between reads. */
interface FolderUsage {
  snapshot: UsageSnapshot;
  /** What the logs were read for: a config edit that leaves it alone re-evaluates without reading again. */
  readKey: string;
  postgres?: PostgresLedgerReader;
}

const REFRESH_DELAY_MS = 300;
/** A PostgreSQL ledger has no file to watch: the calls committed since are read this often. */
const POSTGRES_POLL_MS = 60_000;

export class UsageLogs implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<UsageSnapshot | undefined>();
  /** Fires after every read, with the first folder's usage (undefined when no folder has a `usage` section). */
  readonly onDidChange = this.changed.event;
  private folders = new Map<string, FolderUsage>();
  private states = new Map<string, UsageFileState>();
  /** Which folder (by URI) each read log belongs to. */
  private folderOfFile = new Map<string, string>();
  private generation = 0;
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly reads = new SerialReads(() => this.timer !== undefined);
  private started = false;
  /** Set by the first start or reload: from then on the logs follow the configs. */
  private requested = false;
  private postgresPoll: ReturnType<typeof setInterval> | undefined;

  /**
   * `budgets`: the folders' configs, the only place they are read. `agents`: the coding agents' usage,
   * which counts toward quotas when the config lists `usage.agents`.
   */
  constructor(
    private readonly budgets: FolderConfigs,
    private readonly agents?: AgentUsage,
  ) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.readLogsAgain()),
      // A folder added or removed, a config saved, created, deleted or edited: its owner publishes it.
      budgets.onDidChange(() => {
        if (this.requested) this.configChanged();
      }),
    );
    if (agents) {
      this.disposables.push(
        agents.onDidChange(() => {
          for (const usage of this.folders.values()) if (usage.snapshot.config.usage?.agents?.length) this.publish(usage, usage.snapshot);
        }),
      );
    }
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** The first folder's usage (in workspace order), as the dashboard shows it. */
  get snapshot(): UsageSnapshot | undefined {
    return this.snapshots[0];
  }

  /** Every folder's usage, in workspace order. */
  get snapshots(): UsageSnapshot[] {
    return [...this.folders.values()].map((usage) => usage.snapshot);
  }

  /** Starts following the folders' configs and reading, once; later calls return the read in progress. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.readLogsAgain();
    }
    return this.whenIdle();
  }

  /** Resolves when no read is running or scheduled. */
  whenIdle(): Promise<void> {
    return this.reads.whenIdle();
  }

  /** Reads every folder's config and every log again from the start (the view's refresh). */
  reload(): Promise<void> {
    this.requested = true;
    void this.reads.run(() => this.budgets.refresh(), readFailed);
    return this.readLogsAgain();
  }

  /** Reads every log again from the start, under the configs in force. */
  private readLogsAgain(): Promise<void> {
    this.requested = true;
    const generation = ++this.generation;
    this.pending.clear();
    return this.reads.run(() => this.readAll(generation), readFailed);
  }

  /** A config changed: read again when what the logs were read for changed, else only re-evaluate (quota positions, limits). */
  private configChanged(): void {
    void this.reads.run(async () => {
      await this.budgets.whenLoaded();
      const wanted = usageConfigs(this.budgets);
      const same = wanted.length === this.folders.size && wanted.every((entry) => this.folders.get(entry.folder.toString())?.readKey === entry.readKey);
      if (!same) {
        await this.readAll(++this.generation);
        return;
      }
      for (const entry of wanted) {
        const usage = this.folders.get(entry.folder.toString())!;
        if (usage.snapshot.config !== entry.config || usage.snapshot.configUri.toString() !== entry.configUri.toString()) this.publish(usage, { ...usage.snapshot, config: entry.config, configUri: entry.configUri });
      }
    }, readFailed);
  }

  private async readAll(generation: number): Promise<void> {
    await this.budgets.whenLoaded();
    if (generation !== this.generation) return;
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
    this.states = new Map();
    this.folderOfFile = new Map();
    clearInterval(this.postgresPoll);
    this.postgresPoll = undefined;
    const wanted = usageConfigs(this.budgets);
    const read = new Map<string, FolderUsage>();
    for (const { folder, configUri, config, readKey } of wanted) {
      // The agents' files are read only when the user's setting lists the agents, not because a workspace asks.
      if (config.usage?.agents?.length) void this.agents?.start();
      const files = new Map<string, vscode.Uri>();
      for (const glob of config.usage!.files) {
        for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob.pattern))) files.set(uri.toString(), uri);
        const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, glob.pattern));
        this.watchers.push(
          watcher,
          watcher.onDidChange((uri) => this.schedule(uri)),
          watcher.onDidCreate((uri) => this.schedule(uri)),
          watcher.onDidDelete(() => void this.readLogsAgain()),
        );
      }
      if (generation !== this.generation) return;
      const ordered = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
      const ledger = new UsageLedger();
      for (const uri of ordered) {
        this.folderOfFile.set(uri.toString(), folder.toString());
        await this.readFile(uri, ledger, undefined);
        if (generation !== this.generation) return;
      }
      let postgres: PostgresLedgerReader | undefined;
      if (PostgresLedgerReader.isNamedBy(config)) {
        postgres = new PostgresLedgerReader();
        await postgres.readAll(config, ledger);
        if (generation !== this.generation) return;
      }
      read.set(folder.toString(), { readKey, postgres, snapshot: this.evaluate({ folder, configUri, config, ledger, files: ordered }) });
    }
    this.folders = read;
    if ([...read.values()].some((usage) => usage.postgres)) {
      this.postgresPoll = setInterval(() => {
        void this.reads.run(
          () => this.readPostgresAppended(generation),
          (error) => log().warn(`Reading the PostgreSQL ledger failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      }, POSTGRES_POLL_MS);
    }
    if (read.size === 0) log().info('Usage: no folder has a usage section');
    void vscode.commands.executeCommand('setContext', 'promptBudget.hasUsage', read.size > 0);
    void vscode.commands.executeCommand('setContext', 'promptBudget.usageRead', true);
    this.changed.fire(this.snapshot);
  }

  private schedule(uri: vscode.Uri): void {
    this.pending.add(uri.toString());
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const uris = [...this.pending].map((text) => vscode.Uri.parse(text));
      this.pending.clear();
      const generation = this.generation;
      void this.reads.run(() => this.readAppended(uris, generation), (error) => log().error('Reading appended usage failed', error));
    }, REFRESH_DELAY_MS);
  }

  /** Reads only what was appended to `uris`; anything else (shrunk, rewritten JSON, new file list) reads all again. */
  private async readAppended(uris: vscode.Uri[], generation: number): Promise<void> {
    if (generation !== this.generation) return;
    const touched = new Set<FolderUsage>();
    for (const uri of uris) {
      const state = this.states.get(uri.toString());
      const usage = this.folders.get(this.folderOfFile.get(uri.toString()) ?? '');
      const size = await fileSize(uri);
      if (!state || !usage || state.kind === 'json' || size === undefined || size < state.offset) {
        await this.readAll(++this.generation);
        return;
      }
      if (size === state.offset) continue;
      await this.readFile(uri, usage.snapshot.ledger, state);
      touched.add(usage);
    }
    if (generation !== this.generation) return;
    for (const usage of touched) this.publish(usage, usage.snapshot);
  }

  /** Reads the calls committed to each PostgreSQL ledger since the last read. */
  private async readPostgresAppended(generation: number): Promise<void> {
    for (const usage of this.folders.values()) {
      if (generation !== this.generation) return;
      if (usage.postgres && (await usage.postgres.readNew(usage.snapshot.ledger))) this.publish(usage, usage.snapshot);
    }
  }

  private async readFile(uri: vscode.Uri, ledger: UsageLedger, state: UsageFileState | undefined): Promise<void> {
    const name = vscode.workspace.asRelativePath(uri, false);
    try {
      const next = await readUsageFile(name, openUri(uri)(name, state?.offset ?? 0), ledger, state, { complete: false });
      this.states.set(uri.toString(), next);
    } catch (error) {
      ledger.problem(name, 0, error instanceof Error ? error.message : String(error));
    }
  }

  /** Evaluates a folder's report and quotas again, and tells the surfaces. */
  private publish(usage: FolderUsage, base: Omit<UsageSnapshot, 'report' | 'at'>): void {
    usage.snapshot = this.evaluate(base);
    this.changed.fire(this.snapshot);
  }

  /** A folder's report and quotas as of now, the listed agents' calls counted toward the quotas. */
  private evaluate(base: Omit<UsageSnapshot, 'report' | 'at'>): UsageSnapshot {
    const at = Date.now();
    const budgets = base.config.budgets.filter((budget) => budget.usageTags).map((budget) => ({ name: budget.name, usageTags: budget.usageTags ?? [] }));
    const report = usageReport(base.ledger, { by: ['day', 'model'], budgets, quotas: base.config.usage?.quotas ?? [], now: at });
    const listed = base.config.usage?.agents ?? [];
    const agentBuckets = listed.length > 0 ? [...(this.agents?.snapshot?.ledger.buckets.values() ?? [])].filter((bucket) => listed.some((agent) => agent === bucket.agent)) : [];
    if (agentBuckets.length > 0) report.quotas = evaluateQuotas([...base.ledger.buckets.values(), ...agentBuckets], base.config.usage?.quotas ?? [], at);
    log().info(`Usage of ${vscode.workspace.asRelativePath(base.folder)}: ${report.records} records from ${base.files.length} log(s), ${report.problems.length} problem(s)`);
    return { ...base, report, at };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.postgresPoll);
    this.generation++;
    for (const disposable of [...this.watchers, ...this.disposables]) disposable.dispose();
  }
}

/** Every folder whose config in force has a `usage` section, in workspace order, with what its logs are read for. */
function usageConfigs(budgets: FolderConfigs): { folder: vscode.Uri; configUri: vscode.Uri; config: BudgetConfig; readKey: string }[] {
  const found: { folder: vscode.Uri; configUri: vscode.Uri; config: BudgetConfig; readKey: string }[] = [];
  for (const state of budgets.all()) {
    const config = state.config;
    if (!config?.usage || !state.configUri) continue;
    // Globs and the ledger decide which logs are read; positions, quotas and budgets only how they are judged.
    const readKey = JSON.stringify([state.configUri.toString(), config.usage.files.map((glob) => glob.pattern), config.usage.ledger ?? '']);
    found.push({ folder: state.root, configUri: state.configUri, config, readKey });
  }
  return found;
}

/** Node streams for local files (reading from an offset); whole reads through vscode.workspace.fs elsewhere. */
function openUri(uri: vscode.Uri): OpenUsageFile {
  if (uri.scheme === 'file') return (_name, offset) => createReadStream(uri.fsPath, { start: offset, highWaterMark: 1 << 20 });
  return (_name, offset) =>
    (async function* () {
      const bytes = await vscode.workspace.fs.readFile(uri);
      yield bytes.subarray(offset);
    })();
}

async function fileSize(uri: vscode.Uri): Promise<number | undefined> {
  try {
    if (uri.scheme === 'file') return (await fs.stat(uri.fsPath)).size;
    return (await vscode.workspace.fs.stat(uri)).size;
  } catch {
    return undefined;
  }
}

function readFailed(error: unknown): void {
  log().error('Reading usage logs failed', error);
}
