// Reads several usage logs into one ledger through an injected reader (Node streams in the CLI,
// vscode.workspace.fs in the editor, in-memory chunks in tests).
import { readUsageFile, type UsageFileState } from './readUsageFile';
import { UsageLedger, type UsageLedgerOptions } from './usageLedger';

/** Opens a file as a stream of byte chunks from `offset`; rejects when it cannot be read. */
export type OpenUsageFile = (file: string, offset: number) => AsyncIterable<Uint8Array>;

export interface CollectedUsage {
  ledger: UsageLedger;
  /** Where each file's read stopped, for reading only what is appended later. */
  states: Map<string, UsageFileState>;
  /** Files that could not be opened, with the reason. */
  unreadable: { file: string; message: string }[];
}

/** Reads `files` in order into a new ledger. */
export async function collectUsage(files: readonly string[], open: OpenUsageFile, options: UsageLedgerOptions & { complete?: boolean } = {}): Promise<CollectedUsage> {
  const ledger = new UsageLedger(options);
  const states = new Map<string, UsageFileState>();
  const unreadable: { file: string; message: string }[] = [];
  for (const file of files) {
    try {
      states.set(file, await readUsageFile(file, open(file, 0), ledger, undefined, { complete: options.complete }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      const message = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : `cannot read (${error instanceof Error ? error.message : String(error)})`;
      unreadable.push({ file, message });
      ledger.problem(file, 0, message);
    }
  }
  return { ledger, states, unreadable };
}
