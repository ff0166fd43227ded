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
import {
  type Author,
  type CaseChanges,
  type CaseEvent,
  type CaseState,
  type Refusal,
  type Staff,
  type Step,
  staffTurn,
} from './case-state.js';
import { toCustomer, toStaff } from './deliveries.js';
import { clockRule, troubleRule } from './lifecycle-system.js';
import { isTombstone } from './tombstone.js';

export type { Author, CaseEvent, CaseState, Refusal, Staff, Step, Trouble } from './case-state.js';

/** What happens to `state` on `event` at time `at`. */
export function decide(state: CaseState, event: CaseEvent, at: number): Result<Step, Refusal> {
  const step = rule(state, event, at);
  if (typeof step === 'string') return fail(step);
  const turned = { ...turnOver(state, step.changes, at), ...step.changes };
  const changes = { ...turned, ...snoozesAfter(state, turned, at) };
  // The post shows the status, who has the case, who resolved it and its rating: any change redraws it.
  const shown = (['status', 'claimedBy', 'resolvedBy', 'rating'] as const).some(
    (field) => field in changes && changes[field] !== state[field],
  );
  return ok({
    changes,
    deliveries: shown ? [...step.deliveries, toStaff({ kind: 'status' })] : step.deliveries,
  });
}

/**
 * The clocks follow the status: when the case becomes the staff's turn its response clock starts over (and a
 * snooze ends), when it waits on the customer theirs starts, when it is resolved the time is kept, and when it
 * is reopened its resolution clock starts over from then (with no snoozes, and no warnings sent). A snooze
 * that a change of status ends (a snoozed new case claimed) starts the response clock over, as its end would.
 */
function turnOver(state: CaseState, changes: CaseChanges, at: number): CaseChanges {
  const next = changes.status;
  if (!next || next === state.status) return {};
  const staffs =
    staffTurn(next) && (!staffTurn(state.status) || state.snoozedUntil !== null)
      ? {
          staffTurnSince: at,
          remindedAt: null,
          escalatedAt: null,
          customerTurnSince: null,
          followedUpAt: null,
        }
      : {};
  const waits = next === 'waiting' ? { customerTurnSince: at, followedUpAt: null } : {};
  const ends = next === 'resolved' ? { resolvedAt: at } : {};
  const reopens =
    state.status === 'resolved'
      ? {
          resolvedAt: null,
          reopenedAt: at,
          snoozes: [],
          resolutionWarnedAt: null,
          resolutionEscalatedAt: null,
          // A rating was for the resolution that ended: reopened (by staff too), the case has none yet.
          rating: null,
        }
      : {};
  return { ...staffs, ...waits, ...ends, ...reopens, snoozedUntil: null };
}

/**
 * The snoozes the resolution clock waits for: one is kept from when it begins until it is planned to end (a
 * second snooze while snoozed moves that end), and is cut short at `at` when the case wakes early (the customer
 * wrote, staff replied or resolved). A snooze from before the snoozes were kept has none to cut.
 */
function snoozesAfter(state: CaseState, changes: CaseChanges, at: number): CaseChanges {
  const until = changes.snoozedUntil;
  if (until === undefined || until === state.snoozedUntil || changes.snoozes) return {};
  const last = state.snoozes.at(-1);
  const current = state.snoozedUntil !== null && last?.[1] === state.snoozedUntil ? last : undefined;
  const earlier = current ? state.snoozes.slice(0, -1) : state.snoozes;
  if (until !== null) return { snoozes: [...earlier, [current?.[0] ?? at, until]] };
  if (!current || at >= current[1]) return {};
  return { snoozes: [...earlier, [current[0], at]] };
}

/** What staff do that opens a case again or writes to its customer. */
const STAFF_TOWARDS_CUSTOMER: ReadonlySet<CaseEvent['type']> = new Set([
  'claimed',
  'assigned',
  'staff-replied',
  'settings-sent',
]);

function rule(state: CaseState, event: CaseEvent, at: number): Step | Refusal {
  const nothing: Step = { changes: {}, deliveries: [] };
  // A forgotten customer's case stays closed: nobody could read what it would send.
  if (STAFF_TOWARDS_CUSTOMER.has(event.type) && isTombstone(state.customerId)) return 'forgotten';
  switch (event.type) {
    case 'opened':
      return { changes: { staffTurnSince: at }, deliveries: [toStaff({ kind: 'create-post' })] };
    case 'post-created':
      return { changes: {}, deliveries: [toCustomer({ kind: 'open-thread' })] };
    case 'thread-opened':
      return { changes: {}, deliveries: [toStaff({ kind: 'status' })] };
    case 'customer-wrote':
      return customerWrote(state, event, at);
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
        changes: staffActed(state, staff, at),
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
        changes: staffActed(state, event.staff, at),
        deliveries: [
          toCustomer({ kind: 'settings', question: event.question, staff: event.staff.name }),
          toStaff({ kind: 'note', text: words.settingsSent(event.staff.name, event.described) }),
        ],
      };
    case 'claimed':
      return claimed(state, event.staff, event.takeover === true);
    case 'assigned':
      return claimed(state, event.to, true, event.staff);
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
      // Pressed under an earlier "Resolved" message: the case was reopened since, and this resolution has none.
      if (state.status !== 'resolved') return 'not-resolved';
      const rating = event.helpful ? 'helpful' : 'not-helpful';
      if (rating === state.rating) return nothing;
      return {
        changes: { rating },
        deliveries: [toStaff({ kind: 'note', text: words.rated(state.customerName, event.helpful) })],
      };
    }
    case 'snoozed':
      if (state.status === 'resolved') return 'not-snoozable';
      return {
        changes: { snoozedUntil: event.until },
        deliveries: [toStaff({ kind: 'note', text: words.snoozed(event.staff.name, event.untilText) })],
      };
    case 'clock':
      return clockRule(state, event.due, event.dueAt, at);
    case 'delivery-trouble':
      return troubleRule(event);
  }
}

const isCustomer = (state: CaseState, by: Author) => by.id === state.customerId;

/**
 * The customer's words reach staff, pinging whoever has the case when it becomes their turn; anyone else's in
 * the thread are shown as that person's, never as the customer's, and change nothing.
 */
function customerWrote(
  state: CaseState,
  event: Extract<CaseEvent, { type: 'customer-wrote' }>,
  at: number,
): Step {
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
  const unsnoozed =
    state.snoozedUntil !== null && state.status !== 'waiting'
      ? { snoozedUntil: null, staffTurnSince: at, remindedAt: null, escalatedAt: null }
      : {};
  return {
    changes: state.status === 'waiting' ? { status: 'claimed' } : unsnoozed,
    deliveries: [toStaff({ ...relay, author: state.customerName, ...ping }), ...recognised],
  };
}

/** Claimed by `staff`, or handed to them `by` someone (then they are pinged; a resolved case stays resolved). */
function claimed(state: CaseState, staff: Staff, takeover: boolean, by?: Staff): Step | Refusal {
  const mine = state.claimedById ? state.claimedById === staff.id : state.claimedBy === staff.name;
  const reopens = state.status === 'resolved';
  // Handing over, or a take-over confirmed after the case was resolved meanwhile: Claim reopens it, these do not.
  if ((by || takeover) && reopens) return 'already-resolved';
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
      ...(by
        ? [toStaff({ kind: 'note', text: words.handedOver(by.name, staff.name), ping: staff.id })]
        : state.claimedBy && !mine
          ? [toStaff({ kind: 'note', text: words.tookOver(staff.name, state.claimedBy) })]
          : []),
    ],
  };
}

/**
 * The staff member's first reply (or settings) claims an unclaimed case; after each, it is the customer's turn,
 * and their clock (for asking whether they still need help) starts from it.
 */
function staffActed(state: CaseState, staff: Staff, at: number): CaseChanges {
  return {
    status: 'waiting',
    customerTurnSince: at,
    followedUpAt: null,
    firstResponseAt: state.firstResponseAt ?? at,
    ...(state.claimedBy ? {} : { claimedBy: staff.name, claimedById: staff.id }),
    // A reply wakes a snoozed case, as the customer writing does.
    snoozedUntil: null,
  };
}
