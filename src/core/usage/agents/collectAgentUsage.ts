// Finds the coding agents' data files and reads them into a ledger: the one entry point the CLI and
// the editor share. File names are shown relative to the home folder.
import type { OpenUsageFile } from '../collectUsage';
import { UsageLedger, type UsageLedgerOptions } from '../usageLedger';
import type { AgentId } from './agentIds';
import { homeRelative } from './agentLine';
import { discoverAgentFiles, type AgentEnvironment, type AgentFile, type AgentFolder, type ListFilesBelow } from './discoverAgentFiles';
import { readAgentFile, type AgentFileState, type AgentFileToRead } from './readAgentFile';

export interface CollectedAgentUsage {
  ledger: UsageLedger;
  files: AgentFile[];
  folders: AgentFolder[];
  /** Where each file's read stopped (by absolute path), for reading only what is appended later. */
  states: Map<string, AgentFileState>;
}

/** Reads every data file of `agents` into `ledger` (a new one by default). */
export async function collectAgentUsage(
  agents: readonly AgentId[],
  environment: AgentEnvironment,
  listFiles: ListFilesBelow,
  open: OpenUsageFile,
  options: UsageLedgerOptions & { complete?: boolean; ledger?: UsageLedger } = {},
): Promise<CollectedAgentUsage> {
  const ledger = options.ledger ?? new UsageLedger(options);
  const { files, folders } = await discoverAgentFiles(agents, environment, listFiles);
  const states = new Map<string, AgentFileState>();
  for (const file of files) {
    const toRead = agentFileToRead(file, environment.home);
    try {
      states.set(file.path, await readAgentFile(toRead, open(file.path, 0), ledger, undefined, { complete: options.complete }));
    } catch (error) {
      ledger.problem(toRead.name, 0, `cannot read (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  return { ledger, files, folders, states };
}

/** How a found file is read: its display name, and the session and project its path implies. */
export function agentFileToRead(file: AgentFile, home: string): AgentFileToRead {
  const relative = file.path.slice(file.root.length + 1);
  const parts = relative.split('/');
  const base = parts[parts.length - 1].replace(/\.jsonl$/i, '');
  // Claude Code: projects/<folder path with / as ->/<session id>.jsonl; Codex: sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl;
  // Gemini CLI: tmp/<project hash or name>/chats/session-<time>-<id>.json(l).
  const context =
    file.agent === 'claude-code'
      ? { session: parts.length > 2 ? parts[1] : base, project: parts.length > 1 ? parts[0] : undefined, home }
      : file.agent === 'codex'
        ? { session: base.replace(/^rollout-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-/, ''), home }
        : { session: base, project: parts.length > 2 ? parts[0] : undefined, home };
  return { agent: file.agent, name: homeRelative(file.path, home) ?? file.path, context, document: file.agent === 'gemini-cli' && /\.json$/i.test(file.path) };
}
