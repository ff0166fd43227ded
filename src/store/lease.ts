// Exactly one replica at a time holds something that must not be doubled (Discord's gateway: every replica
// logged in would answer every interaction). PostgreSQL's session advisory lock is the lease: it is held by
// one database connection, and released by PostgreSQL the moment that connection ends, so a replica that dies
// (even by SIGKILL: the kernel closes its socket) frees it at once, and a standby polling for it takes over.
import type pg from 'pg';
import type { Logger } from '../model/logger.js';

export interface Lease {
  /** Resolves once this process holds the lease (polling while another replica holds it). */
  hold(): Promise<void>;
  /** Called when a held lease is lost (its connection broke): stop what it guarded at once. */
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
  log: Logger;
}

export function createLease(options: LeaseOptions): Lease {
  const retryMs = options.retryMs ?? 1000;
  const lost = new Set<() => void>();
  let client: pg.Client | undefined;
  let released = false;

  async function tryOnce(): Promise<boolean> {
    const { Client } = (await import('pg')).default; // only replicas hold a lease: loaded when one is asked for
    const connection = new Client({ connectionString: options.url });
    connection.on('error', () => {}); // reported through 'end' below
    try {
      await connection.connect();
      const { rows } = await connection.query<{ held: boolean }>(
        'SELECT pg_try_advisory_lock(hashtext($1)) AS held',
        [options.name],
      );
      if (!rows[0]?.held) {
        await connection.end();
        return false;
      }
    } catch (error) {
      options.log.warn('lease: could not ask the database', { lease: options.name, error });
      await connection.end().catch(() => {});
      return false;
    }
    client = connection;
    connection.once('end', () => {
      if (client !== connection || released) return;
      client = undefined;
      options.log.error('lease: lost (the database connection ended)', { lease: options.name });
      for (const listener of lost) listener();
    });
    return true;
  }

  return {
    async hold() {
      released = false;
      while (!released && !(await tryOnce())) await new Promise((resolve) => setTimeout(resolve, retryMs));
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
