// Every line the conversation says on its own, the same in every front end: help, refusals, progress,
// apologies, and what a shared answer says.
import { USAGE } from './question.js';

/** `withCheck`: whether this asker may run live checks, so the usage line offers them or not. */
export const usage = (withCheck: boolean) => `Usage: /${withCheck ? USAGE : USAGE.replace(' [check]', '')}`;
export const help = (withCheck: boolean) =>
  `${usage(withCheck)}. For example: /mailsettings example.com pop, or /mailsettings alice@example.com. The answer is private until you share it.`;

export const slowDown = (retryAfterMs: number) =>
  `You are asking faster than I can look things up. Please wait ${Math.max(1, Math.ceil(retryAfterMs / 1000))} s and ask again.`;
export const CHECKS_FOR_STAFF =
  'Live checks are run by our support staff: ask here and we will check the servers for you.';
export const CHECKS_OFF = 'Live checks are not enabled here.';
export const lookingUp = (domain: string) => `Looking up ${domain}…`;
export const checking = (domain: string) => `Checking the mail servers for ${domain}…`;
export const INTERNAL_ERROR =
  'Sorry, something went wrong while looking that up. Please try again in a moment.';
export const apology = (reference: string) => `${INTERNAL_ERROR} (reference ${reference})`;
export const sharedBy = (who: string) => `Shared by ${who}`;
export const YOU_SHARED = 'You shared this answer in the channel.';
export const POSTED_FOR_CUSTOMER = 'Posted in this channel for the customer.';
