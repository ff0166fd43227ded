// Every sentence an answer can carry: notes about the provider, about what the bot could not find out, and
// about how it read the question. The resolver and the sources decide which apply; the words are here.
import { PROTOCOL_NAMES, type ServerType, type SignIn } from '../model/settings.js';

/** Said when the answer is for the domain below the host name the person gave (www.example.com, mail.example.com). */
export function givenHostNote(givenHost: string, domain: string): string {
  return givenHost.startsWith('www.')
    ? `${givenHost} is a website address, so these are the mail settings for ${domain}.`
    : `${givenHost} looks like a server name, so these are the mail settings for ${domain}. If your email address ends in @${givenHost}, ask with that address instead.`;
}

/** Where a template answer came from: a real "nothing is published", or a guess because lookups failed. */
export function templateDetail(domain: string, guessed: boolean): string {
  return guessed
    ? `Hosting template, a guess: the lookups for ${domain} did not complete`
    : `Hosting template: nothing better is published for ${domain}`;
}

/** Said when better sources failed, timed out or were late: the answer may not be the best one. */
export function incompleteLookupsNote(unsure: string[], guessed: boolean): string {
  const what = `Some lookups did not complete: ${unsure.join(', ')}.`;
  return guessed
    ? `${what} These are the hosting template's settings, a guess made without them: confirm them with the mail provider, or ask again in a minute.`
    : `${what} There may be better settings than these; ask again in a minute.`;
}

/** How a source that did not complete is described in the note above ("DNS SRV records (timed out)"). */
export const SOURCE_STATUS = {
  pending: 'no answer in time',
  timeout: 'timed out',
  failed: 'failed',
  none: 'nothing found',
  found: 'found',
} as const;

export const notOffered = (who: string, type: ServerType, instead?: ServerType) =>
  `${who} does not offer ${PROTOCOL_NAMES[type]}.${instead ? ` Use ${PROTOCOL_NAMES[instead]} instead (ask for "${instead === 'pop3' ? 'pop' : 'imap'}").` : ''}`;

export const onlyCleartext = (who: string, type: ServerType) =>
  `${who} only offers ${PROTOCOL_NAMES[type]} without encryption: the password travels in clear text. Use it only if there is no other way.`;

export const enableFirst = (instructions: string[], url?: string) =>
  `Before you start: ${instructions.join(' ')}${url ? ` (${url})` : ''}`;

/** The note on how to sign in, when it is not simply the normal password. */
export function signInNote(signIn: SignIn, who: string): string | undefined {
  if (signIn === 'modern-only')
    return `${who} needs modern sign-in (OAuth2): a password alone will not work. Use a mail program that can sign in with ${who}.`;
  if (signIn === 'modern-or-app-password')
    return `${who} prefers modern sign-in (OAuth2): choose "Sign in with ${who}" or OAuth2 in your mail program. If it only asks for a password, create an app password in your account's security settings and use that; your usual password is usually refused.`;
  return undefined;
}

export const providerHelp = (url: string, description: string) =>
  `Provider's help: ${description === url ? url : `${description}: ${url}`}`;

export const hostedServerName = (domain: string, server: string) =>
  `mail.${domain} may reach the same server, but use it only if its certificate matches that name; ${server} always matches.`;

export const fetchedWithoutEncryption = (url: string) =>
  `These settings came from ${url} without encryption, so they could have been altered on the way: compare them with the provider's own documentation.`;

export const noSrvRecord = (domain: string, type: ServerType) =>
  `${domain} publishes no SRV record for ${PROTOCOL_NAMES[type]}; that part follows the hosting template.`;
