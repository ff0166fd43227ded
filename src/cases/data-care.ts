// What the bot keeps about a customer, and letting it go: the words of case messages older than the retention
// period are erased (counts and times stay for the report); one customer can be forgotten (their words erased,
// their name, id and address replaced by a tombstone everywhere the bot keeps them: cases, cards, messages,
// what the outbox and the inbox of platform events hold) or exported as JSON. Each runs in one transaction, on either engine.
import type { Kysely, Transaction } from 'kysely';
import { FORGOTTEN_NAME } from '../messages/report.js';
import type { Schema } from '../store/schema.js';
import { recordActivity } from './activity.js';
import type { Delivery } from './deliveries.js';
import { forgottenCard, withoutAddress } from './forgotten.js';
import { enqueue } from './outbox-store.js';
import { tombstone as forgottenId } from './tombstone.js';

const DAY_MS = 86_400_000;
/** Outbox rows rewritten per statement by the retention pass. */
const BATCH = 500;

/** `%` and `_` match anything in LIKE: the text is matched as written, anywhere (or at the end) of the column. */
const escaped = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);
const like = async (column: string, text: string, where: 'anywhere' | 'at the end' = 'anywhere') => {
  const { sql } = await import('kysely'); // here: the CLI has this file and never opens a database
  return sql<boolean>`${sql.ref(column)} LIKE ${`%${escaped(text)}${where === 'anywhere' ? '%' : ''}`} ESCAPE '\\'`;
};

/**
 * An event they sent, as the inbox keeps it: the customer's side's JSON, where the one who wrote a message (and
 * an edited or deleted message, before and after) is its `"user"`. Not any event their id appears in: a reply
 * to them names them as its thread's author, a message may mention them, and neither holds their words.
 */
const sentBy = (customerId: string) => like('body', `"user":${JSON.stringify(customerId)}`);

/**
 * A customer as staff name them: their id as the customer's side gives it, or a chat mention of it
 * (`<@U0123ABCD>`, `<@U0123ABCD|alice>`); undefined when it cannot be an id.
 */
export function parseCustomerId(text: string): string | undefined {
  const id = /^<@([^|>]+)(?:\|[^>]*)?>$/.exec(text.trim())?.[1] ?? text.trim();
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id) ? id : undefined;
}

export interface Kept {
  cases: number;
  messages: number;
  /** The names the customer had on their cases. */
  names: string[];
}

export function createDataCare(db: Kysely<Schema>, now: () => number = Date.now) {
  const messagesBy = (on: Kysely<Schema> | Transaction<Schema>, customerId: string) =>
    on.selectFrom('case_messages').where('author_id', '=', customerId);

  /** How much is kept about a customer: what forgetting them would erase. */
  async function kept(customerId: string): Promise<Kept> {
    const cases = await db
      .selectFrom('cases')
      .select('customer_name')
      .where('customer_id', '=', customerId)
      .execute();
    const { count } = await messagesBy(db, customerId)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return {
      cases: cases.length,
      messages: Number(count),
      names: [...new Set(cases.map((row) => row.customer_name))],
    };
  }

  return {
    kept,

    /**
     * Erases a customer's words and identity; their cases stay, under a tombstone, as counts. A case still open
     * is closed (nobody could answer a customer the bot no longer knows), and each post's card is redrawn.
     */
    async forget(customerId: string): Promise<Kept> {
      const before = await kept(customerId); // none: what waits about them still goes (events, counters)
      const tombstone = forgottenId();
      const at = now();
      await db.transaction().execute(async (tx) => {
        // Their cases are held first, as every event on a case holds it: one under way (a reopening message) is
        // committed before anything of theirs is read, and one after finds the tombstone.
        await tx
          .updateTable('cases')
          .set((eb) => ({ updated_at: eb.ref('updated_at') }))
          .where('customer_id', '=', customerId)
          .execute();
        const theirs = await tx
          .selectFrom('cases')
          .selectAll()
          .where('customer_id', '=', customerId)
          .execute();
        const messageIds = (await messagesBy(tx, customerId).select('id').execute()).map((row) => row.id);
        await tx
          .updateTable('case_messages')
          .set({ text: null, author_id: tombstone, author_name: FORGOTTEN_NAME })
          .where('author_id', '=', customerId)
          .execute();
        // The whole conversation of their cases goes: staff's replies to them speak of them too.
        if (theirs.length > 0)
          await tx
            .updateTable('case_messages')
            .set({ text: null })
            .where(
              'case_id',
              'in',
              theirs.map((row) => row.id),
            )
            .execute();
        for (const row of theirs) {
          const open = row.status !== 'resolved';
          await tx
            .updateTable('cases')
            .set({
              customer_id: tombstone,
              customer_name: FORGOTTEN_NAME,
              customer_place: tombstone,
              customer_thread: null,
              question: withoutAddress(row.question),
              customer_words: null,
              customer_email: null,
              card: row.card && forgottenCard(row.card, row.question, row.customer_email),
              // Closed now, so a report over this period counts it, however long it had been quiet.
              ...(open
                ? { status: 'resolved' as const, resolved_at: at, snoozed_until: null, updated_at: at }
                : {}),
            })
            .where('id', '=', row.id)
            .execute();
          if (open)
            await recordActivity(tx, row.id, [{ kind: 'closed', staffId: null, staffName: null, at }]);
          // What waited or was delivered for the case held their words: gone; the post shows the tombstone.
          await tx.deleteFrom('outbox').where('case_id', '=', row.id).execute();
          if (row.staff_thread)
            await enqueue(tx, row.id, [{ target: 'staff', delivery: { kind: 'status' } }], at);
        }
        await eraseRelayed(tx, messageIds);
        await tx
          .updateTable('inbox')
          .set({ body: null, state: 'done' })
          .where(await sentBy(customerId))
          .execute();
        await tx
          .deleteFrom('rate_limits')
          .where(await like('key', `:${customerId}`, 'at the end'))
          .execute();
      });
      return before;
    },

    /** Everything kept about a customer, for them to read: their cases with the conversation, and their words elsewhere. */
    async export(customerId: string) {
      const cases = await db
        .selectFrom('cases')
        .selectAll()
        .where('customer_id', '=', customerId)
        .orderBy('id')
        .execute();
      const messages = await db
        .selectFrom('case_messages')
        .selectAll()
        .where((where) =>
          where.or([
            where('author_id', '=', customerId),
            where.and([
              where('origin', '=', 'staff'),
              where('case_id', 'in', cases.map((row) => row.id).concat(-1)),
            ]),
          ]),
        )
        .orderBy('id')
        .execute();
      const waiting = await db
        .selectFrom('inbox')
        .select('received_at')
        .where(await sentBy(customerId))
        .execute();
      const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());
      const message = (row: (typeof messages)[number]) => ({
        from: row.origin === 'staff' ? 'staff' : 'customer',
        author: row.author_name,
        text: row.text,
        deleted: row.deleted === 1,
        at: iso(row.created_at),
      });
      const own = new Set(cases.map((row) => row.id));
      return {
        customer: { id: customerId, names: [...new Set(cases.map((row) => row.customer_name))] },
        exportedAt: iso(now()),
        cases: cases.map((row) => ({
          id: row.id,
          status: row.status,
          question: row.question,
          whatHappens: row.customer_words,
          program: row.program,
          email: row.customer_email,
          askedIn: row.customer_place,
          openedAt: iso(row.created_at),
          firstResponseAt: iso(row.first_response_at),
          resolvedAt: iso(row.resolved_at),
          claimedBy: row.claimed_by,
          resolvedBy: row.resolved_by,
          rating: row.rating,
          messages: messages.filter((m) => m.case_id === row.id).map(message),
        })),
        messagesInOtherCases: messages
          .filter((m) => !own.has(m.case_id))
          .map((m) => ({ caseId: m.case_id, ...message(m) })),
        eventsNotYetHandled: waiting.map((row) => ({ receivedAt: iso(row.received_at) })),
      };
    },

    /**
     * Erases the words of case messages older than `days` (and the words inside what was delivered or refused
     * by then, and event bodies never finished): rows, counts and times stay.
     */
    async retain(days: number): Promise<{ messages: number; deliveries: number; events: number }> {
      const before = now() - days * DAY_MS;
      const messages = await db
        .updateTable('case_messages')
        .set({ text: null })
        .where('created_at', '<', before)
        .where('text', 'is not', null)
        .executeTakeFirst();
      // What they wrote when they asked for a person is theirs too.
      await db
        .updateTable('cases')
        .set({ customer_words: null })
        .where('created_at', '<', before)
        .where('customer_words', 'is not', null)
        .execute();
      let deliveries = 0;
      for (let after = 0; ; ) {
        const rows = await db
          .selectFrom('outbox')
          .select(['id', 'payload'])
          .where('id', '>', after)
          .where('state', '!=', 'pending')
          .where('created_at', '<', before)
          .where(await like('payload', '"text":'))
          .orderBy('id')
          .limit(BATCH)
          .execute();
        for (const row of rows) {
          const { text: _, ...rest } = JSON.parse(row.payload) as Delivery & { text?: string };
          await db
            .updateTable('outbox')
            .set({ payload: JSON.stringify(rest) })
            .where('id', '=', row.id)
            .execute();
        }
        deliveries += rows.length;
        if (rows.length < BATCH) break;
        after = rows.at(-1)?.id ?? after;
      }
      const events = await db
        .updateTable('inbox')
        .set({ body: null, state: 'done' })
        .where('state', '=', 'pending')
        .where('received_at', '<', before)
        .executeTakeFirst();
      return {
        messages: Number(messages.numUpdatedRows),
        deliveries,
        events: Number(events.numUpdatedRows),
      };
    },
  };
}
export type DataCare = ReturnType<typeof createDataCare>;
export type CustomerExport = Awaited<ReturnType<DataCare['export']>>;

/** Their words relayed in other people's cases (written in someone else's thread): the text goes. */
async function eraseRelayed(tx: Transaction<Schema>, messageIds: number[]): Promise<void> {
  if (messageIds.length === 0) return;
  const ids = new Set(messageIds);
  const rows = await tx
    .selectFrom('outbox')
    .select(['id', 'payload'])
    .where(await like('payload', '"messageId":'))
    .execute();
  for (const row of rows) {
    const delivery = JSON.parse(row.payload) as Delivery;
    if (!('messageId' in delivery) || !ids.has(delivery.messageId)) continue;
    const { text: _, ...rest } = delivery as Delivery & { text?: string };
    const payload = JSON.stringify({ ...rest, ...('author' in rest ? { author: FORGOTTEN_NAME } : {}) });
    await tx.updateTable('outbox').set({ payload }).where('id', '=', row.id).execute();
  }
}
