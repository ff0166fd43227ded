// What a new case keeps of what the customer said when they asked for a person: their own words (bounded,
// with anything that looks like a password cut out, so it is never stored or shown), the mail program when it
// is one the bot knows, the domain of the question, and their email address: the question's own, else the one
// their side knows of them.
import { cutPasswords } from '../diagnose/paste.js';
import { parseQuery } from '../question/parse-question.js';
import { findProgram } from '../setup/programs.js';

/** What a customer may write when asking (the Slack modal allows as much). */
export const MAX_CUSTOMER_WORDS = 1000;

export interface CustomerSaid {
  question: string;
  /** What they wrote about their problem. */
  words?: string;
  /** The mail program they named, as typed or chosen. */
  program?: string;
  /** Their address as their side knows it (a profile's email), when it does. */
  email?: string;
}

/** Text as both engines keep it: PostgreSQL refuses NUL in text, so it is kept as U+FFFD (SQLite kept it). */
export const storable = (text: string) => text.replaceAll('\0', '\uFFFD');

export function intakeOf(said: CustomerSaid) {
  const parsed = parseQuery(said.question);
  const query = parsed.ok ? parsed.value.query : undefined;
  const words = storable(cutPasswords((said.words ?? '').trim().slice(0, MAX_CUSTOMER_WORDS)).text.trim());
  const program = said.program ? findProgram(said.program) : undefined;
  return {
    customer_words: words || null,
    program: program?.ok ? program.value : null,
    customer_email: query?.email ?? said.email?.trim().slice(0, 320) ?? null,
    domain: query?.domain ?? null,
  };
}
