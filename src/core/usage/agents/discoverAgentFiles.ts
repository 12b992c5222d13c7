// Where the coding agents keep their usage, as each documents it: Claude Code under
// `$CLAUDE_CONFIG_DIR` (comma-separated for several) or else `$XDG_CONFIG_HOME/claude` (~/.config/claude)
// and ~/.claude, each with a `projects/` folder of JSONL session files; Codex CLI under `$CODEX_HOME`
// (comma-separated too) or else ~/.codex, with rollouts in `sessions/YYYY/MM/DD/`; Gemini CLI under
// ~/.gemini/tmp, a `chats/` folder of session files per project. The environment,
// the home folder and the file listing are passed in, so the CLI, the editor and tests share the rules.
import type { AgentId } from './agentIds';

export interface AgentEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  /** The user's home folder. */
  home: string;
}

/** Every file below `dir` (relative, `/` separators); rejects when `dir` is not a readable folder. */
export type ListFilesBelow = (dir: string) => Promise<string[]>;

/** One agent data file to read. */
export interface AgentFile {
  agent: AgentId;
  /** Absolute path. */
  path: string;
  /** The folder it was found in (`…/projects` or `…/sessions`). */
  root: string;
}

/** A folder looked in, and whether it held the agent's data. */
export interface AgentFolder {
  agent: AgentId;
  folder: string;
  /** Which rule named it: an environment variable or the default. */
  from: string;
  found: boolean;
}

export interface DiscoveredAgentFiles {
  files: AgentFile[];
  folders: AgentFolder[];
}

/** The data folders of `agents` (existing or not), by the agents' rules. */
export function agentFolders(agents: readonly AgentId[], environment: AgentEnvironment): Omit<AgentFolder, 'found'>[] {
  const folders: Omit<AgentFolder, 'found'>[] = [];
  const { env, home } = environment;
  for (const agent of agents) {
    if (agent === 'claude-code') {
      const listed = pathList(env.CLAUDE_CONFIG_DIR);
      if (listed.length > 0) for (const dir of listed) folders.push({ agent, folder: joinPath(dir, 'projects'), from: 'CLAUDE_CONFIG_DIR' });
      else {
        const config = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME.trim() : joinPath(home, '.config');
        folders.push({ agent, folder: joinPath(config, 'claude/projects'), from: 'default' });
        folders.push({ agent, folder: joinPath(home, '.claude/projects'), from: 'default' });
      }
    } else if (agent === 'codex') {
      const listed = pathList(env.CODEX_HOME);
      const homes = listed.length > 0 ? listed : [joinPath(home, '.codex')];
      for (const dir of homes) folders.push({ agent, folder: joinPath(dir, 'sessions'), from: listed.length > 0 ? 'CODEX_HOME' : 'default' });
    } else {
      folders.push({ agent, folder: joinPath(home, '.gemini/tmp'), from: 'default' });
    }
  }
  // The same folder named twice (a variable listing it again) is read once.
  const seen = new Set<string>();
  return folders.filter((folder) => {
    const key = `${folder.agent}\u0000${folder.folder.replace(/[\\/]+$/, '')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The JSONL files in the agents' data folders; a folder that is not there is noted, not an error. */
export async function discoverAgentFiles(agents: readonly AgentId[], environment: AgentEnvironment, listFiles: ListFilesBelow): Promise<DiscoveredAgentFiles> {
  const files: AgentFile[] = [];
  const folders: AgentFolder[] = [];
  for (const candidate of agentFolders(agents, environment)) {
    let below: string[];
    try {
      below = await listFiles(candidate.folder);
    } catch {
      folders.push({ ...candidate, found: false });
      continue;
    }
    folders.push({ ...candidate, found: true });
    for (const relative of below) {
      if (!(candidate.agent === 'gemini-cli' ? GEMINI_SESSION : /\.jsonl$/i).test(relative)) continue;
      files.push({ agent: candidate.agent, path: joinPath(candidate.folder, relative), root: candidate.folder });
    }
  }
  return { files, folders };
}

/** Gemini CLI's session files: `<project>/chats/session-….json` (or `.jsonl`). */
const GEMINI_SESSION = /(^|\/)chats\/[^/]+\.jsonl?$/i;

/** `a,b, ,c` as [a, b, c]; empty or unset as []. */
function pathList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Joins with `/`, which Node accepts on every platform. */
export function joinPath(dir: string, relative: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${relative}`;
}
