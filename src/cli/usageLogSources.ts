// Where the CLI's usage logs come from: files on disk, the config's PostgreSQL ledger, agents' homes.
// Shared by `usage`, `check` (quotas) and `diff` (calls per day), so no command imports another.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { type BudgetConfig, regularFileChunks, type OpenUsageFile } from '../core';
import { postgresLedgerLabel, postgresLedgerLines, postgresLedgerUrl } from '../library/postgresLedger';
import type { CliIo } from './cliIo';

/** Streams a file from `offset` with Node's fs; paths are relative to `cwd`. */
export function nodeUsageOpener(cwd: string): OpenUsageFile {
  return (file, offset) => regularFileChunks(resolve(cwd, file), offset);
}

/** The name a postgres:// ledger is read under: its URL without credentials, or the variable that is not set. */
export function ledgerName(source: { url: string } | { unset: string }): string {
  return 'url' in source ? postgresLedgerLabel(source.url) : `env:${source.unset}`;
}

/** Adds the config's PostgreSQL ledger, if it names one, to `files`, read through `open` under its name. */
export function withPostgresLedger(config: BudgetConfig | undefined, files: string[], open: OpenUsageFile, io: CliIo, since: number | undefined): { files: string[]; open: OpenUsageFile } {
  const source = postgresLedgerUrl(config?.usage?.ledger, io.env ?? process.env);
  if (!source) return { files, open };
  const name = ledgerName(source);
  return {
    files: [...files, name],
    open: (file, offset) => {
      if (file !== name) return open(file, offset);
      if ('unset' in source) return failing(new Error(`usage.ledger names the environment variable ${source.unset}, which is not set`));
      return postgresLedgerLines(source.url, { since });
    },
  };
}

async function* failing(error: Error): AsyncIterable<Uint8Array> {
  yield* [];
  throw error;
}

/** The environment agents' data is found by: the io's, else the process's. */
export function agentEnvironment(io: CliIo) {
  return { env: io.env ?? process.env, home: io.home ?? homedir() };
}
