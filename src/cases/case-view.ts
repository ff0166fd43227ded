// How a case's question reads for people: "example.com (POP)", or the question quoted when the bot does not
// understand it.
import { parseQuery } from '../question/parse-question.js';

const ASKED = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP', all: 'all protocols' } as const;

/** "example.com (POP)", or the question quoted when it is not one the bot understands. */
export function describeQuestion(question: string): string {
  const parsed = parseQuery(question);
  if (!parsed.ok) return question.trim() === '' ? 'their mail settings' : `“${question.slice(0, 80)}”`;
  const { domain, email, protocol } = parsed.value.query;
  return `${email ?? domain} (${ASKED[protocol]})`;
}
