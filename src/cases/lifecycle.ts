// The case lifecycle as one pure function: a case, an event and the time in; the changes to the case and what
// each side must be sent out, or why the event is refused. Every rule of a case lives here
// (test/cases/lifecycle.test.ts reads them as a table); the case store records the event, applies the changes
// and stores the deliveries in one transaction, and the outbox sends them.
//
//   opened ─▶ post created ─▶ thread opened            (the customer is told only once staff can see it)
//   new ──claim──▶ claimed ──staff reply / settings──▶ waiting ──customer writes──▶ claimed
//    └──staff reply──────────────────────────────────────┘     (the first staff reply claims an unclaimed case)
//   any ──resolve──▶ resolved ──the customer writes, or staff claim──▶ claimed (new when nobody claimed it)
import * as words from '../messages/cases.js';
import { fail, ok, type Result } from '../model/result.js';
import type { CaseStatus } from '../store/schema.js';
import { describeDelivery } from './case-view.js';
import { type Delivery, type Outgoing, toCustomer, toStaff } from './deliveries.js';

/** Who did something on the staff side. */
export interface Staff {
  id: string;
  name: string;
}
/** Who wrote something on the customer's side. */
export interface Author {
  id: string;
  name: string;
}

/** What the lifecycle reads of a case. */
export interface CaseState {
  status: CaseStatus;
  customerId: string;
  customerName: string;
  claimedBy: string | null;
  /** Unknown for cases claimed before ids were kept: then the name stands for the person. */
  claimedById: string | null;
  resolvedBy: string | null;
  rating: 'helpful' | 'not-helpful' | null;
  remindedAt: number | null;
  /** Since when the case has waited on staff. */
  staffTurnSince: number | null;
}

/** What the lifecycle may change. */
export type CaseChanges = Partial<
  Pick<
    CaseState,
    'status' | 'claimedBy' | 'claimedById' | 'resolvedBy' | 'rating' | 'remindedAt' | 'staffTurnSince'
  >
>;

/** Why an event changes nothing: the adapter tells whoever acted. */
export type Refusal = 'not-yours' | 'already-yours' | 'claimed-by-other' | 'already-resolved';

export type CaseEvent =
  /** A customer asked for a person: the staff post comes first, so nobody is told before staff can see it. */
  | { type: 'opened' }
  /** The staff post exists: the customer's thread opens, saying so. */
  | { type: 'post-created' }
  /** The customer's thread exists: the card gets its link. */
  | { type: 'thread-opened' }
  /**
   * Someone wrote in the case's thread (stored as `messageId`): the customer, or another person there.
   * `recognised`: the note for staff when the catalogue recognises an error in the customer's words.
   */
  | { type: 'customer-wrote'; messageId: number; by: Author; text: string; recognised?: string }
  /** A relayed message changed (`text`) or was deleted (no text); `by` wrote it. */
  | { type: 'customer-edited'; messageId: number; by: Author; text?: string }
  /** A staff reply for the customer (stored as `messageId`); `from`: sent from that post, to cases sharing a cause. */
  | { type: 'staff-replied'; messageId: number; staff: Staff; text: string; from?: string }
  /** The card shows something new (a diagnosis, a check run again, a case sharing its cause), after `note`. */
  | { type: 'card-changed'; note?: string }
  /** Staff chose to send the settings for `question`; `described` is how people read it. */
  | { type: 'settings-sent'; staff: Staff; question: string; described: string }
  /** `takeover`: the staff member was asked and confirmed taking the case from whoever has it. */
  | { type: 'claimed'; staff: Staff; takeover?: boolean }
  | { type: 'resolved'; staff: Staff }
  | { type: 'rated'; customerId: string; helpful: boolean }
  /** The store found the case waiting on staff longer than the reminder time. */
  | { type: 'reminder-due' }
  /** A delivery did not arrive: late (still trying), refused for good, or through after all. */
  | {
      type: 'delivery-trouble';
      delivery: Delivery;
      target: 'customer' | 'staff';
      state: Trouble;
      error: string;
    };

export type Trouble = 'late' | 'refused' | 'delivered';

export interface Step {
  changes: CaseChanges;
  deliveries: Outgoing[];
}

/** What happens to `state` on `event` at time `at`. */
export function decide(state: CaseState, event: CaseEvent, at: number): Result<Step, Refusal> {
  const step = rule(state, event, at);
  if (typeof step === 'string') return fail(step);
  const { changes, deliveries } = step;
  // It is the staff's turn again: the clock for reminders starts over.
  const turn =
    changes.status &&
    changes.status !== state.status &&
    staffTurn(changes.status) &&
    !staffTurn(state.status);
  const timed: CaseChanges = turn ? { ...changes, staffTurnSince: at, remindedAt: null } : changes;
  // The post shows the status, who claimed and resolved the case and its rating: any change redraws it.
  const shown = (['status', 'claimedBy', 'resolvedBy', 'rating'] as const).some(
    (field) => field in timed && timed[field] !== state[field],
  );
  return ok({
    changes: timed,
    deliveries: shown ? [...deliveries, toStaff({ kind: 'status' })] : deliveries,
  });
}

const staffTurn = (status: CaseStatus) => status === 'new' || status === 'claimed';

function rule(state: CaseState, event: CaseEvent, at: number): Step | Refusal {
  const nothing: Step = { changes: {}, deliveries: [] };
  switch (event.type) {
    case 'opened':
      return { changes: { staffTurnSince: at }, deliveries: [toStaff({ kind: 'create-post' })] };
    case 'post-created':
      return { changes: {}, deliveries: [toCustomer({ kind: 'open-thread' })] };
    case 'thread-opened':
      return { changes: {}, deliveries: [toStaff({ kind: 'status' })] };
    case 'customer-wrote':
      return customerWrote(state, event);
    case 'customer-edited': {
      const author = isCustomer(state, event.by)
        ? { author: state.customerName }
        : { author: event.by.name, notCustomer: true as const };
      return {
        changes: {},
        deliveries: [
          toStaff(
            event.text === undefined
              ? { kind: 'delete', messageId: event.messageId }
              : { kind: 'edit', messageId: event.messageId, ...author, text: event.text },
          ),
        ],
      };
    }
    case 'staff-replied': {
      const { messageId, staff, text, from } = event;
      const sent = { messageId, author: staff.name, text };
      return {
        changes: staffActed(state, staff),
        deliveries: [
          toCustomer({ kind: 'relay', ...sent }),
          ...(from ? [toStaff({ kind: 'sent', ...sent, from })] : []),
        ],
      };
    }
    case 'card-changed':
      return {
        changes: {},
        deliveries: [
          ...(event.note ? [toStaff({ kind: 'note', text: event.note })] : []),
          toStaff({ kind: 'status' }),
        ],
      };
    case 'settings-sent':
      return {
        changes: staffActed(state, event.staff),
        deliveries: [
          toCustomer({ kind: 'settings', question: event.question, staff: event.staff.name }),
          toStaff({ kind: 'note', text: words.settingsSent(event.staff.name, event.described) }),
        ],
      };
    case 'claimed':
      return claimed(state, event.staff, event.takeover === true);
    case 'resolved':
      if (state.status === 'resolved') return 'already-resolved';
      return {
        changes: {
          status: 'resolved',
          resolvedBy: event.staff.name,
          ...(state.claimedBy ? {} : { claimedBy: event.staff.name, claimedById: event.staff.id }),
        },
        deliveries: [toCustomer({ kind: 'resolved', staff: event.staff.name })],
      };
    case 'rated': {
      if (event.customerId !== state.customerId) return 'not-yours';
      const rating = event.helpful ? 'helpful' : 'not-helpful';
      if (rating === state.rating) return nothing;
      return {
        changes: { rating },
        deliveries: [toStaff({ kind: 'note', text: words.rated(state.customerName, event.helpful) })],
      };
    }
    case 'reminder-due':
      if (!staffTurn(state.status) || state.remindedAt !== null) return nothing;
      return {
        changes: { remindedAt: at },
        deliveries: [toStaff({ kind: 'remind', ...(state.claimedById ? { ping: state.claimedById } : {}) })],
      };
    case 'delivery-trouble':
      // The customer's thread could not be opened: nobody could ever answer there, so the case closes.
      if (event.target === 'customer' && event.delivery.kind === 'open-thread' && event.state === 'refused')
        return {
          changes: { status: 'resolved' },
          deliveries: [toStaff({ kind: 'note', text: words.threadRefused(event.error) })],
        };
      return { changes: {}, deliveries: troubleTold(event) };
  }
}

const isCustomer = (state: CaseState, by: Author) => by.id === state.customerId;

/**
 * The customer's words reach staff, pinging whoever has the case when it becomes their turn; anyone else's in
 * the thread are shown as that person's, never as the customer's, and change nothing.
 */
function customerWrote(state: CaseState, event: Extract<CaseEvent, { type: 'customer-wrote' }>): Step {
  const relay = { kind: 'relay' as const, messageId: event.messageId, text: event.text };
  if (!isCustomer(state, event.by))
    return { changes: {}, deliveries: [toStaff({ ...relay, author: event.by.name, notCustomer: true })] };
  const ping = state.claimedById && !staffTurn(state.status) ? { ping: state.claimedById } : {};
  const recognised = event.recognised ? [toStaff({ kind: 'note', text: event.recognised })] : [];
  if (state.status === 'resolved')
    return {
      changes: { status: state.claimedBy ? 'claimed' : 'new', resolvedBy: null, rating: null },
      deliveries: [
        toStaff({ ...relay, author: state.customerName, ...ping }),
        ...recognised,
        toStaff({ kind: 'note', text: words.reopened(state.customerName) }),
      ],
    };
  return {
    changes: state.status === 'waiting' ? { status: 'claimed' } : {},
    deliveries: [toStaff({ ...relay, author: state.customerName, ...ping }), ...recognised],
  };
}

function claimed(state: CaseState, staff: Staff, takeover: boolean): Step | Refusal {
  const mine = state.claimedById ? state.claimedById === staff.id : state.claimedBy === staff.name;
  const reopens = state.status === 'resolved';
  if (mine && !reopens) return 'already-yours';
  if (state.claimedBy && !mine && !reopens && !takeover) return 'claimed-by-other';
  return {
    changes: {
      status: state.status === 'new' || reopens ? 'claimed' : state.status,
      claimedBy: staff.name,
      claimedById: staff.id,
      ...(reopens ? { resolvedBy: null } : {}),
    },
    deliveries: [
      toCustomer({ kind: 'claimed', staff: staff.name }),
      ...(state.claimedBy && !mine
        ? [toStaff({ kind: 'note', text: words.tookOver(staff.name, state.claimedBy) })]
        : []),
    ],
  };
}

/** The staff member's first reply (or settings) claims an unclaimed case; after it, it is the customer's turn. */
function staffActed(state: CaseState, staff: Staff): CaseChanges {
  return { status: 'waiting', ...(state.claimedBy ? {} : { claimedBy: staff.name, claimedById: staff.id }) };
}

/**
 * Whoever must act on a delivery that did not arrive is told: staff about what should reach the customer, the
 * customer about their words staff never got, or about a question that never reached staff at all.
 */
function troubleTold({
  delivery,
  target,
  state,
  error,
}: Extract<CaseEvent, { type: 'delivery-trouble' }>): Outgoing[] {
  if (target === 'customer') {
    if (delivery.kind === 'open-thread' || delivery.kind === 'notice' || delivery.kind === 'claimed')
      return [];
    const what = describeDelivery(delivery);
    const text =
      state === 'delivered'
        ? words.deliveredNow(what)
        : state === 'late'
          ? words.notDeliveredYet(what, error)
          : words.refusedForGood(what, error);
    return [toStaff({ kind: 'note', text })];
  }
  // A post that could not be made is the customer's to hear about when they asked (firstDelivery); the admin
  // reads it in the log.
  if (state !== 'refused' || delivery.kind !== 'relay' || delivery.notCustomer) return [];
  return [toCustomer({ kind: 'notice', text: words.notPassedOn(describeDelivery(delivery), error) })];
}
