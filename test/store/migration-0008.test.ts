// Migration 0008 on both engines: cases of an older release get their domain from their question (so the card
// can list a domain's earlier cases), the new columns start empty, and a case's recorded check failures go
// with the case when it is deleted.
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import Sqlite from 'libsql';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { migrations } from '../../src/store/migrations.js';
import { testEngines } from '../support/databases.js';

/** A database migrated only as far as the release before 0008. */
async function before0008(url: string, engine: 'sqlite' | 'postgres') {
  // biome-ignore lint/suspicious/noExplicitAny: the older schema, before the typed one
  const db = new Kysely<any>({
    dialect:
      engine === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) })
        : new SqliteDialect({ database: new Sqlite(url.slice('file:'.length)) }),
  });
  const provider = { getMigrations: async () => migrations(engine) };
  const { error } = await new Migrator({ db, provider }).migrateTo('0004-trust');
  if (error) throw error;
  return db;
}

const oldCase = (id: number, question: string) => ({
  id,
  status: 'resolved',
  customer_place: 'slack:C1',
  customer_thread: `slack:C1:${id}.0`,
  customer_id: 'U1',
  customer_name: 'Alice',
  question,
  staff_thread: `discord:${id}`,
  card: null,
  claimed_by: 'Dana',
  claimed_by_id: 'D1',
  resolved_by: 'Dana',
  rating: null,
  reminded_at: null,
  staff_turn_since: null,
  created_at: id,
  updated_at: id,
});

describe.each(testEngines())('migration 0008 on $name', (engine) => {
  it.skipIf(engine.skip)('gives older cases their domain, and drops a case’s failures with it', async () => {
    const fresh = await engine.empty();
    try {
      const old = await before0008(fresh.url, engine.name);
      await old
        .insertInto('cases')
        .values([oldCase(1, 'alice@Example.COM pop'), oldCase(2, 'not a question at all')])
        .execute();
      await old.destroy();

      const { db, close } = await openDatabase(fresh.url);
      try {
        const rows = await db
          .selectFrom('cases')
          .select(['id', 'domain', 'customer_words', 'program', 'customer_email'])
          .orderBy('id')
          .execute();
        expect(rows).toEqual([
          { id: 1, domain: 'example.com', customer_words: null, program: null, customer_email: null },
          { id: 2, domain: null, customer_words: null, program: null, customer_email: null },
        ]);
        await db
          .insertInto('case_failures')
          .values({ case_id: 1, host: 'server1.test', port: 993, cause: 'unreachable', checked_at: 1 })
          .execute();
        await db.deleteFrom('cases').where('id', '=', 1).execute();
        expect(await db.selectFrom('case_failures').selectAll().execute()).toEqual([]);
      } finally {
        await close();
      }
    } finally {
      await fresh.drop();
    }
  });
});
