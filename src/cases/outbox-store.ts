// The outbox's rows: what waits to be sent to either side, stored in the transaction that decided it, then
// taken by one delivering process at a time (so replicas sharing the database never send the same thing
// twice) and marked done, or retried later, or failed for good. A case's deliveries to one side are held by one
// process at a time, through a lock that dies with it (src/store/session-locks.ts): a replica killed
// mid-delivery holds nothing, and the next goes on at once.
import type { Kysely, Transaction } from 'kysely';
import type { OutboxRow, Schema, Target } from '../store/schema.js';
import { memoryLocks, type SessionLocks } from '../store/session-locks.js';
import type { Delivery, Outgoing } from './deliveries.js';

export type Db = Kysely<Schema> | Transaction<Schema>;

/** Deliveries newest() looks back over. */
const ROWS_LOOKED_BACK = 20;

/** A case's deliveries to one side, just stored. */
export interface Stored {
  caseId: number;
  target: Target;
}

/** Stores deliveries for a case, inside the caller's transaction. */
export async function enqueue(tx: Db, caseId: number, outgoing: Outgoing[], at: number): Promise<void> {
  if (outgoing.length === 0) return;
  await tx
    .insertInto('outbox')
    .values(
      outgoing.map(({ target, delivery, afterMs = 0 }) => ({
        case_id: caseId,
        target,
        payload: JSON.stringify(delivery),
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: at + afterMs,
        locked_until: null,
        warned_at: null,
        last_error: null,
        created_at: at,
        delivered_at: null,
      })),
    )
    .execute();
}

/**
 * What a delivery writes down about what the platform answered (a message's copy on the other side, the post or
 * thread it made), in the transaction that records it as done: one commit for both, so what the platform has
 * is never sent again. `committed` runs once that commit is through (waking what the writing stored).
 */
export interface Bookkeeping {
  write(tx: Transaction<Schema>): Promise<unknown>;
  committed?(): Promise<void>;
}

export function createOutboxStore(
  db: Kysely<Schema>,
  now: () => number,
  locks: SessionLocks = memoryLocks(),
) {
  /** One lock per case and side: whoever holds it sends that case's messages to that side, in order. */
  const lockOf = (caseId: number, target: Target) => `outbox:${caseId}:${target}`;
  /** The pending rows of a case to a side, in order, after row `after` (0: from the first), at most `limit`. */
  const pending = (caseId: number, target: Target, after: number, limit: number) =>
    db
      .selectFrom('outbox')
      .selectAll()
      .where('case_id', '=', caseId)
      .where('target', '=', target)
      .where('state', '=', 'pending')
      .where('id', '>', after)
      .orderBy('id')
      .limit(limit)
      .execute();
  /** False: the row is gone (its customer was forgotten meanwhile, data-care.ts). */
  const stillThere = (result: { numUpdatedRows: bigint }) => result.numUpdatedRows > 0n;
  const markDone = async (on: Db, row: OutboxRow) =>
    stillThere(
      await on
        .updateTable('outbox')
        .set({ state: 'done', delivered_at: now(), last_error: null })
        .where('id', '=', row.id)
        .executeTakeFirst(),
    );
  return {
    /**
     * The first pending row of each case's deliveries to `target`, where that row is due now: first those never
     * tried, then retries, longest due first, at most `limit`. A row waiting behind another of its case is
     * never among them (it goes after it), and rows not due yet are never read: however many are stuck, each
     * case gets its turn.
     */
    due: (target: Target, limit: number) =>
      db
        .selectFrom('outbox as o')
        .selectAll('o')
        .where('o.target', '=', target)
        .where('o.state', '=', 'pending')
        .where('o.next_attempt_at', '<=', now())
        .where(({ exists, not, selectFrom }) =>
          not(
            exists(
              selectFrom('outbox as e')
                .select('e.id')
                .where('e.state', '=', 'pending')
                .whereRef('e.case_id', '=', 'o.case_id')
                .whereRef('e.target', '=', 'o.target')
                .whereRef('e.id', '<', 'o.id'),
            ),
          ),
        )
        .orderBy((eb) => eb('o.attempts', '>', 0))
        .orderBy('o.next_attempt_at')
        .orderBy('o.id')
        .limit(limit)
        .execute(),
    /**
     * Takes a case's deliveries to `target` for this process: its pending rows, as they are now, in order, at
     * most `limit`; undefined when another process holds them. release() them once what was sent is recorded.
     */
    async hold(caseId: number, target: Target, limit: number): Promise<OutboxRow[] | undefined> {
      if (!(await locks.take(lockOf(caseId, target)))) return undefined;
      return pending(caseId, target, 0, limit).catch((error: unknown) => {
        locks.release(lockOf(caseId, target));
        throw error;
      });
    },
    /** The pending rows after `row` in its case's deliveries to the same side (held), at most `limit`. */
    after: (row: OutboxRow, limit: number) => pending(row.case_id, row.target, row.id, limit),
    release: (caseId: number, target: Target) => locks.release(lockOf(caseId, target)),
    /**
     * Delivered: recorded as done, with what the delivery writes down about it, in one transaction. False: the
     * row is gone.
     */
    done: (row: OutboxRow, bookkeeping?: Bookkeeping) =>
      bookkeeping
        ? db.transaction().execute(async (tx) => {
            await bookkeeping.write(tx);
            return markDone(tx, row);
          })
        : markDone(db, row),
    /**
     * A failed attempt: tried again after `waitMs`, or never (`final`: refused for good, or tried enough).
     * False: the row is gone.
     */
    failed: async (row: OutboxRow, error: string, waitMs: number, final: boolean) =>
      stillThere(
        await db
          .updateTable('outbox')
          .set({
            state: final ? 'failed' : 'pending',
            attempts: row.attempts + 1,
            next_attempt_at: now() + waitMs,
            last_error: error.slice(0, 500),
          })
          .where('id', '=', row.id)
          .executeTakeFirst(),
      ),
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
    /** The newest of a case's last deliveries to `target` that `which` picks. */
    newest: async (caseId: number, target: Target, which: (delivery: Delivery) => boolean) =>
      (
        await db
          .selectFrom('outbox')
          .select(['payload', 'state'])
          .where('case_id', '=', caseId)
          .where('target', '=', target)
          .orderBy('id', 'desc')
          .limit(ROWS_LOOKED_BACK)
          .execute()
      ).find((row) => which(JSON.parse(row.payload) as Delivery)),
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
