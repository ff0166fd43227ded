// Platform events taken in before they are acknowledged: the event's key (Slack's event_id, Discord's
// interaction id) makes a retried or replayed event a no-op, and the stored body lets another run finish an
// event whose work was cut short. While a process handles an event it holds the event's lock, which dies with
// that process (session-locks.ts): a copy of the event arriving meanwhile (Slack retries while the first is
// still in progress) is only acknowledged, and only an event no live process holds is ever taken over.
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.js';
import { memoryLocks, type SessionLocks } from './session-locks.js';

/**
 * What record() found: `new`; or the event was seen before and is `done` (a retry of finished work),
 * `in-progress` (a live process is handling it now), or `unfinished` (left by a process that is gone).
 * Handle it on `new` and `unfinished` (this process now holds it: release() when finished); skip the others.
 */
export type Seen = 'new' | 'unfinished' | 'in-progress' | 'done';

export interface Inbox {
  /** Stores an event before it is acknowledged, and takes it for this process when it is to be handled. */
  record(key: string, body: string): Promise<Seen>;
  /**
   * Events left unfinished that no live process holds, received at least `olderThanMs` ago, oldest first: each
   * taken for this process (release() each when finished).
   */
  abandoned(
    olderThanMs: number,
    limit?: number,
  ): Promise<{ key: string; body: string; receivedAt: number }[]>;
  /** Marks an event done where nothing else needs writing. */
  finish(key: string): Promise<void>;
  /** Lets go of an event this process took, finished or not. */
  release(key: string): void;
}

export function createInbox(
  db: Kysely<Schema>,
  now: () => number = Date.now,
  locks: SessionLocks = memoryLocks(),
): Inbox {
  const lockOf = (key: string) => `inbox:${key}`;
  const stateOf = async (key: string) =>
    (await db.selectFrom('inbox').select('state').where('key', '=', key).executeTakeFirst())?.state;

  /** Runs `work` holding the event's lock, keeping it only when `work` says so. */
  async function holding<T>(key: string, work: () => Promise<{ keep: boolean; value: T }>) {
    const { keep, value } = await work().catch((error: unknown) => {
      locks.release(lockOf(key));
      throw error;
    });
    if (!keep) locks.release(lockOf(key));
    return value;
  }

  return {
    async record(key, body) {
      if (!(await locks.take(lockOf(key)))) return 'in-progress';
      return holding(key, async () => {
        const result = await db
          .insertInto('inbox')
          .values({ key, body, state: 'pending', received_at: now() })
          .onConflict((conflict) => conflict.column('key').doNothing())
          .executeTakeFirst();
        if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return { keep: true, value: 'new' as const };
        // Seen before, and nobody alive holds it: finished already, or left by a process that died.
        const state = (await stateOf(key)) ?? 'done';
        return state === 'pending'
          ? { keep: true, value: 'unfinished' as const }
          : { keep: false, value: 'done' as const };
      });
    },
    async abandoned(olderThanMs, limit = 100) {
      const rows = await db
        .selectFrom('inbox')
        .select(['key', 'body', 'received_at'])
        .where('state', '=', 'pending')
        .where('received_at', '<=', now() - olderThanMs)
        .orderBy('received_at')
        .limit(limit)
        .execute();
      const taken: { key: string; body: string; receivedAt: number }[] = [];
      for (const row of rows) {
        if (!(await locks.take(lockOf(row.key)))) continue; // a live process is on it
        const pending = await holding(row.key, async () => {
          const still = (await stateOf(row.key)) === 'pending';
          return { keep: still, value: still };
        });
        if (pending) taken.push({ key: row.key, body: row.body ?? '', receivedAt: row.received_at });
      }
      return taken;
    },
    async finish(key) {
      await finishEvent(db, key, now());
    },
    release(key) {
      locks.release(lockOf(key));
    },
  };
}

/**
 * Marks `key` done inside the transaction that does its work, so the work and "done" are one step. An event
 * that never went through record() (a Discord interaction) is inserted done. False: it was done already.
 */
export async function finishEvent(
  db: Kysely<Schema> | Transaction<Schema>,
  key: string,
  at: number,
): Promise<boolean> {
  const result = await db
    .insertInto('inbox')
    .values({ key, body: null, state: 'done', received_at: at })
    .onConflict((conflict) =>
      conflict.column('key').doUpdateSet({ state: 'done', body: null }).where('inbox.state', '=', 'pending'),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}
