// Converts an answer into an Apple configuration profile (.mobileconfig): an XML property list holding one
// com.apple.mail.managed payload, keys as Apple's Device Management reference names them
// (github.com/apple/device-management, mdm/profiles/TopLevel.yaml and com.apple.mail.managed.yaml).
// It never holds a password: the device asks for it when the profile is installed.
//
// UseSSL is true for STARTTLS too. Apple's payload has one boolean, "Use SSL", and no separate STARTTLS
// choice; Apple Mail then secures a connection on a STARTTLS port (587, 143, 110) with STARTTLS, which is how
// other autoconfiguration servers (automx2, for one) write it. False would mean no encryption at all.
import { fail, ok, type Result } from '../model/result.js';
import { type Server, takesMailWithoutSignIn } from '../model/settings.js';
import { describeUsername } from '../reply/reply.js';
import type { MailSettings } from '../resolve/answer.js';
import { factsOf } from './guide-model.js';

export interface MobileconfigOptions {
  /** The company's name, shown as who the profile is from. */
  organization?: string;
  /** Start of every PayloadIdentifier, reverse-DNS style. @default 'mailsettings' */
  identifierPrefix?: string;
}

export const MOBILECONFIG_TYPE = 'application/x-apple-aspen-config';

/**
 * The profile's XML, or one line saying why this answer cannot become one. The property-list writer (with its
 * XML DOM, about 5 MB) is loaded by the first profile, not by every start-up.
 */
export async function settingsToMobileconfig(
  settings: MailSettings,
  options: MobileconfigOptions = {},
): Promise<Result<string>> {
  const facts = factsOf(settings);
  const { domain, email } = settings.query;
  if (!facts) return fail(`There is no incoming and outgoing server for ${domain} to put in a profile.`);
  if (facts.signIn === 'modern-only') {
    return fail(
      `This provider needs modern sign-in, which a profile cannot set up: add the account in Settings, Mail, Mail Accounts and choose the provider there.`,
    );
  }
  const who = email ?? `${domain} email`;
  const id = `${options.identifierPrefix ?? 'mailsettings'}.${await identifierPart(email ?? domain)}`;
  const password =
    facts.signIn === 'password'
      ? 'your email password'
      : facts.signIn === 'app-password'
        ? 'an app password from your email account’s settings (your usual password is refused)'
        : 'an app password from your email account’s security settings (your usual password is usually refused)';
  const account = {
    PayloadType: 'com.apple.mail.managed',
    PayloadVersion: 1,
    PayloadIdentifier: `${id}.mail`,
    PayloadUUID: crypto.randomUUID().toUpperCase(),
    PayloadDisplayName: `Mail account ${who}`,
    EmailAccountDescription: who,
    EmailAccountType: facts.protocol === 'IMAP' ? 'EmailTypeIMAP' : 'EmailTypePOP',
    ...(email ? { EmailAddress: email } : {}),
    ...serverKeys('Incoming', facts.incoming, email),
    ...serverKeys('Outgoing', facts.outgoing, email),
    ...(facts.sendSignIn ? { OutgoingPasswordSameAsIncomingPassword: true } : {}),
  };
  // Without an address in the question, the device asks for the address and the user name too.
  const asked = email
    ? `When asked for the password, type ${password}.`
    : `When asked, type your email address, your user name (${facts.incomingUser}) and, for the password, ${password}.`;
  const { build } = await import('plist');
  try {
    return ok(
      build({
        PayloadType: 'Configuration',
        PayloadVersion: 1,
        PayloadIdentifier: id,
        PayloadUUID: crypto.randomUUID().toUpperCase(),
        PayloadDisplayName: `Email for ${who}`,
        PayloadDescription: `Sets up ${who} in Mail (${facts.protocol}). ${asked}`,
        ...(options.organization ? { PayloadOrganization: options.organization } : {}),
        PayloadContent: [account],
      }),
    );
  } catch {
    // A text no property list can hold (the parser refuses such addresses; an operator's name could have one).
    return fail(NO_PROFILE_TEXT);
  }
}

function serverKeys(direction: 'Incoming' | 'Outgoing', server: Server, email: string | undefined) {
  const username = usernameFor(server.username, email);
  const signsIn = !takesMailWithoutSignIn(server);
  return {
    [`${direction}MailServerHostName`]: server.hostname,
    [`${direction}MailServerPortNumber`]: server.port,
    [`${direction}MailServerUseSSL`]: server.security !== 'none',
    [`${direction}MailServerAuthentication`]: signsIn ? 'EmailAuthPassword' : 'EmailAuthNone',
    // Without a username the device asks for one, which beats a wrong guess.
    ...(username && signsIn ? { [`${direction}MailServerUsername`]: username } : {}),
  };
}

const NO_PROFILE_TEXT =
  'A profile cannot hold the characters in these settings: set the account up with the steps below instead.';

/** The username filled in from the address; a literal provider name as is; otherwise none (the device asks). */
function usernameFor(form: string, email: string | undefined): string | undefined {
  if (email) return describeUsername(form, email);
  return form.includes('%') ? undefined : form;
}

/**
 * Reverse-DNS identifiers allow letters, digits, dots and hyphens: "alice@example.com" → "alice-at-example.com".
 * Apple replaces an installed profile with one of the same identifier, so two addresses never share one: where
 * the readable form could stand for another address (john_doe and john-doe; x-at@example.com and
 * x@at-example.com), a hash of the address follows it.
 */
async function identifierPart(name: string): Promise<string> {
  const readable = name.replace('@', '-at-').replace(/[^A-Za-z0-9.-]/g, '-');
  // Read back unambiguously: nothing replaced, and "-at-" only where the @ was (counted overlapping).
  const ats = readable.match(/(?=-at-)/g)?.length ?? 0;
  if (/^[A-Za-z0-9.-]+(@[A-Za-z0-9.-]+)?$/.test(name) && ats === (name.includes('@') ? 1 : 0))
    return readable;
  // The global Web Crypto, as elsewhere: importing node:crypto would load it at every start of the CLI.
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(name.toLowerCase()));
  const hex = Buffer.from(digest).toString('hex').slice(0, 12);
  return `${readable}-${hex}`;
}
