// Every query the case relay makes about cases and their messages, in one place: finding a case by either
// side's thread, opening one, applying a lifecycle step (its changes and deliveries) in the transaction that
// records the event, and keeping track of each message's copy on the other side. Whoever stores deliveries
// here wakes the outbox through `onStored`, so nothing here calls the outbox back.
import type { Kysely, Transaction, Updateable } from 'kysely';
import { fail, ok } from '../model/result.js';
import type { Engine } from '../store/engine.js';
import { finishEvent } from '../store/inbox.js';
import type { CaseMessagesTable, CaseRow, Schema, Target } from '../store/schema.js';
import { activityOf, recordActivity } from './activity.js';
import { toColumns } from './case-columns.js';
import type { Author, CaseEvent, Step } from './case-state.js';
import { type CustomerSaid, intakeOf, storable } from './intake.js';
import { type Db, enqueue, type Stored } from './outbox-store.js';
import type { CaseCard, CaseView } from './ports.js';
import { cardOf } from './recognise.js';
import { createRelatedStore } from './related-store.js';

export { toState } from './case-columns.js';
export type { Db } from './outbox-store.js';

/** A message to keep: who wrote it where, and what it says. */
export interface NewMessage {
  /** `waiting`: only an edit or a deletion of it came so far. */
  origin: 'customer' | 'staff' | 'waiting';
  customerMessage?: string;
  author: Author;
  text?: string;
  deleted?: boolean;
  /** When it was edited on its side, for an edit that came first. */
  editedAt?: number;
}

/**
 * An edit that changes nothing: made before the one the message shows (a retried event arriving late), or of a
 * message its author has deleted since. A deletion always stands.
 */
export const outdatedChange = (
  known: { deleted: number | null; edited_at: number | null } | undefined,
  change: { text?: string; editedAt?: number },
) =>
  known !== undefined &&
  change.text !== undefined &&
  (known.deleted === 1 || (change.editedAt !== undefined && (known.edited_at ?? 0) >= change.editedAt));

/** What opening a case needs (with what the customer said besides the question, intake.ts). */
export interface NewCaseRequest extends CustomerSaid {
  /** Where the customer asked, as the customer's side encodes it. */
  place: string;
  customerId: string;
  customerName: string;
  question: string;
}

export function createCaseStore(db: Kysely<Schema>, engine: Engine, now: () => number) {
  let listener = (_stored: Stored[]) => {};
  /** What each transaction under way stored for the outbox, told to the listener once it is committed. */
  const storedIn = new WeakMap<Db, Stored[]>();

  /**
   * Runs `work` in one transaction with the event recorded as done (`key`), then tells the listener whose
   * deliveries it stored. `duplicate` when the event was done already (retried, or handled by another replica).
   */
  async function change<T>(key: string | undefined, work: (tx: Transaction<Schema>) => Promise<T>) {
    const stored: Stored[] = [];
    const result = await db.transaction().execute(async (tx) => {
      storedIn.set(tx, stored);
      if (key && !(await finishEvent(tx, key, now()))) return fail('duplicate' as const);
      return ok(await work(tx));
    });
    if (stored.length > 0) listener(stored);
    return result;
  }

  const cases = (on: Db = db) => on.selectFrom('cases').selectAll();

  return {
    change,
    /**
     * Runs `work` inside a transaction begun elsewhere (an outbox row's done mark, outbox-store.ts); what it
     * returns tells the listener whose deliveries `work` stored, once that transaction is committed.
     */
    async within(tx: Transaction<Schema>, work: (tx: Transaction<Schema>) => Promise<unknown>) {
      const stored: Stored[] = [];
      storedIn.set(tx, stored);
      await work(tx);
      return () => {
        if (stored.length > 0) listener(stored);
      };
    },
    /** The queries about other cases a card shows (earlier ones, those sharing a cause). */
    related: createRelatedStore(db, now),
    /** Called after each change that stored deliveries, with whose. */
    onStored(told: (stored: Stored[]) => void): void {
      listener = told;
    },

    byId: (id: number) => cases().where('id', '=', id).executeTakeFirstOrThrow(),
    find: (id: number) => cases().where('id', '=', id).executeTakeFirst(),
    /**
     * The case read again inside a transaction, and held until it ends, so two events on one case never decide
     * from the same old state (PostgreSQL locks the row; SQLite runs one transaction at a time anyway).
     */
    lock: (tx: Transaction<Schema>, id: number) => {
      const query = cases(tx).where('id', '=', id);
      return (engine === 'postgres' ? query.forUpdate() : query).executeTakeFirstOrThrow();
    },
    byCustomerThread: (thread: string, on: Db = db) =>
      cases(on).where('customer_thread', '=', thread).executeTakeFirst(),
    byStaffThread: (thread: string, on: Db = db) =>
      cases(on).where('staff_thread', '=', thread).executeTakeFirst(),
    /** The customer's case still open where they asked, if any. */
    openCaseOf: (place: string, customerId: string, on: Db = db) =>
      cases(on)
        .where('customer_place', '=', place)
        .where('customer_id', '=', customerId)
        .where('status', '!=', 'resolved')
        .executeTakeFirst(),
    /**
     * Every case not resolved that staff can see, for the clocks to look at: one whose post is not made yet, or
     * never will be (refused for good), has nobody to remind.
     */
    openCases: () =>
      cases().where('status', '!=', 'resolved').where('staff_thread', 'is not', null).execute(),

    async insertCase(tx: Db, request: NewCaseRequest): Promise<CaseRow> {
      const at = now();
      return tx
        .insertInto('cases')
        .values({
          status: 'new',
          customer_place: request.place,
          customer_thread: null,
          customer_id: request.customerId,
          customer_name: request.customerName,
          question: request.question.slice(0, 1000),
          staff_thread: null,
          card: null,
          claimed_by: null,
          claimed_by_id: null,
          resolved_by: null,
          rating: null,
          reminded_at: null,
          staff_turn_since: at,
          escalated_at: null,
          first_response_at: null,
          customer_turn_since: null,
          followed_up_at: null,
          snoozed_until: null,
          resolved_at: null,
          resolution_warned_at: null,
          resolution_escalated_at: null,
          created_at: at,
          updated_at: at,
          ...intakeOf(request),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /**
     * Applies a lifecycle step to the case and stores its deliveries and what the report keeps of it (the
     * `event` says who acted); returns the case as it is now.
     */
    async apply(tx: Db, row: CaseRow, step: Step, event?: CaseEvent): Promise<CaseRow> {
      const update = toColumns(step.changes);
      if (Object.keys(update).length > 0)
        await tx
          .updateTable('cases')
          .set({ ...update, updated_at: now() })
          .where('id', '=', row.id)
          .execute();
      await enqueue(tx, row.id, step.deliveries, now());
      await recordActivity(tx, row.id, activityOf(event, step.changes, now()));
      storedIn.get(tx)?.push(...step.deliveries.map(({ target }) => ({ caseId: row.id, target })));
      return { ...row, ...update };
    },

    /** Where a delivery left its mark: the thread it opened, the post it created (with its card). */
    setCustomerThread: (tx: Db, id: number, thread: string) =>
      tx
        .updateTable('cases')
        .set({ customer_thread: thread, updated_at: now() })
        .where('id', '=', id)
        .execute(),
    setStaffThread: (tx: Db, id: number, thread: string, card: CaseCard) =>
      tx
        .updateTable('cases')
        .set({ staff_thread: thread, card: JSON.stringify(card), updated_at: now() })
        .where('id', '=', id)
        .execute(),
    setCard: (id: number, card: CaseCard, on: Db = db) =>
      on
        .updateTable('cases')
        .set({ card: JSON.stringify(card) })
        .where('id', '=', id)
        .execute(),

    /** Stores a relayed message; its copy on the other side is recorded when delivered. */
    async insertMessage(tx: Db, caseId: number, message: NewMessage) {
      const { id } = await tx
        .insertInto('case_messages')
        .values({
          case_id: caseId,
          origin: message.origin,
          customer_message: message.customerMessage ?? null,
          staff_message: null,
          author_id: message.author.id,
          author_name: message.author.name,
          text: message.text === undefined ? null : storable(message.text),
          deleted: message.deleted ? 1 : null,
          edited_at: message.editedAt ?? null,
          created_at: now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return id;
    },
    /** A message from the customer's thread, taken in already (or only its edit so far), by its reference. */
    customerMessage: (customerMessage: string, on: Db = db) =>
      on
        .selectFrom('case_messages')
        .selectAll()
        .where('customer_message', '=', customerMessage)
        .where('origin', 'in', ['customer', 'waiting'])
        .executeTakeFirst(),
    /** A message whose edit or deletion came first has arrived itself. */
    arrived: (tx: Db, messageId: number) =>
      tx.updateTable('case_messages').set({ origin: 'customer' }).where('id', '=', messageId).execute(),
    /** The message reads `text` now, or was deleted (no text). */
    changeMessage: (tx: Db, messageId: number, text: string | undefined, editedAt?: number) =>
      tx
        .updateTable('case_messages')
        .set(
          text === undefined
            ? { deleted: 1 }
            : { text: storable(text), ...(editedAt ? { edited_at: editedAt } : {}) },
        )
        .where('id', '=', messageId)
        .execute(),
    /** The message's copy on `side` (where the relay posted it), null while it has none. */
    async copyOf(messageId: number, side: Target = 'staff'): Promise<string | null> {
      const column = side === 'staff' ? 'staff_message' : 'customer_message';
      const query = db.selectFrom('case_messages').select(column).where('id', '=', messageId);
      return (await query.executeTakeFirst())?.[column] ?? null;
    },
    setCopy: (messageId: number, copy: Updateable<CaseMessagesTable>, on: Db = db) =>
      on.updateTable('case_messages').set(copy).where('id', '=', messageId).execute(),

    /** Forgets a case that could never be opened (nobody could ever see it), with what it had to send. */
    drop: (id: number) =>
      db.transaction().execute(async (tx) => {
        await tx.deleteFrom('outbox').where('case_id', '=', id).execute();
        await tx.deleteFrom('cases').where('id', '=', id).execute();
      }),
  };
}
export type CaseStore = ReturnType<typeof createCaseStore>;

/** The sides' view of a stored case. */
export function toView(row: CaseRow): CaseView {
  return {
    id: row.id,
    status: row.status,
    customerPlace: row.customer_place,
    customerThread: row.customer_thread,
    customerId: row.customer_id,
    customerName: row.customer_name,
    question: row.question,
    ...(row.domain ? { domain: row.domain } : {}),
    ...(row.customer_words ? { customerWords: row.customer_words } : {}),
    ...(row.program ? { program: row.program } : {}),
    ...(row.customer_email ? { customerEmail: row.customer_email } : {}),
    staffThread: row.staff_thread,
    ...(row.card ? { card: cardOf(row) } : {}),
    claimedBy: row.claimed_by,
    claimedById: row.claimed_by_id,
    resolvedBy: row.resolved_by,
    rating: row.rating,
    snoozedUntil: row.snoozed_until,
  };
}
