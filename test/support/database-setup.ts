// vitest's global setup: one real PostgreSQL server for the whole run (test/support/postgres.ts), and the
// templates of every test's "fresh" database (test/support/databases.ts), migrated once: a database on that
// server and an SQLite file. Migrating each test's database anew took 120 ms on PostgreSQL and 20 ms on SQLite.
// Tests get them through inject().
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../src/store/database.js';
import { createTestDatabase, startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server's URL and its migrated template database, or why there is none. */
    postgres: { url: string; template: string } | { unavailable: string };
    /** The migrated SQLite file, closed (its write-ahead log folded in). */
    sqliteTemplate: string;
  }
}

async function migrate(url: string): Promise<void> {
  await (await openDatabase(url)).close();
}

async function dropDatabases(url: string, template: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      'SELECT datname AS name FROM pg_database WHERE datname = $1 OR starts_with(datname, $2)',
      [template, `${template}_`],
    );
    for (const { name } of rows) await client.query(`DROP DATABASE ${name} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // In the run's temporary folder (temp-setup.ts), which goes with it.
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-templates-'));
  const sqliteTemplate = join(dir, 'template.db');
  await migrate(`file:${sqliteTemplate}`);
  project.provide('sqliteTemplate', sqliteTemplate);
  const server = await startPostgres();
  if ('unavailable' in server) {
    // CI runs every test it can: there a missing server is a failure, not a skip.
    if (process.env.CI) throw new Error(server.unavailable);
    project.provide('postgres', { unavailable: server.unavailable });
    return async () => {};
  }
  // Named after this run, so two runs on one server (CI's, given by URL) keep out of each other's way.
  const template = `template_${process.pid}`;
  await migrate(await createTestDatabase(server.url, template));
  project.provide('postgres', { url: server.url, template });
  return async () => {
    // The template and the copies the workers kept for their next tests (test/support/postgres-pool.ts).
    await dropDatabases(server.url, template);
    await server.stop();
  };
}
