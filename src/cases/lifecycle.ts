// The case lifecycle as one pure function: a case and an event in, the changes to the case and what each side
// must be sent out. Every status rule lives here (test/cases/lifecycle.test.ts reads them as a table); the
// case store (case-store.ts) records the event, applies the changes and stores the deliveries in one
// transaction, and the outbox sends them.
//
//   new ──claim──▶ claimed ──staff reply / settings──▶ waiting ──customer writes──▶ claimed
//    │                 ▲                                  │
//    └──staff reply────┼──────────────────────────────────┘   (the first staff reply claims an unclaimed case)
//   any ──resolve──▶ resolved ──customer writes──▶ claimed (or new when nobody claimed it) ──claim──▶ claimed
import * as words from '../messages/cases.js';
import { fail, ok, type Result } from '../model/result.js';
import type { CaseStatus } from '../store/schema.js';
import { type Outgoing, toCustomer, toStaff } from './deliveries.js';

/** Who did something on the staff side. */
export interface Staff {
  id: string;
  name: string;
}

/** What the lifecycle reads of a case. */
export interface CaseState {
  status: CaseStatus;
  customerId: string;
  customerName: string;
  claimedBy: string | null;
  resolvedBy: string | null;
  rating: 'helpful' | 'not-helpful' | null;
  remindedAt: number | null;
}

/** What the lifecycle may change. */
export type CaseChanges = Partial<
  Pick<CaseState, 'status' | 'claimedBy' | 'resolvedBy' | 'rating' | 'remindedAt'>
>;

export type CaseEvent =
  /** A customer asked for a person: the case's thread is opened where they asked. */
  | { type: 'opened' }
  /** The customer's side opened the case's thread: the staff post follows. */
  | { type: 'thread-opened' }
  /** The customer wrote in the case's thread (the message is stored as `messageId`). */
  | { type: 'customer-wrote'; messageId: number; text: string }
  /** The customer changed (`text`) or deleted (no text) a message the relay copied. */
  | { type: 'customer-edited'; messageId: number; text?: string }
  /** A staff reply for the customer (stored as `messageId`). */
  | { type: 'staff-replied'; messageId: number; staff: Staff; text: string }
  /** Staff chose to send the settings for `question`; `described` is how people read it. */
  | { type: 'settings-sent'; staff: Staff; question: string; described: string }
  | { type: 'claimed'; staff: Staff }
  | { type: 'resolved'; staff: Staff }
  | { type: 'rated'; customerId: string; helpful: boolean }
  /** The reminder time of a case passed (the store picks the cases old enough); `at` is now. */
  | { type: 'reminder-due'; at: number };

export interface Step {
  changes: CaseChanges;
  deliveries: Outgoing[];
}

/** What happens to `state` on `event`; refused only when the event is not the actor's to make. */
export function decide(state: CaseState, event: CaseEvent): Result<Step, 'not-yours'> {
  const { changes, deliveries } = rule(state, event);
  if (changes === 'not-yours') return fail('not-yours');
  // The post shows the status, who claimed and resolved the case and its rating: any change redraws it.
  const shown = (['status', 'claimedBy', 'resolvedBy', 'rating'] as const).some(
    (field) => field in changes && changes[field] !== state[field],
  );
  return ok({ changes, deliveries: shown ? [...deliveries, toStaff({ kind: 'status' })] : deliveries });
}

function rule(
  state: CaseState,
  event: CaseEvent,
): { changes: CaseChanges | 'not-yours'; deliveries: Outgoing[] } {
  switch (event.type) {
    case 'opened':
      return { changes: {}, deliveries: [toCustomer({ kind: 'open-thread' })] };
    case 'thread-opened':
      return { changes: {}, deliveries: [toStaff({ kind: 'create-post' })] };
    case 'customer-wrote': {
      const relay = toStaff({
        kind: 'relay',
        messageId: event.messageId,
        author: state.customerName,
        text: event.text,
      });
      if (state.status === 'resolved')
        return {
          changes: { status: state.claimedBy ? 'claimed' : 'new', resolvedBy: null, rating: null },
          deliveries: [relay, toStaff({ kind: 'note', text: words.reopened(state.customerName) })],
        };
      return { changes: state.status === 'waiting' ? { status: 'claimed' } : {}, deliveries: [relay] };
    }
    case 'customer-edited':
      return {
        changes: {},
        deliveries: [
          toStaff(
            event.text === undefined
              ? { kind: 'delete', messageId: event.messageId }
              : { kind: 'edit', messageId: event.messageId, author: state.customerName, text: event.text },
          ),
        ],
      };
    case 'staff-replied':
      return {
        changes: staffActed(state, event.staff),
        deliveries: [
          toCustomer({
            kind: 'relay',
            messageId: event.messageId,
            author: event.staff.name,
            text: event.text,
          }),
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
    case 'claimed': {
      const reopens = state.status === 'resolved';
      return {
        changes: {
          status: state.status === 'new' || reopens ? 'claimed' : state.status,
          claimedBy: event.staff.name,
          ...(reopens ? { resolvedBy: null } : {}),
        },
        deliveries: [],
      };
    }
    case 'resolved':
      if (state.status === 'resolved') return { changes: {}, deliveries: [] };
      return {
        changes: {
          status: 'resolved',
          resolvedBy: event.staff.name,
          claimedBy: state.claimedBy ?? event.staff.name,
        },
        deliveries: [toCustomer({ kind: 'resolved', staff: event.staff.name })],
      };
    case 'rated':
      if (event.customerId !== state.customerId) return { changes: 'not-yours', deliveries: [] };
      return {
        changes: { rating: event.helpful ? 'helpful' : 'not-helpful' },
        deliveries: [toStaff({ kind: 'note', text: words.rated(state.customerName, event.helpful) })],
      };
    case 'reminder-due':
      if (state.status !== 'new' || state.remindedAt !== null) return { changes: {}, deliveries: [] };
      return { changes: { remindedAt: event.at }, deliveries: [toStaff({ kind: 'remind' })] };
  }
}

/** The staff member's first reply (or settings) claims an unclaimed case; after it, it is the customer's turn. */
function staffActed(state: CaseState, staff: Staff): CaseChanges {
  return { status: 'waiting', ...(state.claimedBy ? {} : { claimedBy: staff.name }) };
}
