// The outbox's rows: what waits to be sent to either side, stored in the transaction that decided it, then
// taken by one delivering process at a time (so replicas sharing the database never send the same thing
// twice) and marked done, or retried later, or refused for good.
import type { Kysely, Transaction } from 'kysely';
import type { OutboxRow, Schema, Target } from '../store/schema.js';
import type { Outgoing } from './deliveries.js';

export type Db = Kysely<Schema> | Transaction<Schema>;

/** How long a delivering process holds a row before another may take it. */
const LOCK_MS = 60_000;

/** Stores deliveries for a case, inside the caller's transaction. */
export async function enqueue(tx: Db, caseId: number, outgoing: Outgoing[], at: number): Promise<void> {
  if (outgoing.length === 0) return;
  await tx
    .insertInto('outbox')
    .values(
      outgoing.map(({ target, delivery }) => ({
        case_id: caseId,
        target,
        payload: JSON.stringify(delivery),
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: at,
        locked_until: null,
        warned_at: null,
        last_error: null,
        created_at: at,
        delivered_at: null,
      })),
    )
    .execute();
}

export function createOutboxStore(db: Kysely<Schema>, now: () => number) {
  return {
    /** The oldest pending rows, at most `limit`. */
    pending: (limit: number) =>
      db.selectFrom('outbox').selectAll().where('state', '=', 'pending').orderBy('id').limit(limit).execute(),
    /** Takes a row for this process; false when another process holds it or it is no longer pending. */
    async hold(row: OutboxRow): Promise<boolean> {
      const at = now();
      const held = await db
        .updateTable('outbox')
        .set({ locked_until: at + LOCK_MS })
        .where('id', '=', row.id)
        .where('state', '=', 'pending')
        .where((where) => where.or([where('locked_until', 'is', null), where('locked_until', '<', at)]))
        .executeTakeFirst();
      return Number(held.numUpdatedRows) > 0;
    },
    done: (row: OutboxRow) =>
      db
        .updateTable('outbox')
        .set({ state: 'done', delivered_at: now(), locked_until: null, last_error: null })
        .where('id', '=', row.id)
        .execute(),
    /** A failed attempt: tried again after `waitMs`, or never (`refused`). */
    failed: (row: OutboxRow, error: string, waitMs: number, refused: boolean) =>
      db
        .updateTable('outbox')
        .set({
          state: refused ? 'failed' : 'pending',
          attempts: row.attempts + 1,
          next_attempt_at: now() + waitMs,
          last_error: error.slice(0, 500),
          locked_until: null,
        })
        .where('id', '=', row.id)
        .execute(),
    warned: (row: OutboxRow) =>
      db.updateTable('outbox').set({ warned_at: now() }).where('id', '=', row.id).execute(),
    /** A later status update for the case is waiting: it will show the newest state. */
    laterSameDelivery: async (row: OutboxRow) =>
      (await db
        .selectFrom('outbox')
        .select('id')
        .where('case_id', '=', row.case_id)
        .where('state', '=', 'pending')
        .where('payload', '=', row.payload)
        .where('id', '>', row.id)
        .executeTakeFirst()) !== undefined,
    /** A case's first delivery a side refused for good (a thread, a post), with what it said. */
    async refusal(caseId: number): Promise<{ target: Target; error: string } | undefined> {
      const row = await db
        .selectFrom('outbox')
        .select(['target', 'last_error'])
        .where('case_id', '=', caseId)
        .where('state', '=', 'failed')
        .where('payload', 'in', [
          JSON.stringify({ kind: 'create-post' }),
          JSON.stringify({ kind: 'open-thread' }),
        ])
        .executeTakeFirst();
      return row && { target: row.target, error: row.last_error ?? 'refused' };
    },
    /** Records the parts of a delivery posted so far. */
    progress: (row: OutboxRow, parts: string[]) =>
      db
        .updateTable('outbox')
        .set({ progress: JSON.stringify(parts) })
        .where('id', '=', row.id)
        .execute(),
  };
}
export type OutboxStore = ReturnType<typeof createOutboxStore>;
