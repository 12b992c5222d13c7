// A real PostgreSQL server for the ledger's tests, started from Debian's postgresql package in a
// temporary data folder (as the postgres user when the tests run as root: the server refuses root).
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const versions = existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort() : [];
const bin = versions.length > 0 ? `/usr/lib/postgresql/${versions[versions.length - 1]}/bin` : undefined;
const asRoot = process.getuid?.() === 0;

/** Why the server cannot be started here, or undefined when it can. */
export const postgresMissing = bin && existsSync(join(bin, 'initdb')) ? undefined : 'PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/initdb): install Debian’s postgresql package to run these tests';

/** Runs a server binary, as the postgres user when we are root. */
function server(command: string, args: string[]) {
  const path = join(bin as string, command);
  return asRoot ? run('runuser', ['-u', 'postgres', '--', path, ...args]) : run(path, args);
}

/** A port nothing listens on (just now). */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
  const { port } = probe.address() as { port: number };
  await new Promise((done) => probe.close(done));
  return port;
}

export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres, trusted without a password. */
  url: string;
  stop(): Promise<void>;
}

/** Starts a server in a new temporary data folder; stop() removes it. */
export async function startPostgres(): Promise<PostgresServer> {
  const folder = mkdtempSync(join(tmpdir(), 'pb-postgres-'));
  if (asRoot) chownSync(folder, Number((await run('id', ['-u', 'postgres'])).stdout), Number((await run('id', ['-g', 'postgres'])).stdout));
  const port = await freePort();
  await server('initdb', ['-D', join(folder, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  await server('pg_ctl', ['-D', join(folder, 'data'), '-l', join(folder, 'server.log'), '-w', '-o', `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      if (existsSync(join(folder, 'data', 'postmaster.pid'))) await server('pg_ctl', ['-D', join(folder, 'data'), '-m', 'immediate', 'stop']).catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
