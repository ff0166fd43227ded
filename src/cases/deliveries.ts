// What the relay has to send, as stored in the outbox (one JSON row each, delivered in order per case and
// platform). A delivery names the stored records it needs rather than copying them, so it is always current.

export type Delivery =
  /** Slack: the visible "asked for help" post that starts the case's thread. */
  | { kind: 'open-thread' }
  /** Discord: the forum post with the case card. */
  | { kind: 'create-post' }
  /** Discord: tags and card status. */
  | { kind: 'status' }
  /** Either way: a message stored in case_messages, with the words to relay. */
  | { kind: 'relay'; messageId: number; author: string; text: string }
  /** Discord: a customer's message changed or went away. */
  | { kind: 'edit'; messageId: number; author: string; text: string }
  | { kind: 'delete'; messageId: number }
  /** Slack: settings staff chose to send; `question` is parsed and resolved again when delivered. */
  | { kind: 'settings'; question: string; staff: string }
  /** Slack: "Resolved by …" with the rating buttons. */
  | { kind: 'resolved'; staff: string }
  /** Discord: a line from the bot in the post. */
  | { kind: 'note'; text: string }
  /** Discord: the one reminder for a case left new. */
  | { kind: 'remind' };

export type Target = 'slack' | 'discord';

export const TARGET: Record<Delivery['kind'], Target | 'either'> = {
  'open-thread': 'slack',
  'create-post': 'discord',
  status: 'discord',
  relay: 'either',
  edit: 'discord',
  delete: 'discord',
  settings: 'slack',
  resolved: 'slack',
  note: 'discord',
  remind: 'discord',
};
