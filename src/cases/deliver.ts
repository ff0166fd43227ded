// Delivers what the outbox holds for a case, one kind at a time: each reads the case as it is now, calls the
// side it is for, and writes down what that side answered (a thread, a message's copy) so later deliveries
// can use it. When something meant for the customer is late or refused, staff are told in the case's post.
import type { Checker } from '../check/check.js';
import * as words from '../messages/cases.js';
import { parseQuery } from '../question/parse-question.js';
import type { Answer } from '../resolve/answer.js';
import type { Resolver } from '../resolve/resolver.js';
import type { CaseRow, OutboxRow } from '../store/schema.js';
import { type CaseStore, toState, toView } from './case-store.js';
import { describeQuestion } from './case-view.js';
import { type Delivery, toStaff } from './deliveries.js';
import { decide } from './lifecycle.js';
import type { OutboxStore } from './outbox-store.js';
import type { CaseCard, CaseView, CustomerSide, StaffSide } from './ports.js';

export interface DeliveryContext {
  store: CaseStore;
  outbox: OutboxStore;
  customer: CustomerSide;
  staff: StaffSide;
  resolver: Resolver;
  checker?: Checker;
}

/** How far a delivery that is not going through has got, for staff. */
export type DeliveryTrouble = 'late' | 'refused' | 'delivered';

export function createDelivery(context: DeliveryContext) {
  const { store, customer, staff } = context;

  async function resolveQuestion(question: string): Promise<Answer | undefined> {
    const parsed = parseQuery(question);
    return parsed.ok ? context.resolver.answer(parsed.value.query) : undefined;
  }

  /** The card: the bot's answer to the question and the live check of it, as when the case opened. */
  async function cardFor(row: CaseRow): Promise<CaseCard> {
    const answer = await resolveQuestion(row.question).catch(() => undefined);
    const check =
      answer && context.checker ? await context.checker(answer.settings).catch(() => undefined) : undefined;
    return { ...(answer ? { answer } : {}), ...(check ? { check } : {}) };
  }

  /** The case as the sides see it now, with the customer thread's link. */
  function viewOf(row: CaseRow): CaseView {
    const view = toView(row);
    const link = customer.threadLink(view);
    return link ? { ...view, customerThreadLink: link } : view;
  }

  async function deliver(row: OutboxRow, delivery: Delivery): Promise<void> {
    const current = await store.byId(row.case_id);
    const view = viewOf(current);
    switch (delivery.kind) {
      case 'open-thread': {
        if (current.customer_thread) return; // delivered before a restart cut the bookkeeping short
        const thread = await customer.openThread(view);
        await store.change(undefined, async (tx) => {
          await store.setCustomerThread(tx, row.case_id, thread);
          const step = decide(toState(current), { type: 'thread-opened' });
          if (step.ok) await store.apply(tx, current, step.value);
        });
        return;
      }
      case 'create-post': {
        if (current.staff_thread) return;
        const card = await cardFor(current);
        const thread = await staff.createPost({ ...view, card });
        await store.setStaffThread(row.case_id, thread, card);
        return;
      }
      case 'status': {
        // A later status update is waiting: it will show the newest state, so this one need not be sent.
        if (!view.staffThread || (await context.outbox.laterSameDelivery(row))) return;
        if (view.card) return staff.updateStatus(view);
        // A case whose post was made before cards were stored: its card is made again, once.
        const card = await cardFor(current);
        await store.setCard(row.case_id, card);
        return staff.updateStatus({ ...view, card });
      }
      case 'relay': {
        const message = { author: delivery.author, text: delivery.text };
        if (row.target === 'staff') {
          const copy = await staff.postCustomerMessage(view, message);
          await store.setCopy(delivery.messageId, { staff_message: copy });
        } else {
          const copy = await customer.postReply(view, message);
          await store.setCopy(delivery.messageId, { customer_message: copy });
        }
        return;
      }
      case 'edit': {
        const copy = await store.copyOf(delivery.messageId);
        const message = { author: delivery.author, text: delivery.text };
        // A message whose copy never arrived (refused for good) is posted as it reads now.
        const now = copy
          ? await staff.editCustomerMessage(view, copy, message)
          : await staff.postCustomerMessage(view, message);
        await store.setCopy(delivery.messageId, { staff_message: now });
        return;
      }
      case 'delete': {
        const copy = await store.copyOf(delivery.messageId);
        if (copy !== null) await staff.markDeleted(view, copy);
        return;
      }
      case 'settings': {
        const answer = await resolveQuestion(delivery.question);
        if (!answer) throw new Error(`settings question no longer parses: ${delivery.question}`);
        await customer.postSettings(view, answer, delivery.staff);
        return;
      }
      case 'resolved':
        await customer.postResolved(view, delivery.staff);
        return;
      case 'note':
        return staff.postNote(view, delivery.text);
      case 'remind':
        return staff.remind(view);
    }
  }

  /** Tells staff when something meant for the customer is late, refused, or went through after all. */
  async function trouble(row: OutboxRow, delivery: Delivery, state: DeliveryTrouble, error?: string) {
    // Only what should reach the customer concerns staff; a case that never opened has no post to tell.
    if (row.target !== 'customer' || delivery.kind === 'open-thread') return;
    const what = describeDelivery(delivery);
    const text =
      state === 'delivered'
        ? words.deliveredNow(what)
        : state === 'late'
          ? words.notDeliveredYet(what, customer.name, error ?? 'no answer')
          : words.refusedForGood(what, customer.name, error ?? 'refused');
    const current = await store.byId(row.case_id);
    await store.change(undefined, (tx) =>
      store.apply(tx, current, { changes: {}, deliveries: [toStaff({ kind: 'note', text })] }),
    );
  }

  return { deliver, trouble };
}

function describeDelivery(delivery: Delivery): string {
  switch (delivery.kind) {
    case 'relay':
      return `“${delivery.text.length > 80 ? `${delivery.text.slice(0, 79)}…` : delivery.text}”`;
    case 'settings':
      return `the settings for ${describeQuestion(delivery.question)}`;
    case 'resolved':
      return 'the "resolved" message';
    default:
      return delivery.kind;
  }
}
