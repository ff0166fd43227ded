// The two database engines the store runs on, for tests that must pass on both: a fresh SQLite file, and a
// fresh database on the run's PostgreSQL server (skipped with a one-line reason only outside CI).
import { inject } from 'vitest';
import { adminQuery, createTestDatabase } from './postgres.js';
import { type PostgresPool, postgresPool } from './postgres-pool.js';
import { freshSqlite, type TestDatabase } from './sqlite-file.js';

export type { TestDatabase };

export interface TestEngine {
  name: 'sqlite' | 'postgres';
  /** Why this engine is skipped here, when it is. */
  skip?: string;
  /** A database of its own, as the bot leaves it after its first start: every migration done, no rows. */
  fresh(): Promise<TestDatabase>;
  /** A database of its own with nothing in it, for the tests of the migrations themselves. */
  empty(): Promise<TestDatabase>;
}

let counter = 0;
let warned = false;
/** This worker's databases made from the run's template, used again test after test. */
let pool: PostgresPool | undefined;

/** A fresh SQLite file as the bot leaves it after its first start: every migration done, no rows. */
export const migratedSqlite = () => freshSqlite(inject('sqliteTemplate'));

export function testEngines(): TestEngine[] {
  const server = inject('postgres');
  if ('unavailable' in server && !warned) {
    warned = true;
    console.warn(`skipping the PostgreSQL tests: ${server.unavailable}`);
  }
  const empty = async (): Promise<TestDatabase> => {
    if (!('url' in server)) throw new Error('no PostgreSQL server');
    const name = `test_${process.pid}_${++counter}_${Date.now() % 100_000}`;
    const url = await createTestDatabase(server.url, name);
    return { url, drop: () => adminQuery(server.url, `DROP DATABASE ${name} WITH (FORCE)`) };
  };
  return [
    { name: 'sqlite', fresh: migratedSqlite, empty: () => freshSqlite() },
    {
      name: 'postgres',
      ...('unavailable' in server ? { skip: server.unavailable } : {}),
      fresh: () => {
        if (!('url' in server)) throw new Error('no PostgreSQL server');
        pool ??= postgresPool(server.url, server.template);
        return pool.fresh();
      },
      empty,
    },
  ];
}
