// Which failures of a live check several cases can share: a server and port that fail with one cause of the
// vocabulary (an expired certificate on server1 port 993, a closed port). Open cases whose checks fail alike
// share a cause (related-store.ts finds them); staff can answer them together and check them again at once.
import type { CheckReport } from '../check/check.js';
import type { ProbeResult } from '../check/probe-result.js';
import type { Cause } from '../model/causes.js';

export interface Failure {
  host: string;
  port: number;
  cause: Cause;
}

/** The cause a probe failed with, when the check can see it; undefined when it did not fail (or was not checked). */
export function causeOf(probe: ProbeResult): Cause | undefined {
  const { tls } = probe;
  if (tls && !tls.valid)
    return tls.expired
      ? 'certificate-expired'
      : tls.matchesHost
        ? 'certificate-untrusted'
        : 'certificate-name';
  switch (probe.outcome) {
    case 'unresolved':
      return 'host-not-found';
    case 'closed':
    case 'unreachable':
    case 'silent':
      return 'unreachable';
    case 'ok':
      return probe.starttls === 'not-offered' || probe.starttls === 'failed'
        ? 'encryption-mismatch'
        : undefined;
    default:
      // Not checked (a private address), or a failure too particular to share (said in the check itself).
      return undefined;
  }
}

/** Every failure of a check, once per server, port and cause. */
export function failuresOf(report: CheckReport): Failure[] {
  const seen = new Map<string, Failure>();
  for (const probe of report.results) {
    const cause = causeOf(probe);
    if (!cause) continue;
    const failure = { host: probe.server.hostname.toLowerCase(), port: probe.server.port, cause };
    seen.set(`${failure.host} ${failure.port} ${cause}`, failure);
  }
  return [...seen.values()];
}

/** Failures of one cause on one server, with the ports it fails on: how people read them. */
export interface FailureGroup {
  host: string;
  cause: Cause;
  ports: number[];
}

/** Failures grouped by server and cause, in the order they came. */
export function groupFailures(failures: Failure[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const { host, port, cause } of failures) {
    const group = groups.get(`${host} ${cause}`) ?? { host, cause, ports: [] };
    if (!group.ports.includes(port)) group.ports.push(port);
    groups.set(`${host} ${cause}`, group);
  }
  return [...groups.values()];
}
