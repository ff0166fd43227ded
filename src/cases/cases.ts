// Support cases: a customer's Slack thread joined to a Discord forum post. Every change is one database
// transaction that records the event (so a retried event does nothing), updates the case and stores what
// each platform must be sent; the outbox then delivers it, in order, until it arrives.
import type { Kysely, Transaction } from 'kysely';
import type { Checker } from '../check/check.js';
import * as words from '../messages/cases.js';
import { inOrder } from '../model/in-order.js';
import type { Logger } from '../model/logger.js';
import { fail, ok, type Result } from '../model/result.js';
import type { Resolver } from '../resolve/resolver.js';
import type { Database } from '../store/database.js';
import { finishEvent } from '../store/inbox.js';
import type { CaseRow, CaseStatus, Schema } from '../store/schema.js';
import { describeQuestion, toView } from './case-view.js';
import { createDelivery } from './deliver.js';
import type { Delivery, Target } from './deliveries.js';
import { createOutbox } from './outbox.js';
import type { CaseView, CustomerSide, StaffSide } from './ports.js';

/** The defaults of the options below, also the configuration's (src/app/config.ts). */
export const CASE_DEFAULTS = { reminderMinutes: 15 } as const;

export interface CasesOptions {
  database: Database;
  customer: CustomerSide;
  staff: StaffSide;
  resolver: Resolver;
  /** Runs the live check shown on the case card, when checks are enabled. */
  checker?: Checker;
  log: Logger;
  now?: () => number;
  /** A case nobody claimed gets one reminder after this long. @default 15 minutes */
  reminderMs?: number;
  /** Staff are told a reply has not reached the customer after this long. @default 60_000 */
  warnAfterMs?: number;
  /** @default 1000 */
  pollMs?: number;
  /** @default 60_000 */
  maxBackoffMs?: number;
}

type Db = Kysely<Schema> | Transaction<Schema>;
/** Who did something on the staff side. */
export interface Staff {
  id: string;
  name: string;
}
export type CaseProblem = 'not-a-case' | 'duplicate' | 'already-open' | 'resolved' | 'not-yours';

export function createCases(options: CasesOptions) {
  const { database, customer, staff, log, now = Date.now } = options;
  const { db } = database;
  const reminderMs = options.reminderMs ?? CASE_DEFAULTS.reminderMinutes * 60_000;
  const delivery = createDelivery({
    db,
    customer,
    staff,
    resolver: options.resolver,
    ...(options.checker ? { checker: options.checker } : {}),
    now,
    send: (tx, caseId, target, what) => outbox.enqueue(tx, caseId, target, what),
    change: (key, work) => change(key, work),
    kick: () => outbox.kick(),
  });
  const outbox = createOutbox({
    db,
    deliver: delivery.deliver,
    late: delivery.late,
    log,
    now,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.warnAfterMs ? { warnAfterMs: options.warnAfterMs } : {}),
    ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
  });
  let reminders: NodeJS.Timeout | undefined;

  const send = (tx: Db, caseId: number, target: Target, delivery: Delivery) =>
    outbox.enqueue(tx, caseId, target, delivery);

  /**
   * Runs `work` in one transaction with the event recorded as done (`key`), then wakes the outbox. Returns
   * `duplicate` when the event was done already: Slack retried it, or a replica handled it.
   */
  async function change<T>(key: string | undefined, work: (tx: Transaction<Schema>) => Promise<T>) {
    const result = await db.transaction().execute(async (tx) => {
      if (key && !(await finishEvent(tx, key, now()))) return fail('duplicate' as const);
      return ok(await work(tx));
    });
    outbox.kick();
    return result;
  }

  async function setStatus(tx: Db, row: CaseRow, status: CaseStatus, extra: Partial<CaseRow> = {}) {
    await tx
      .updateTable('cases')
      .set({ status, updated_at: now(), ...extra })
      .where('id', '=', row.id)
      .execute();
    if (row.discord_thread_id !== null || status !== row.status)
      await send(tx, row.id, 'discord', { kind: 'status' });
  }

  const byThread = (tx: Db, threadId: string) =>
    tx.selectFrom('cases').selectAll().where('discord_thread_id', '=', threadId).executeTakeFirst();
  const bySlackThread = (tx: Db, channel: string, threadTs: string) =>
    tx
      .selectFrom('cases')
      .selectAll()
      .where('slack_channel', '=', channel)
      .where('slack_thread_ts', '=', threadTs)
      .executeTakeFirst();

  async function customerMessage(event: {
    key: string;
    channel: string;
    threadTs: string;
    ts: string;
    text: string;
  }) {
    const row = await bySlackThread(db, event.channel, event.threadTs);
    if (!row) return fail('not-a-case' as const);
    return change(event.key, async (tx) => {
      const seen = await tx
        .selectFrom('case_messages')
        .select('id')
        .where('case_id', '=', row.id)
        .where('slack_ts', '=', event.ts)
        .executeTakeFirst();
      if (seen) return toView(row);
      const message = await tx
        .insertInto('case_messages')
        .values({
          case_id: row.id,
          origin: 'customer',
          slack_ts: event.ts,
          discord_ids: null,
          created_at: now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await send(tx, row.id, 'discord', {
        kind: 'relay',
        messageId: message.id,
        author: row.customer_name,
        text: event.text,
      });
      if (row.status === 'resolved') {
        await setStatus(tx, row, row.claimed_by ? 'claimed' : 'new', { resolved_by: null, rating: null });
        await send(tx, row.id, 'discord', { kind: 'note', text: words.reopened(row.customer_name) });
      } else if (row.status === 'waiting') await setStatus(tx, row, 'claimed');
      return toView(row);
    });
  }
  const oneThreadAtATime = inOrder();

  const byId = (id: number) =>
    db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  /** The staff member's first reply (or settings) claims an unclaimed case; after it, the customer's turn. */
  async function staffActed(tx: Db, row: CaseRow, by: Staff) {
    await setStatus(tx, row, 'waiting', row.claimed_by ? {} : { claimed_by: by.name });
  }

  /** Staff did something in a forum post: `work` on its case, as one change recorded under the event's key. */
  async function inPost<T>(
    event: { key: string; threadId: string },
    work: (tx: Transaction<Schema>, row: CaseRow) => Promise<T>,
  ) {
    const row = await byThread(db, event.threadId);
    if (!row) return fail('not-a-case' as const);
    return change(event.key, (tx) => work(tx, row));
  }

  async function remindOverdue(): Promise<void> {
    const due = await db
      .selectFrom('cases')
      .selectAll()
      .where('status', '=', 'new')
      .where('reminded_at', 'is', null)
      .where('created_at', '<=', now() - reminderMs)
      .execute();
    for (const row of due) {
      await change(undefined, async (tx) => {
        const taken = await tx
          .updateTable('cases')
          .set({ reminded_at: now() })
          .where('id', '=', row.id)
          .where('reminded_at', 'is', null)
          .executeTakeFirst();
        if (Number(taken.numUpdatedRows) > 0) await send(tx, row.id, 'discord', { kind: 'remind' });
      });
    }
  }

  return {
    /**
     * Opens a case for a customer who asked for a person. Stored at once; the Slack post and the Discord
     * forum post follow through the outbox. One open case per customer and conversation.
     */
    async open(request: {
      channel: string;
      customerId: string;
      customerName: string;
      question: string;
    }): Promise<Result<CaseView, { problem: 'already-open'; existing: CaseView }>> {
      const existing = await db
        .selectFrom('cases')
        .selectAll()
        .where('slack_channel', '=', request.channel)
        .where('customer_id', '=', request.customerId)
        .where('status', '!=', 'resolved')
        .executeTakeFirst();
      if (existing) return fail({ problem: 'already-open', existing: toView(existing) });
      const created = await change(undefined, async (tx) => {
        const at = now();
        const row = await tx
          .insertInto('cases')
          .values({
            status: 'new',
            slack_channel: request.channel,
            slack_thread_ts: null,
            customer_id: request.customerId,
            customer_name: request.customerName,
            question: request.question.slice(0, 1000),
            discord_thread_id: null,
            claimed_by: null,
            resolved_by: null,
            rating: null,
            reminded_at: null,
            created_at: at,
            updated_at: at,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        await send(tx, row.id, 'slack', { kind: 'open-thread' });
        return row;
      });
      if (!created.ok) throw new Error('a case cannot be a duplicate event');
      return ok(toView(created.value));
    },

    /** Delivers what is due now; the case's own view afterwards says how far it got. */
    async deliverNow(id: number): Promise<CaseView> {
      await outbox.drain();
      return toView(await byId(id));
    },

    /**
     * Delivers a new case's first message now: `opened` when its thread exists, `pending` when Slack did not
     * answer yet (the outbox keeps trying), `refused` when Slack will never take it (the bot is not in that
     * channel): the case is then dropped, since nobody could ever see it.
     */
    async firstDelivery(
      id: number,
    ): Promise<{ status: 'opened' | 'pending'; view: CaseView } | { status: 'refused'; reason: string }> {
      await outbox.drain();
      const row = await byId(id);
      if (row.slack_thread_ts) return { status: 'opened', view: toView(row) };
      const refused = await db
        .selectFrom('outbox')
        .select('last_error')
        .where('case_id', '=', id)
        .where('state', '=', 'failed')
        .executeTakeFirst();
      if (!refused) return { status: 'pending', view: toView(row) };
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('outbox').where('case_id', '=', id).execute();
        await tx.deleteFrom('cases').where('id', '=', id).execute();
      });
      return { status: 'refused', reason: refused.last_error ?? 'refused' };
    },

    /**
     * A message in a Slack thread, relayed when the thread is a case's. One thread's messages are written one
     * at a time, in the order they came in: taken concurrently, a later one could commit (and so be
     * delivered) first, for example while the earlier one waits for a new database connection. (Replicas
     * each keep their own order.)
     */
    customerMessage(event: { key: string; channel: string; threadTs: string; ts: string; text: string }) {
      return oneThreadAtATime(`${event.channel}:${event.threadTs}`, () => customerMessage(event));
    },

    /** The customer edited (`text`) or deleted (no text) a message the relay copied. */
    async customerChanged(event: { key: string; channel: string; ts: string; text?: string }) {
      const found = await db
        .selectFrom('case_messages')
        .innerJoin('cases', 'cases.id', 'case_messages.case_id')
        .select(['case_messages.id as messageId', 'cases.id as caseId', 'cases.customer_name as author'])
        .where('cases.slack_channel', '=', event.channel)
        .where('case_messages.slack_ts', '=', event.ts)
        .where('case_messages.origin', '=', 'customer')
        .executeTakeFirst();
      if (!found) return fail('not-a-case' as const);
      return change(event.key, (tx) =>
        send(
          tx,
          found.caseId,
          'discord',
          event.text === undefined
            ? { kind: 'delete', messageId: found.messageId }
            : { kind: 'edit', messageId: found.messageId, author: found.author, text: event.text },
        ),
      );
    },

    /** A staff reply (modal or /reply) for the customer's thread. */
    async staffReply(event: { key: string; threadId: string; staff: Staff; text: string }) {
      return inPost(event, async (tx, row) => {
        const message = await tx
          .insertInto('case_messages')
          .values({ case_id: row.id, origin: 'staff', slack_ts: null, discord_ids: null, created_at: now() })
          .returning('id')
          .executeTakeFirstOrThrow();
        await send(tx, row.id, 'slack', {
          kind: 'relay',
          messageId: message.id,
          author: event.staff.name,
          text: event.text,
        });
        await staffActed(tx, row, event.staff);
        return toView(row);
      });
    },

    /** Settings staff chose to send ("Send to customer" under /mailsettings in a case post). */
    async sendSettings(event: { key: string; threadId: string; staff: Staff; question: string }) {
      return inPost(event, async (tx, row) => {
        await send(tx, row.id, 'slack', {
          kind: 'settings',
          question: event.question,
          staff: event.staff.name,
        });
        await send(tx, row.id, 'discord', {
          kind: 'note',
          text: words.settingsSent(event.staff.name, describeQuestion(event.question)),
        });
        await staffActed(tx, row, event.staff);
        return toView(row);
      });
    },

    async claim(event: { key: string; threadId: string; staff: Staff }) {
      return inPost(event, async (tx, row) => {
        await setStatus(tx, row, row.status === 'new' || row.status === 'resolved' ? 'claimed' : row.status, {
          claimed_by: event.staff.name,
          ...(row.status === 'resolved' ? { resolved_by: null } : {}),
        });
        return toView({ ...row, claimed_by: event.staff.name });
      });
    },

    async resolve(event: { key: string; threadId: string; staff: Staff }) {
      return inPost(event, async (tx, row) => {
        if (row.status === 'resolved') return toView(row);
        await setStatus(tx, row, 'resolved', {
          resolved_by: event.staff.name,
          claimed_by: row.claimed_by ?? event.staff.name,
        });
        await send(tx, row.id, 'slack', { kind: 'resolved', staff: event.staff.name });
        return toView({ ...row, status: 'resolved', resolved_by: event.staff.name });
      });
    },

    /** The customer's rating under "Resolved by …"; only the case's own customer may rate it. */
    async rate(event: {
      key: string;
      channel: string;
      threadTs: string;
      customerId: string;
      helpful: boolean;
    }) {
      const row = await bySlackThread(db, event.channel, event.threadTs);
      if (!row) return fail('not-a-case' as const);
      if (row.customer_id !== event.customerId) return fail('not-yours' as const);
      return change(event.key, async (tx) => {
        await tx
          .updateTable('cases')
          .set({ rating: event.helpful ? 'helpful' : 'not-helpful', updated_at: now() })
          .where('id', '=', row.id)
          .execute();
        await send(tx, row.id, 'discord', {
          kind: 'note',
          text: words.rated(row.customer_name, event.helpful),
        });
        await send(tx, row.id, 'discord', { kind: 'status' });
        return toView(row);
      });
    },

    /** The case whose forum post this is, if any. */
    async findByPost(threadId: string): Promise<CaseView | undefined> {
      const row = await byThread(db, threadId);
      return row ? toView(row) : undefined;
    },

    remindOverdue,
    drain: () => outbox.drain(),
    start(): void {
      outbox.start();
      reminders = setInterval(
        () => {
          remindOverdue().catch((error: unknown) => log.error('cases: reminders failed', { error }));
        },
        Math.min(60_000, reminderMs),
      );
      reminders.unref();
    },
    async stop(): Promise<void> {
      clearInterval(reminders);
      await outbox.stop();
    },
  };
}
export type Cases = ReturnType<typeof createCases>;

export { describeQuestion, toView } from './case-view.js';
