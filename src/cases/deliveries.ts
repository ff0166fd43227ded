// What the relay has to send, as stored in the outbox (one JSON row each, delivered in order per case and
// side). A delivery names the stored records it needs rather than copying them, so it is always current.
import type { Target } from '../store/schema.js';

export type { Target } from '../store/schema.js';

export type Delivery =
  /** Staff side: the post with the case card. It comes first: nobody is told before staff can see the case. */
  | { kind: 'create-post' }
  /** Customer's side: the visible "asked for help" post that starts the case's thread and says staff have it. */
  | { kind: 'open-thread' }
  /** Staff side: the post's status (tags, card). */
  | { kind: 'status' }
  /**
   * Either way: a message stored in case_messages, with the words to relay. `notCustomer`: someone other than
   * the case's customer wrote it in the thread. `ping`: the staff member to mention (whoever has the case).
   */
  | { kind: 'relay'; messageId: number; author: string; text: string; notCustomer?: true; ping?: string }
  /** Staff side: a relayed message changed or went away. */
  | { kind: 'edit'; messageId: number; author: string; text: string; notCustomer?: true }
  | { kind: 'delete'; messageId: number }
  /** Customer's side: settings staff chose to send; `question` is parsed and resolved again when delivered. */
  | { kind: 'settings'; question: string; staff: string }
  /** Customer's side: "Resolved by …" with the rating buttons. */
  | { kind: 'resolved'; staff: string }
  /** Customer's side: someone took the case. */
  | { kind: 'claimed'; staff: string }
  /** Customer's side: a line from the bot to the customer in the thread. */
  | { kind: 'notice'; text: string }
  /**
   * Customer's side: their question never reached staff (the post was refused for good), told where they asked,
   * to them alone: the case has no thread.
   */
  | { kind: 'not-through' }
  /** Customer's side: the customer has been quiet a while: do they still need help? */
  | { kind: 'follow-up' }
  /** Customer's side: the case closed itself after the customer stayed quiet; writing again reopens it. */
  | { kind: 'auto-resolved' }
  /** Staff side: a line from the bot in the post; `ping` the one staff member it is for (a case handed to them). */
  | { kind: 'note'; text: string; ping?: string }
  /**
   * Staff side: a response or the resolution is nearly due (`ping` whoever has the case, else the staff role),
   * overdue (the lead), or a snooze is over.
   */
  | {
      kind: 'remind';
      level: 'due-soon' | 'overdue' | 'snooze-over';
      what: 'first response' | 'next response' | 'resolution';
      dueAt?: number;
      ping?: string;
    }
  /** Staff side: the record of a staff reply (stored as `messageId`) sent from another post, `from`. */
  | { kind: 'sent'; messageId: number; author: string; text: string; from: string };

/** A delivery and the side it goes to; `afterMs`: not before that long from now. */
export interface Outgoing {
  target: Target;
  delivery: Delivery;
  afterMs?: number;
}

export const toCustomer = (delivery: Delivery, afterMs?: number): Outgoing => ({
  target: 'customer',
  delivery,
  ...(afterMs ? { afterMs } : {}),
});
export const toStaff = (delivery: Delivery): Outgoing => ({ target: 'staff', delivery });
