// Reads a pasted error against the catalogue and the answer for the customer's domain: the entry's cause,
// except for a refused password at a provider whose servers take modern sign-in first (then it means an app
// password) or only (then modern sign-in), as the provider's own settings in the answer say.

import type { Cause } from '../model/causes.js';
import { type ServerType, signInOf } from '../model/settings.js';
import type { MailSettings } from '../resolve/answer.js';
import { matchError } from './match.js';

export interface Diagnosis {
  cause: Cause;
  /** The catalogue entry's id (absent: nothing was recognised). */
  entry?: string;
  /** What was recognised, in the catalogue's words: a code or a phrase, never the paste. */
  recognised?: string;
  /** The protocol the error is about, when it says. */
  protocol?: ServerType;
  /** A certificate complaint that does not say which problem: the live check may tell. */
  anyCertificate?: true;
}

export function diagnoseError(paste: string, settings: MailSettings): Diagnosis {
  const match = matchError(paste);
  if (!match) return { cause: 'unknown' };
  const { entry, recognised } = match;
  const protocol = entry.protocol ?? protocolNamed(paste);
  return {
    cause: entry.signIn ? passwordCause(settings) : entry.cause,
    entry: entry.id,
    recognised,
    ...(protocol ? { protocol } : {}),
    ...(entry.anyCertificate ? { anyCertificate: true as const } : {}),
  };
}

/** What a refused password means at this provider, from how its servers say people sign in. */
function passwordCause(settings: MailSettings): Cause {
  const signIn = signInOf([...settings.incoming, ...settings.outgoing]);
  if (signIn === 'modern-or-app-password' || signIn === 'app-password') return 'app-password';
  if (signIn === 'modern-only') return 'modern-auth';
  return 'password';
}

/**
 * The server an error names when its entry is about any of them ("connecting to Outgoing server (SMTP) …
 * failed"): only one kind named, or none.
 */
function protocolNamed(paste: string): ServerType | undefined {
  const text = paste.toLowerCase();
  const named = (
    [
      ['smtp', /\bsmtp\b|outgoing/],
      ['imap', /\bimap\b/],
      ['pop3', /\bpop3?\b/],
    ] as const
  ).filter(([, pattern]) => pattern.test(text));
  const incoming = /incoming/.test(text);
  const [only] = named;
  if (named.length !== 1 || (incoming && only?.[0] === 'smtp')) return undefined;
  return only?.[0];
}
