// Support cases: a customer's thread on the customer's side joined to a post on the staff side. Every event is
// one database transaction that records the event (so a retried event does nothing), reads the case, lets the
// lifecycle decide (lifecycle.ts), and stores the changes and what each side must be sent; the outbox then
// delivers it, in order, until it arrives. Reminders run on their own (reminders.ts).
import type { Transaction } from 'kysely';
import type { Checker } from '../check/check.js';
import { inOrder } from '../model/in-order.js';
import type { Logger } from '../model/logger.js';
import { fail, ok, type Result } from '../model/result.js';
import type { Resolver } from '../resolve/resolver.js';
import type { Database } from '../store/database.js';
import type { CaseRow, Schema } from '../store/schema.js';
import { isConflict } from '../store/trouble.js';
import { createCaseStore, type NewCaseRequest, toState, toView } from './case-store.js';
import { describeQuestion } from './case-view.js';
import { createDelivery } from './deliver.js';
import { type CaseEvent, decide, type Staff } from './lifecycle.js';
import { createOutbox } from './outbox.js';
import { createOutboxStore } from './outbox-store.js';
import type { CaseView, CustomerSide, StaffSide } from './ports.js';
import { createReminders } from './reminders.js';

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

export type { Staff } from './lifecycle.js';
export type CaseProblem = 'not-a-case' | 'duplicate' | 'not-yours';

/** An event from the staff side, in the case's post. */
interface StaffEvent {
  key: string;
  staffThread: string;
  staff: Staff;
}

/** The case relay and its moving parts; front ends use `cases`, tests may drive the others (src/testing.ts). */
export function assembleCases(options: CasesOptions) {
  const { database, customer, staff, log, now = Date.now } = options;
  const store = createCaseStore(database.db, database.engine, now);
  const rows = createOutboxStore(database.db, now, database.locks);
  const delivery = createDelivery({
    store,
    outbox: rows,
    customer,
    staff,
    resolver: options.resolver,
    ...(options.checker ? { checker: options.checker } : {}),
  });
  const outbox = createOutbox({
    rows,
    deliver: delivery.deliver,
    trouble: delivery.trouble,
    log,
    now,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.warnAfterMs ? { warnAfterMs: options.warnAfterMs } : {}),
    ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
  });
  store.onStored(() => outbox.kick());
  const reminders = createReminders({
    store,
    reminderMs: options.reminderMs ?? CASE_DEFAULTS.reminderMinutes * 60_000,
    log,
    now,
  });

  /** Records `key` and lets the lifecycle decide `event` on the case, read again and held in the same transaction. */
  async function act(
    key: string | undefined,
    row: CaseRow | undefined,
    event: (tx: Transaction<Schema>, row: CaseRow) => Promise<CaseEvent | undefined> | CaseEvent,
  ): Promise<Result<CaseView, CaseProblem>> {
    if (!row) return fail('not-a-case');
    const done = await store.change(key, async (tx) => {
      const current = await store.lock(tx, row.id);
      const happened = await event(tx, current);
      if (!happened) return ok(toView(current));
      const step = decide(toState(current), happened);
      return step.ok ? ok(toView(await store.apply(tx, current, step.value))) : step;
    });
    return done.ok ? done.value : done;
  }
  const inPost = (event: StaffEvent, make: Parameters<typeof act>[2]) =>
    store.byStaffThread(event.staffThread).then((row) => act(event.key, row, make));

  async function customerMessage(event: {
    key: string;
    customerThread: string;
    message: string;
    text: string;
  }) {
    return act(event.key, await store.byCustomerThread(event.customerThread), async (tx, row) => {
      if (await store.seenMessage(tx, row.id, event.message)) return undefined;
      const messageId = await store.insertMessage(tx, row.id, 'customer', event.message);
      return { type: 'customer-wrote', messageId, text: event.text };
    });
  }
  const oneThreadAtATime = inOrder();

  const cases = {
    /**
     * Opens a case for a customer who asked for a person. Stored at once; the customer's thread and the staff
     * post follow through the outbox. One open case per customer and place.
     */
    async open(
      request: NewCaseRequest,
    ): Promise<Result<CaseView, { problem: 'already-open'; existing: CaseView }>> {
      const alreadyOpen = async () => {
        const existing = await store.openCaseOf(request.place, request.customerId);
        return existing && fail({ problem: 'already-open' as const, existing: toView(existing) });
      };
      try {
        const open = await alreadyOpen();
        if (open) return open;
        const created = await store.change(undefined, async (tx) => {
          const row = await store.insertCase(tx, request);
          const step = decide(toState(row), { type: 'opened' });
          return step.ok ? store.apply(tx, row, step.value) : row;
        });
        if (!created.ok) throw new Error('a case cannot be a duplicate event');
        return ok(toView(created.value));
      } catch (error) {
        // Another press opened one between the check and the insert: migration 0005's index refused this one.
        const open = isConflict(error, 'cases_one_open') ? await alreadyOpen() : undefined;
        if (open) return open;
        throw error;
      }
    },

    /**
     * Delivers a new case's first message now: `opened` when its thread exists, `pending` when the customer's
     * side did not answer yet (the outbox keeps trying), `refused` when it will never take it (the bot may not
     * post there): the case is then dropped, since nobody could ever see it.
     */
    async firstDelivery(
      id: number,
    ): Promise<{ status: 'opened' | 'pending'; view: CaseView } | { status: 'refused'; reason: string }> {
      await outbox.drain();
      const row = await store.byId(id);
      if (row.customer_thread) return { status: 'opened', view: toView(row) };
      const refused = await rows.refusal(id);
      if (refused === undefined) return { status: 'pending', view: toView(row) };
      await store.drop(id);
      return { status: 'refused', reason: refused ?? 'refused' };
    },

    /**
     * A message in a customer's thread, relayed when the thread is a case's. One thread's messages are written
     * one at a time, in the order they came in: taken concurrently, a later one could commit (and so be
     * delivered) first, for example while the earlier one waits for a database connection. (Replicas each keep
     * their own order.)
     */
    customerMessage(event: { key: string; customerThread: string; message: string; text: string }) {
      return oneThreadAtATime(event.customerThread, () => customerMessage(event));
    },

    /** The customer edited (`text`) or deleted (no text) a message the relay copied. */
    async customerChanged(event: { key: string; message: string; text?: string }) {
      const found = await store.customerMessage(event.message);
      if (!found) return fail('not-a-case' as const);
      return act(event.key, await store.byId(found.caseId), () => ({
        type: 'customer-edited',
        messageId: found.messageId,
        ...(event.text === undefined ? {} : { text: event.text }),
      }));
    },

    /** A staff reply (modal or /reply) for the customer's thread. */
    staffReply: (event: StaffEvent & { text: string }) =>
      inPost(event, async (tx, row) => ({
        type: 'staff-replied',
        messageId: await store.insertMessage(tx, row.id, 'staff'),
        staff: event.staff,
        text: event.text,
      })),

    /** Settings staff chose to send ("Send to customer" under /mailsettings in a case post). */
    sendSettings: (event: StaffEvent & { question: string }) =>
      inPost(event, () => ({
        type: 'settings-sent',
        staff: event.staff,
        question: event.question,
        described: describeQuestion(event.question),
      })),

    claim: (event: StaffEvent) => inPost(event, () => ({ type: 'claimed', staff: event.staff })),
    resolve: (event: StaffEvent) => inPost(event, () => ({ type: 'resolved', staff: event.staff })),

    /** The customer's rating under "Resolved by …"; only the case's own customer may rate it. */
    async rate(event: { key: string; customerThread: string; customerId: string; helpful: boolean }) {
      return act(event.key, await store.byCustomerThread(event.customerThread), () => ({
        type: 'rated',
        customerId: event.customerId,
        helpful: event.helpful,
      }));
    },

    /** The case whose staff post this is, if any. */
    async findByStaffThread(staffThread: string): Promise<CaseView | undefined> {
      const row = await store.byStaffThread(staffThread);
      return row ? toView(row) : undefined;
    },

    start(): void {
      outbox.start();
      reminders.start();
    },
    async stop(): Promise<void> {
      reminders.stop();
      await outbox.stop();
    },
  };
  return { cases, outbox, reminders, store };
}

export function createCases(options: CasesOptions) {
  return assembleCases(options).cases;
}
export type Cases = ReturnType<typeof createCases>;

export { describeQuestion } from './case-view.js';
