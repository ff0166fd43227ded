// DNS SRV records for mail services (RFC 6186, with RFC 8314's implicit-TLS services): lowest priority
// first, higher weight first among equals. A target of "." means the service is deliberately not offered.

import { noSrvRecord } from '../../messages/answer.js';
import { fail, ok } from '../../model/result.js';
import type { ProviderConfig, Security, Server, ServerType } from '../../model/settings.js';
import type { SrvRecord } from '../lookup/dns.js';
import type { Source } from './source.js';
import { templateServers } from './template.js';

export const SRV_SERVICES: { label: string; type: ServerType; security: Security }[] = [
  { label: '_imaps._tcp', type: 'imap', security: 'tls' },
  { label: '_imap._tcp', type: 'imap', security: 'starttls' },
  { label: '_pop3s._tcp', type: 'pop3', security: 'tls' },
  { label: '_pop3._tcp', type: 'pop3', security: 'starttls' },
  { label: '_submissions._tcp', type: 'smtp', security: 'tls' },
  { label: '_submission._tcp', type: 'smtp', security: 'starttls' },
];

// Node returns the root target "." as an empty name.
const isRoot = (record: SrvRecord) => record.name === '' || record.name === '.';

export const srv: Source<'srv'> = {
  name: 'srv',
  label: 'DNS SRV records',
  async lookup(context) {
    const settled = await Promise.allSettled(
      SRV_SERVICES.map(({ label }) => context.dns.srv(`${label}.${context.domain}`)),
    );
    const answers = settled.map((result) => (result.status === 'fulfilled' ? result.value : []));
    const published = new Set(SRV_SERVICES.filter((_, index) => answers[index]?.length).map((s) => s.type));
    // A protocol none of whose records came back, because a query failed, is not one the zone says nothing
    // about: the source failed (the answer says so) rather than fill it in from the template.
    const failure = settled.find(
      (result, index): result is PromiseRejectedResult =>
        result.status === 'rejected' && !published.has((SRV_SERVICES[index] as { type: ServerType }).type),
    );
    if (failure) throw failure.reason;
    if (published.size === 0) return fail(`no mail SRV records under ${context.domain}`);

    const servers: Server[] = [];
    const offered = new Set<ServerType>();
    for (const [index, { type, security }] of SRV_SERVICES.entries()) {
      const records = answers[index] ?? [];
      for (const record of [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)) {
        if (isRoot(record)) continue;
        offered.add(type);
        servers.push({
          type,
          hostname: record.name.toLowerCase().replace(/\.$/, ''),
          port: record.port,
          security,
          username: '%EMAILADDRESS%',
          authentication: ['password-cleartext'],
        });
      }
    }

    // Protocols the zone says nothing about fall back to the hosting template, and the answer says so.
    const unpublished = (['imap', 'pop3', 'smtp'] as const).filter((type) => !published.has(type));
    const fallback = templateServers(`mail.${context.domain}`).filter((server) =>
      unpublished.includes(server.type),
    );
    const config: ProviderConfig = {
      servers: [...servers, ...fallback],
      notOffered: [...published].filter((type) => !offered.has(type)),
      documentation: [],
      notes: unpublished.map((type) => noSrvRecord(context.domain, type)),
    };
    return ok({ config, detail: `DNS SRV records of ${context.domain}` });
  },
};
