// What probing one server found: the outcome, the greeting, TLS and the logins offered. Its own file so that
// whoever reads a result (the failures' words, the advice, the replies) need not import the probe itself.
import type { Server } from '../model/settings.js';

export interface TlsReport {
  version: string;
  /** The chain verifies against the trusted CAs and the name matches. */
  valid: boolean;
  /** OpenSSL's or Node's reason when not valid (CERT_HAS_EXPIRED, ERR_TLS_CERT_ALTNAME_INVALID, …). */
  problem?: string;
  /** DNS names the certificate is for. */
  names: string[];
  matchesHost: boolean;
  expired: boolean;
  validTo: string;
}

export interface ProbeResult {
  server: Server;
  /** The address actually connected to. */
  address?: string;
  /**
   * ok: greeted like its protocol and was checked. unresolved: the name could not be looked up. refused:
   * private or reserved address, not checked. closed: connection refused. unreachable: no connection.
   * silent: accepted but no greeting (or no TLS handshake). not-mail: greeted like no mail protocol.
   * too-much: a reply past the session's limits. failed: anything else, said in `error`.
   */
  outcome:
    | 'ok'
    | 'unresolved'
    | 'refused'
    | 'closed'
    | 'unreachable'
    | 'silent'
    | 'not-mail'
    | 'too-much'
    | 'failed';
  /** Only ever an IMAP, POP3 or SMTP greeting: anything else is not repeated. */
  greeting?: string;
  /** For STARTTLS servers: was it offered, and did the upgrade work. */
  starttls?: 'upgraded' | 'not-offered' | 'failed';
  tls?: TlsReport;
  /** Login mechanisms offered (after TLS when there is TLS). */
  mechanisms: string[];
  /** Connect time in milliseconds. */
  rttMs?: number;
  /** What went wrong, in plain words (never an error code). */
  error?: string;
}
