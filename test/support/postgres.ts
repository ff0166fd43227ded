// A PostgreSQL server for tests and benchmarks: the one CI started (MAILSETTINGS_TEST_DATABASE_URL), or one
// started here with .ci/postgres (Debian's packages, loopback only), and databases made and dropped on it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const SCRIPT = join(import.meta.dirname, '../../.ci/postgres');
const run = promisify(execFile);

export type PostgresServer = { url: string; stop(): Promise<void> } | { unavailable: string };

export async function startPostgres(): Promise<PostgresServer> {
  const given = process.env.MAILSETTINGS_TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-pg-'));
  try {
    const { stdout } = await run('bash', [SCRIPT, 'start', dir, String(await freePort())]);
    return {
      url: stdout.trim(),
      stop: async () => {
        await run('bash', [SCRIPT, 'stop', dir]).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const reason = String((error as Error).message).split('\n')[0];
    return {
      unavailable: `PostgreSQL could not be started (${reason}); install it with: sudo bash .ci/postgres install`,
    };
  }
}

/** A server of a test's own, stopped and started again as a routine restart does (clients disconnected). */
export interface RestartablePostgres {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server only this test uses, so stopping it disturbs no other test. */
export async function startOwnPostgres(): Promise<RestartablePostgres | { unavailable: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-pg-own-'));
  const port = String(await freePort());
  const start = async () => (await run('bash', [SCRIPT, 'start', dir, port])).stdout.trim();
  const stop = async () => void (await run('bash', [SCRIPT, 'stop', dir]));
  try {
    const url = await start();
    return {
      url,
      stop,
      start: async () => void (await start()),
      close: async () => {
        await stop().catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    if (process.env.CI) throw error;
    return {
      unavailable: `PostgreSQL could not be started (${String((error as Error).message).split('\n')[0]})`,
    };
  }
}

/** Runs one statement on the server's own database (CREATE DATABASE, DROP DATABASE). */
export async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A database of its own on the server, a copy of `template` (template1, empty, unless told); its URL. */
export async function createTestDatabase(url: string, name: string, template = 'template1'): Promise<string> {
  await adminQuery(url, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const database = new URL(url);
  database.pathname = `/${name}`;
  return database.href;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
