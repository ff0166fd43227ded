// The databases the relay and desk benchmarks run on: a fresh SQLite file each time, and a fresh database on
// the PostgreSQL server at MAILSETTINGS_TEST_DATABASE_URL or one started here with .ci/postgres (stopped at the
// end); and how each engine commits, which the figures depend on most.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../src/index.js';
import type { Schema } from '../src/store/schema.js';

const run = promisify(execFile);

export interface Fresh {
  url: string;
  drop(): Promise<void>;
}
export interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  fresh(): Promise<Fresh>;
}
interface Engines {
  list: Engine[];
  /** Printed under the tables: where PostgreSQL came from, or why it was skipped. */
  notes: string[];
  close(): Promise<void>;
}

const sqlite: Engine = {
  name: 'SQLite',
  fresh: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsettings-bench-'));
    return {
      url: `file:${join(dir, 'bench.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export async function databaseEngines(): Promise<Engines> {
  const server = await postgresServer();
  if ('unavailable' in server)
    return { list: [sqlite], notes: [`PostgreSQL skipped: ${server.unavailable}`], close: async () => {} };
  let counter = 0;
  const postgres: Engine = {
    name: 'PostgreSQL',
    fresh: async () => {
      const name = `bench_${process.pid}_${++counter}`;
      await adminQuery(server.url, `CREATE DATABASE ${name}`);
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      return { url: url.href, drop: () => adminQuery(server.url, `DROP DATABASE ${name} WITH (FORCE)`) };
    },
  };
  return { list: [sqlite, postgres], notes: [server.note], close: server.stop };
}

type Server = { url: string; note: string; stop(): Promise<void> } | { unavailable: string };

/** The server at MAILSETTINGS_TEST_DATABASE_URL, or one started with .ci/postgres (stopped at the end). */
async function postgresServer(): Promise<Server> {
  const given = process.env.MAILSETTINGS_TEST_DATABASE_URL;
  if (given)
    return {
      url: given,
      note: 'PostgreSQL: the server at MAILSETTINGS_TEST_DATABASE_URL.',
      stop: async () => {},
    };
  const script = fileURLToPath(new URL('../.ci/postgres', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-bench-pg-'));
  try {
    const { stdout } = await run('bash', [script, 'start', dir, String(await freePort())]);
    return {
      url: stdout.trim(),
      note: 'PostgreSQL: a server started by this benchmark with .ci/postgres.',
      stop: async () => {
        await run('bash', [script, 'stop', dir]).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const reason = String((error as Error).message).split('\n')[0];
    return {
      unavailable: `it could not be started (${reason}); install it with: sudo bash .ci/postgres install`,
    };
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** How each engine commits: what the latency and throughput figures depend on most. */
export async function durability(db: Kysely<Schema>, engine: Database['engine']): Promise<string> {
  if (engine === 'sqlite') {
    const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db);
    const level = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(rows[0]?.synchronous)] ?? '?';
    return `SQLite: WAL, synchronous=${level}, file in ${tmpdir()}`;
  }
  const show = async (name: string) =>
    (await sql.raw<Record<string, string>>(`SHOW ${name}`).execute(db)).rows[0]?.[name] ?? '?';
  return `PostgreSQL: fsync=${await show('fsync')}, synchronous_commit=${await show('synchronous_commit')}`;
}
