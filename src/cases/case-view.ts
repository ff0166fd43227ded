// How a case is shown: its view (the fields platforms read) and its question in words ("example.com (POP)").
import { parseQuery } from '../question/parse-question.js';
import type { CaseRow } from '../store/schema.js';
import type { CaseView } from './ports.js';

const ASKED = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP', all: 'all protocols' } as const;

/** "example.com (POP)", or the question quoted when it is not one the bot understands. */
export function describeQuestion(question: string): string {
  const parsed = parseQuery(question);
  if (!parsed.ok) return question.trim() === '' ? 'their mail settings' : `“${question.slice(0, 80)}”`;
  const { domain, email, protocol } = parsed.value.query;
  return `${email ?? domain} (${ASKED[protocol]})`;
}

export function toView(row: CaseRow): CaseView {
  return {
    id: row.id,
    status: row.status,
    slackChannel: row.slack_channel,
    slackThreadTs: row.slack_thread_ts,
    customerId: row.customer_id,
    customerName: row.customer_name,
    question: row.question,
    discordThreadId: row.discord_thread_id,
    claimedBy: row.claimed_by,
    resolvedBy: row.resolved_by,
    rating: row.rating,
  };
}
