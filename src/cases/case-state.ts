// The vocabulary of the case lifecycle (lifecycle.ts): what it reads of a case, the events it decides on, and
// what it decides. Times are milliseconds since the epoch.
import type { CaseStatus } from '../store/schema.js';
import type { Delivery, Outgoing } from './deliveries.js';

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
  createdAt: number;
  /** Since when the case has waited on staff, and which warnings about that response went out. */
  staffTurnSince: number | null;
  remindedAt: number | null;
  escalatedAt: number | null;
  firstResponseAt: number | null;
  /** Since when the case has waited on the customer, and when they were asked whether they still need help. */
  customerTurnSince: number | null;
  followedUpAt: number | null;
  snoozedUntil: number | null;
  /**
   * The snoozes since the resolution clock started, as [from, until] (the current one until it is planned to
   * end, an earlier one until it ended): their business time does not count toward the resolution (clocks.ts).
   */
  snoozes: [number, number][];
  /** When the case was last reopened after being resolved: its resolution clock started over then. */
  reopenedAt: number | null;
  resolvedAt: number | null;
  resolutionWarnedAt: number | null;
  resolutionEscalatedAt: number | null;
}

/** What the lifecycle may change. */
export type CaseChanges = Partial<Omit<CaseState, 'customerId' | 'customerName' | 'createdAt'>>;

/** Why an event changes nothing: the adapter tells whoever acted (`already-yours`: the case is with them). */
export type Refusal =
  | 'not-yours'
  | 'already-yours'
  | 'claimed-by-other'
  | 'already-resolved'
  | 'not-snoozable'
  | 'not-resolved'
  /** Staff would reopen or write to a case whose customer was forgotten: nobody could read it. */
  | 'forgotten';

/**
 * What a clock found due (clocks.ts): a response or the resolution nearly due (80 % of its target) or overdue,
 * the customer silent long enough to be asked whether they still need help, or to close the case, or a
 * snooze over.
 */
export type ClockDue =
  | 'response-due-soon'
  | 'response-overdue'
  | 'resolution-due-soon'
  | 'resolution-overdue'
  | 'follow-up'
  | 'auto-resolve'
  | 'snooze-over';

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
  /** `staff` handed the case over to `to` (whom the staff side checked to be staff). */
  | { type: 'assigned'; staff: Staff; to: Staff }
  | { type: 'rated'; customerId: string; helpful: boolean }
  /** Staff put the case aside until `until` (`untilText`: that time in words, for the post). */
  | { type: 'snoozed'; staff: Staff; until: number; untilText: string }
  /** A clock of the case found something due; `dueAt` is when the response or resolution is (was) due. */
  | { type: 'clock'; due: ClockDue; dueAt?: number }
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

/** The statuses in which the case waits on staff. */
export const staffTurn = (status: CaseStatus) => status === 'new' || status === 'claimed';
