// The tests' own databases (test/support/databases.ts): a PostgreSQL database a test is done with is emptied and
// handed to the next test of the worker (test/support/postgres-pool.ts), so it must reach one test at a time,
// whatever its last holder did.
import { expect, it } from 'vitest';
import { openDatabase } from '../../src/index.js';
import { testEngines } from '../support/databases.js';

const postgres = testEngines().find((engine) => engine.name === 'postgres');

it.skipIf(postgres?.skip)(
  'hands a database dropped twice to one next test only, which keeps its rows',
  async () => {
    const engine = postgres as NonNullable<typeof postgres>;
    const first = await engine.fresh();
    // An afterEach after a test that failed before making its own drops the test before's database again.
    await first.drop();
    await first.drop();
    const [a, b] = [await engine.fresh(), await engine.fresh()];
    const database = await openDatabase(a.url);
    try {
      expect(a.url).not.toBe(b.url);
      const by = { created_by: 'Dana', created_by_id: 'D1', updated_by: 'Dana', updated_by_id: 'D1' };
      await database.db
        .insertInto('snippets')
        .values({ name: 'hello', text: 'Hi!', ...by, created_at: 1, updated_at: 1 })
        .execute();
      await b.drop(); // another test done with its own
      expect(await database.db.selectFrom('snippets').select('name').execute()).toEqual([{ name: 'hello' }]);
    } finally {
      await database.close();
      await a.drop();
    }
  },
);
