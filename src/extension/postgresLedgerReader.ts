// Reads the PostgreSQL ledger a config names (`usage.ledger: postgres://…` or `env:VARIABLE`) into
// the usage ledger, then only the calls committed since. Only in a trusted workspace: the server is
// the workspace's choice, and the `pg` client would send it the user's PGPASSWORD.
import * as vscode from 'vscode';
import type { BudgetConfig } from '../core/config/budgetConfig';
import { readUsageFile, type UsageFileState } from '../core/usage/readUsageFile';
import type { UsageLedger } from '../core/usage/usageLedger';
import { postgresLedgerLabel, postgresLedgerLines, postgresLedgerUrl } from '../library/postgresLedger';

/** The editor reads this many days of a PostgreSQL ledger: a fleet's table is not read whole. */
export const POSTGRES_LEDGER_DAYS = 90;

export class PostgresLedgerReader {
  private url: string | undefined;
  private name = '';
  private since = 0;
  private lastSeq: string | undefined;
  private state: UsageFileState | undefined;

  /** Whether `config` names a PostgreSQL ledger (set or not). */
  static isNamedBy(config: BudgetConfig): boolean {
    return postgresLedgerUrl(config.usage?.ledger, process.env) !== undefined;
  }

  /** Reads the ledger `config` names into `ledger` from scratch; what stops it is a problem in `ledger`. */
  async readAll(config: BudgetConfig, ledger: UsageLedger): Promise<void> {
    this.url = undefined;
    this.lastSeq = undefined;
    this.state = undefined;
    const source = postgresLedgerUrl(config.usage?.ledger, process.env);
    if (!source) return;
    if ('unset' in source) {
      ledger.problem(`env:${source.unset}`, 0, `usage.ledger names the environment variable ${source.unset}, which is not set in the editor's environment`);
      return;
    }
    this.name = postgresLedgerLabel(source.url);
    if (!vscode.workspace.isTrusted) {
      ledger.problem(this.name, 0, 'not read in an untrusted workspace (the server is named by the workspace): trust the workspace to read it');
      return;
    }
    this.url = source.url;
    try {
      this.since = Date.now() - POSTGRES_LEDGER_DAYS * 86_400_000;
      await this.read(ledger);
    } catch (error) {
      this.url = undefined;
      ledger.problem(this.name, 0, `cannot read (${error instanceof Error ? error.message : String(error)})`);
    }
  }

  /** Reads the calls committed since the last read; false when no ledger is being read. Rejects when the server fails. */
  async readNew(ledger: UsageLedger): Promise<boolean> {
    if (!this.url) return false;
    await this.read(ledger);
    return true;
  }

  private async read(ledger: UsageLedger): Promise<void> {
    const lines = postgresLedgerLines(this.url!, { since: this.since, afterSeq: this.lastSeq, onPage: (seq) => (this.lastSeq = seq) });
    this.state = await readUsageFile(this.name, lines, ledger, this.state, { complete: false });
  }
}
