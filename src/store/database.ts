// Opens the bot's database from DATABASE_URL and brings its schema up to date: an SQLite file through the
// `libsql` package (the default: no server, WAL mode so readers never wait for the writer), or PostgreSQL
// through `pg` for deployments with more than one replica. Both are driven by Kysely, so queries are written once.
// A PostgreSQL that goes away (a restart, a network cut) never stops the bot: the pool reconnects on the next
// query and the log says when it went and when it came back. An SQLite file the bot cannot write is refused
// at start with one line, rather than accepted and failing at every write. Opened read-only (the lead's report
// and export from a shell), nothing is written: an SQLite file is opened for reading, PostgreSQL's transactions
// are read-only, and a schema older than this version is refused instead of brought up to date.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kysely, Migration, MigrationProvider, PostgresDialect, SqliteDialect } from 'kysely';
import { ConfigError, StartError } from '../model/errors.js';
import type { Logger } from '../model/logger.js';
import { type Engine, engineOf } from './engine.js';
import type { Schema } from './schema.js';
import { memoryLocks, postgresLocks, type SessionLocks } from './session-locks.js';
import { databaseTrouble, maskUrl, reasonOf } from './trouble.js';

export interface Database {
  db: Kysely<Schema>;
  engine: Engine;
  /** Locks that die with this process (session-locks.ts). */
  locks: SessionLocks;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Where the pool's connection troubles are told. @default nowhere */
  log?: Logger;
  /**
   * Reading only (a lead's report or export from a shell, with read access alone): nothing is written, not even
   * the schema brought up to date (an older one is refused with one line).
   */
  readOnly?: boolean;
}

export const DEFAULT_DATABASE_URL = 'file:./data/mailsettings.db';

export { engineOf } from './engine.js';

const QUIET: Logger = { info: () => {}, warn: () => {}, error: () => {} };

/** `file:<path>` (created on first start) or `postgres://…`; migrations run before it is returned. */
export async function openDatabase(
  url: string = DEFAULT_DATABASE_URL,
  { log = QUIET, readOnly = false }: OpenOptions = {},
): Promise<Database> {
  const engine = engineOf(url);
  // Loaded here, not at start-up: a bot without cases or replicas never opens a database, and Kysely is
  // about a thousand modules (bench/README.md, "Memory of the started bot").
  const kysely = await import('kysely');
  const db = new kysely.Kysely<Schema>({
    dialect:
      engine === 'postgres'
        ? await postgresDialect(kysely, url, log, readOnly)
        : await sqliteDialect(url, readOnly),
  });
  const provider: MigrationProvider = {
    // Loaded here, not at the top: they bring Kysely's query builder, which a CLI answer never needs.
    getMigrations: async (): Promise<Record<string, Migration>> =>
      (await import('./migrations.js')).migrations(engine),
  };
  const migrator = new kysely.Migrator({ db, provider });
  const error = readOnly
    ? (await migrator.getMigrations()).some((migration) => !migration.executedAt) &&
      new ConfigError(
        `The database at DATABASE_URL ${maskUrl(url)} is older than this version of mailsettings: start the bot once to bring it up to date.`,
      )
    : (await migrator.migrateToLatest()).error;
  if (error) {
    await db.destroy();
    throw error;
  }
  const locks = engine === 'postgres' ? postgresLocks(url, log) : memoryLocks();
  return {
    db,
    engine,
    locks,
    close: async () => {
      await locks.close();
      await db.destroy();
    },
  };
}

/**
 * The database for `npm start`: while PostgreSQL cannot be reached, one line says so (DATABASE_URL, its
 * password masked) and it is asked again every `retryMs`; any other failure stops the start with one line.
 */
export async function openDatabaseWhenReachable(url: string, log: Logger, retryMs = 2000): Promise<Database> {
  let waiting = false;
  for (;;) {
    try {
      const database = await openDatabase(url, { log });
      if (waiting) log.info('database: reachable, starting', { url: maskUrl(url) });
      return database;
    } catch (error) {
      if (error instanceof StartError || error instanceof ConfigError) throw error;
      const reason = reasonOf(error);
      if (databaseTrouble(error) !== 'unreachable')
        throw new StartError(`The database at DATABASE_URL ${maskUrl(url)} cannot be used: ${reason}.`, {
          cause: error,
        });
      if (!waiting)
        log.warn(`database: DATABASE_URL cannot be reached; trying again every ${retryMs / 1000} s`, {
          url: maskUrl(url),
          reason,
        });
      waiting = true;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
    }
  }
}

type KyselyModule = typeof import('kysely');

async function sqliteDialect(url: string, readOnly: boolean): Promise<SqliteDialect> {
  if (!url.startsWith('file:')) {
    throw new ConfigError(
      'DATABASE_URL must be file:<path> (SQLite) or postgres://… (PostgreSQL). See .env.example.',
    );
  }
  // file:./data/x.db and file:data/x.db are relative to the working directory; file:///abs/x.db is absolute.
  const path = url.startsWith('file://') ? fileURLToPath(url) : url.slice('file:'.length);
  const [{ default: Sqlite }, { durableSqliteDialect }] = await Promise.all([
    import('libsql'),
    import('./sqlite-dialect.js'), // Kysely's dialect, loaded with Kysely
  ]);
  if (readOnly) return durableSqliteDialect(readOnlySqlite(Sqlite, path, url));
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new Sqlite(path);
    database.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON');
    // Words erased for data care (src/cases/data-care.ts) are overwritten in the file, not left in free pages.
    database.exec('PRAGMA secure_delete = ON');
    // A read-only file opens (SQLite falls back to reading) and migrations that find nothing to do write
    // nothing: write once now, so such a file is refused here rather than at the first case.
    const { user_version } = database.prepare('PRAGMA user_version').get() as { user_version: number };
    database.exec(`PRAGMA user_version = ${Number(user_version)}`);
    const { journal_mode } = database.prepare('PRAGMA journal_mode').get() as { journal_mode: string };
    return durableSqliteDialect(database, journal_mode === 'wal' ? path : undefined);
  } catch (error) {
    throw new StartError(
      `DATABASE_URL ${url} cannot be written (${reasonOf(error)}): let the bot's user write that file and its directory (SQLite adds -wal and -shm files beside it).`,
      { cause: error },
    );
  }
}

/**
 * An SQLite file opened for reading (`mode=ro`: libsql takes no `readonly` option). While the bot runs, its -wal
 * and -shm files are there and are read as it reads them. Without them (the bot stopped, a backup's file),
 * SQLite would make both, as this user, beside the bot's file, and leave them: the file is read as it stands
 * (immutable) instead, which is all there is while nothing writes.
 */
function readOnlySqlite(Sqlite: typeof import('libsql'), path: string, url: string) {
  const running = existsSync(`${path}-wal`) && existsSync(`${path}-shm`);
  let database: InstanceType<typeof Sqlite> | undefined;
  try {
    database = new Sqlite(`${pathToFileURL(path).href}?mode=ro${running ? '' : '&immutable=1'}`);
    database.prepare('PRAGMA schema_version').get();
    return database;
  } catch (error) {
    database?.close();
    // A file that is there and readable but no database (SQLITE_NOTADB), or a directory: the name is wrong.
    const code = String((error as { code?: unknown }).code ?? '');
    const notDatabase = code.includes('NOTADB') || (existsSync(path) && statSync(path).isDirectory());
    throw new ConfigError(
      notDatabase
        ? `DATABASE_URL ${url} is not an SQLite database: set it to the bot's database file.`
        : `The database at DATABASE_URL ${url} cannot be read: let this user read that file and, while the bot runs, its -wal and -shm files beside it.`,
      { cause: error },
    );
  }
}

async function postgresDialect(
  kysely: KyselyModule,
  url: string,
  log: Logger,
  readOnly: boolean,
): Promise<PostgresDialect> {
  const { default: pg } = await import('pg');
  // BIGINT columns hold millisecond times, which fit a JavaScript number; pg would return them as strings.
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  // A server that went silent (a cut network) fails a new connection after 10 s instead of the system's minutes.
  const pool = new pg.Pool({
    connectionString: url,
    types,
    max: 10,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    // Every transaction read-only: PostgreSQL itself refuses a write.
    ...(readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // A client whose connection ends (PostgreSQL restarting sends 57P01 to every one) is an 'error' on the pool:
  // without a listener Node exits. The pool drops that client and connects afresh on the next query; until one
  // succeeds, queries fail and their callers answer for it (Slack retries, staff are told, the outbox waits).
  let lostAt: number | undefined;
  pool.on('error', (error) => {
    if (lostAt !== undefined) return; // one line per outage, not one per pooled connection
    lostAt = Date.now();
    log.warn('database: the connection to PostgreSQL ended; the bot keeps running and reconnects', {
      url: maskUrl(url),
      reason: reasonOf(error),
    });
  });
  pool.on('connect', (client) => {
    // The pool listens to its idle clients only: one lent out (inside a transaction, between two queries) whose
    // connection ends would emit 'error' to nobody, and Node would exit. Its next query fails instead.
    client.on('error', () => {});
    if (lostAt === undefined) return;
    log.info('database: connected to PostgreSQL again', {
      url: maskUrl(url),
      after: `${Date.now() - lostAt} ms`,
    });
    lostAt = undefined;
  });
  return new kysely.PostgresDialect({ pool });
}
