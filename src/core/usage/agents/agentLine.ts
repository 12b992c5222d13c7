// What an agent's line reader returns, and what the file's path tells it.
import type { RecognizedUsage } from '../recognizeUsage';
import type { AgentFields } from '../usageLedger';

/** A line's usage, a line that holds none (most lines), a repeated counter, or a line that cannot be used. */
export type AgentLineResult = { usage: RecognizedUsage & AgentFields; note?: string } | { ignored: true } | { repeat: true } | { error: string };

/** What a file's path says when a line does not: the session (file name) and the project folder. */
export interface AgentFileFacts {
  session?: string;
  project?: string;
  /** The home folder, to show working folders as `~/…`. */
  home: string;
}

/** `/home/me/src/app` as `~/src/app`; other folders as they are. */
export function homeRelative(folder: string | undefined, home: string): string | undefined {
  if (folder === undefined) return undefined;
  const base = home.replace(/[\\/]+$/, '');
  if (base !== '' && (folder === base || folder.startsWith(`${base}/`) || folder.startsWith(`${base}\\`))) return `~${folder.slice(base.length).replace(/\\/g, '/')}`;
  return folder;
}
