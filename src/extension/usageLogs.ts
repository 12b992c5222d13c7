// Reads the usage logs named by prompt-budget.yaml's `usage.files` and keeps their ledger current:
// a log that grows is read from the bytes appended since the last read; a log that shrinks, goes
// away or is a whole JSON document makes the folder read again from scratch. A generation counter
// drops the results of a read that a newer one has overtaken.
import { createReadStream, promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import type { BudgetConfig } from '../core/config/budgetConfig';
import { CONFIG_FILE_NAMES, findConfigFile } from '../core/config/findConfigFile';
import { parseBudgetConfig } from '../core/config/parseBudgetConfig';
import type { OpenUsageFile } from '../core/usage/collectUsage';
import { evaluateQuotas } from '../core/usage/evaluateQuotas';
import { readUsageFile, type UsageFileState } from '../core/usage/readUsageFile';
import { UsageLedger } from '../core/usage/usageLedger';
import { usageReport, type UsageReport } from '../core/usage/usageReport';
import type { AgentUsage } from './agentUsage';
import { log } from './log';
import { PostgresLedgerReader } from './postgresLedgerReader';

/** The usage of the workspace folder whose config has a `usage` section. */
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

const REFRESH_DELAY_MS = 300;
/** A PostgreSQL ledger has no file to watch: the calls committed since are read this often. */
const POSTGRES_POLL_MS = 60_000;

export class UsageLogs implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<UsageSnapshot | undefined>();
  /** Fires after every read, with undefined when no folder has a `usage` section. */
  readonly onDidChange = this.changed.event;
  private current: UsageSnapshot | undefined;
  private states = new Map<string, UsageFileState>();
  private generation = 0;
  private watchers: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private pending = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private reading: Promise<void> = Promise.resolve();
  private started = false;
  private readonly postgres = new PostgresLedgerReader();
  private postgresPoll: ReturnType<typeof setInterval> | undefined;

  /** `agents`: the coding agents' usage, which counts toward quotas when the config lists `usage.agents`. */
  constructor(private readonly agents?: AgentUsage) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reload()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.reload()),
    );
    if (agents) {
      this.disposables.push(
        agents.onDidChange(() => {
          if (this.current?.config.usage?.agents?.length) this.publish(this.current);
        }),
      );
    }
  }

  get isStarted(): boolean {
    return this.started;
  }

  get snapshot(): UsageSnapshot | undefined {
    return this.current;
  }

  /** Starts watching and reading, once; later calls return the read in progress. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      const configWatcher = vscode.workspace.createFileSystemWatcher(`**/{${CONFIG_FILE_NAMES.join(',')}}`);
      this.disposables.push(configWatcher, configWatcher.onDidChange(() => this.reload()), configWatcher.onDidCreate(() => this.reload()), configWatcher.onDidDelete(() => this.reload()));
      this.reload();
    }
    return this.whenIdle();
  }

  /** Resolves when no read is running or scheduled. */
  async whenIdle(): Promise<void> {
    for (;;) {
      const reading = this.reading;
      await reading;
      if (reading === this.reading && this.timer === undefined) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Reads every log again from the start. */
  reload(): Promise<void> {
    const generation = ++this.generation;
    this.pending.clear();
    this.reading = this.reading.then(() => this.readAll(generation)).catch((error: unknown) => log().error('Reading usage logs failed', error));
    return this.reading;
  }

  private async readAll(generation: number): Promise<void> {
    const found = await findUsageConfig();
    if (generation !== this.generation) return;
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
    this.states = new Map();
    clearInterval(this.postgresPoll);
    this.postgresPoll = undefined;
    if (!found) {
      this.current = undefined;
      void vscode.commands.executeCommand('setContext', 'promptBudget.hasUsage', false);
      void vscode.commands.executeCommand('setContext', 'promptBudget.usageRead', true);
      this.changed.fire(undefined);
      return;
    }
    const { folder, configUri, config } = found;
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
        watcher.onDidDelete(() => void this.reload()),
      );
    }
    const ordered = [...files.values()].sort((a, b) => a.path.localeCompare(b.path));
    const ledger = new UsageLedger();
    for (const uri of ordered) {
      await this.readFile(uri, ledger, undefined);
      if (generation !== this.generation) return;
    }
    if (PostgresLedgerReader.isNamedBy(config)) {
      await this.postgres.readAll(config, ledger);
      if (generation !== this.generation) return;
      this.postgresPoll = setInterval(() => {
        this.reading = this.reading.then(() => this.readPostgresAppended(generation)).catch((error: unknown) => log().warn(`Reading the PostgreSQL ledger failed: ${error instanceof Error ? error.message : String(error)}`));
      }, POSTGRES_POLL_MS);
    }
    this.publish({ folder, configUri, config, ledger, files: ordered });
    void vscode.commands.executeCommand('setContext', 'promptBudget.hasUsage', true);
    void vscode.commands.executeCommand('setContext', 'promptBudget.usageRead', true);
  }

  private schedule(uri: vscode.Uri): void {
    this.pending.add(uri.toString());
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const uris = [...this.pending].map((text) => vscode.Uri.parse(text));
      this.pending.clear();
      const generation = this.generation;
      this.reading = this.reading.then(() => this.readAppended(uris, generation)).catch((error: unknown) => log().error('Reading appended usage failed', error));
    }, REFRESH_DELAY_MS);
  }

  /** Reads only what was appended to `uris`; anything else (shrunk, rewritten JSON, new file list) reads all again. */
  private async readAppended(uris: vscode.Uri[], generation: number): Promise<void> {
    const snapshot = this.current;
    if (!snapshot || generation !== this.generation) return;
    for (const uri of uris) {
      const state = this.states.get(uri.toString());
      const size = await fileSize(uri);
      if (!state || state.kind === 'json' || size === undefined || size < state.offset) {
        await this.readAll(++this.generation);
        return;
      }
      if (size === state.offset) continue;
      await this.readFile(uri, snapshot.ledger, state);
    }
    if (generation !== this.generation) return;
    this.publish({ ...snapshot, files: snapshot.files });
  }

  /** Reads the calls committed to the PostgreSQL ledger since the last read. */
  private async readPostgresAppended(generation: number): Promise<void> {
    const snapshot = this.current;
    if (!snapshot || generation !== this.generation) return;
    if (await this.postgres.readNew(snapshot.ledger)) this.publish({ ...snapshot, files: snapshot.files });
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

  private publish(base: Omit<UsageSnapshot, 'report' | 'at'>): void {
    const at = Date.now();
    const budgets = base.config.budgets.filter((budget) => budget.usageTags).map((budget) => ({ name: budget.name, usageTags: budget.usageTags ?? [] }));
    const report = usageReport(base.ledger, { by: ['day', 'model'], budgets, quotas: base.config.usage?.quotas ?? [], now: at });
    const listed = base.config.usage?.agents ?? [];
    const agentBuckets = listed.length > 0 ? [...(this.agents?.snapshot?.ledger.buckets.values() ?? [])].filter((bucket) => listed.some((agent) => agent === bucket.agent)) : [];
    if (agentBuckets.length > 0) report.quotas = evaluateQuotas([...base.ledger.buckets.values(), ...agentBuckets], base.config.usage?.quotas ?? [], at);
    this.current = { ...base, report, at };
    log().info(`Usage: ${report.records} records from ${base.files.length} log(s), ${report.problems.length} problem(s)`);
    this.changed.fire(this.current);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    clearInterval(this.postgresPoll);
    this.generation++;
    for (const disposable of [...this.watchers, ...this.disposables]) disposable.dispose();
  }
}

/** The first workspace folder whose config parses and has a `usage` section. */
async function findUsageConfig(): Promise<{ folder: vscode.Uri; configUri: vscode.Uri; config: BudgetConfig } | undefined> {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const found = await findConfigFile((name) => Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, name))));
    if (!found) continue;
    const parsed = parseBudgetConfig(found.name, new TextDecoder().decode(found.found));
    if (parsed.config?.usage) return { folder: folder.uri, configUri: vscode.Uri.joinPath(folder.uri, found.name), config: parsed.config };
  }
  return undefined;
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
