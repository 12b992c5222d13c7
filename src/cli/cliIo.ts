import type { ProviderFetch } from '../core';

/** What the CLI needs from the outside world; the bin passes Node's, tests pass in-memory fakes. */
export interface CliIo {
  cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Reads a regular file's bytes, at most `maxBytes` (default: the reader's own cap); rejects with a
   * Node-style error (code ENOENT, EISDIR…) or a refusal with a `detail` (a FIFO, a device, over the cap).
   */
  readFile(path: string, maxBytes?: number): Promise<Uint8Array>;
  /** Characters a table line may take: the terminal's width, else 100 (piped output). */
  width?: number;
  /** Every file below `dir`, as paths relative to it with `/` separators (for `check` and `report`). */
  listFiles(dir: string): Promise<string[]>;
  /** Environment: API keys and base URLs for `--count-with-api`, agents' data folders (default: the process's). */
  env?: Readonly<Record<string, string | undefined>>;
  /** HTTP for `--count-with-api`; Node's fetch by default. */
  fetch?: ProviderFetch;
  /** Home folder for finding coding agents' data (default: the process's). */
  home?: string;
}

/** Exit codes: 0 ok, 1 something is over a limit, 2 bad usage, bad config or unreadable input. */
export const EXIT_OK = 0;
export const EXIT_OVER = 1;
export const EXIT_USAGE = 2;

/** A one-line reason a file could not be read: the core's, shared with the editor's scan. */
export { describeReadError } from '../core';
