// What stays of a forgotten customer (data-care.ts) besides the tombstone their id became (tombstone.ts): the
// question as the report needs it, and the card without them.
import { FORGOTTEN_NAME } from '../messages/report.js';
import { parseQuery } from '../question/parse-question.js';
import { withoutTag } from '../reply/reply.js';
import type { CaseCard } from './ports.js';

/** The question as the report needs it (its domain and protocol), without the address or anything else typed. */
export function withoutAddress(question: string): string {
  const parsed = parseQuery(question);
  return parsed.ok ? `${parsed.value.query.domain} ${parsed.value.query.protocol}` : '';
}

/**
 * The card without the customer: their address wherever it shows (the question as asked, the answer, their
 * profile's address), their name on the diagnosis of their words, and the part of the address before the @
 * where the diagnosis names it alone (the username, for providers that want only that).
 */
export function forgottenCard(card: string, question: string, email: string | null): string {
  const parsed = parseQuery(question);
  const address = parsed.ok ? parsed.value.query.email : undefined;
  const input = parsed.ok ? parsed.value.query.input : undefined;
  let text = card;
  // Tagged (alice+news@), the answer named the mailbox itself as username (reply.ts): that goes too.
  const addresses = [address, email].flatMap((words) => (words ? [words, withoutTag(words)] : []));
  for (const words of [...addresses, input])
    if (words?.includes('@'))
      text = text.replace(matching(JSON.stringify(words).slice(1, -1)), '%EMAILADDRESS%');
  const kept = JSON.parse(text) as CaseCard;
  const { diagnosis } = kept;
  if (!diagnosis) return text;
  diagnosis.by = FORGOTTEN_NAME;
  for (const local of addresses.map((words) => words.split('@')[0]).filter(Boolean)) {
    // Alone: not inside a longer name, though a sentence may end right after it.
    const alone = new RegExp(`(?<![\\w.%+-])${escaped(local as string)}(?![\\w%+-]|\\.\\w)`, 'gi');
    diagnosis.fix = diagnosis.fix.replace(alone, '%EMAILLOCALPART%');
    diagnosis.summary = diagnosis.summary.replace(alone, '%EMAILLOCALPART%');
  }
  return JSON.stringify(kept);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const matching = (words: string) => new RegExp(escaped(words), 'gi');
