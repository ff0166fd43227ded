// The databases the relay and desk benchmarks run on: a fresh SQLite file each time, and a fresh database on
// the PostgreSQL server at MAILSETTINGS_TEST_DATABASE_URL or one started here with .ci/postgres (stopped at the
// end); and how each engine commits, which the figures depend on most.
import { tmpdir } from 'node:os';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../src/index.js';
import type { Schema } from '../src/store/schema.js';
import { adminQuery, createTestDatabase, startPostgres } from '../test/support/postgres.js';
import { freshSqlite, type TestDatabase } from '../test/support/sqlite-file.js';

export interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  fresh(): Promise<TestDatabase>;
}
interface Engines {
  list: Engine[];
  /** Printed under the tables: where PostgreSQL came from, or why it was skipped. */
  notes: string[];
  close(): Promise<void>;
}

const sqlite: Engine = { name: 'SQLite', fresh: freshSqlite };

/** BENCH_ENGINES=sqlite or =postgres runs one engine only (both when unset). */
export async function databaseEngines(): Promise<Engines> {
  const only = process.env.BENCH_ENGINES?.toLowerCase();
  if (only === 'sqlite') return { list: [sqlite], notes: ['BENCH_ENGINES=sqlite'], close: async () => {} };
  const server = await startPostgres();
  if ('unavailable' in server)
    return { list: [sqlite], notes: [`PostgreSQL skipped: ${server.unavailable}`], close: async () => {} };
  let counter = 0;
  const postgres: Engine = {
    name: 'PostgreSQL',
    fresh: async () => {
      const name = `bench_${process.pid}_${++counter}`;
      const url = await createTestDatabase(server.url, name);
      return { url, drop: () => adminQuery(server.url, `DROP DATABASE ${name} WITH (FORCE)`) };
    },
  };
  const note = process.env.MAILSETTINGS_TEST_DATABASE_URL
    ? 'PostgreSQL: the server at MAILSETTINGS_TEST_DATABASE_URL.'
    : 'PostgreSQL: a server started by this benchmark with .ci/postgres.';
  return { list: only === 'postgres' ? [postgres] : [sqlite, postgres], notes: [note], close: server.stop };
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
