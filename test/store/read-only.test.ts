// The database opened for reading only (the lead's report and export from a shell), on both engines: it reads
// what the bot wrote, writes nothing (PostgreSQL refuses a write itself), and refuses a schema older than this
// version in one line instead of bringing it up to date. The command line over a read-only SQLite file is
// test/cli/cases.test.ts.
import { sql } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ConfigError, openDatabase } from '../../src/index.js';
import { testEngines } from '../support/databases.js';

const snippet = (name: string, text: string) => {
  const by = { by: 'Dana', id: 'D1', at: 1 };
  return {
    name,
    text,
    ...{ created_by: by.by, created_by_id: by.id, created_at: by.at },
    ...{ updated_by: by.by, updated_by_id: by.id, updated_at: by.at },
  };
};

describe.each(testEngines())('the database read-only, on $name', (engine) => {
  it.skipIf(engine.skip)('reads what was written, and writes nothing', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const writer = await openDatabase(fresh.url);
    onTestFinished(() => writer.close());
    await writer.db.insertInto('snippets').values(snippet('hello', 'Hi!')).execute();

    const reader = await openDatabase(fresh.url, { readOnly: true });
    onTestFinished(() => reader.close());
    expect(await reader.db.selectFrom('snippets').select('text').execute()).toEqual([{ text: 'Hi!' }]);
    const write = reader.db.insertInto('snippets').values(snippet('bye', 'Bye'));
    await expect(write.execute()).rejects.toThrow(/read-only|readonly/);
    expect(await writer.db.selectFrom('snippets').select('name').execute()).toEqual([{ name: 'hello' }]);
  });

  it.skipIf(engine.skip)('refuses a schema older than this version in one line', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const writer = await openDatabase(fresh.url);
    // As a database of the release before the newest migration: that migration not run yet.
    const newest = await writer.db
      .selectFrom('kysely_migration' as never)
      .select(sql<string>`max(name)`.as('name'))
      .executeTakeFirstOrThrow();
    await sql`DELETE FROM kysely_migration WHERE name = ${newest.name}`.execute(writer.db);
    await writer.close();

    const opened = openDatabase(fresh.url, { readOnly: true });
    await expect(opened).rejects.toBeInstanceOf(ConfigError);
    await expect(opened).rejects.toThrow(
      /^The database at DATABASE_URL .* is older than this version of mailsettings: start the bot once to bring it up to date\.$/,
    );
  });
});
