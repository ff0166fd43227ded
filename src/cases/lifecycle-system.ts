// The lifecycle's rules for what the bot itself notices rather than what people do: a clock of the case that
// came due (a response or the resolution nearly due or overdue, a customer gone quiet, a snooze over), and a
// delivery that did not arrive. Part of the one pure decide() (lifecycle.ts), kept apart to stay readable.

import * as words from '../messages/cases.js';
import { clip } from '../reply/reply.js';
import { type CaseEvent, type CaseState, type ClockDue, type Step, staffTurn } from './case-state.js';
import { describeQuestion } from './case-view.js';
import { type Delivery, type Outgoing, toCustomer, toStaff } from './deliveries.js';

const nothing: Step = { changes: {}, deliveries: [] };

/**
 * How long a post refused for good waits before its customer is told privately. Whoever asked is told at once
 * when "Ask a person" is still following the case (opening.ts forgets the case then, this notice with it); this
 * reaches those it stopped following (a restart, an outage longer than it follows).
 */
export const NOT_THROUGH_AFTER_MS = 60_000;

/**
 * Each warning goes out once per turn (or, for the resolution, once per resolution clock: once per case, and
 * again only after it is reopened, which starts that clock over): nearly due to whoever has the case (the
 * staff role when nobody does), overdue to the lead. A quiet customer is asked once whether they still need
 * help, and the case closes if they stay quiet; writing again reopens it.
 */
export function clockRule(state: CaseState, due: ClockDue, dueAt: number | undefined, at: number): Step {
  const owner = state.claimedById ? { ping: state.claimedById } : {};
  const when = dueAt === undefined ? {} : { dueAt };
  const response = state.firstResponseAt === null ? ('first response' as const) : ('next response' as const);
  const waitsOnStaff = staffTurn(state.status) && state.snoozedUntil === null;
  const open = state.status !== 'resolved' && state.snoozedUntil === null;
  switch (due) {
    case 'response-due-soon':
      if (!waitsOnStaff || state.remindedAt !== null) return nothing;
      return remind({ remindedAt: at }, { level: 'due-soon', what: response, ...when, ...owner });
    case 'response-overdue':
      if (!waitsOnStaff || state.escalatedAt !== null) return nothing;
      return remind(
        { escalatedAt: at, remindedAt: state.remindedAt ?? at },
        { level: 'overdue', what: response, ...when },
      );
    case 'resolution-due-soon':
      if (!open || state.resolutionWarnedAt !== null) return nothing;
      return remind({ resolutionWarnedAt: at }, { level: 'due-soon', what: 'resolution', ...when, ...owner });
    case 'resolution-overdue':
      if (!open || state.resolutionEscalatedAt !== null) return nothing;
      return remind(
        { resolutionEscalatedAt: at, resolutionWarnedAt: state.resolutionWarnedAt ?? at },
        { level: 'overdue', what: 'resolution', ...when },
      );
    case 'follow-up':
      if (state.status !== 'waiting' || state.followedUpAt !== null) return nothing;
      return {
        changes: { followedUpAt: at },
        deliveries: [toCustomer({ kind: 'follow-up' }), toStaff({ kind: 'note', text: words.FOLLOWED_UP })],
      };
    case 'auto-resolve':
      if (state.status !== 'waiting' || state.followedUpAt === null) return nothing;
      return {
        changes: { status: 'resolved', resolvedBy: null },
        deliveries: [
          toCustomer({ kind: 'auto-resolved' }),
          toStaff({ kind: 'note', text: words.AUTO_RESOLVED }),
        ],
      };
    case 'snooze-over': {
      if (state.snoozedUntil === null) return nothing;
      const restarts = staffTurn(state.status)
        ? { staffTurnSince: at, remindedAt: null, escalatedAt: null }
        : {};
      return remind({ snoozedUntil: null, ...restarts }, { level: 'snooze-over', what: response, ...owner });
    }
  }
}

function remind(
  changes: Step['changes'],
  reminder: Omit<Extract<Delivery, { kind: 'remind' }>, 'kind'>,
): Step {
  return { changes, deliveries: [toStaff({ kind: 'remind', ...reminder })] };
}

/**
 * Whoever must act on a delivery that did not arrive is told: staff about what should reach the customer, the
 * customer about their words staff never got, and about a post that could never be made (the admin reads why
 * in the log). A thread the customer's side refused closes the case: nobody could ever answer there.
 */
export function troubleRule(event: Extract<CaseEvent, { type: 'delivery-trouble' }>): Step {
  const { delivery, target, state, error } = event;
  if (target === 'customer' && delivery.kind === 'open-thread' && state === 'refused')
    return {
      changes: { status: 'resolved' },
      deliveries: [toStaff({ kind: 'note', text: words.threadRefused(error) })],
    };
  return { changes: {}, deliveries: troubleTold(event) };
}

function troubleTold({
  delivery,
  target,
  state,
  error,
}: Extract<CaseEvent, { type: 'delivery-trouble' }>): Outgoing[] {
  if (target === 'customer') {
    if (!['relay', 'settings', 'resolved', 'open-thread'].includes(delivery.kind)) return [];
    const what = describeDelivery(delivery);
    const text =
      state === 'delivered'
        ? words.deliveredNow(what)
        : state === 'late'
          ? words.notDeliveredYet(what, error)
          : words.refusedForGood(what, error);
    return [toStaff({ kind: 'note', text })];
  }
  if (state === 'refused' && delivery.kind === 'create-post')
    return [toCustomer({ kind: 'not-through' }, NOT_THROUGH_AFTER_MS)];
  if (state !== 'refused' || delivery.kind !== 'relay' || delivery.notCustomer) return [];
  return [toCustomer({ kind: 'notice', text: words.notPassedOn(describeDelivery(delivery), error) })];
}

/** A delivery in words for a note: the words relayed, or what kind of message it was. */
function describeDelivery(delivery: Delivery): string {
  switch (delivery.kind) {
    case 'relay':
      return `“${clip(delivery.text, 80)}”`;
    case 'settings':
      return `the settings for ${describeQuestion(delivery.question)}`;
    case 'resolved':
      return 'the "resolved" message';
    case 'open-thread':
      return 'the message that starts their thread, which your replies wait behind';
    default:
      return delivery.kind;
  }
}
