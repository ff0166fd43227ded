// Every sentence an answer can carry: notes about the provider, about what the bot could not find out, and
// about how it read the question. The resolver and the sources decide which apply; the words are here.
import { domainToUnicode } from 'node:url';
import { PROTOCOL_NAMES, type ServerType, type SignIn } from '../model/settings.js';

/** A domain as people write it (bücher.de), not as DNS does (xn--bcher-kva.de). */
const written = (domain: string) => domainToUnicode(domain) || domain;

/** Said when the answer is for the domain below the host name the person gave (www.example.com, mail.example.com). */
export function givenHostNote(givenHost: string, domain: string): string {
  return givenHost.startsWith('www.')
    ? `${givenHost} is a website address, so these are the mail settings for ${domain}.`
    : `${givenHost} looks like a server name, so these are the mail settings for ${domain}. If your email address ends in @${givenHost}, ask with that address instead.`;
}

/**
 * Where a template answer came from, in words a customer can act on: nothing is published for the domain (so
 * these are the usual settings of a domain's own mail server), or the lookups did not finish (a guess).
 */
export function templateDetail(domain: string, guessed: boolean): string {
  return guessed
    ? `the usual settings for a domain's own mail server, a guess because looking up ${domain} did not finish in time. Check them with your email provider, or ask again in a minute`
    : `the usual settings for a domain's own mail server. ${domain} publishes no settings of its own, so if your email provider gave you different ones, use theirs`;
}

/**
 * Said instead of settings when the domain does not exist (or has neither a mail server nor an address): a
 * typo is far more likely than a domain nobody can reach.
 */
export function noSuchDomain(domain: string, suggestion?: string): string {
  const what = `${written(domain)} does not exist on the internet (it has no mail server and no address), so there are no mail settings for it.`;
  return suggestion
    ? `${what} Did you mean ${written(suggestion)}? Ask again with the right spelling.`
    : `${what} Check the spelling of the address and ask again.`;
}

export const noSettingsTitle = (domain: string) => `No mail settings for ${written(domain)}`;
export const noSettingsSource = (domain: string) =>
  `Source: a DNS lookup of ${written(domain)} (no mail server, no address)`;

/** The note on how to sign in that a provider in the project's dataset needs (modern sign-in is said apart). */
export function passwordNote(kind: string, who: string): string | undefined {
  if (kind === 'app-password')
    return `${who} does not accept your usual password in a mail program: create an app password (also called a client or authorization code) in ${who}'s settings and use that.`;
  if (kind === 'webmail-only')
    return `${who} cannot be used in a mail program: it offers no IMAP, POP or SMTP access. Read and send your mail on ${who}'s website or in its own app.`;
  if (kind === 'app-password-with-2fa')
    return `If you turned on two-step verification at ${who}, your usual password will not work in a mail program: create an app password in ${who}'s security settings and use that.`;
  if (kind === 'bridge')
    return `${who} works in mail programs on a computer only through its Bridge app: install it, sign in there, and copy the server settings and the Bridge password it shows into your mail program. On a phone, use ${who}'s own app.`;
  return undefined;
}

/** The step before set-up for providers that keep IMAP, POP and SMTP off until the person turns them on. */
export const enableInMailSettings = (who: string) =>
  `Turn on IMAP/POP/SMTP access in ${who}'s web mail settings first; until then a mail program cannot sign in.`;

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

/** How the note with the provider's help page starts (the set-up page looks for it). */
export const PROVIDER_HELP = "Provider's help";
export const providerHelp = (url: string, description: string) =>
  `${PROVIDER_HELP}: ${description === url ? url : `${description}: ${url}`}`;

export const hostedServerName = (domain: string, server: string) =>
  `mail.${domain} may reach the same server, but use it only if its certificate matches that name; ${server} always matches.`;

export const fetchedWithoutEncryption = (url: string) =>
  `These settings came from ${url} without encryption, so they could have been altered on the way: compare them with the provider's own documentation.`;

export const noSrvRecord = (domain: string, type: ServerType) =>
  `${domain} publishes no SRV record for ${PROTOCOL_NAMES[type]}; that part follows the hosting template.`;

/** A source the resolver stopped because a better-ranked one (`winner`, its label) had answered first. */
export const notNeeded = (winner: string, hosted: boolean) =>
  hosted ? "not needed: the company's own server answered" : `not needed: ${winner} answered first`;
