// SRV records (RFC 6186/8314) that send a domain's mail services to one host on the given ports: how the tests
// lead the ordinary resolution to the real mail servers they start on loopback.
import type { DnsRecord } from './dns-server.js';

const SERVICES = {
  imaps: '_imaps._tcp',
  imap: '_imap._tcp',
  pop3s: '_pop3s._tcp',
  pop3: '_pop3._tcp',
  submissions: '_submissions._tcp',
  submission: '_submission._tcp',
} as const;

/** One record per service whose port is given (others in `ports`, like a server set's extra ports, are left out). */
export function srvRecords(
  domain: string,
  target: string,
  ports: Partial<Record<keyof typeof SERVICES, number>>,
): DnsRecord[] {
  return Object.entries(SERVICES).flatMap(([service, label]) => {
    const port = ports[service as keyof typeof SERVICES];
    return port === undefined
      ? []
      : [{ name: `${label}.${domain}`, type: 'SRV' as const, target, port, priority: 0, weight: 0 }];
  });
}
