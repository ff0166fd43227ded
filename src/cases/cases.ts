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
import { createCardActions } from './card-actions.js';
import { createCaseStore, type NewCaseRequest, toState, toView } from './case-store.js';
import { describeQuestion } from './case-view.js';
import { createDelivery } from './deliver.js';
import { type Author, type CaseEvent, decide, type Refusal } from './lifecycle.js';
import { createOutbox } from './outbox.js';
import { createOutboxStore } from './outbox-store.js';
import type { CaseView, CustomerSide, StaffEvent, StaffSide } from './ports.js';
import { cutPasswords, heard } from './recognise.js';
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
  /** A case waiting on staff this long gets one reminder. @default 15 minutes */
  reminderMs?: number;
  /** Staff are told a reply has not reached the customer after this long. @default 60_000 */
  warnAfterMs?: number;
  /** @default 1000 */
  pollMs?: number;
  /** @default 60_000 */
  maxBackoffMs?: number;
}

export type { Author, Staff } from './lifecycle.js';
export type CaseProblem = 'not-a-case' | 'duplicate' | Refusal;

/** How far a new case got: staff can see it, it is still on its way, or it could not be made. */
export type FirstDelivery =
  | { status: 'opened'; view: CaseView }
  | { status: 'pending'; view: CaseView }
  | { status: 'refused'; side: 'customer' | 'staff'; reason: string; id: number };

/** The case relay and its moving parts; front ends use `cases`, tests may drive the others (src/testing.ts). */
export function assembleCases(options: CasesOptions) {
  const { database, customer, staff, log, now = Date.now } = options;
  const store = createCaseStore(database.db, database.engine, now);
  const rows = createOutboxStore(database.db, now);
  const delivery = createDelivery({
    store,
    outbox: rows,
    customer,
    staff,
    resolver: options.resolver,
    ...(options.checker ? { checker: options.checker } : {}),
    log,
    now,
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
      const step = decide(toState(current), happened, now());
      return step.ok ? ok(toView(await store.apply(tx, current, step.value))) : step;
    });
    return done.ok ? done.value : done;
  }
  const inPost = (event: StaffEvent, make: Parameters<typeof act>[2]) =>
    store.byStaffThread(event.staffThread).then((row) => act(event.key, row, make));

  /** A message in the thread is kept (once) and relayed; an edit or deletion that came first is applied to it. */
  async function customerMessage(event: CustomerWords) {
    return act(event.key, await store.byCustomerThread(event.customerThread), async (tx, row) => {
      const known = await store.customerMessage(event.message, tx);
      if (known?.origin === 'customer') return undefined; // taken in already: a replayed event
      const said = await heard(row, event.by, known?.text ?? event.text); // passwords cut, errors noted
      if (known) {
        await store.arrived(tx, known.id);
        if (known.deleted) return undefined; // deleted before it arrived: the author took it back
        return { type: 'customer-wrote', messageId: known.id, by: event.by, ...said };
      }
      const messageId = await store.insertMessage(tx, row.id, {
        origin: 'customer',
        customerMessage: event.message,
        author: event.by,
        text: said.text,
      });
      return { type: 'customer-wrote', messageId, by: event.by, ...said };
    });
  }
  const oneThreadAtATime = inOrder();

  /** How far a new case got, without delivering anything more. */
  async function progress(id: number): Promise<FirstDelivery> {
    const row = await store.find(id);
    if (!row) return { status: 'refused', side: 'staff', reason: 'the case is gone', id };
    if (row.customer_thread) return { status: 'opened', view: toView(row) };
    const refused = await rows.refusal(id);
    if (!refused) return { status: 'pending', view: toView(row) };
    // No post and no thread: nobody could ever see this case. (A thread refused closed the case already.)
    if (refused.target === 'staff') await store.drop(id);
    return { status: 'refused', side: refused.target, reason: refused.error, id };
  }

  const cases = {
    /**
     * Opens a case for a customer who asked for a person. Stored at once; the staff post, then the customer's
     * thread follow through the outbox. One open case per customer and place.
     */
    async open(
      request: NewCaseRequest,
    ): Promise<Result<CaseView, { problem: 'already-open'; existing: CaseView }>> {
      const existing = await store.openCaseOf(request.place, request.customerId);
      if (existing) return fail({ problem: 'already-open', existing: toView(existing) });
      const created = await store.change(undefined, async (tx) => {
        const row = await store.insertCase(tx, request);
        const step = decide(toState(row), { type: 'opened' }, now());
        return step.ok ? store.apply(tx, row, step.value) : row;
      });
      if (!created.ok) throw new Error('a case cannot be a duplicate event');
      return ok(toView(created.value));
    },

    /**
     * Delivers a new case's first messages now: `opened` when staff can see it and its thread exists, `pending`
     * while a side has not answered (the outbox keeps trying), `refused` when a side will never take it.
     */
    async firstDelivery(id: number): Promise<FirstDelivery> {
      await outbox.drain();
      return progress(id);
    },

    /** Waits (while the outbox works) until a new case is opened or refused, or `withinMs` passed. */
    async settled(id: number, withinMs: number, pollMs = 1000): Promise<FirstDelivery> {
      const until = now() + withinMs;
      for (;;) {
        const outcome = await progress(id);
        if (outcome.status !== 'pending' || now() >= until) return outcome;
        await new Promise((resolve) => setTimeout(resolve, pollMs));
      }
    },

    /**
     * A message in a customer's thread, relayed when the thread is a case's: the customer's as theirs, anyone
     * else's as that person's. One thread's messages are written one at a time, in the order they came in:
     * taken concurrently, a later one could commit (and so be delivered) first. (Replicas each keep their own
     * order.)
     */
    customerMessage(event: CustomerWords) {
      return oneThreadAtATime(event.customerThread, () => customerMessage(event));
    },

    /**
     * A message in a case's thread was edited (`text`) or deleted (no text). One that has not arrived yet is
     * kept for it: Slack may deliver an edit before the message.
     */
    async customerChanged(event: {
      key: string;
      customerThread: string;
      message: string;
      by: Author;
      text?: string;
    }) {
      const known = await store.customerMessage(event.message);
      const row = known
        ? await store.find(known.case_id)
        : await store.byCustomerThread(event.customerThread);
      const text = event.text === undefined ? undefined : cutPasswords(event.text).text;
      return act(event.key, row, async (tx, row) => {
        if (!known) {
          await store.insertMessage(tx, row.id, {
            origin: 'waiting',
            customerMessage: event.message,
            author: event.by,
            ...(text === undefined ? { deleted: true } : { text }),
          });
          return undefined;
        }
        await store.changeMessage(tx, known.id, text);
        if (known.origin === 'waiting') return undefined;
        const by = { id: known.author_id ?? event.by.id, name: known.author_name ?? event.by.name };
        return {
          type: 'customer-edited',
          messageId: known.id,
          by,
          ...(text === undefined ? {} : { text }),
        };
      });
    },

    /** A staff reply (modal or /reply) for the customer's thread. */
    staffReply: (event: StaffEvent & { text: string }) =>
      inPost(event, async (tx, row) => ({
        type: 'staff-replied',
        messageId: await store.insertMessage(tx, row.id, {
          origin: 'staff',
          author: event.staff,
          text: event.text,
        }),
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

    /** `takeover`: the staff member confirmed taking the case from whoever has it. */
    claim: (event: StaffEvent & { takeover?: boolean }) =>
      inPost(event, () => ({ type: 'claimed', staff: event.staff, takeover: event.takeover === true })),
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

    /** The card's own actions: a diagnosis put on it, Check again, one answer for cases sharing a cause. */
    ...createCardActions({ ...options, store, act }),
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

/** Someone wrote in a case's thread on the customer's side. */
interface CustomerWords {
  key: string;
  customerThread: string;
  message: string;
  by: Author;
  text: string;
}

export function createCases(options: CasesOptions) {
  return assembleCases(options).cases;
}
export type Cases = ReturnType<typeof createCases>;

export { describeQuestion } from './case-view.js';
