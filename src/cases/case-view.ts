// How a case's question reads for people: "example.com (POP)", or the question quoted when the bot does not
// understand it.
import { parseQuery } from '../question/parse-question.js';
import type { Delivery } from './deliveries.js';

const ASKED = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP', all: 'all protocols' } as const;

/**
 * "alice@example.com (POP)", or the question quoted when it is not one the bot understands. `publicly`: for
 * where others read along, with the domain only, never the customer's address.
 */
export function describeQuestion(question: string, { publicly = false } = {}): string {
  const parsed = parseQuery(question);
  if (!parsed.ok) {
    if (publicly || question.trim() === '') return 'their mail settings';
    return `“${question.slice(0, 80)}”`;
  }
  const { domain, email, protocol } = parsed.value.query;
  return `${publicly ? domain : (email ?? domain)} (${ASKED[protocol]})`;
}

/** A delivery in words for a note: the words relayed, or what kind of message it was. */
export function describeDelivery(delivery: Delivery): string {
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
