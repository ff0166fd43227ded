// Exactly one replica at a time holds something that must not be doubled (Discord's gateway: every replica
// logged in would answer every interaction). PostgreSQL's session advisory lock is the lease: it is held by
// one database connection, and released by PostgreSQL the moment that connection ends, so a replica that dies
// (even by SIGKILL: the kernel closes its socket) frees it, and a standby polling for it takes over.
// A restart of the database ends the holder's connection too, but the holder is alive: it keeps what the lease
// guards while the database is away and asks for the lease again until it answers. A standby may ask first
// once the database is back, so whoever takes the lease waits `graceMs` before using it and hands it back to a
// former holder waiting in line for it (pg_locks shows the wait). A former holder that finds the lease taken
// waits in line for it and gives up only when it is not handed back: another replica serves now.
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
  /** How often a standby asks again. @default 1000 */
  retryMs?: number;
  /** How long whoever takes the lease waits for a former holder to ask for it back. @default 1000 */
  graceMs?: number;
  log: Logger;
}

type Answer = 'held' | 'taken' | 'unreachable';

const TRY = 'SELECT pg_try_advisory_lock(hashtext($1)) AS held';
const WAIT = 'SELECT pg_advisory_lock(hashtext($1))';
/** How many wait in line for the advisory lock this connection holds. */
const WAITING = `SELECT count(*)::int AS waiting FROM pg_locks w
  JOIN pg_locks mine ON mine.pid = pg_backend_pid() AND mine.locktype = 'advisory' AND mine.granted
    AND w.classid = mine.classid AND w.objid = mine.objid AND w.objsubid = mine.objsubid
  WHERE w.locktype = 'advisory' AND NOT w.granted`;

export function createLease(options: LeaseOptions): Lease {
  const { name: lease, log } = options;
  const retryMs = options.retryMs ?? 1000;
  const graceMs = options.graceMs ?? 1000;
  const lost = new Set<() => void>();
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
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

  /** Waits in line for the lease, long enough for a replica in its grace to hand it back. */
  async function waitInLine(connection: pg.Client): Promise<boolean> {
    await connection.query(`SET lock_timeout = ${graceMs + 500}`);
    return connection.query(WAIT, [lease]).then(
      () => true,
      (error: { code?: string }) => {
        if (error.code === '55P03') return false; // lock_timeout: nobody handed it back
        throw error;
      },
    );
  }

  /**
   * Asks once for the lease: held (kept on this connection), taken by another replica, or no answer. A former
   * holder (`returning`) waits in line; anyone else waits its grace and yields to a former holder in line.
   */
  async function ask(returning: boolean): Promise<Answer> {
    let connection: pg.Client | undefined;
    try {
      connection = await connect();
      let held = (await connection.query<{ held: boolean }>(TRY, [lease])).rows[0]?.held === true;
      if (!held && returning) held = await waitInLine(connection);
      away = false;
      if (held && !returning) {
        await sleep(graceMs);
        const { rows } = await connection.query<{ waiting: number }>(WAITING);
        if ((rows[0]?.waiting ?? 0) > 0) {
          log.info('lease: handing it back to the replica that held it before', { lease });
          held = false;
        }
      }
      if (!held || released) {
        await connection.end();
        return 'taken';
      }
    } catch (error) {
      await connection?.end().catch(() => {});
      if (!away)
        log.warn('lease: the database cannot be reached; asking again', { lease, reason: reasonOf(error) });
      away = true;
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

  /** After the connection ended: the lease back, or given up to the replica that serves now. */
  async function regain(): Promise<void> {
    while (!released) {
      const answer = await ask(true);
      if (answer === 'held') return log.info('lease: held again', { lease });
      if (answer === 'taken') {
        if (!released) log.error('lease: another replica holds it now; giving it up', { lease });
        for (const listener of lost) listener();
        return;
      }
      await sleep(Math.min(retryMs, 250)); // sooner than a standby asks: the lease is this replica's to take back
    }
  }

  return {
    async hold() {
      released = false;
      while (!released && (await ask(false)) !== 'held') await sleep(retryMs);
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
