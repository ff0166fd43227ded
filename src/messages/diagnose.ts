// Every sentence the bot says about a pasted error: what each cause means, what to do about it for this
// domain's servers, what the live check saw, and what is wrong with a paste that cannot be read.
import type { Cause } from '../model/causes.js';
import { ENCRYPTION_NAMES, PROTOCOL_NAMES, type Server, type SignIn } from '../model/settings.js';

/** The servers and sign-in of the answer, which the fixes name. */
export interface FixContext {
  domain: string;
  incoming?: Server;
  outgoing?: Server;
  /** The username to type, filled in for an address. */
  username?: string;
  signIn: SignIn;
  /** The outgoing server takes mail without a sign-in (a few ISPs, from their own network). */
  sendsWithoutSignIn?: boolean;
}

const EXAMPLES = '“0x800CCC0E” or “535 5.7.8 Authentication failed”';
export const ASK_FOR_THE_MESSAGE = `Paste the exact error message your mail program shows, all of it, like ${EXAMPLES}.`;

export const pasteTooLong = (length: number, max: number) =>
  `That paste is ${length} characters long, too long for one error message. Paste just the error (at most ${max} characters), like ${EXAMPLES}.`;
export const PASTE_EMPTY = `There is no error message in that. ${ASK_FOR_THE_MESSAGE}`;
export const PASSWORD_LEFT_OUT =
  'Your paste had a password in it: I left it out and kept nothing of it. If others can read where you pasted it, change that password.';

/** Short names, for titles. */
export const CAUSE_TITLES: Record<Cause, string> = {
  password: 'Wrong username or password',
  'app-password': 'App password or modern sign-in needed',
  'modern-auth': 'Different sign-in method needed',
  'smtp-auth-off': 'Sending with a password is turned off',
  'web-login': 'Sign in on the web first',
  'protocol-disabled': 'IMAP or POP is switched off',
  relay: 'Sending without signing in',
  'encryption-mismatch': 'Wrong encryption or port',
  'certificate-name': 'Certificate for another name',
  'certificate-expired': 'Expired certificate',
  'certificate-untrusted': 'Certificate not trusted',
  'host-not-found': 'Server name not found',
  unreachable: 'Server not reachable',
  quota: 'Mailbox full',
  'too-large': 'Message too large',
  'sender-rejected': 'Sender address refused',
  'recipient-unknown': 'Recipient does not exist',
  blocked: 'Blocked by the server',
  'connection-limit': 'Too many connections or attempts',
  unknown: 'Not recognised',
};

const SUMMARIES: Record<Cause, string> = {
  password: 'The server turned down the username or password.',
  'app-password':
    'This provider does not take your usual password in mail programs: it wants modern sign-in (OAuth2) or an app password.',
  'modern-auth': 'The server does not accept the way your mail program signs in.',
  'smtp-auth-off': 'Sending mail with a password (SMTP AUTH) is turned off for this mailbox or organisation.',
  'web-login': 'The provider held the sign-in back until you confirm it in a web browser.',
  'protocol-disabled': 'IMAP or POP access is switched off for this account.',
  relay: 'The server will not send the message because your mail program did not sign in to send it.',
  'encryption-mismatch':
    'The encryption or the port in your mail program does not match what the server offers.',
  'certificate-name':
    "The server's certificate is for a different name than the server name in your mail program.",
  'certificate-expired': "The server's certificate has expired (or the date on your device is wrong).",
  'certificate-untrusted': "Your mail program does not trust the server's certificate.",
  'host-not-found': 'The server name in your mail program could not be found.',
  unreachable: 'Your mail program could not reach the server, or the server is not available right now.',
  quota: 'A mailbox is full: it has used up its storage.',
  'too-large': 'The message is larger than the server accepts.',
  'sender-rejected': 'The server refused the sender (From) address of the message.',
  'recipient-unknown': "The recipient's address does not exist.",
  blocked: 'The server blocked the connection or the message (spam protection, a block list or a policy).',
  'connection-limit': 'There were too many connections or attempts at once, so the server asks to wait.',
  unknown: 'I do not recognise an error message in that, and I would rather not guess.',
};

export const summaryOf = (cause: Cause, signIn?: SignIn) =>
  cause === 'app-password' && signIn === 'app-password' ? APP_PASSWORD_ONLY : SUMMARIES[cause];
/** A provider that takes app passwords and never modern sign-in (iCloud, VK). */
const APP_PASSWORD_ONLY =
  'This provider does not take your usual password in mail programs: it wants an app password.';

const role = (server: Server | undefined, what: string) =>
  server
    ? `${what}: ${server.hostname}, port ${server.port}, ${ENCRYPTION_NAMES[server.security]}`
    : undefined;

/** "incoming (IMAP): host, port 993, SSL/TLS; outgoing (SMTP): …" */
export function serversLine(context: FixContext): string {
  const incoming = context.incoming;
  return [
    role(incoming, `incoming (${incoming ? PROTOCOL_NAMES[incoming.type] : ''})`),
    role(context.outgoing, 'outgoing (SMTP)'),
  ]
    .filter(Boolean)
    .join('; ');
}

const names = (context: FixContext) =>
  [...new Set([context.incoming?.hostname, context.outgoing?.hostname].filter(Boolean))].join(' and ');

const signInMethod = (signIn: SignIn) =>
  signIn === 'modern-only'
    ? 'Choose modern sign-in (OAuth2, “Sign in with Microsoft” or the like) in your mail program: a password alone will not work.'
    : signIn === 'modern-or-app-password'
      ? 'Choose modern sign-in (OAuth2) in your mail program; if it only offers passwords, set the authentication method to “Normal password” and type an app password from your account’s security settings, not your usual password.'
      : signIn === 'app-password'
        ? 'Set the authentication method to “Normal password” and type an app password from your provider’s settings, not your usual password.'
        : 'Set the authentication method to “Normal password” and leave “Require logon using Secure Password Authentication (SPA)” unchecked.';

const FIXES: Record<Cause, (context: FixContext) => string> = {
  password: (c) =>
    `Type the password again in your mail program (it is case-sensitive) with ${c.username ?? 'your full email address'} as the username. If you changed the password lately, change it in the program too.`,
  'app-password': (c) =>
    c.signIn === 'app-password'
      ? 'Create an app password in your account’s settings at your provider and type it in your mail program instead of your usual password, with the authentication method “Normal password”.'
      : 'Choose modern sign-in (OAuth2, “Sign in with Google” or the like) in your mail program. If it only asks for a password, create an app password in your account’s security settings and type that instead of your usual password.',
  'modern-auth': (c) => signInMethod(c.signIn),
  'smtp-auth-off': () =>
    'An administrator of your mail has to allow authenticated SMTP for this mailbox (in Microsoft 365: “Authenticated SMTP” in the mailbox’s mail apps), or use a mail program that signs in with modern authentication.',
  'web-login': () =>
    'Sign in to your webmail in a browser on the same device, confirm that it was you, then try the mail program again (with an app password if you use 2-step verification).',
  'protocol-disabled': () =>
    'Turn on IMAP (or POP) access in your account’s settings on the web, then try the mail program again.',
  relay: (c) =>
    c.sendsWithoutSignIn
      ? `Your provider’s outgoing server${c.outgoing ? ` (${c.outgoing.hostname})` : ''} takes mail without a sign-in only from your provider’s own network: send while connected through your provider, or ask your provider how to send from elsewhere.`
      : `Turn on “My outgoing server (SMTP) requires authentication” (same username and password as for incoming mail) and send through ${role(c.outgoing, 'the outgoing server') ?? 'the outgoing server of your answer'}.`,
  'encryption-mismatch': (c) => `Use exactly these settings: ${serversLine(c)}.`,
  'certificate-name': (c) =>
    `Use ${names(c) || 'the server name of the answer'} as the server name, exactly as written.`,
  'certificate-expired': () =>
    'Check that the date and time on your device are right. If they are, the certificate has to be renewed on the server: nothing in your mail program fixes that, so ask us (or the provider) to renew it.',
  'certificate-untrusted': (c) =>
    `Use ${names(c) || 'the server name of the answer'} as the server name, and do not accept an unknown certificate for good: ask us if the warning stays.`,
  'host-not-found': (c) => `Check the spelling of the server names in your mail program: ${serversLine(c)}.`,
  unreachable: (c) =>
    `Check the internet connection, then whether a firewall, an antivirus program's email scanning or the network you are on blocks the mail ports (try another network, such as mobile data). The settings are: ${serversLine(c)}.`,
  quota: () =>
    'Delete old or large messages and empty the trash to make room. If the full mailbox is the recipient’s, they have to make room.',
  'too-large': () => 'Send large files as a download link instead, or split them over several messages.',
  'sender-rejected': (c) =>
    `Send from the address you sign in with (${c.username ?? 'your own address'}); another From address needs the server's permission.`,
  'recipient-unknown': () => "Check the recipient's address for typing mistakes: your own settings are fine.",
  blocked: (c) =>
    `Send through ${role(c.outgoing, 'the outgoing server') ?? 'your own outgoing server'}${c.sendsWithoutSignIn ? '' : ' with “requires authentication” on'}. If it still happens, ask a person: we can look at the block.`,
  'connection-limit': () =>
    'Close the mail program on your other devices or wait a few minutes, then try again. If the program has a setting for cached connections, lower it.',
  unknown: () => ASK_FOR_THE_MESSAGE,
};

export const fixOf = (cause: Cause, context: FixContext) => FIXES[cause](context);

// What the live check saw, one sentence each. `where` is "mail.example.com port 993".
export const confirms = (finding: string) => `The live check confirms it: ${finding}`;
export const doesNotShow = (finding: string) => `The live check does not show it: ${finding}`;
export const couldNotCheck = (finding: string) => `The live check could not look into it: ${finding}`;
export const certificateFor = (host: string, certNames: string[]) =>
  `the certificate of ${host} is for ${certNames.join(', ') || 'no host name'}.`;
export const certificateExpired = (host: string, date: string) =>
  `the certificate of ${host} expired on ${date}.`;
export const certificateNotTrusted = (host: string, why: string) =>
  `the certificate of ${host} is not trusted: ${why}.`;
export const certificatesFine = (hosts: string) =>
  `the certificates of ${hosts} are valid and match their names, so your mail program is probably using another server name.`;
export const useName = (name: string) => `Use ${name} as the server name, exactly as written.`;
export const askForName = (host: string, wildcards: string[]) =>
  `The certificate ${wildcards.length > 0 ? `covers only ${wildcards.join(', ')}` : 'names no server'}, not ${host}: ask us (or the provider) which server name it is for, and use that one.`;
/** An expired certificate the check found valid: what is left is on the device. */
export const CERTIFICATE_VALID_NOW =
  'Check that the date and time on your device are right, then try again: the server’s certificate is valid now. If the message stays, remove the certificate your mail program kept for the server (or the account, and add it again).';
export const renewCertificate = (host: string) =>
  `The certificate of ${host} has to be renewed on the server: ask us (or the provider) to do it. Nothing in your mail program fixes it.`;
export const portClosed = (where: string) => `${where} is closed here.`;
export const portSilent = (where: string) => `${where} accepts connections but does not answer.`;
export const portUnreachable = (where: string) => `${where} cannot be reached from here.`;
export const portFails = (where: string, error: string) => `${where} fails: ${error}.`;
export const noStartTls = (where: string) => `${where} does not offer STARTTLS.`;
export const noLookup = (host: string, error: string) => `${host} could not be looked up: ${error}.`;
export const notChecked = (host: string) =>
  `${host} points at a private or reserved address, so it was not checked.`;
export const useInstead = (type: string, port: number, encryption: string, host: string) =>
  `Use port ${port} with ${encryption} for ${type} (${host}) instead.`;
export const allPortsWork = (hosts: string) =>
  `every port we recommend on ${hosts} answers with the encryption listed, so your mail program's encryption or port differs from them.`;
export const serversAnswer = (hosts: string) =>
  `${hosts} answer from here, so something between your device and the server blocks the connection.`;
export const namesResolve = (hosts: string) =>
  `${hosts} can be looked up, so the server name in your mail program is probably mistyped.`;
export const answersWithLogin = (where: string, mechanisms: string) =>
  `${where} answers and offers login over TLS (${mechanisms}), so the server is fine and the password (or app password) is what to fix.`;
export const offersModernSignIn = (where: string, mechanisms: string) =>
  `${where} answers and offers modern sign-in over TLS (${mechanisms}), the only kind this provider takes, even where the server also lists password methods.`;
export const offersSignIn = (where: string, mechanisms: string) =>
  `${where} answers and offers these sign-in methods over TLS: ${mechanisms}. Choose one of them in your mail program.`;
export const problemFirst = (problem: string) => `the server has a problem to solve first: ${problem}`;
export const NOTHING_CHECKED = 'nothing could be checked.';
export const CHECK_FOR_STAFF =
  'Our support staff can check your server live: press “Ask a person” under the answer if this does not help.';
export const explainedTitle = (cause: Cause) => `The error explained: ${CAUSE_TITLES[cause]}`;
export const recognisedAs = (recognised: string) => `Recognised: ${recognised}`;
