// The neutral shape of set-up steps for one mail program, and the facts every program's steps are written
// from: the chosen incoming and outgoing server, the username as the customer types it, how they sign in.
import {
  type Security,
  type Server,
  type SignIn,
  signInOf,
  takesMailWithoutSignIn,
} from '../model/settings.js';
import { describeUsername } from '../reply/reply.js';
import type { MailSettings } from '../resolve/answer.js';
import type { Program } from './programs.js';

/** One thing to type or choose on a screen, labelled as that program labels it ("Server", "Port"). */
export interface GuideValue {
  label: string;
  value: string;
}
export interface GuideStep {
  /** What to do, in plain words. */
  text: string;
  /** What to type or choose at this step, in the order the screen asks for it. */
  values: GuideValue[];
}
export interface Guide {
  program: Program;
  title: string;
  steps: GuideStep[];
  notes: string[];
}

export interface GuideFacts {
  /** IMAP, or POP when that is what the answer is for. */
  protocol: 'IMAP' | 'POP';
  incoming: Server;
  outgoing: Server;
  /** The customer's address, or words for it when the question had none. */
  address: string;
  incomingUser: string;
  outgoingUser: string;
  /** Whether the outgoing server wants a sign-in: nearly all do; a few ISPs' take mail from their own network. */
  sendSignIn: boolean;
  signIn: SignIn;
  /** What to put in a password field, worded for this provider's sign-in. */
  password: string;
}

const PASSWORD: Record<SignIn, string> = {
  password: 'your email password',
  'app-password':
    'an app password, not your usual password: create one in your email account’s settings (see the notes)',
  'modern-or-app-password':
    'an app password, not your usual password: create one in your email account’s security settings (or choose “Sign in with” your provider if the program offers it)',
  'modern-only':
    'none: your provider needs modern sign-in (OAuth2), so sign in on the page your provider shows; a password alone will not work',
};

/** The incoming server steps are written for: IMAP when the answer has it (a question for "all" included), else POP. */
const incomingOf = (settings: MailSettings) =>
  settings.incoming.find((server) => server.type === 'imap') ??
  settings.incoming.find((server) => server.type === 'pop3');

/** Whether steps can be written for the answer (factsOf gives facts), without making them: once per asker. */
export const hasFacts = (settings: MailSettings) =>
  incomingOf(settings) !== undefined && settings.outgoing.length > 0;

/** The facts the steps are written from; undefined when a server is missing. */
export function factsOf(settings: MailSettings): GuideFacts | undefined {
  const incoming = incomingOf(settings);
  const [outgoing] = settings.outgoing;
  if (!incoming || !outgoing) return undefined;
  const { email } = settings.query;
  const signIn = signInOf([incoming, outgoing]);
  return {
    protocol: incoming.type === 'imap' ? 'IMAP' : 'POP',
    incoming,
    outgoing,
    address: email ?? 'your email address',
    incomingUser: describeUsername(incoming.username, email),
    outgoingUser: describeUsername(outgoing.username, email),
    sendSignIn: !takesMailWithoutSignIn(outgoing),
    signIn,
    password: PASSWORD[signIn],
  };
}

export const step = (text: string, ...values: GuideValue[]): GuideStep => ({ text, values });

/**
 * "Type your password and choose Connect", said as the provider's sign-in needs it: an app password, or
 * signing in on the provider's page. Steps for providers with modern sign-in never say "type your password".
 */
export function passwordStep(f: GuideFacts, then: string, ...values: GuideValue[]): GuideStep {
  if (f.signIn === 'modern-only')
    return step(`Sign in on the page your provider shows, then ${then}.`, ...values);
  const what = f.signIn === 'password' ? 'your password' : 'your app password (not your usual password)';
  return step(`Type ${what} and ${then}.`, ...values);
}

/** "email address and password" in a step that asks for several things at once, worded the same way. */
export const withPassword = (f: GuideFacts, things: string): string =>
  f.signIn === 'modern-only'
    ? things
    : `${things} and ${f.signIn === 'password' ? 'password' : 'app password (not your usual password)'}`;
export const value = (label: string, text: string | number): GuideValue => ({ label, value: String(text) });

/** The names most programs give the three choices (Outlook, Thunderbird, the Gmail app). */
export const SECURITY_NAMES: Record<Security, string> = {
  tls: 'SSL/TLS',
  starttls: 'STARTTLS',
  none: 'None',
};

/** For programs with one "use SSL" switch: on for implicit TLS and STARTTLS alike, they pick by port. */
export const switchFor = (security: Security, on = 'On', off = 'Off'): string =>
  security === 'none' ? off : on;
