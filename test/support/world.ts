// A small internet on loopback for resolver tests and benchmarks: a DNS server, the ISP database (the real
// fixture files plus a few test providers), autoconfig web servers over HTTPS and HTTP, and a test CA.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDns, type Resolver } from '../../src/index.js';
import { TEMPLATE_PORTS } from '../../src/resolve/sources/template.js';
import type { Profile } from '../../src/testing.js';
import { createResolver, parseQuery, type ResolverOptions } from '../../src/testing.js';
import { type DnsRecord, type DnsServer, startDnsServer } from './dns-server.js';
import { startHttpServer, startIspdbServer, type TestHttpServer } from './http-server.js';
import { createTestPki, type TestPki } from './pki.js';

export const FIXTURES = join(import.meta.dirname, '../fixtures/ispdb');

/** A minimal provider file whose IMAP host names where it came from. */
export function providerXml(id: string, domains: string[], imapHost: string): string {
  return `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="${id}">
  ${domains.map((domain) => `<domain>${domain}</domain>`).join('')}
  <displayName>${id}</displayName>
  <incomingServer type="imap"><hostname>${imapHost}</hostname><port>993</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.${id}</hostname><port>465</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`;
}

export const TEST_PROFILE: Profile = {
  provider: 'Example Web Hosting',
  servers: [{ hostname: 'server1.web-hosting.test', addresses: ['203.0.113.10', '2001:db8::10'] }],
  ports: TEMPLATE_PORTS,
  notes: [],
};

/**
 * Names the tests use for "a domain that exists (it has a website) but publishes nothing about its mail": the
 * template answers them. A name with no records at all does not exist, and gets no settings.
 */
export const WEBSITES = [
  'example.com',
  'example.co.uk',
  'example.org',
  'x.test',
  'slow.test',
  'nothing-published.test',
];
const websiteRecords: DnsRecord[] = WEBSITES.map((name) => ({ name, type: 'A', address: '198.51.100.80' }));

export interface World {
  dns: DnsServer;
  ispdb: TestHttpServer;
  https: TestHttpServer;
  http: TestHttpServer;
  pki: TestPki;
  /** Autoconfig files by host name, served over HTTPS / HTTP. */
  httpsFiles: Map<string, string>;
  httpFiles: Map<string, string>;
  /** Hosts whose autoconfig answers only after this many milliseconds (a slow web server). */
  slowHosts: Map<string, number>;
  resolverOptions(overrides?: Partial<ResolverOptions>): ResolverOptions;
  close(): Promise<void>;
}

export async function startWorld(options: {
  records: DnsRecord[];
  /** Extra ISP database entries: file id → domains. */
  ispdb?: Record<string, string[]>;
  /** Names the HTTPS certificate covers. */
  tlsNames?: string[];
}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-ispdb-'));
  cpSync(FIXTURES, dir, { recursive: true });
  for (const [id, domains] of Object.entries(options.ispdb ?? {})) {
    writeFileSync(join(dir, `${id}.xml`), providerXml(id, domains, `imap.${id}`));
  }
  const pki = createTestPki();
  const httpsFiles = new Map<string, string>();
  const httpFiles = new Map<string, string>();
  const slowHosts = new Map<string, number>();
  const serve =
    (files: Map<string, string>) =>
    (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
      const host = (req.headers.host ?? '').replace(/:\d+$/, '');
      const body = files.get(host);
      const known =
        req.url === '/mail/config-v1.1.xml' || req.url === '/.well-known/autoconfig/mail/config-v1.1.xml';
      if (!body || !known) return void res.writeHead(404).end();
      setTimeout(
        () => res.writeHead(200, { 'content-type': 'text/xml' }).end(body),
        slowHosts.get(host) ?? 0,
      );
    };
  const [dns, ispdb, https, http] = await Promise.all([
    startDnsServer({ records: [...websiteRecords, ...options.records] }),
    startIspdbServer(dir),
    startHttpServer(serve(httpsFiles), { tls: pki.issue(options.tlsNames ?? ['localhost']) }),
    startHttpServer(serve(httpFiles)),
  ]);
  return {
    dns,
    ispdb,
    https,
    http,
    pki,
    httpsFiles,
    httpFiles,
    slowHosts,
    resolverOptions: (overrides = {}) => ({
      // The bot's own timeout and retry: a query a busy machine answered late is asked again, as in production.
      dns: createDns({ servers: [dns.address] }),
      ispdbUrl: `${ispdb.url}/v1.1/`,
      deadlineMs: 2500,
      fetch: { allowPrivate: true, ca: pki.ca, ports: { https: https.port, http: http.port } },
      ...overrides,
    }),
    close: async () => {
      await Promise.all([dns.close(), ispdb.close(), https.close(), http.close()]);
    },
  };
}

export const resolverIn = (world: World, overrides?: Partial<ResolverOptions>) =>
  createResolver(world.resolverOptions(overrides));

/** Asks a resolver a question typed as in chat ("alice@example.com imap"). */
export function askResolver(resolver: Resolver, text: string) {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`test question ${text}: ${parsed.error.message}`);
  return resolver.answer(parsed.value.query);
}
