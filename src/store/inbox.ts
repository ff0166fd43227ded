// Platform events taken in before they are acknowledged: the event's key (Slack's event_id, Discord's
// interaction id) makes a retried or replayed event a no-op, and the stored body lets a restart finish an
// event whose work was cut short.
import type { Kysely, Transaction } from 'kysely';
import type { Schema } from './schema.js';

export interface Inbox {
  /**
   * Stores an event before it is acknowledged: `new`, or what became of it when it was seen before: `done`
   * (a retry of finished work: skip it) or `pending` (taken in but not finished: process it again).
   */
  record(key: string, body: string): Promise<'new' | 'pending' | 'done'>;
  /** Events recorded but not finished (the process stopped in between), oldest first. */
  unfinished(): Promise<{ key: string; body: string }[]>;
  /** Marks an event done where nothing else needs writing. */
  finish(key: string): Promise<void>;
}

export function createInbox(db: Kysely<Schema>, now: () => number = Date.now): Inbox {
  return {
    async record(key, body) {
      const result = await db
        .insertInto('inbox')
        .values({ key, body, state: 'pending', received_at: now() })
        .onConflict((conflict) => conflict.column('key').doNothing())
        .executeTakeFirst();
      if (Number(result.numInsertedOrUpdatedRows ?? 0) > 0) return 'new';
      const seen = await db.selectFrom('inbox').select('state').where('key', '=', key).executeTakeFirst();
      return seen?.state ?? 'done';
    },
    async unfinished() {
      const rows = await db
        .selectFrom('inbox')
        .select(['key', 'body'])
        .where('state', '=', 'pending')
        .orderBy('received_at')
        .execute();
      return rows.map((row) => ({ key: row.key, body: row.body ?? '' }));
    },
    async finish(key) {
      await finishEvent(db, key, now());
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
