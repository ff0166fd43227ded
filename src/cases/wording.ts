// Every sentence the case relay says, on either platform.
import { parseQuery } from '../question/parse-question.js';

const ASKED = { imap: 'IMAP', pop: 'POP', smtp: 'SMTP', all: 'all protocols' } as const;

/** "example.com (POP)", or the question quoted when it is not one the bot understands. */
export function describeQuestion(question: string): string {
  const parsed = parseQuery(question);
  if (!parsed.ok) return question.trim() === '' ? 'their mail settings' : `“${question.slice(0, 80)}”`;
  const { domain, email, protocol } = parsed.value.query;
  return `${email ?? domain} (${ASKED[protocol]})`;
}

export const caseOpened = (customer: string, question: string) =>
  `${customer} asked for help with ${describeQuestion(question)}. Our support team will reply in this thread.`;
export const resolvedBy = (staff: string) => `Resolved by ${staff}. Did this help?`;
export const settingsSent = (staff: string, question: string) =>
  `${staff} sent the settings for ${describeQuestion(question)} to the customer.`;
export const rated = (customer: string, helpful: boolean) =>
  `${customer} rated the help: ${helpful ? 'helpful' : 'not helpful'}.`;
export const reopened = (customer: string) => `${customer} wrote again: the case is open again.`;
export const notDeliveredYet = (what: string, error: string) =>
  `Not delivered to the customer yet: ${what} (Slack: ${error}). The bot keeps trying.`;
export const refusedForGood = (what: string, error: string) =>
  `Could not be delivered to the customer: ${what} (Slack: ${error}). Reach them another way.`;
export const deliveredNow = (what: string) => `Delivered to the customer now: ${what}.`;
export const waitingSince = (minutes: number) =>
  `This case has been waiting ${minutes} minutes for someone to claim it.`;
