// The tests' fresh PostgreSQL databases, made once and used again: a database a test is done with is emptied
// (every row deleted, every id sequence started over) and handed to the next test of the same worker, as long
// as its schema is still the template's; one a test changed is dropped. Making a database from the template
// and dropping it again cost 60 ms of the server's CPU alone, and three times that with the whole suite
// running; emptying one costs 8 ms.
import pg from 'pg';
import { adminQuery, createTestDatabase } from './postgres.js';

export interface PostgresPool {
  /** A database as the template is: every migration done, no rows. */
  fresh(): Promise<{ url: string; drop(): Promise<void> }>;
}

/** The tables and columns, the indexes and the migrations done: what a test may not leave changed. */
const SCHEMA = `SELECT md5(string_agg(part, ',' ORDER BY part)) AS schema FROM (
    SELECT c.relname || ':' || c.relkind::text || ':' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) AS part
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = 'public'
    UNION ALL SELECT 'migration:' || name FROM kysely_migration
  ) parts`;

/** Deletes every row but Kysely's own (the migrations done), foreign keys aside, and starts every id over. */
const EMPTY = `DO $$ DECLARE name text; BEGIN
    SET LOCAL session_replication_role = replica;
    FOR name IN SELECT format('%I', tablename) FROM pg_tables
      WHERE schemaname = 'public' AND tablename NOT IN ('kysely_migration', 'kysely_migration_lock') LOOP
      EXECUTE 'DELETE FROM ' || name;
    END LOOP;
    FOR name IN SELECT format('%I', sequencename) FROM pg_sequences WHERE schemaname = 'public' LOOP
      EXECUTE 'ALTER SEQUENCE ' || name || ' RESTART';
    END LOOP;
  END $$`;

/** Databases named `${template}_…`, so the run's end drops them all (test/support/database-setup.ts). */
export function postgresPool(server: string, template: string): PostgresPool {
  const idle: string[] = [];
  let made = 0;
  let schema: Promise<string> | undefined;
  const urlOf = (name: string) => Object.assign(new URL(server), { pathname: `/${name}` }).href;

  async function schemaOf(client: pg.Client): Promise<string> {
    return (await client.query<{ schema: string }>(SCHEMA)).rows[0]?.schema ?? '';
  }

  async function withClient<T>(name: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: urlOf(name) });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  }

  /** Empties the database for the next test, or drops it when its schema is not the template's any more. */
  async function release(name: string): Promise<void> {
    const reusable = await withClient(name, async (client) => {
      // Whatever the test left connected goes, as DROP DATABASE … WITH (FORCE) would make it.
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      if ((await schemaOf(client)) !== (await schema)) return false;
      await client.query(EMPTY);
      return true;
    }).catch(() => false);
    if (reusable) idle.push(name);
    else await adminQuery(server, `DROP DATABASE ${name} WITH (FORCE)`);
  }

  async function create(): Promise<string> {
    const name = `${template}_${process.pid}_${++made}`;
    await createTestDatabase(server, name, template);
    // The template's schema, read on its first copy: a session on the template would stop others copying it.
    schema ??= withClient(name, schemaOf);
    await schema;
    return name;
  }

  return {
    async fresh() {
      const name = idle.pop() ?? (await create());
      // Released once: a second drop() (an afterEach after a test that failed before making its own) would
      // hand the database to two tests at once.
      let released: Promise<void> | undefined;
      return { url: urlOf(name), drop: () => (released ??= release(name)) };
    },
  };
}
