// Probes one recommended server and port the way a mail program would, without credentials: connect to
// the checked address, read the greeting, judge TLS (implicit or after STARTTLS), see which logins are
// offered once encrypted, and say goodbye. Every failure becomes part of the result, never an exception,
// and the check's signal ends the probe at any stage, the DNS lookup included.
import tls from 'node:tls';
import { PROTOCOL_NAMES, type Server } from '../model/settings.js';
import { checkHost } from '../resolve/lookup/net-policy.js';
import { DIALECTS, readGreeting } from './dialects.js';
import { lookupFailure, type Stage, sessionFailure } from './failures.js';
import type { ProbeResult, TlsReport } from './probe-result.js';
import { MailSession, SessionError } from './session.js';

export type { ProbeResult, TlsReport } from './probe-result.js';

export interface ProbeOptions {
  lookup: (name: string) => Promise<string[]>;
  allowPrivate: boolean;
  /** Each network step (connect, each reply, the TLS start). @default 4000 */
  timeoutMs?: number;
  ca?: string | string[];
  now?: () => Date;
  /** Ends the probe wherever it is; a DNS answer arriving after it never leads to a connection. */
  signal?: AbortSignal;
}

export async function probeServer(server: Server, options: ProbeOptions): Promise<ProbeResult> {
  const result: ProbeResult = { server, outcome: 'failed', mechanisms: [] };
  const timeoutMs = options.timeoutMs ?? 4000;
  let addresses: string[];
  try {
    addresses = await beforeAbort(
      checkHost(server.hostname, options.lookup, options.allowPrivate),
      options.signal,
    );
  } catch (error) {
    return { ...result, ...lookupFailure(error) };
  }
  result.address = addresses[0] as string;
  const target = { servername: server.hostname, ca: options.ca };
  const started = performance.now();
  let session: MailSession;
  try {
    session = await MailSession.connect(result.address, server.port, {
      timeoutMs,
      signal: options.signal,
      ...(server.security === 'tls' ? { tls: target } : {}),
    });
  } catch (error) {
    return { ...result, ...sessionFailure(error, 'connect', timeoutMs) };
  }
  result.rttMs = Math.round(performance.now() - started);
  const dialect = DIALECTS[server.type];
  const progress: { stage: Stage } = { stage: 'greeting' };
  try {
    if (session.socket instanceof tls.TLSSocket)
      result.tls = judgeTls(session.socket, server.hostname, options);
    const line = await dialect.greet(session);
    const greeting = readGreeting(line);
    if (!greeting) return { ...result, outcome: 'not-mail' };
    result.greeting = line.slice(0, 200);
    if (greeting.type !== server.type) {
      const names = `${PROTOCOL_NAMES[greeting.type]}, not ${PROTOCOL_NAMES[server.type]}`;
      return { ...result, outcome: 'failed', error: `it greets like ${names}: check the port` };
    }
    if (!greeting.welcome) return { ...result, outcome: 'failed', error: 'it turned the connection away' };
    progress.stage = 'conversation';
    const seen = await converse(session, server, result, options, progress);
    // Whatever was seen, leave politely (LOGOUT, QUIT) rather than just hanging up.
    await dialect.goodbye(session).catch(() => {});
    return seen;
  } catch (error) {
    // Bytes but never a whole line (a binary protocol's banner) are no greeting either; a greeting begun as a
    // mail server's ("220-…", Postfix's postscreen holding the rest back) and not finished is a silent one.
    const { stage } = progress;
    const begun = /^(?:220[- ]|\* OK|\+OK)/i.test(session.firstLine ?? '');
    if (stage === 'greeting' && session.heard && !begun && (error as SessionError).code === 'no-answer')
      return { ...result, outcome: 'not-mail' };
    // A "220" banner that then does not speak SMTP (an FTP server) is not repeated as a mail server's greeting.
    if ((error as SessionError).code === 'no-ehlo') {
      const { greeting: _, ...rest } = result;
      return { ...rest, ...sessionFailure(error, stage, timeoutMs) };
    }
    return { ...result, ...sessionFailure(error, stage, timeoutMs) };
  } finally {
    session.close();
  }
}

/** Settles like `promise`, or rejects when the signal fires first. */
function beforeAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  const late = () => new SessionError('deadline', "the check's time ran out");
  if (signal.aborted) return Promise.reject(late());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(late());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** After the greeting: what is offered, STARTTLS when that is the way in, and what is offered after it. */
async function converse(
  session: MailSession,
  server: Server,
  result: ProbeResult,
  options: ProbeOptions,
  progress: { stage: Stage },
): Promise<ProbeResult> {
  const dialect = DIALECTS[server.type];
  let offer = await dialect.offer(session);
  if (server.security === 'starttls') {
    if (!offer.starttls)
      return { ...result, outcome: 'ok', starttls: 'not-offered', mechanisms: offer.mechanisms };
    if (!(await dialect.askStartTls(session))) return { ...result, outcome: 'ok', starttls: 'failed' };
    progress.stage = 'starttls';
    const secure = await session.startTls({ servername: server.hostname, ca: options.ca });
    result.tls = judgeTls(secure, server.hostname, options);
    result.starttls = 'upgraded';
    progress.stage = 'conversation';
    offer = await dialect.offer(session);
  }
  return { ...result, outcome: 'ok', mechanisms: offer.mechanisms };
}

function judgeTls(socket: tls.TLSSocket, hostname: string, options: ProbeOptions): TlsReport {
  const cert = socket.getPeerCertificate();
  // The names (and addresses, for a server listed by one) the certificate is for.
  const names = (cert.subjectaltname ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:') || entry.startsWith('IP Address:'))
    .map((entry) => entry.slice(entry.indexOf(':') + 1));
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
