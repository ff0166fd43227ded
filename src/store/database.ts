// Opens the bot's database from DATABASE_URL and brings its schema up to date: an SQLite file through the
// `libsql` package (the default: no server, WAL mode so readers never wait for the writer), or PostgreSQL
// through `pg` for deployments with more than one replica. Both are driven by Kysely, so queries are written once.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely, Migration, MigrationProvider, PostgresDialect, SqliteDialect } from 'kysely';
import { ConfigError } from '../model/errors.js';
import { type Engine, engineOf } from './engine.js';
import { migrations } from './migrations.js';
import type { Schema } from './schema.js';

export interface Database {
  db: Kysely<Schema>;
  engine: Engine;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'file:./data/mailsettings.db';

export { engineOf } from './engine.js';

/** `file:<path>` (created on first start) or `postgres://…`; migrations run before it is returned. */
export async function openDatabase(url: string = DEFAULT_DATABASE_URL): Promise<Database> {
  const engine = engineOf(url);
  // Loaded here, not at start-up: a bot without cases or replicas never opens a database, and Kysely is
  // about a thousand modules (bench/README.md, "Memory of the started bot").
  const kysely = await import('kysely');
  const db = new kysely.Kysely<Schema>({
    dialect: engine === 'postgres' ? await postgresDialect(kysely, url) : await sqliteDialect(kysely, url),
  });
  const provider: MigrationProvider = {
    getMigrations: async (): Promise<Record<string, Migration>> => migrations(engine),
  };
  const { error } = await new kysely.Migrator({ db, provider }).migrateToLatest();
  if (error) {
    await db.destroy();
    throw error;
  }
  return { db, engine, close: () => db.destroy() };
}

type KyselyModule = typeof import('kysely');

async function sqliteDialect(kysely: KyselyModule, url: string): Promise<SqliteDialect> {
  if (!url.startsWith('file:')) {
    throw new ConfigError(
      'DATABASE_URL must be file:<path> (SQLite) or postgres://… (PostgreSQL). See .env.example.',
    );
  }
  // file:./data/x.db and file:data/x.db are relative to the working directory; file:///abs/x.db is absolute.
  const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const { default: Sqlite } = await import('libsql');
  const database = new Sqlite(path);
  database.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON');
  // Words erased for data care (src/cases/data-care.ts) are overwritten in the file, not left in free pages.
  database.exec('PRAGMA secure_delete = ON');
  return new kysely.SqliteDialect({ database });
}

async function postgresDialect(kysely: KyselyModule, url: string): Promise<PostgresDialect> {
  const { default: pg } = await import('pg');
  // BIGINT columns hold millisecond times, which fit a JavaScript number; pg would return them as strings.
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  const pool = new pg.Pool({ connectionString: url, types, max: 10 });
  // An idle client whose connection ends (PostgreSQL restarting sends 57P01) is an 'error' on the pool: without
  // a listener Node exits. The pool drops that client and connects afresh on the next query.
  pool.on('error', () => {});
  return new kysely.PostgresDialect({ pool });
}
