// One wording for a file that cannot be read, for the CLI, the editor's scan and the config reader.
import type { Problem } from '../types';

/** A one-line reason a file could not be read (Node-style error codes), with no stack trace. */
export function describeReadError(file: string, error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  // A refused read (a FIFO, a device, a file over the cap) says why in its own words.
  const detail = (error as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string') return `${file}: ${detail}`;
  if (code === 'ENOENT') return `${file}: no such file`;
  if (code === 'EISDIR') return `${file}: is a folder`;
  if (code === 'EACCES' || code === 'EPERM') return `${file}: permission denied`;
  if (code === 'ERR_FS_FILE_TOO_LARGE') return `${file}: too large to read`;
  const reason = error instanceof Error ? error.message : String(error ?? '');
  return `${file}: cannot be read${reason ? ` (${reason})` : ''}`;
}

/** The problem reported for a prompt file that could not be read; `shownAs` names it in the message. */
export function readErrorProblem(file: string, error: unknown, shownAs: string = file): Problem {
  return { file, line: 1, column: 1, severity: 'error', rule: 'unreadable', message: describeReadError(shownAs, error) };
}

/** Whether a read failed because the file is gone (deleted after it was listed). */
export function isMissingFile(error: unknown): boolean {
  return (error as { code?: string } | undefined)?.code === 'ENOENT';
}

/** A read the reader refused (it carries a `detail`, as readRegularFile's refusals do), as opposed to a missing file. */
export function isRefusedRead(error: unknown): boolean {
  return typeof (error as { detail?: unknown } | undefined)?.detail === 'string';
}
