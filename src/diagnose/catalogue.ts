// The catalogue of errors people paste, as data: each entry names one cause and what recognises it. Kept as a
// typed table rather than a JSON or YAML file: the compiler checks every cause against the vocabulary, nothing
// has to be read or parsed at start-up, and the bundled command line needs no extra file. There is no logic
// here; matching is match.ts. docs/diagnose.md says how to add an entry.

import type { Cause } from '../model/causes.js';
import type { ServerType } from '../model/settings.js';
import { CLIENT_ENTRIES } from './catalogue-clients.js';
import { SERVER_ENTRIES } from './catalogue-servers.js';

/**
 * A phrase as it appears in the error, in lowercase with single spaces and straight quotes; a list is several
 * fragments that must all appear in that order (the parts between them, a host name say, vary).
 */
export type Phrase = string | readonly string[];

export interface Entry {
  /** Stable and unique: tests and the docs name entries by it. */
  id: string;
  cause: Cause;
  /**
   * Exact codes: Outlook's and Windows' hex codes (0x800CCC0E), enhanced status codes (5.7.8), IMAP and POP3
   * response codes in brackets (AUTHENTICATIONFAILED), and error symbols (ECONNREFUSED, CERT_HAS_EXPIRED).
   */
  codes?: readonly string[];
  phrases?: readonly Phrase[];
  /**
   * A refused password whose meaning depends on the provider: where its servers prefer modern sign-in and take a
   * password only as an app password (Gmail, Google Workspace, Yahoo…) it means an app password; where they take
   * modern sign-in only (Microsoft 365), modern sign-in.
   */
  signIn?: true;
  /** A certificate complaint that does not say which problem it is: the live check tells. */
  anyCertificate?: true;
  /**
   * A program's wrapper around the server's own reply ("the server responded: …"): it only counts when nothing
   * more specific in the paste is recognised.
   */
  wrapper?: true;
  /** The protocol the error is about, when it says; the live check then looks at those servers first. */
  protocol?: ServerType;
}

export const CATALOGUE: readonly Entry[] = [...CLIENT_ENTRIES, ...SERVER_ENTRIES];
