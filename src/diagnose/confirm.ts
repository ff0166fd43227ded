// Turns a live check of the answer's servers into whether it confirms the diagnosed cause, what it saw, and
// the fix it points to for this domain ("port 993 is closed here: use 143 with STARTTLS"). A paste that only
// said "a certificate problem" becomes the certificate problem the check found.
import type { CheckReport } from '../check/check.js';
import { describeCertificateProblem } from '../check/failures.js';
import type { ProbeResult } from '../check/probe.js';
import * as words from '../messages/diagnose.js';
import type { Cause } from '../model/causes.js';
import { ENCRYPTION_NAMES, PROTOCOL_NAMES, signInOf } from '../model/settings.js';
import type { Diagnosis } from './diagnose.js';

export interface Confirmation {
  /** The cause, made exact where the paste did not say which certificate problem it was. */
  cause: Cause;
  /** Null when the check could reach none of the servers it would probe (a private address is not probed). */
  confirmed: boolean | null;
  /** What the check saw, one sentence. */
  finding: string;
  /** The fix the check points to, when it names one for this domain. */
  fix?: string;
}

/** SASL mechanisms of modern sign-in (OAuth 2.0: RFC 7628's OAUTHBEARER, and XOAUTH2 as Google and Microsoft name it). */
const MODERN = new Set(['XOAUTH2', 'OAUTHBEARER']);
const where = (probe: ProbeResult) => `${probe.server.hostname} port ${probe.server.port}`;
const hostsOf = (probes: ProbeResult[]) =>
  [...new Set(probes.map((probe) => probe.server.hostname))].join(', ');
const healthy = (probe: ProbeResult) =>
  probe.outcome === 'ok' && probe.tls?.valid === true && probe.starttls !== 'not-offered';

/** What went wrong on one probe, in words (undefined: nothing did). */
function problemOf(probe: ProbeResult): string | undefined {
  const at = where(probe);
  switch (probe.outcome) {
    case 'closed':
      return words.portClosed(at);
    case 'silent':
      return words.portSilent(at);
    case 'unreachable':
      return words.portUnreachable(at);
    case 'unresolved':
      return words.noLookup(probe.server.hostname, probe.error ?? 'no address');
    case 'refused':
      return words.notChecked(probe.server.hostname);
    case 'ok':
      if (probe.starttls === 'not-offered' || probe.starttls === 'failed') return words.noStartTls(at);
      return undefined;
    default:
      return words.portFails(at, probe.error ?? 'the connection failed');
  }
}

/** A port of the same kind that works, as the fix for one that does not. */
function instead(probe: ProbeResult, all: ProbeResult[]): string | undefined {
  const other = all.find((candidate) => candidate.server.type === probe.server.type && healthy(candidate));
  if (!other || other === probe) return undefined;
  const { server } = other;
  return words.useInstead(
    PROTOCOL_NAMES[server.type],
    server.port,
    ENCRYPTION_NAMES[server.security],
    server.hostname,
  );
}

export function confirmOnServers(diagnosis: Diagnosis, report: CheckReport): Confirmation {
  const all = report.results;
  const ofProtocol = all.filter((probe) => probe.server.type === diagnosis.protocol);
  const candidates = ofProtocol.length > 0 ? ofProtocol : all;
  const { cause } = diagnosis;
  // A server the check would not probe (its address is private or reserved) says nothing about the cause.
  const probes = candidates.filter((probe) => probe.outcome !== 'refused');
  if (probes.length === 0) {
    const [refused] = candidates;
    const finding = refused ? words.notChecked(refused.server.hostname) : words.NOTHING_CHECKED;
    return { cause, confirmed: null, finding };
  }
  if (cause.startsWith('certificate-')) return certificate(diagnosis, probes);
  const broken = probes.filter((probe) => problemOf(probe) !== undefined);
  const [first] = broken;
  const seen = (probe: ProbeResult): Confirmation => ({
    cause,
    confirmed: true,
    finding: problemOf(probe) as string,
    ...(instead(probe, all) ? { fix: instead(probe, all) } : {}),
  });
  switch (cause) {
    case 'host-not-found': {
      const unresolved = probes.find((probe) => probe.outcome === 'unresolved');
      return unresolved
        ? seen(unresolved)
        : { cause, confirmed: false, finding: words.namesResolve(hostsOf(probes)) };
    }
    case 'unreachable':
      return first ? seen(first) : { cause, confirmed: false, finding: words.serversAnswer(hostsOf(probes)) };
    case 'encryption-mismatch':
      return first ? seen(first) : { cause, confirmed: false, finding: words.allPortsWork(hostsOf(probes)) };
    default: {
      // A password cause: the check sees no password, but a server that answers and offers login over TLS
      // leaves the password as what to fix.
      const working = probes.find((probe) => healthy(probe) && probe.mechanisms.length > 0);
      // The sign-in method is the cause: what the server offers is what to choose, not a password to fix. A
      // provider that takes modern sign-in only lists password methods it turns down (Microsoft 365 does):
      // its modern ones on offer are the confirmation, and the only ones to choose.
      const modern = working?.mechanisms.filter((mechanism) => MODERN.has(mechanism.toUpperCase())) ?? [];
      const { incoming, outgoing } = report.settings;
      if (
        working &&
        cause === 'modern-auth' &&
        modern.length > 0 &&
        signInOf([...incoming, ...outgoing]) === 'modern-only'
      )
        return {
          cause,
          confirmed: true,
          finding: words.offersModernSignIn(where(working), modern.join(', ')),
        };
      if (working && cause === 'modern-auth')
        return {
          cause,
          confirmed: false,
          finding: words.offersSignIn(where(working), working.mechanisms.join(', ')),
        };
      if (working)
        return {
          cause,
          confirmed: true,
          finding: words.answersWithLogin(where(working), working.mechanisms.join(', ')),
        };
      return {
        cause,
        confirmed: false,
        finding: words.problemFirst(first ? (problemOf(first) as string) : words.NOTHING_CHECKED),
      };
    }
  }
}

/** The certificate the check saw against the one the paste complained about. */
function certificate(diagnosis: Diagnosis, probes: ProbeResult[]): Confirmation {
  const shown = probes.filter((probe) => probe.tls);
  const found: [Cause, ProbeResult | undefined][] = [
    ['certificate-name', shown.find((probe) => probe.tls?.matchesHost === false)],
    ['certificate-expired', shown.find((probe) => probe.tls?.expired)],
    ['certificate-untrusted', shown.find((probe) => probe.tls && !probe.tls.valid)],
  ];
  const exact = found.find(([cause, probe]) => probe && cause === diagnosis.cause);
  const other = found.find(([, probe]) => probe);
  // A paste that did not say which certificate problem takes the one the check found.
  const [cause, probe] = (diagnosis.anyCertificate ? other : exact) ?? other ?? [];
  if (!cause || !probe) {
    const unreached = probes.find((candidate) => !candidate.tls && problemOf(candidate));
    const finding =
      shown.length > 0
        ? words.certificatesFine(hostsOf(shown))
        : words.problemFirst(unreached ? (problemOf(unreached) as string) : words.NOTHING_CHECKED);
    // An expired certificate the check found valid: renewing it on the server would fix nothing.
    const validNow = diagnosis.cause === 'certificate-expired' && shown.length > 0;
    return {
      cause: diagnosis.cause,
      confirmed: false,
      finding,
      ...(validNow ? { fix: words.CERTIFICATE_VALID_NOW } : {}),
    };
  }
  const seen = certificateSeen(cause, probe);
  return cause === diagnosis.cause || diagnosis.anyCertificate
    ? { cause, confirmed: true, ...seen }
    : { cause: diagnosis.cause, confirmed: false, ...seen };
}

function certificateSeen(cause: Cause, { tls, server }: ProbeResult): Pick<Confirmation, 'finding' | 'fix'> {
  if (!tls) return { finding: words.NOTHING_CHECKED };
  if (cause === 'certificate-name') {
    const better = tls.names.find(isServerName);
    // A wildcard alone names no server to type (nor does localhost, the customer's own computer): never the
    // failing name again, a question for whoever runs it.
    const fix = better ? words.useName(better) : words.askForName(server.hostname, tls.names);
    return { finding: words.certificateFor(server.hostname, tls.names), fix };
  }
  if (cause === 'certificate-expired')
    return {
      finding: words.certificateExpired(server.hostname, tls.validTo),
      fix: words.renewCertificate(server.hostname),
    };
  return { finding: words.certificateNotTrusted(server.hostname, describeCertificateProblem(tls.problem)) };
}

/** A name a customer can type as their server: a host under a domain, not a wildcard or a machine's own name. */
const isServerName = (name: string) =>
  !name.startsWith('*.') && name.includes('.') && !/(^|\.)(localhost|localdomain|local)$/i.test(name);
