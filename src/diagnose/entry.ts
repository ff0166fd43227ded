// What a catalogue entry is: one cause and what recognises it (codes, phrases, and how to read them). The
// entries themselves are data in catalogue-clients.ts and catalogue-servers.ts; matching is match.ts.
import type { Cause } from '../model/causes.js';
import type { ServerType } from '../model/settings.js';

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
