// Delivers what the outbox holds for a case, one kind at a time: each reads the case as it is now, calls the
// side it is for, and writes down what that side answered (a post, a thread, a message's copy, the parts of a
// long message) so later deliveries can use it and a retry repeats nothing. What did not arrive goes back to
// the lifecycle, which decides who must be told.

import type { Transaction } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Checker } from '../check/check.js';
import * as words from '../messages/cases.js';
import type { Logger } from '../model/logger.js';
import { traceRelay } from '../model/trace.js';
import type { Resolver } from '../resolve/resolver.js';
import { takeProgram } from '../setup/programs.js';
import { type SetupOptions, setupOffer } from '../setup/setup-offer.js';
import type { CaseRow, OutboxRow, Schema } from '../store/schema.js';
import { createCards, idsIn } from './card.js';
import { type CaseStore, toState } from './case-store.js';
import type { ClockSettings } from './clocks.js';
import type { Delivery } from './deliveries.js';
import { type CaseEvent, decide, type Trouble } from './lifecycle.js';
import type { Bookkeeping, OutboxStore } from './outbox-store.js';
import type { CaseView, CustomerSide, DeliveryKey, Parts, StaffSide } from './ports.js';
import { isTombstone } from './tombstone.js';

export interface DeliveryContext {
  store: CaseStore;
  outbox: OutboxStore;
  customer: CustomerSide;
  staff: StaffSide;
  resolver: Resolver;
  checker?: Checker;
  /** Set-up page links (and the profile's organization) for the settings staff send. */
  setup?: SetupOptions;
  log: Logger;
  now: () => number;
  /** The case as the sides see it (cases.ts). */
  view: (row: CaseRow) => CaseView;
  clocks: ClockSettings;
}

export type DeliveryTrouble = Trouble;

export function createDelivery(context: DeliveryContext) {
  const { store, customer, staff, now } = context;

  const cards = createCards(context);

  /** The case as the sides see it now, with the customer thread's link. */
  function viewOf(row: CaseRow): CaseView {
    const view = context.view(row);
    const link = customer.threadLink(view);
    return link ? { ...view, customerThreadLink: link } : view;
  }

  /** A step of the lifecycle that follows a delivery, taken inside `tx`. */
  async function step(tx: Transaction<Schema>, caseId: number, event: CaseEvent): Promise<void> {
    const row = await store.lock(tx, caseId);
    const decided = decide(toState(row), event, now());
    if (decided.ok) await store.apply(tx, row, decided.value, event);
  }
  const follow = (caseId: number, event: CaseEvent) =>
    store.change(undefined, (tx) => step(tx, caseId, event));

  /**
   * What a delivery that made a post or a thread writes down: where it is, and the lifecycle's step after it,
   * in the transaction that records the delivery as done (so a database gone meanwhile never has the platform
   * make it twice). What the step stored is woken once that is committed, then `after` runs.
   */
  function madeThere(
    caseId: number,
    event: CaseEvent,
    write: (tx: Transaction<Schema>) => Promise<unknown>,
    after?: () => Promise<void>,
  ): Bookkeeping {
    let wake = () => {};
    return {
      async write(tx) {
        wake = await store.within(tx, async () => {
          await write(tx);
          await step(tx, caseId, event);
        });
      },
      async committed() {
        wake();
        await after?.();
      },
    };
  }

  /** Cases that came into or left a card's shared causes: their cards are drawn again. */
  async function redrawOthers(ids: number[]): Promise<void> {
    for (const id of ids) await follow(id, { type: 'card-changed' });
  }

  /**
   * Parts a platform took while the database would not record them (it was away): the next try here goes on
   * after them instead of posting them again. Bounded; an entry goes once its parts are written down.
   */
  const unrecordedParts = new LRUCache<number, string[]>({ max: 10_000 });

  /** The parts of a long message already posted (by an attempt that failed half-way), kept as they are posted. */
  function partsOf(row: OutboxRow): Parts {
    const stored: string[] = row.progress ? (JSON.parse(row.progress) as string[]) : [];
    const kept = unrecordedParts.get(row.id) ?? [];
    const done = kept.length > stored.length ? kept : stored;
    return {
      key: keyOf(row),
      done: [...done],
      async record(part) {
        done.push(part);
        unrecordedParts.set(row.id, [...done]);
        await context.outbox.progress(row, done);
        unrecordedParts.delete(row.id);
      },
    };
  }

  /**
   * Sends one delivery through its side; what the side answered that later deliveries need (a message's copy)
   * comes back to be written down with the delivery's done mark.
   */
  async function deliver(row: OutboxRow, delivery: Delivery): Promise<Bookkeeping | undefined> {
    const current = await store.byId(row.case_id);
    const view = viewOf(current);
    switch (delivery.kind) {
      case 'create-post': {
        if (current.staff_thread) return; // delivered before a restart cut the bookkeeping short
        const { card, failures } = await cards.make(current);
        const thread = await staff.createPost({ ...view, card }, keyOf(row));
        return madeThere(
          current.id,
          { type: 'post-created' },
          async (tx) => {
            await store.setStaffThread(tx, current.id, thread, card);
            await store.related.recordFailures(tx, current.id, failures);
          },
          () => redrawOthers(idsIn(card.shared)),
        );
      }
      case 'open-thread': {
        if (current.customer_thread) return;
        const thread = await customer.openThread(view);
        return madeThere(current.id, { type: 'thread-opened' }, (tx) =>
          store.setCustomerThread(tx, current.id, thread),
        );
      }
      case 'status': {
        // A later status update is waiting: it will show the newest state, so this one need not be sent.
        if (!view.staffThread || (await context.outbox.laterSameDelivery(row))) return;
        const { card, changed } = await cards.refresh(current.id);
        await staff.updateStatus({ ...view, card });
        await redrawOthers(changed);
        return;
      }
      case 'relay': {
        // Read before its customer was forgotten, and gone since: none of the words are sent.
        if (isTombstone(current.customer_id)) return;
        const { kind: _, messageId, ...message } = delivery;
        traceRelay({ stage: 'sending', case: row.case_id, target: row.target, outbox: row.id });
        const copy =
          row.target === 'staff'
            ? { staff_message: await staff.postCustomerMessage(view, message, partsOf(row)) }
            : { customer_message: await customer.postReply(view, message, partsOf(row)) };
        return { write: (tx) => store.setCopy(messageId, copy, tx) };
      }
      case 'edit': {
        if (isTombstone(current.customer_id)) return;
        const { kind: _, messageId, ...message } = delivery;
        const copy = await store.copyOf(messageId);
        // A message whose copy never arrived (refused for good) is posted as it reads now.
        const updated = copy
          ? await staff.editCustomerMessage(view, copy, message, keyOf(row))
          : await staff.postCustomerMessage(view, message, partsOf(row));
        return { write: (tx) => store.setCopy(messageId, { staff_message: updated }, tx) };
      }
      case 'delete': {
        const copy = await store.copyOf(delivery.messageId);
        if (copy !== null) await staff.markDeleted(view, copy);
        return;
      }
      case 'settings': {
        // The question may end with the customer's mail program: its steps and the set-up link go along.
        const { question, program } = takeProgram(delivery.question);
        const answer = await cards.answerTo(question);
        if (!answer) throw new Error(`settings question no longer parses: ${delivery.question}`);
        const asked = { question, ...(program?.ok ? { program: program.value } : {}) };
        const setup = await setupOffer(answer.settings, asked, context.setup);
        await customer.postSettings(view, answer, delivery.staff, setup);
        return;
      }
      case 'resolved':
        await customer.postResolved(view, delivery.staff);
        return;
      case 'claimed':
        await customer.postNotice(view, words.claimedNotice(delivery.staff, view.id));
        return;
      case 'notice':
        await customer.postNotice(view, delivery.text);
        return;
      case 'not-through':
        if (!current.staff_thread) await customer.tellPrivately(view, words.notThrough(view.id));
        return;
      case 'follow-up':
        await customer.postNotice(view, words.stillNeedHelp(view.id, inDays(context.clocks.autoResolveMs)));
        return;
      case 'auto-resolved':
        await customer.postNotice(view, words.autoClosed(view.id));
        return;
      case 'note':
        await staff.postNote(view, delivery.text, delivery.ping, keyOf(row));
        return;
      case 'remind': {
        const { kind: _, ...reminder } = delivery;
        await staff.remind(view, reminder, keyOf(row));
        return;
      }
      case 'sent': {
        const sent = { author: delivery.author, text: delivery.text, from: delivery.from };
        await staff.postSent(view, sent, keyOf(row));
        return;
      }
    }
  }

  /** A delivery is late, refused for good, or through after all: the lifecycle decides who is told. */
  async function trouble(row: OutboxRow, delivery: Delivery, state: Trouble, error = 'no answer') {
    const side = row.target === 'customer' ? customer.name : staff.name;
    if (state === 'refused' && delivery.kind === 'create-post')
      context.log.error(
        `cases: ${staff.name} refused the post for case ${row.case_id} (${error}); the customer is told it did not get through. Check the bot's permissions in the cases channel.`,
      );
    await follow(row.case_id, {
      type: 'delivery-trouble',
      delivery,
      target: row.target,
      state,
      error: `${side}: ${error}`,
    });
  }

  return { deliver, trouble };
}

/**
 * The delivery's key: its row, and when the row was made (a database restored from a backup gives ids out
 * again). At most 10 + 1 + 8 characters, so a part's key fits Discord's 25.
 */
const keyOf = (row: OutboxRow): DeliveryKey => `${row.id}.${row.created_at.toString(36)}`;

/** "4 days", "36 hours": a calendar time for the customer. */
function inDays(ms: number): string {
  const hours = Math.round(ms / 3_600_000);
  return hours % 24 === 0
    ? `${hours / 24} day${hours === 24 ? '' : 's'}`
    : `${hours} hour${hours === 1 ? '' : 's'}`;
}
