import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/index.js';
import { openDatabase } from '../../src/store/database.js';
import { type TestEngine, testEngines } from '../support/databases.js';

describe.each(testEngines())('the database on $name', (engine) => {
  it.skipIf(engine.skip)(
    'creates the schema on first start and keeps the data across a restart',
    async () => {
      const fresh = await engine.empty();
      try {
        const first = await openDatabase(fresh.url);
        expect(first.engine).toBe(engine.name);
        await first.db
          .insertInto('inbox')
          .values({ key: 'slack:Ev1', body: '{}', state: 'pending', received_at: Date.now() })
          .execute();
        await first.close();

        const again = await openDatabase(fresh.url); // migrations run again: a no-op
        const rows = await again.db.selectFrom('inbox').selectAll().execute();
        expect(rows.map((row) => row.key)).toEqual(['slack:Ev1']);
        expect(typeof rows[0]?.received_at).toBe('number');
        await again.close();
      } finally {
        await fresh.drop();
      }
    },
  );

  it.skipIf(engine.skip)(
    'refuses the same event key twice, which is how a retried event is recognised',
    async () => {
      const fresh = await engine.fresh();
      const { db, close } = await openDatabase(fresh.url);
      try {
        const take = () =>
          db
            .insertInto('inbox')
            .values({ key: 'slack:Ev2', body: null, state: 'done', received_at: 1 })
            .onConflict((conflict) => conflict.column('key').doNothing())
            .executeTakeFirst();
        expect(Number((await take()).numInsertedOrUpdatedRows)).toBe(1);
        expect(Number((await take()).numInsertedOrUpdatedRows)).toBe(0);
      } finally {
        await close();
        await fresh.drop();
      }
    },
  );
});

describe('the SQLite file', () => {
  it('is opened in WAL mode, so a reader never waits for the writer', async () => {
    const [sqlite] = testEngines();
    const fresh = await (sqlite as TestEngine).fresh();
    const { db, close } = await openDatabase(fresh.url);
    const { rows } = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(db);
    await close();
    await fresh.drop();
    expect(rows[0]?.journal_mode).toBe('wal');
  });

  it('explains a DATABASE_URL it cannot use', async () => {
    await expect(openDatabase('mysql://localhost/x')).rejects.toBeInstanceOf(ConfigError);
  });
});
