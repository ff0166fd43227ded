// Probes one recommended server and port the way a mail program would, without credentials: connect to
// the checked address, read the greeting, judge TLS (implicit or after STARTTLS), see which logins are
// offered once encrypted, and say goodbye. Every failure becomes part of the result, never an exception.
import tls from 'node:tls';
import { checkHost } from '../net-policy.js';
import type { Server } from '../settings.js';
import { DIALECTS } from './dialects.js';
import { MailSession } from './session.js';

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
  /** closed: refused; silent: accepted but no greeting in time; unreachable: no connection in time. */
  outcome: 'ok' | 'closed' | 'silent' | 'unreachable' | 'refused' | 'failed';
  greeting?: string;
  /** For STARTTLS servers: was it offered, and did the upgrade work. */
  starttls?: 'upgraded' | 'not-offered' | 'failed';
  tls?: TlsReport;
  /** Login mechanisms offered (after TLS when there is TLS). */
  mechanisms: string[];
  /** Connect time in milliseconds. */
  rttMs?: number;
  error?: string;
}

export interface ProbeOptions {
  lookup: (name: string) => Promise<string[]>;
  allowPrivate: boolean;
  /** Each network step (connect, each reply). @default 4000 */
  timeoutMs?: number;
  ca?: string | string[];
  now?: () => Date;
  signal?: AbortSignal;
}

export async function probeServer(server: Server, options: ProbeOptions): Promise<ProbeResult> {
  const result: ProbeResult = { server, outcome: 'failed', mechanisms: [] };
  let addresses: string[];
  try {
    addresses = await checkHost(server.hostname, options.lookup, options.allowPrivate);
  } catch (error) {
    const blocked = (error as Error).name === 'BlockedAddressError';
    return { ...result, outcome: blocked ? 'refused' : 'failed', error: (error as Error).message };
  }
  result.address = addresses[0] as string;
  const target = { servername: server.hostname, ca: options.ca };
  const timeoutMs = options.timeoutMs ?? 4000;
  const started = performance.now();
  let session: MailSession;
  try {
    session = await MailSession.connect(
      result.address,
      server.port,
      timeoutMs,
      server.security === 'tls' ? target : undefined,
      options.signal,
    );
    session.closeOn(options.signal);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const outcomes: Record<string, ProbeResult['outcome']> = {
      ECONNREFUSED: 'closed',
      ETIMEDOUT: 'unreachable',
      ESILENT: 'silent',
    };
    const outcome = outcomes[code ?? ''] ?? 'failed';
    return { ...result, outcome, error: (error as Error).message };
  }
  result.rttMs = Math.round(performance.now() - started);
  const dialect = DIALECTS[server.type];
  try {
    if (session.socket instanceof tls.TLSSocket)
      result.tls = judgeTls(session.socket, server.hostname, options);
    try {
      result.greeting = (await dialect.greet(session)).slice(0, 200);
    } catch (error) {
      const silent = (error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
      return { ...result, outcome: silent ? 'silent' : 'failed', error: (error as Error).message };
    }
    const seen = await converse(session, server, result, options);
    // Whatever was seen, leave politely (LOGOUT, QUIT) rather than just hanging up.
    await dialect.goodbye(session).catch(() => {});
    return seen;
  } catch (error) {
    return { ...result, outcome: 'failed', error: (error as Error).message };
  } finally {
    session.close();
  }
}

/** After the greeting: what is offered, STARTTLS when that is the way in, and what is offered after it. */
async function converse(
  session: MailSession,
  server: Server,
  result: ProbeResult,
  options: ProbeOptions,
): Promise<ProbeResult> {
  const dialect = DIALECTS[server.type];
  let offer = await dialect.offer(session);
  if (server.security === 'starttls') {
    if (!offer.starttls)
      return { ...result, outcome: 'ok', starttls: 'not-offered', mechanisms: offer.mechanisms };
    if (!(await dialect.askStartTls(session))) return { ...result, outcome: 'ok', starttls: 'failed' };
    const secure = await session.startTls({ servername: server.hostname, ca: options.ca });
    result.tls = judgeTls(secure, server.hostname, options);
    result.starttls = 'upgraded';
    offer = await dialect.offer(session);
  }
  return { ...result, outcome: 'ok', mechanisms: offer.mechanisms };
}

function judgeTls(socket: tls.TLSSocket, hostname: string, options: ProbeOptions): TlsReport {
  const cert = socket.getPeerCertificate();
  const names = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  const matchesHost = tls.checkServerIdentity(hostname, cert) === undefined;
  const validTo = new Date(cert.valid_to);
  const problem = socket.authorizationError ? String(socket.authorizationError) : undefined;
  return {
    version: socket.getProtocol() ?? 'unknown',
    valid: socket.authorized,
    ...(problem ? { problem } : {}),
    names,
    matchesHost,
    expired: validTo.getTime() < (options.now?.() ?? new Date()).getTime(),
    validTo: validTo.toISOString().slice(0, 10),
  };
}
