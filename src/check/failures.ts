// Turns what went wrong during a probe (the DNS lookup, the connection, TLS, the conversation) into its
// outcome and plain words. Error codes, socket messages and OpenSSL strings stop here: no user sees them.
import { BlockedAddressError } from '../model/errors.js';
import type { ProbeResult } from './probe-result.js';

/** Where the probe was when it failed. */
export type Stage = 'lookup' | 'connect' | 'greeting' | 'conversation' | 'starttls';
type Failure = Pick<ProbeResult, 'outcome' | 'error'>;

const OUT_OF_TIME = "before the check's time ran out";

const seconds = (ms: number): string => {
  const value = Math.round(ms / 100) / 10;
  return `${value} second${value === 1 ? '' : 's'}`;
};

const codeOf = (error: unknown): string => String((error as { code?: unknown } | undefined)?.code ?? '');

/** DNS (c-ares codes from node:dns, ENOTFOUND from an empty answer) and the check's deadline. */
export function lookupFailure(error: unknown): Failure {
  if (error instanceof BlockedAddressError) return { outcome: 'refused' };
  const words: Record<string, string> = {
    ENOTFOUND: 'the name has no address in DNS',
    ENODATA: 'the name has no address in DNS',
    ETIMEOUT: 'the DNS servers did not answer in time',
    ESERVFAIL: 'the DNS servers failed to look it up',
    EREFUSED: 'the DNS servers refused to look it up',
    ECONNREFUSED: 'the DNS servers could not be reached',
    deadline: `no DNS answer ${OUT_OF_TIME}`,
  };
  return { outcome: 'unresolved', error: words[codeOf(error)] ?? 'the name could not be looked up' };
}

/** Everything after the lookup; `stepMs` is the time each step was given. */
export function sessionFailure(error: unknown, stage: Stage, stepMs: number): Failure {
  const code = codeOf(error);
  if (code === 'too-much') {
    return {
      outcome: 'too-much',
      error: 'far more than any mail server says in one answer; the check hung up',
    };
  }
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'no-handshake') {
    return tlsFailure(code, stage);
  }
  if (stage === 'connect') return connectFailure(code, stepMs);
  const greeting = stage === 'greeting';
  switch (code) {
    case 'no-ehlo':
      return { outcome: 'failed', error: 'it does not answer EHLO as a mail server does: check the port' };
    case 'ehlo-refused':
      return { outcome: 'failed', error: (error as Error).message };
    case 'no-answer':
      return greeting
        ? { outcome: 'silent', error: `no greeting within ${seconds(stepMs)}` }
        : { outcome: 'failed', error: `stopped answering (nothing for ${seconds(stepMs)})` };
    case 'deadline':
      return greeting
        ? { outcome: 'silent', error: `no greeting ${OUT_OF_TIME}` }
        : { outcome: 'failed', error: `stopped answering ${OUT_OF_TIME}` };
    case 'hung-up':
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        outcome: 'failed',
        error: `the server hung up ${greeting ? 'without a greeting' : 'mid-conversation'}`,
      };
    default:
      return { outcome: 'failed', error: 'the connection failed' };
  }
}

function connectFailure(code: string, stepMs: number): Failure {
  switch (code) {
    case 'ECONNREFUSED':
      return { outcome: 'closed' };
    case 'no-connection':
      return { outcome: 'unreachable', error: `no connection within ${seconds(stepMs)}` };
    case 'deadline':
      return { outcome: 'unreachable', error: `no connection ${OUT_OF_TIME}` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { outcome: 'unreachable', error: 'no route to this address' };
    case 'ECONNRESET':
    case 'hung-up':
      return { outcome: 'failed', error: 'the server hung up at once' };
    default:
      return { outcome: 'failed', error: 'the connection failed' };
  }
}

/** Implicit TLS (stage 'connect') or the upgrade after STARTTLS. */
function tlsFailure(code: string, stage: Stage): Failure {
  if (code === 'no-handshake') {
    return stage === 'connect'
      ? { outcome: 'silent', error: 'accepted the connection but did not start TLS in time' }
      : { outcome: 'failed', error: 'agreed to STARTTLS but did not start TLS in time' };
  }
  const reason = code.match(/^ERR_SSL_(.*)$/)?.[1] ?? '';
  let words = 'the TLS handshake failed';
  if (/WRONG_VERSION_NUMBER|PACKET_LENGTH_TOO_LONG|HTTP_REQUEST|RECORD_LAYER_FAILURE/.test(reason)) {
    words =
      stage === 'connect'
        ? 'this port does not speak TLS from the start (it may want STARTTLS, or no encryption)'
        : 'the server did not speak TLS after agreeing to STARTTLS';
  } else if (/UNSUPPORTED_PROTOCOL|PROTOCOL_VERSION|NO_PROTOCOLS_AVAILABLE/.test(reason)) {
    words = 'the server only offers TLS versions too old for current mail programs';
  } else if (/HANDSHAKE_FAILURE|NO_SHARED_CIPHER|NO_CIPHERS_AVAILABLE|NO_SUITABLE/.test(reason)) {
    words = 'the TLS handshake failed: no encryption method in common';
  }
  return { outcome: 'failed', error: words };
}

/** Node's and OpenSSL's reasons a certificate is not trusted, in words (TlsReport.problem keeps the code). */
export function describeCertificateProblem(code: string | undefined): string {
  const words: Record<string, string> = {
    CERT_HAS_EXPIRED: 'it has expired',
    CERT_NOT_YET_VALID: 'it is not valid yet',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
    SELF_SIGNED_CERT_IN_CHAIN: 'it is signed by an authority nobody trusts (self-signed)',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE:
      'it is not signed by a known authority, or the server leaves out the intermediate certificate',
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
      'it is not signed by a known authority, or the server leaves out the intermediate certificate',
    ERR_TLS_CERT_ALTNAME_INVALID: 'it is for another name',
    CERT_REVOKED: 'it has been revoked',
  };
  return words[code ?? ''] ?? 'it could not be verified';
}
