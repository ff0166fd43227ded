// Support cases: a customer's thread on the customer's side joined to a post on the staff side. Every event is
// one database transaction that records the event (so a retried event does nothing), reads the case, lets the
// lifecycle decide (lifecycle.ts), and stores the changes and what each side must be sent; the outbox then
// delivers it, in order, until it arrives. Opening (opening.ts) and the clocks (clock-tick.ts) run beside it.
import type { Transaction } from 'kysely';
import { formatInZone, isOpen, nextOpening } from '../model/business-hours.js';
import { inOrder } from '../model/in-order.js';
import type { Logger } from '../model/logger.js';
import { fail, ok, type Result } from '../model/result.js';
import { withTimeout } from '../model/timeout.js';
import { traceRelay } from '../model/trace.js';
import type { Database } from '../store/database.js';
import type { CaseRow, Schema } from '../store/schema.js';
import type { CardContext } from './card.js';
import { actOnReply, createCardActions } from './card-actions.js';
import { createCaseStore, outdatedChange, toState, toView } from './case-store.js';
import { createClockTick } from './clock-tick.js';
import { CLOCK_DEFAULTS, type ClockSettings, responseDue, type SnoozePreset, snoozeUntil } from './clocks.js';
import { createDelivery } from './deliver.js';
import type { Delivery } from './deliveries.js';
import { createDesk, type DeskOptions, describeSent } from './desk.js';
import { type Author, type CaseEvent, decide, type Refusal, type Staff } from './lifecycle.js';
import { createOpening } from './opening.js';
import { createOutbox } from './outbox.js';
import { createOutboxStore } from './outbox-store.js';
import type { CaseView, CustomerSide, StaffEvent, StaffSide } from './ports.js';
import { cutPasswords, heard } from './recognise.js';
import { forgottenAuthor } from './tombstone.js';

/** The resolver, the live check shown on the case card (when checks are on) and its limit per staff member. */
export interface CasesOptions extends DeskOptions, Omit<CardContext, 'store'> {
  database: Database;
  customer: CustomerSide;
  staff: StaffSide;
  log: Logger;
  now?: () => number;
  /** Business hours and response targets. @default CLOCK_DEFAULTS (around the clock) */
  clocks?: Partial<ClockSettings>;
  /** How often the clocks are looked at. @default 60_000 */
  clockEveryMs?: number;
  /** Staff are told a reply has not reached the customer after this long. @default 60_000 */
  warnAfterMs?: number;
  /** @default 1000 */
  pollMs?: number;
  /** @default 60_000 */
  maxBackoffMs?: number;
  /** How long a post's status update waits behind the words relayed (outbox.ts). @default 0 */
  statusDelayMs?: number;
}

export type { Author, Staff } from './lifecycle.js';
export type { FirstDelivery } from './opening.js';
export type CaseProblem = 'not-a-case' | 'duplicate' | Refusal;

/** The case relay and its moving parts; front ends use `cases`, tests may drive the others (src/testing.ts). */
export function assembleCases(options: CasesOptions) {
  const { database, log, now = Date.now } = options;
  const clocks: ClockSettings = { ...CLOCK_DEFAULTS, ...options.clocks };
  const store = createCaseStore(database.db, database.engine, now);
  const rows = createOutboxStore(database.db, now, database.locks);
  /** A case as the sides see it: with when the next reply is due, and when the team is back if it is away. */
  const view = (row: CaseRow): CaseView => {
    const due = responseDue(toState(row), clocks);
    const away = isOpen(clocks.hours, now())
      ? undefined
      : formatInZone(clocks.hours, nextOpening(clocks.hours, now()));
    return {
      ...toView(row),
      ...(due !== undefined ? { nextReplyDue: due } : {}),
      ...(away ? { awayUntil: away } : {}),
    };
  };
  const delivery = createDelivery({ ...options, store, outbox: rows, now, view, clocks });
  const outbox = createOutbox({
    rows,
    deliver: delivery.deliver,
    trouble: delivery.trouble,
    log,
    now,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    ...(options.warnAfterMs ? { warnAfterMs: options.warnAfterMs } : {}),
    ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
    ...(options.statusDelayMs ? { statusDelayMs: options.statusDelayMs } : {}),
  });
  store.onStored((stored) => outbox.wake(stored));
  const clockTick = createClockTick({
    store,
    clocks,
    log,
    now,
    ...(options.clockEveryMs ? { everyMs: options.clockEveryMs } : {}),
  });
  const opening = createOpening({ store, rows, outbox, now, view });

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
      if (!happened) return ok(view(current));
      const step = decide(toState(current), happened, now());
      return step.ok ? ok(view(await store.apply(tx, current, step.value, happened))) : step;
    });
    if (key) traceRelay({ stage: 'stored', key, case: row.id });
    return done.ok ? done.value : done;
  }
  const inPost = (event: StaffEvent, make: Parameters<typeof act>[2]) =>
    store.byStaffThread(event.staffThread).then((row) => act(event.key, row, make));

  /** A message in the thread is kept (once) and relayed; an edit or deletion that came first is applied to it. */
  async function customerMessage(event: CustomerWords) {
    const found = await store.byCustomerThread(event.customerThread);
    if (!found) return fail('not-a-case' as const);
    const by = await authorIn(found, event.by);
    return act(event.key, found, async (tx, row) => {
      const known = await store.customerMessage(event.message, tx);
      // Taken in already (a replayed event), or written by someone since forgotten: nothing is kept again.
      if (known?.origin === 'customer' || forgottenAuthor(known)) return undefined;
      const said = await heard(row, by, known?.text ?? event.text); // passwords cut, errors noted
      if (known) {
        await store.arrived(tx, known.id);
        if (known.deleted) return undefined; // deleted before it arrived: the author took it back
        return { type: 'customer-wrote', messageId: known.id, by, ...said };
      }
      const messageId = await store.insertMessage(tx, row.id, {
        origin: 'customer',
        customerMessage: event.message,
        author: by,
        text: said.text,
      });
      return { type: 'customer-wrote', messageId, by, ...said };
    });
  }
  /** An edit or deletion: applied to its message, read again once the case is held (taken in or forgotten since). */
  async function customerChanged(event: CustomerChange) {
    const seen = await store.customerMessage(event.message);
    if (forgottenAuthor(seen)) return fail('duplicate' as const); // someone since forgotten: nothing is kept
    const row = seen ? await store.find(seen.case_id) : await store.byCustomerThread(event.customerThread);
    if (!row) return fail('not-a-case' as const);
    const author = await authorIn(row, event.by);
    const text = event.text === undefined ? undefined : cutPasswords(event.text).text;
    return act(event.key, row, async (tx, row) => {
      const known = await store.customerMessage(event.message, tx);
      if (forgottenAuthor(known) || outdatedChange(known, { ...event, text })) return undefined;
      if (!known) {
        await store.insertMessage(tx, row.id, {
          origin: 'waiting',
          customerMessage: event.message,
          author,
          ...(text === undefined ? { deleted: true } : { text }),
          ...(event.editedAt === undefined ? {} : { editedAt: event.editedAt }),
        });
        return undefined;
      }
      await store.changeMessage(tx, known.id, text, event.editedAt);
      if (known.origin === 'waiting') return undefined;
      const by = { id: known.author_id ?? event.by.id, name: known.author_name ?? author.name };
      return {
        type: 'customer-edited',
        messageId: known.id,
        by,
        ...(text === undefined ? {} : { text }),
      };
    });
  }

  const oneThreadAtATime = inOrder();

  const cases = {
    ...opening,
    ...createDesk(database.db, store, options, now),

    /**
     * A message in a customer's thread, relayed when the thread is a case's: the customer's as theirs, anyone
     * else's as that person's. One thread's messages are written one at a time, in the order they came in (taken
     * concurrently, a later one could commit, and so be delivered, first); replicas each keep their own order.
     */
    customerMessage(event: CustomerWords) {
      return oneThreadAtATime(event.customerThread, () => customerMessage(event));
    },

    /**
     * A message in a case's thread was edited (`text`) or deleted (no text). One that has not arrived yet is
     * kept for it: Slack may deliver an edit before the message.
     */
    customerChanged: (event: CustomerChange) =>
      oneThreadAtATime(event.customerThread, () => customerChanged(event)),

    /** A staff reply (modal or /reply) for the customer's thread: the case, and the reply's id (for replySent). */
    staffReply: (event: StaffEvent & { text: string }) =>
      store
        .byStaffThread(event.staffThread)
        .then((row) => actOnReply(act, { store, key: event.key, row }, event)),

    /**
     * Whether a staff reply (its id) or settings staff sent (their question) reached the customer's thread, waiting
     * at most `withinMs` for the delivery under way here: staff are told what happened, never what is on its way.
     */
    async sentToCustomer(caseId: number, sent: { replyId: number } | { question: string }, withinMs: number) {
      await withTimeout(outbox.settled(caseId, 'customer'), withinMs, () => undefined);
      if ('replyId' in sent) return (await store.copyOf(sent.replyId, 'customer')) !== null;
      const settings = (d: Delivery) => d.kind === 'settings' && d.question === sent.question;
      return (await rows.newest(caseId, 'customer', settings))?.state === 'done';
    },

    /** Settings staff chose to send ("Send to customer" under /mailsettings in a case post). */
    sendSettings: (event: StaffEvent & { question: string }) =>
      inPost(event, () => ({
        type: 'settings-sent',
        staff: event.staff,
        question: event.question,
        described: describeSent(event.question),
      })),

    /** `takeover`: the staff member confirmed taking the case from whoever has it. */
    claim: (event: StaffEvent & { takeover?: boolean }) =>
      inPost(event, () => ({ type: 'claimed', staff: event.staff, takeover: event.takeover === true })),
    resolve: (event: StaffEvent) => inPost(event, () => ({ type: 'resolved', staff: event.staff })),
    /** Puts the case aside: its clocks wait, and whoever has it hears when the time is up. */
    snooze: (event: StaffEvent & { preset: SnoozePreset }) =>
      inPost(event, () => {
        const until = snoozeUntil(event.preset, clocks, now());
        return { type: 'snoozed', staff: event.staff, until, untilText: formatInZone(clocks.hours, until) };
      }),
    /** Hands the case to `to`, whom the staff side checked to be staff. */
    assign: (event: StaffEvent & { to: Staff }) =>
      inPost(event, () => ({ type: 'assigned', staff: event.staff, to: event.to })),

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
      return row ? view(row) : undefined;
    },

    /** When the team is back, in words, while it is away (for the customer who asks a person now). */
    awayUntil: (): string | undefined =>
      isOpen(clocks.hours, now()) ? undefined : formatInZone(clocks.hours, nextOpening(clocks.hours, now())),

    /** The card's own actions: a diagnosis put on it, Check again, one answer for cases sharing a cause. */
    ...createCardActions({ ...options, store, act }),
    start(): void {
      outbox.start();
      clockTick.start();
    },
    async stop(): Promise<void> {
      clockTick.stop();
      await outbox.stop();
    },
  };
  return { cases, outbox, clockTick, store };
}

/**
 * Who wrote in a case's thread: their id, and their name or how to look it up (asked only for someone other
 * than the case's customer, whose name the case has).
 */
export interface Writer {
  id: string;
  name: string | (() => Promise<string>);
}

const authorIn = async (row: CaseRow, by: Writer): Promise<Author> => ({
  id: by.id,
  name:
    by.id === row.customer_id ? row.customer_name : typeof by.name === 'string' ? by.name : await by.name(),
});

/** Someone wrote in a case's thread on the customer's side; or changed it (`text`), or took it back (none). */
interface CustomerWords {
  key: string;
  customerThread: string;
  message: string;
  by: Writer;
  text: string;
}
/** `editedAt`: when an edit was made on its side; the newest one stands, whatever order they come in. */
type CustomerChange = Omit<CustomerWords, 'text'> & { text?: string; editedAt?: number };

export function createCases(options: CasesOptions) {
  return assembleCases(options).cases;
}
export type Cases = ReturnType<typeof createCases>;

export { describeQuestion } from './case-view.js';
