// Kysely's own SQLite dialect over the `libsql` package, with what many small transactions at once need (issue
// 17). libsql is synchronous: with synchronous=FULL every COMMIT waited for the disk (an fsync of the WAL) on
// the event loop, and nothing else ran meanwhile. Here SQLite runs with synchronous=NORMAL, which in WAL mode
// writes each commit to the WAL file without waiting for the disk, and a query that wrote answers its caller
// only once an fdatasync of the WAL file, made on libuv's thread pool, has put that commit on disk: nothing is
// confirmed before it is durable, as with FULL, and the commits made while one sync runs share the next one.
// (SQLite itself still syncs the WAL before each checkpoint and when it starts the file over.) Each SQL text is
// also prepared once rather than for every query, and a rollback with no transaction open does nothing.
import { type FileHandle, open } from 'node:fs/promises';
import { SqliteDialect, type SqliteDialectConfig, SqliteDriver } from 'kysely';

type Libsql = InstanceType<typeof import('libsql')>;
type Statement = ReturnType<Libsql['prepare']>;

/** Statements kept: every query the bot makes, with room to spare. */
const STATEMENTS = 500;
const READ_ONLY = /^\s*select\b/i;

/** `path`: the database file, in WAL mode (its WAL is `path`-wal); none for an in-memory database. */
export function durableSqliteDialect(database: Libsql, path?: string): SqliteDialect {
  let wrote = false;
  const config: SqliteDialectConfig = {
    database: Object.assign(database, { prepare: preparedOnce(database, () => (wrote = true)) }),
  };
  const wal = path ? walSync(`${path}-wal`) : undefined;
  if (wal) database.exec('PRAGMA synchronous = NORMAL');
  class DurableDriver extends SqliteDriver {
    override async releaseConnection(): Promise<void> {
      const mustSync = wrote;
      wrote = false;
      await super.releaseConnection(); // the next query need not wait for this one's disk
      if (mustSync) await wal?.sync();
    }
    override async destroy(): Promise<void> {
      await super.destroy();
      await wal?.close();
    }
  }
  return new (class extends SqliteDialect {
    override createDriver() {
      return new DurableDriver(config);
    }
  })(config);
}

/**
 * `prepare` keeping each statement for its SQL text (the oldest forgotten past STATEMENTS; SQLite resets a
 * statement that failed when it runs again), telling `writing` of each statement that may write.
 */
function preparedOnce(database: Libsql, writing: () => void): (source: string) => Statement {
  const prepare = database.prepare.bind(database);
  const cache = new Map<string, Statement>();
  // SQLite rolls a transaction back by itself when a write fails for want of space (SQLITE_FULL) or on an I/O
  // error; Kysely then asks for a rollback, fails with "no transaction is active", and that error hides the
  // real one. So a rollback with no transaction open does nothing (as Rails does, rails/rails#13639).
  const nothing = { reader: false, run: () => ({ changes: 0, lastInsertRowid: 0 }) } as unknown as Statement;
  return (source: string) => {
    if (/^\s*rollback\s*$/i.test(source) && !database.inTransaction) return nothing;
    if (!READ_ONLY.test(source)) writing();
    let statement = cache.get(source);
    if (statement) return statement;
    statement = prepare(source);
    cache.set(source, statement);
    if (cache.size > STATEMENTS) cache.delete(cache.keys().next().value as string);
    return statement;
  };
}

/**
 * fdatasync of the WAL file, shared: whoever asks while one runs gets the next one, which begins after theirs
 * was asked for, so it covers every commit written before.
 */
function walSync(walPath: string) {
  let file: Promise<FileHandle> | undefined;
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const once = async () => {
    file ??= open(walPath, 'r').catch((error: unknown) => {
      file = undefined;
      throw error;
    });
    await (await file).datasync();
  };
  const sync = (): Promise<void> => {
    if (!running) {
      running = once().finally(() => {
        running = undefined;
      });
      return running;
    }
    next ??= running
      .catch(() => {})
      .then(() => {
        next = undefined;
        return sync();
      });
    return next;
  };
  return { sync, close: async () => (await file?.catch(() => undefined))?.close() };
}
