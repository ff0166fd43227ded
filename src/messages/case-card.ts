// Every sentence the case card and its actions say: the staff-only notes about an error a customer wrote, a
// diagnosis put on the card, a check run again, replies sent together to cases that share a cause, and what
// staff are told about the card's buttons. Names are plain text: the staff side escapes them.
import type { Cause } from '../model/causes.js';
import { CAUSE_TITLES } from './diagnose.js';

/** Failures of one cause on one server, in words: "Expired certificate on server1.example ports 993, 465". */
export const failureLine = (failure: { host: string; ports: number[]; cause: Cause }) =>
  `${CAUSE_TITLES[failure.cause]} on ${failure.host} ${failure.ports.length === 1 ? 'port' : 'ports'} ${failure.ports.join(', ')}`;

export const causeTitle = (cause: Cause) => CAUSE_TITLES[cause];
export const CONFIRMED = {
  true: 'confirmed by the live check',
  false: 'not confirmed by the live check',
  null: 'not checked',
} as const;
/** A failure the card's case shares with `count` other open cases. */
export const sharedWith = (count: number) =>
  count === 1 ? '1 other open case' : `${count} other open cases`;

/** The note staff get when the customer's message in the thread names an error the catalogue knows. */
export function errorRecognised(
  customer: string,
  diagnosis: { cause: Cause; summary: string; fix: string; recognised?: string },
  passwordCut: boolean,
): string {
  const recognised = diagnosis.recognised ? `, recognised by ${diagnosis.recognised}` : '';
  return [
    `${customer}'s message reads as an error: ${CAUSE_TITLES[diagnosis.cause]} (${diagnosis.cause}${recognised}).`,
    diagnosis.summary,
    `What to do: ${diagnosis.fix}`,
    passwordCut ? PASSWORD_CUT : '',
    ONLY_STAFF,
  ]
    .filter(Boolean)
    .join(' ');
}
export const PASSWORD_CUT =
  'It had a password in it: the copy here has it cut out; the customer should change that password.';
export const ONLY_STAFF = '(Only staff see this note.)';

export const diagnosisAdded = (staff: string, cause: Cause) =>
  `${staff} put a diagnosis on the card: ${CAUSE_TITLES[cause]}.`;

/** What checking again found, in the case's post. */
export function checkedAgain(staff: string, failing: string[]): string {
  if (failing.length === 0) return `${staff} checked the servers again: every server answered as it should.`;
  return `${staff} checked the servers again: still failing: ${failing.join('; ')}.`;
}
export const notCheckedAgain = (staff: string) =>
  `${staff} checked again, but this case's servers could not be checked (its question does not resolve).`;

/** A reply sent to several cases at once, as the record in the posts it was not written in. */
export const answeredFrom = (staff: string) => `${staff} answered the cases sharing this cause at once.`;

// What staff are told, privately, about the card's own buttons.
/** Check again pressed while a check of these cases runs. */
export const CHECKING = 'These cases are being checked already: the outcome will be in each post.';
export const CHECKS_OFF = 'Live checks are not available to this bot, so there is nothing to check again.';
/** Check again pressed past the staff member's live checks a minute (MAILSETTINGS_CHECK_RATE_LIMIT). */
export const CHECKS_SLOW_DOWN =
  'You have run as many live checks as a minute allows: press Check again in a minute. Nothing was checked now.';
export const checkedCases = (count: number) =>
  count === 1
    ? 'Checked again: the outcome is in the post.'
    : `Checked ${count} cases again: the outcome is in each post.`;
