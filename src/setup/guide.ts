// Picks the set-up steps for a named mail program and fills them in from an answer: the guide follows the
// answer's protocol (IMAP, or POP when that was asked; IMAP when the question was for all of them).
import { fail, ok, type Result } from '../model/result.js';
import type { MailSettings } from '../resolve/answer.js';
import { factsOf, type Guide, type GuideFacts, type GuideStep, step } from './guide-model.js';
import {
  appleMailSteps,
  outlookMacSteps,
  outlookSteps,
  thunderbirdSteps,
  windowsMailSteps,
} from './guides-desktop.js';
import { gmailSteps, iphoneSteps, samsungSteps } from './guides-mobile.js';
import { findProgram, PROGRAM_NAMES, type Program } from './programs.js';

const STEPS: Record<Program, (facts: GuideFacts) => GuideStep[]> = {
  outlook: outlookSteps,
  'outlook-mac': outlookMacSteps,
  'apple-mail': appleMailSteps,
  iphone: iphoneSteps,
  gmail: gmailSteps,
  samsung: samsungSteps,
  thunderbird: thunderbirdSteps,
  'windows-mail': windowsMailSteps,
};

/** Said beside Apple's steps where a set-up link comes with them and a profile can be made (setup-offer.ts). */
export const PROFILE_NOTES: Partial<Record<Program, string>> = {
  iphone:
    'Quicker: open the set-up page link in Safari on the iPhone or iPad and install the profile there; it fills all of this in.',
  'apple-mail':
    'Quicker: open the set-up page link on the Mac and install the profile there; it fills all of this in.',
};

/**
 * Where a provider needs modern sign-in, these programs' manual set-up ("Other", a password) cannot work: their
 * own account type for the provider signs in on its page and finds the servers itself.
 */
const PROVIDER_ACCOUNT: Partial<Record<Program, string>> = {
  iphone:
    'Open Settings and tap Apps, then Mail (on iOS 17 and earlier, tap Mail straight away). Tap Mail Accounts, then Add Account, and choose your provider (Microsoft Exchange for Microsoft 365), not Other. Sign in on the page it shows; the iPhone finds the servers itself.',
  'apple-mail':
    'In Mail, choose Mail > Add Account, and choose your provider (Microsoft Exchange for Microsoft 365), not Other Mail Account. Sign in on the page it shows; Mail finds the servers itself.',
  'windows-mail':
    'Open Mail, choose Settings > Manage accounts > Add account, and choose your provider (Office 365 or Outlook.com for Microsoft), not Advanced setup. Sign in on the page it shows; Mail finds the servers itself.',
  samsung:
    'Open Samsung Email, tap Add account, and choose your provider (Office 365 or Outlook for Microsoft), not Other. Sign in on the page it shows; the app finds the servers itself.',
};

const PROGRAM_NOTES: Partial<Record<Program, string>> = {
  'windows-mail':
    'Microsoft stopped supporting Windows Mail at the end of 2024. If your PC has the new Outlook, follow the Outlook for Windows steps instead.',
};

/** The steps for `program` (a name or alias as typed) filled in from `settings`, or one line saying why not. */
export function guideFor(program: string, settings: MailSettings): Result<Guide> {
  const found = findProgram(program);
  if (!found.ok) return found;
  const facts = factsOf(settings);
  if (!facts) return fail(missingServerMessage(settings));
  const { email, domain } = settings.query;
  const who = email ?? `your ${domain} email`;
  const note = PROGRAM_NOTES[found.value];
  const viaProvider = facts.signIn === 'modern-only' ? PROVIDER_ACCOUNT[found.value] : undefined;
  return ok({
    program: found.value,
    title: `${PROGRAM_NAMES[found.value]}: set up ${who} (${facts.protocol})`,
    steps: viaProvider ? [step(viaProvider)] : STEPS[found.value](facts),
    notes: note ? [note] : [],
  });
}

function missingServerMessage(settings: MailSettings): string {
  const { domain, protocol } = settings.query;
  if (protocol === 'smtp') {
    return `Set-up steps need the incoming server too: ask for imap or pop, for example: ${domain} imap outlook.`;
  }
  const missing = settings.incoming.length === 0 ? 'an incoming' : 'an outgoing (SMTP)';
  return `This answer has no ${missing} server to set up, so there are no steps for it; the notes with the settings say why.`;
}
