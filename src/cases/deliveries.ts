// What the relay has to send, as stored in the outbox (one JSON row each, delivered in order per case and
// side). A delivery names the stored records it needs rather than copying them, so it is always current.
import type { Target } from '../store/schema.js';

export type { Target } from '../store/schema.js';

export type Delivery =
  /** Customer's side: the visible "asked for help" post that starts the case's thread. */
  | { kind: 'open-thread' }
  /** Staff side: the post with the case card. */
  | { kind: 'create-post' }
  /** Staff side: the post's status (tags, card). */
  | { kind: 'status' }
  /** Either way: a message stored in case_messages, with the words to relay. */
  | { kind: 'relay'; messageId: number; author: string; text: string }
  /** Staff side: a customer's message changed or went away. */
  | { kind: 'edit'; messageId: number; author: string; text: string }
  | { kind: 'delete'; messageId: number }
  /** Customer's side: settings staff chose to send; `question` is parsed and resolved again when delivered. */
  | { kind: 'settings'; question: string; staff: string }
  /** Customer's side: "Resolved by …" with the rating buttons. */
  | { kind: 'resolved'; staff: string }
  /** Staff side: a line from the bot in the post. */
  | { kind: 'note'; text: string }
  /** Staff side: the one reminder for a case left new. */
  | { kind: 'remind' };

/** A delivery and the side it goes to. */
export interface Outgoing {
  target: Target;
  delivery: Delivery;
}

export const toCustomer = (delivery: Delivery): Outgoing => ({ target: 'customer', delivery });
export const toStaff = (delivery: Delivery): Outgoing => ({ target: 'staff', delivery });
