// Locks that die with their holder, for work only one process may do at a time (delivering an outbox row,
// handling a Slack event). On PostgreSQL they are session advisory locks on one connection of this process's
// own, which PostgreSQL releases the moment that connection ends, even when the process is killed: the next
// replica goes on at once instead of waiting out a lease. On SQLite (one process per file) a set in memory is
// the whole truth. Either way this process never takes a key it already holds.
import type pg from 'pg';
import type { Logger } from '../model/logger.js';

export interface SessionLocks {
  /** Takes `key`: false when this process or another holds it. Throws when the database cannot be asked. */
  take(key: string): Promise<boolean>;
  /** Gives `key` back, once what it guarded is recorded. */
  release(key: string): void;
  close(): Promise<void>;
}

/** The locks of a database only this process uses. */
export function memoryLocks(): SessionLocks {
  const held = new Set<string>();
  return {
    async take(key) {
      if (held.has(key)) return false;
      held.add(key);
      return true;
    },
    release: (key) => void held.delete(key),
    close: async () => held.clear(),
  };
}

// 64-bit hashes of the keys: two different keys sharing a lock would make one wait for the other's work.
const TAKE = 'SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS held';
const GIVE = 'SELECT pg_advisory_unlock(hashtextextended($1, 0))';

/** Session advisory locks on a connection of their own (so a busy pool never delays them). */
export function postgresLocks(url: string, log: Logger): SessionLocks {
  /** What this process holds, and on which connection. */
  const held = new Map<string, pg.Client | undefined>();
  let session: Promise<pg.Client> | undefined;
  let live: pg.Client | undefined;

  function connect(): Promise<pg.Client> {
    session ??= (async () => {
      const { Client } = (await import('pg')).default;
      const client = new Client({
        connectionString: url,
        keepAlive: true,
        connectionTimeoutMillis: 10_000,
        query_timeout: 10_000,
      });
      client.on('error', () => {}); // reported through 'end'
      client.once('end', () => {
        if (live !== client) return;
        live = undefined;
        session = undefined;
        const lost = [...held.values()].filter((holder) => holder === client).length;
        if (lost > 0)
          log.warn('database: the lock connection ended; what this replica was doing may be taken over', {
            held: lost,
          });
      });
      await client.connect();
      live = client;
      return client;
    })().catch((error: unknown) => {
      session = undefined;
      throw error;
    });
    return session;
  }

  return {
    async take(key) {
      if (held.has(key)) return false;
      held.set(key, undefined); // taken before asking: a second take of the same key meanwhile sees it
      try {
        const client = await connect();
        const { rows } = await client.query<{ held: boolean }>(TAKE, [key]);
        if (rows[0]?.held) {
          held.set(key, client);
          return true;
        }
      } catch (error) {
        held.delete(key);
        throw error;
      }
      held.delete(key);
      return false;
    },
    release(key) {
      const client = held.get(key);
      held.delete(key);
      // On a connection that ended, PostgreSQL released it already.
      if (client && client === live) client.query(GIVE, [key]).catch(() => {});
    },
    async close() {
      const client = live;
      live = undefined;
      session = undefined;
      held.clear();
      await client?.end().catch(() => {});
    },
  };
}
