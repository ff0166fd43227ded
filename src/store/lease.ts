// Exactly one replica at a time holds something that must not be doubled (Discord's gateway: every replica
// logged in would answer every interaction). PostgreSQL's session advisory lock is the lease: it is held by
// one database connection, and released by PostgreSQL the moment that connection ends, so a replica that dies
// (even by SIGKILL: the kernel closes its socket) frees it at once, and a standby polling for it takes over.
// A restart of the database ends the holder's connection too, but the holder is alive: it keeps what the lease
// guards while the database is away, asks for the lease again until it answers, and gives up only when another
// replica took the lease meanwhile. A standby that saw the database away waits a little once it is back, so the
// replica that kept the gateway gets its lease back first.
import type pg from 'pg';
import type { Logger } from '../model/logger.js';
import { reasonOf } from './trouble.js';

export interface Lease {
  /** Resolves once this process holds the lease (asking again while another replica holds it). */
  hold(): Promise<void>;
  /** Called when another replica took the lease (this one's connection had ended): stop what it guarded. */
  onLost(listener: () => void): void;
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** The PostgreSQL URL (DATABASE_URL). */
  url: string;
  /** What the lease guards, e.g. "discord-gateway": replicas agree on it. */
  name: string;
  /** How often a standby asks again, and a holder whose connection ended. @default 1000 */
  retryMs?: number;
  /** How long a standby waits once the database is back before asking. @default 3 × retryMs */
  graceMs?: number;
  log: Logger;
}

type Answer = 'held' | 'taken' | 'unreachable';

export function createLease(options: LeaseOptions): Lease {
  const { name: lease, log } = options;
  const retryMs = options.retryMs ?? 1000;
  const graceMs = options.graceMs ?? 3 * retryMs;
  const lost = new Set<() => void>();
  const pause = () => new Promise((resolve) => setTimeout(resolve, retryMs));
  let client: pg.Client | undefined;
  let released = false;
  let away = false;

  async function connect(): Promise<pg.Client> {
    const { Client } = (await import('pg')).default; // only replicas hold a lease: loaded when one is asked for
    const connection = new Client({
      connectionString: options.url,
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    connection.on('error', () => {}); // reported through 'end' (a held lease) or the failed query
    try {
      await connection.connect();
    } catch (error) {
      await connection.end().catch(() => {});
      throw error;
    }
    return connection;
  }

  /** Asks once for the lease: held (kept on this connection), taken by another replica, or no answer. */
  async function ask(): Promise<Answer> {
    let connection: pg.Client | undefined;
    try {
      connection = await connect();
      const { rows } = await connection.query<{ held: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS held',
        [lease],
      );
      away = false;
      if (!rows[0]?.held || released) {
        await connection.end();
        return 'taken';
      }
    } catch (error) {
      await connection?.end().catch(() => {});
      unreachable(error);
      return 'unreachable';
    }
    client = connection;
    connection.once('end', () => {
      if (client !== connection || released) return;
      client = undefined;
      log.warn('lease: the database connection ended; keeping what it guards and asking again', { lease });
      void regain();
    });
    return 'held';
  }

  /** Whether the database answers at all. */
  const answers = () =>
    connect().then(
      (connection) => connection.end().then(() => true),
      () => false,
    );

  function unreachable(error: unknown): void {
    // One line while the database is away, not one per try.
    if (!away)
      log.warn('lease: the database cannot be reached; asking again', { lease, reason: reasonOf(error) });
    away = true;
  }

  /** After the connection ended: the lease back, or given up to the replica that holds it now. */
  async function regain(): Promise<void> {
    while (!released) {
      const answer = await ask();
      if (answer === 'held') return log.info('lease: held again', { lease });
      if (answer === 'taken') {
        log.error('lease: another replica holds it now; giving it up', { lease });
        for (const listener of lost) listener();
        return;
      }
      await pause();
    }
  }

  return {
    async hold() {
      released = false;
      let wasAway = false;
      while (!released) {
        if (wasAway) {
          // Back: let a replica that kept the gateway through the outage take its lease again first.
          if (await answers()) {
            wasAway = false;
            await new Promise((resolve) => setTimeout(resolve, graceMs));
            continue;
          }
        } else {
          const answer = await ask();
          if (answer === 'held') return;
          wasAway = answer === 'unreachable';
        }
        await pause();
      }
    },
    onLost(listener) {
      lost.add(listener);
    },
    async release() {
      released = true;
      const held = client;
      client = undefined;
      // Ending the connection is what releases a session lock: no unlock call can be forgotten.
      await held?.end().catch(() => {});
    },
  };
}
