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

// 64-bit hashes of the keys: two different keys sharing a lock would make one wait for the other's work. Each
// query takes (or gives back) every key asked for while the one before ran: a burst of cases costs a round trip
// or two on this one connection, not one per case.
const TAKE =
  'SELECT key, pg_try_advisory_lock(hashtextextended(key, 0)) AS held FROM unnest($1::text[]) AS key';
const GIVE = 'SELECT pg_advisory_unlock(hashtextextended(key, 0)) FROM unnest($1::text[]) AS key';

interface Asker {
  resolve(client: pg.Client | undefined): void;
  reject(error: unknown): void;
}

/** Session advisory locks on a connection of their own (so a busy pool never delays them). */
export function postgresLocks(url: string, log: Logger): SessionLocks {
  /** What this process holds, and on which connection. */
  const held = new Map<string, pg.Client | undefined>();
  let session: Promise<pg.Client> | undefined;
  let live: pg.Client | undefined;
  /** Keys to take (each answered with the connection that holds it, or none) and to give back, not sent yet. */
  let toTake = new Map<string, Asker>();
  let toGive: { key: string; client: pg.Client }[] = [];
  let sending = false;

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

  /** Sends what was asked for meanwhile, one query at a time: what is given back first, then what is taken. */
  async function send(): Promise<void> {
    if (sending) return;
    sending = true;
    while (toTake.size > 0 || toGive.length > 0) {
      const [takes, gives] = [toTake, toGive.filter(({ client }) => client === live)];
      toTake = new Map();
      toGive = [];
      if (gives.length > 0) await live?.query(GIVE, [gives.map(({ key }) => key)]).catch(() => {}); // its end releases them anyway
      if (takes.size === 0) continue;
      try {
        const client = await connect();
        const { rows } = await client.query<{ key: string; held: boolean }>(TAKE, [[...takes.keys()]]);
        const taken = new Set(rows.filter((row) => row.held).map((row) => row.key));
        for (const [key, asker] of takes) asker.resolve(taken.has(key) ? client : undefined);
      } catch (error) {
        for (const asker of takes.values()) asker.reject(error);
      }
    }
    sending = false;
  }

  return {
    async take(key) {
      if (held.has(key)) return false;
      held.set(key, undefined); // taken before asking: a second take of the same key meanwhile sees it
      try {
        const client = await new Promise<pg.Client | undefined>((resolve, reject) => {
          toTake.set(key, { resolve, reject });
          void send();
        });
        if (client) {
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
      if (client && client === live) {
        toGive.push({ key, client });
        void send();
      }
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
