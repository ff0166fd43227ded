// Turns probe results into plain advice for a support conversation: what is wrong and what to use instead,
// and one overall conclusion when no server answered as it should.
import { ENCRYPTION_NAMES, NORMAL_PASSWORD_MECHANISMS, PROTOCOL_NAMES } from '../model/settings.js';
import { describeCertificateProblem } from './failures.js';
import type { ProbeResult } from './probe-result.js';

const where = (result: ProbeResult) => `${result.server.hostname} port ${result.server.port}`;

export function adviseOn(results: ProbeResult[]): string[] {
  const advice = results.flatMap((result) => adviseOne(result, results));
  if (advice.length === 0 && results.length > 0) {
    advice.push(
      'Every recommended server answered with a valid certificate: these settings work. If the mail program still fails, check the username and password.',
    );
  }
  const conclusion = concludeOn(results);
  if (conclusion) advice.push(conclusion);
  return [...new Set(advice)];
}

const NO_ANSWER: ProbeResult['outcome'][] = ['closed', 'unreachable', 'silent'];
const NOT_MAIL: ProbeResult['outcome'][] = ['not-mail', 'too-much'];

/** When no probe got as far as a mail conversation: the one thing to take away. */
function concludeOn(results: ProbeResult[]): string | undefined {
  if (results.length === 0 || results.some((result) => result.outcome === 'ok')) return undefined;
  // Private addresses already have their own line, and nothing was tried on them; a single probe's own
  // line is already the conclusion.
  const tried = results.filter((result) => result.outcome !== 'refused');
  if (tried.length < 2) return undefined;
  const hosts = [...new Set(tried.map((result) => result.server.hostname))].join(', ');
  const all = (outcomes: ProbeResult['outcome'][]) =>
    tried.every((result) => outcomes.includes(result.outcome));
  if (all(['unresolved'])) return `In short: ${hosts} could not be looked up, so no mail server was reached.`;
  if (all(NO_ANSWER)) {
    return `In short: nothing answers on any mail port of ${hosts}. The server may be down, or a firewall may block these ports.`;
  }
  if (all(NOT_MAIL)) {
    return `In short: no port of ${hosts} answers like a mail server. The server name or the ports are probably wrong.`;
  }
  return 'In short: no server answered as a working mail server should, so these settings will not work as they are.';
}

function adviseOne(result: ProbeResult, all: ProbeResult[]): string[] {
  const { server } = result;
  const working = all.find(
    (other) =>
      other !== result && other.server.type === server.type && other.outcome === 'ok' && other.tls?.valid,
  );
  const instead = working
    ? ` Use ${working.server.hostname} port ${working.server.port} with ${ENCRYPTION_NAMES[working.server.security]} instead.`
    : '';
  switch (result.outcome) {
    case 'closed':
      return [`${where(result)} is closed.${instead}`];
    case 'unreachable':
      return [
        `${where(result)} cannot be reached (no connection in time): a firewall may be blocking it.${instead}`,
      ];
    case 'silent':
      return [`${where(result)} accepts connections but does not answer.${instead}`];
    case 'refused':
      return [`${server.hostname} points at a private or reserved address, so it was not checked.`];
    case 'unresolved':
      return [`${server.hostname} could not be looked up: ${result.error ?? 'no address'}.`];
    case 'not-mail':
      return [
        `${where(result)} does not answer like a mail server: check the server name and port.${instead}`,
      ];
    case 'too-much':
      return [
        `${where(result)} sent far more than a mail server would, so the check hung up: it is probably not a mail server.${instead}`,
      ];
    case 'failed':
      return [`${where(result)} failed: ${result.error ?? 'unknown error'}.${instead}`];
    case 'ok':
      return [...tlsAdvice(result, instead), ...loginAdvice(result)];
  }
}

function tlsAdvice(result: ProbeResult, instead: string): string[] {
  const { server, tls } = result;
  if (result.starttls === 'not-offered') {
    return [`STARTTLS is not offered on ${where(result)}: the password would travel unencrypted.${instead}`];
  }
  if (result.starttls === 'failed')
    return [`${where(result)} offers STARTTLS but refused to start it.${instead}`];
  if (!tls) return server.security === 'none' ? [`${where(result)} is not encrypted.${instead}`] : [];
  const advice: string[] = [];
  if (!tls.matchesHost) {
    const names = tls.names.length > 0 ? tls.names.join(', ') : 'no host name';
    const better = tls.names.find((name) => !name.startsWith('*.'));
    advice.push(
      `${server.hostname} has a certificate for ${names} only${better ? `: use ${better} as the server name` : ''}.`,
    );
  }
  if (tls.expired) advice.push(`The certificate of ${server.hostname} expired on ${tls.validTo}.`);
  // Not trusted for a reason besides the name (a certificate for another name may be untrusted as well).
  else if (!tls.valid && (tls.matchesHost || !/ALTNAME|does not match/i.test(tls.problem ?? 'ALTNAME'))) {
    advice.push(
      `The certificate of ${server.hostname} is not trusted (${describeCertificateProblem(tls.problem)}): mail programs will warn about it.`,
    );
  }
  if (!tls.version.startsWith('TLSv1.2') && !tls.version.startsWith('TLSv1.3')) {
    advice.push(`${where(result)} only speaks ${tls.version}, which current mail programs refuse.`);
  }
  return advice;
}

function loginAdvice(result: ProbeResult): string[] {
  const { mechanisms, server } = result;
  if (!result.tls || mechanisms.some((mechanism) => NORMAL_PASSWORD_MECHANISMS.includes(mechanism)))
    return [];
  if (mechanisms.length === 0) {
    return server.type === 'smtp'
      ? [`${where(result)} offers no login after TLS: it may be for receiving mail only, not for sending.`]
      : [`${where(result)} offers no login after TLS.`];
  }
  return [
    `${PROTOCOL_NAMES[server.type]} on ${where(result)} only accepts ${mechanisms.join(', ')}: "normal password" will not work; choose the matching authentication method.`,
  ];
}
