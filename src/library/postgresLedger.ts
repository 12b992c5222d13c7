// A PostgreSQL ledger, so every instance of an application shares one quota exactly. Each decision
// and each write runs in a transaction holding one advisory lock: it reads the calls committed
// since its last read (in commit order, as every writer holds the same lock) and the reservations
// in flight, decides, and writes. The `pg` package is the application's (an optional peer
// dependency); the connection string comes from the environment, never from the config in clear.
import { GUARD_CALL_TYPE, GUARD_RESERVATION_TYPE, type GuardCallLine, type GuardLedgerLine, type GuardReleaseLine, type GuardReservationLine } from '../core';
import { TaskQueue, type CallLedger, type ReserveDecision } from './callLedger';
import { LedgerState, type LedgerView } from './ledgerState';

/** The part of a pg client the ledger uses. */
interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}
interface PoolClient extends Queryable {
  release(): void;
}
interface Pool extends Queryable {
  connect(): Promise<PoolClient>;
  end(): Promise<void>;
}

// One lock for the ledger's writers: pg_advisory_xact_lock(LOCK_KEY), released at commit.
const LOCK_KEY = 0x70625f6c; // 'pb_l'
const RETRY_MS = 1_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS prompt_budget_calls (
  seq bigserial PRIMARY KEY,
  time timestamptz NOT NULL,
  response_id text,
  provider text NOT NULL,
  model text NOT NULL,
  user_id text,
  tags text[] NOT NULL DEFAULT '{}',
  input_tokens bigint NOT NULL,
  cached_input_tokens bigint NOT NULL,
  cache_write_tokens bigint NOT NULL,
  output_tokens bigint NOT NULL,
  cost double precision,
  cost_source text NOT NULL,
  latency_ms integer,
  reservation text
);
CREATE INDEX IF NOT EXISTS prompt_budget_calls_time ON prompt_budget_calls (time);
CREATE TABLE IF NOT EXISTS prompt_budget_reservations (
  reservation text PRIMARY KEY,
  time timestamptz NOT NULL,
  expires timestamptz NOT NULL,
  provider text NOT NULL,
  model text NOT NULL,
  user_id text,
  tags text[] NOT NULL DEFAULT '{}',
  tokens bigint NOT NULL,
  cost double precision NOT NULL
);`;

export class PostgresLedger implements CallLedger {
  readonly state = new LedgerState();
  private lastSeq: string | undefined;
  private pending: GuardLedgerLine[] = [];
  private readonly queue = new TaskQueue();
  private pool: Pool | undefined;
  private schemaReady = false;
  private retry: NodeJS.Timeout | undefined;

  /** @param since the first read takes calls from here on (epoch ms): quotas need only their current periods. */
  constructor(
    private readonly connectionString: string,
    private readonly onError: (error: Error) => void,
    private readonly since: number = Date.now() - 62 * 86_400_000,
  ) {}

  reserve<T>(decide: (view: LedgerView) => ReserveDecision<T>): Promise<T> {
    return this.queue.run(async () => {
      let decision: ReserveDecision<T> | undefined;
      try {
        await this.transaction(async (client) => {
          decision = decide(this.state.view(Date.now(), this.pending));
          await this.writeLines(client, decision.reservation ? [decision.reservation] : []);
        });
      } catch (error) {
        const made = decision ?? decide(this.state.view(Date.now(), this.pending));
        if (made.reservation && !this.pending.includes(made.reservation)) this.pending.push(made.reservation);
        this.failed(error);
        return made.result;
      }
      return (decision as ReserveDecision<T>).result;
    });
  }

  append(line: GuardCallLine | GuardReleaseLine): Promise<void> {
    return this.queue.run(async () => {
      try {
        await this.transaction((client) => this.writeLines(client, [line]));
      } catch (error) {
        if (!this.pending.includes(line)) this.pending.push(line);
        this.failed(error);
      }
    });
  }

  sync(): Promise<void> {
    return this.queue.run(async () => {
      try {
        await this.transaction((client) => this.writeLines(client, []));
      } catch (error) {
        this.failed(error);
      }
    });
  }

  view(now: number): LedgerView {
    return this.state.view(now, this.pending);
  }

  pendingCount(): number {
    return this.pending.length;
  }

  reset(): void {
    this.state.reset(false);
  }

  close(): Promise<void> {
    clearTimeout(this.retry);
    this.retry = undefined;
    return this.queue.run(async () => {
      if (this.pending.length > 0) {
        try {
          await this.transaction((client) => this.writeLines(client, []));
        } catch (error) {
          this.onError(new Error(`prompt-budget: ${this.pending.length} ledger records could not be written to PostgreSQL: ${message(error)}`, { cause: error }));
        }
      }
      await this.pool?.end();
      this.pool = undefined;
    });
  }

  /** Runs `task` in a transaction holding the ledger's lock, after reading what others committed. */
  private async transaction(task: (client: Queryable) => Promise<void>): Promise<void> {
    const pool = await this.connect();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      await this.readNew(client);
      await task(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async connect(): Promise<Pool> {
    if (!this.pool) {
      let pg: { Pool: new (options: { connectionString: string; max: number }) => Pool };
      try {
        pg = require('pg') as typeof pg;
      } catch {
        throw new Error("a postgres:// ledger needs the 'pg' package: npm install pg");
      }
      this.pool = new pg.Pool({ connectionString: this.connectionString, max: 2 });
    }
    if (!this.schemaReady) {
      // Two instances creating the tables at once would race: the lock orders them.
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
        await client.query(SCHEMA);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
      this.schemaReady = true;
    }
    return this.pool;
  }

  /** Calls committed since the last read (writers hold the lock, so sequence order is commit order) and all reservations. */
  private async readNew(client: Queryable): Promise<void> {
    const calls = await client.query(
      this.lastSeq === undefined
        ? 'SELECT * FROM prompt_budget_calls WHERE time >= $1 ORDER BY seq'
        : 'SELECT * FROM prompt_budget_calls WHERE seq > $1 ORDER BY seq',
      [this.lastSeq ?? new Date(this.since)],
    );
    for (const row of calls.rows) {
      this.state.apply(callLine(row));
      this.lastSeq = String(row.seq);
    }
    if (this.lastSeq === undefined) {
      const { rows } = await client.query('SELECT coalesce(max(seq), 0) AS seq FROM prompt_budget_calls');
      this.lastSeq = String(rows[0].seq);
    }
    const reservations = await client.query('SELECT * FROM prompt_budget_reservations WHERE expires > now()');
    this.state.replaceReservations(reservations.rows.map(reservationLine));
  }

  /** Writes pending lines and `lines`; they are read back like any other on the next read. */
  private async writeLines(client: Queryable, lines: readonly GuardLedgerLine[]): Promise<void> {
    const all = [...this.pending, ...lines];
    for (const line of all) {
      if (line.type === GUARD_CALL_TYPE) {
        await client.query(
          `INSERT INTO prompt_budget_calls (time, response_id, provider, model, user_id, tags, input_tokens, cached_input_tokens, cache_write_tokens, output_tokens, cost, cost_source, latency_ms, reservation)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
          [line.time, line.id ?? null, line.provider, line.model, line.user ?? null, line.tags, line.inputTokens, line.cachedInputTokens, line.cacheWriteTokens, line.outputTokens, line.cost ?? null, line.costSource, line.latencyMs ?? null, line.reservation ?? null],
        );
        if (line.reservation) await client.query('DELETE FROM prompt_budget_reservations WHERE reservation = $1', [line.reservation]);
      } else if (line.type === GUARD_RESERVATION_TYPE) {
        await client.query(
          'INSERT INTO prompt_budget_reservations (reservation, time, expires, provider, model, user_id, tags, tokens, cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (reservation) DO NOTHING',
          [line.reservation, line.time, new Date(line.expires), line.provider, line.model, line.user ?? null, line.tags, line.tokens, line.cost],
        );
      } else {
        await client.query('DELETE FROM prompt_budget_reservations WHERE reservation = $1', [line.reservation]);
      }
    }
    if (all.length === 0) return;
    // Read back inside the transaction: the state follows the table, in sequence order.
    this.pending = [];
    await this.readNew(client);
  }

  private failed(error: unknown): void {
    this.onError(new Error(`prompt-budget: the PostgreSQL ledger could not be written; ${this.pending.length} records are kept in memory and retried: ${message(error)}`, { cause: error }));
    if (!this.retry && this.pending.length > 0) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        if (this.pending.length > 0) void this.sync();
      }, RETRY_MS);
      this.retry.unref();
    }
  }
}

function callLine(row: Record<string, unknown>): GuardCallLine {
  return {
    type: GUARD_CALL_TYPE,
    time: (row.time as Date).toISOString(),
    ...(row.response_id !== null ? { id: String(row.response_id) } : {}),
    provider: String(row.provider),
    model: String(row.model),
    ...(row.user_id !== null ? { user: String(row.user_id) } : {}),
    tags: (row.tags as string[]) ?? [],
    inputTokens: Number(row.input_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    cacheWriteTokens: Number(row.cache_write_tokens),
    outputTokens: Number(row.output_tokens),
    ...(row.cost !== null ? { cost: Number(row.cost) } : {}),
    costSource: row.cost_source === 'record' ? 'record' : row.cost_source === 'none' ? 'none' : 'price-data',
    ...(row.latency_ms !== null ? { latencyMs: Number(row.latency_ms) } : {}),
    ...(row.reservation !== null ? { reservation: String(row.reservation) } : {}),
  };
}

function reservationLine(row: Record<string, unknown>): GuardReservationLine {
  return {
    type: GUARD_RESERVATION_TYPE,
    reservation: String(row.reservation),
    time: (row.time as Date).toISOString(),
    expires: (row.expires as Date).getTime(),
    provider: String(row.provider),
    model: String(row.model),
    ...(row.user_id !== null ? { user: String(row.user_id) } : {}),
    tags: (row.tags as string[]) ?? [],
    tokens: Number(row.tokens),
    cost: Number(row.cost),
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** How long reading a PostgreSQL ledger waits for the server to answer, so a usage read never hangs. */
export const POSTGRES_READ_TIMEOUT_MS = 10_000;

export interface PostgresLedgerReadOptions {
  /** Only calls from this time on (epoch ms). */
  since?: number;
  /** Only calls after this sequence number (what `onPage` reported last). */
  afterSeq?: string;
  pageSize?: number;
  /** Bound on connecting and on each query. */
  timeoutMs?: number;
  /** Told the last sequence number of every page read, to read only newer calls next time. */
  onPage?: (lastSeq: string) => void;
}

/** The calls of a PostgreSQL ledger as JSON Lines, in pages (the usage readers take them like a log file). */
export async function* postgresLedgerLines(connectionString: string, options: PostgresLedgerReadOptions = {}): AsyncIterable<Uint8Array> {
  const timeoutMs = options.timeoutMs ?? POSTGRES_READ_TIMEOUT_MS;
  type ReadClient = Queryable & { connect(): Promise<void>; end(): Promise<void>; on(event: 'error', listener: (error: Error) => void): void };
  let pg: { Client: new (options: { connectionString: string; connectionTimeoutMillis: number; query_timeout: number; application_name: string }) => ReadClient };
  try {
    pg = require('pg') as typeof pg;
  } catch {
    throw new Error("reading a postgres:// ledger needs the 'pg' package: npm install pg");
  }
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: 'prompt-budget usage' });
  // A connection lost between queries is reported by the next query; without a listener it would crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const exists = await client.query("SELECT to_regclass('prompt_budget_calls') IS NOT NULL AS present");
    if (!exists.rows[0].present) return;
    let after = options.afterSeq ?? '0';
    const since = new Date(options.since ?? 0);
    for (;;) {
      const { rows } = await client.query('SELECT * FROM prompt_budget_calls WHERE seq > $1 AND time >= $2 ORDER BY seq LIMIT $3', [after, since, options.pageSize ?? 5_000]);
      if (rows.length === 0) return;
      after = String(rows[rows.length - 1].seq);
      options.onPage?.(after);
      yield Buffer.from(rows.map((row) => `${JSON.stringify(callLine(row))}\n`).join(''), 'utf8');
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The name a PostgreSQL ledger is shown under in usage reports: its URL without user, password or options. */
export function postgresLedgerLabel(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `postgres://${url.host}${url.pathname}`;
  } catch {
    return 'postgres ledger';
  }
}

/**
 * The PostgreSQL ledger `usage.ledger` names (postgres://… as is, or env:VARIABLE holding it), else
 * undefined; `unset` when the variable it names is not set.
 */
export function postgresLedgerUrl(ledger: string | undefined, env: Record<string, string | undefined>): { url: string } | { unset: string } | undefined {
  if (ledger === undefined) return undefined;
  if (/^env:/i.test(ledger)) {
    const value = env[ledger.slice(4)];
    if (value === undefined || value === '') return { unset: ledger.slice(4) };
    return /^postgres(ql)?:\/\//i.test(value) ? { url: value } : undefined;
  }
  return /^postgres(ql)?:\/\//i.test(ledger) ? { url: ledger } : undefined;
}
