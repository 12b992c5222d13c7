// Reads the coding agents' usage files named by `promptBudget.usage.agents` (outside the workspace,
// so nothing is read until the user lists an agent) and keeps their ledger current: every minute,
// and soon after a session file changes, new files are found and only the bytes appended since the
// last read are read; a file that shrank makes everything be read again. A generation counter drops
// the results of a read that a newer one has overtaken.
import { createReadStream, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { listFilesBelow } from '../cli/listFilesBelow';
import type { AgentId } from '../core/usage/agents/agentIds';
import { agentFileToRead } from '../core/usage/agents/collectAgentUsage';
import { discoverAgentFiles, type AgentEnvironment, type AgentFile, type AgentFolder } from '../core/usage/agents/discoverAgentFiles';
import { readAgentFile, type AgentFileState } from '../core/usage/agents/readAgentFile';
import { UsageLedger } from '../core/usage/usageLedger';
import { log } from './log';
import { SerialReads } from './serialReads';
import { onDidChangeSettings, readSettings } from './settings';

/** The agents' usage as last read. */
export interface AgentUsageSnapshot {
  agents: readonly AgentId[];
  ledger: UsageLedger;
  files: readonly AgentFile[];
  folders: readonly AgentFolder[];
  /** When it was read (the view's "today" and the block's time left are counted from here). */
  at: number;
}

const REFRESH_EVERY_MS = 60_000;
const CHANGE_DELAY_MS = 500;

export class AgentUsage implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AgentUsageSnapshot | undefined>();
  /** Fires after every read, with undefined when no agent is listed. */
  readonly onDidChange = this.changed.event;
  private current: AgentUsageSnapshot | undefined;
  private states = new Map<string, AgentFileState>();
  private generation = 0;
  private readonly reads = new SerialReads(() => this.changeTimer !== undefined);
  private started = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private changeTimer: ReturnType<typeof setTimeout> | undefined;
  private watchers: vscode.Disposable[] = [];
  private watchedFolders = '';
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly environment: () => AgentEnvironment = () => ({ env: process.env, home: homedir() })) {
    this.disposables.push(
      this.changed,
      onDidChangeSettings((event) => {
        if (this.started && event.affectsConfiguration('promptBudget.usage.agents')) void this.reload();
      }),
    );
  }

  get snapshot(): AgentUsageSnapshot | undefined {
    return this.current;
  }

  get isStarted(): boolean {
    return this.started;
  }

  /** Starts reading and the minute timer, once; later calls return the read in progress. */
  start(): Promise<void> {
    if (!this.started) {
      this.started = true;
      this.timer = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
      void this.reload();
    }
    return this.whenIdle();
  }

  /** Resolves when no read is running. */
  whenIdle(): Promise<void> {
    return this.reads.whenIdle();
  }

  /** Reads every file again from the start. */
  reload(): Promise<void> {
    const generation = ++this.generation;
    return this.reads.run(() => this.read(generation, true), readFailed);
  }

  /** Finds new files and reads what was appended to known ones. */
  refresh(): Promise<void> {
    const generation = this.generation;
    return this.reads.run(() => this.read(generation, false), readFailed);
  }

  private async read(generation: number, fromScratch: boolean): Promise<void> {
    if (generation !== this.generation) return;
    const agents = readSettings().usageAgents;
    if (agents.length === 0) {
      this.states = new Map();
      this.current = undefined;
      this.watch([]);
      void vscode.commands.executeCommand('setContext', 'promptBudget.hasAgentUsage', false);
      this.changed.fire(undefined);
      return;
    }
    const environment = this.environment();
    const { files, folders } = await discoverAgentFiles(agents, environment, listFilesBelow);
    if (generation !== this.generation) return;
    let ledger = fromScratch || !this.current || this.current.agents.join() !== agents.join() ? undefined : this.current.ledger;
    // A file that shrank was rewritten: its counted lines cannot be taken back, so all is read again.
    const sizes = await Promise.all(files.map((file) => fs.stat(file.path).then((stat) => stat.size, () => undefined)));
    if (ledger && files.some((file, index) => !this.states.get(file.path)?.document && (this.states.get(file.path)?.offset ?? 0) > (sizes[index] ?? 0))) ledger = undefined;
    // So did a file that went away (Claude Code deletes old sessions): its calls leave the ledger.
    const paths = new Set(files.map((file) => file.path));
    if (ledger && [...this.states.keys()].some((path) => !paths.has(path))) ledger = undefined;
    if (!ledger) {
      ledger = new UsageLedger();
      this.states = new Map();
    }
    for (const [index, file] of files.entries()) {
      const known = this.states.get(file.path);
      if (known && known.offset === sizes[index]) continue;
      // A session document is rewritten as it grows: it is read whole again (its ids count each call once).
      const state = known?.document ? undefined : known;
      const toRead = agentFileToRead(file, environment.home);
      try {
        this.states.set(file.path, await readAgentFile(toRead, createReadStream(file.path, { start: state?.offset ?? 0, highWaterMark: 1 << 20 }), ledger, state, { complete: false }));
      } catch (error) {
        ledger.problem(toRead.name, 0, `cannot read (${error instanceof Error ? error.message : String(error)})`);
      }
      if (generation !== this.generation) return;
    }
    this.watch(folders.filter((folder) => folder.found).map((folder) => folder.folder));
    this.current = { agents, ledger, files, folders, at: Date.now() };
    log().info(`Agents' usage: ${ledger.records} calls from ${files.length} file(s) of ${agents.join(', ')}`);
    void vscode.commands.executeCommand('setContext', 'promptBudget.hasAgentUsage', true);
    this.changed.fire(this.current);
  }

  /** Watches the data folders, so a session's new calls show within a second, not a minute. */
  private watch(folders: string[]): void {
    const key = folders.join('\u0000');
    if (key === this.watchedFolders) return;
    this.watchedFolders = key;
    for (const watcher of this.watchers) watcher.dispose();
    this.watchers = [];
    for (const folder of folders) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(folder), '**/*.jsonl'));
      this.watchers.push(watcher, watcher.onDidChange(() => this.scheduleRefresh()), watcher.onDidCreate(() => this.scheduleRefresh()), watcher.onDidDelete(() => this.scheduleRefresh()));
    }
  }

  private scheduleRefresh(): void {
    if (this.changeTimer) clearTimeout(this.changeTimer);
    this.changeTimer = setTimeout(() => {
      this.changeTimer = undefined;
      void this.refresh();
    }, CHANGE_DELAY_MS);
  }

  dispose(): void {
    this.generation++;
    if (this.timer) clearInterval(this.timer);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    for (const disposable of [...this.watchers, ...this.disposables]) disposable.dispose();
  }
}

function readFailed(error: unknown): void {
  log().error("Reading the agents' usage failed", error);
}
