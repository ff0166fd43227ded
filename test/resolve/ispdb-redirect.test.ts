// The ISP database is the operator's, so its own URL is fetched without the address check; a redirect it answers
// with to another origin is checked like any other (docs/resolve.md). Loopback only: a DNS server, an "ISP
// database" (or a mirror in front of it) that redirects, and an "internal" server it points at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/index.js';
import { createDns } from '../../src/index.js';
import { fetchXml } from '../../src/resolve/lookup/safe-fetch.js';
import { createResolver, parseQuery } from '../../src/testing.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';

let dns: DnsServer;
let internal: TestHttpServer;
let ispdb: TestHttpServer;
let resolver: Resolver;

const XML = '<?xml version="1.0"?><clientConfig version="1.1"></clientConfig>';

beforeAll(async () => {
  // Stands for something only reachable from inside (a metadata service, an admin port).
  internal = await startHttpServer(
    (_req, res) => void res.writeHead(200, { 'content-type': 'text/xml' }).end(XML),
  );
  // The operator's ISP database (or a mirror/CDN in front of it) answering with a redirect off its own origin.
  ispdb = await startHttpServer(
    (_req, res) =>
      void res.writeHead(302, { location: `http://127.0.0.1:${internal.port}/latest/meta-data/` }).end(),
  );
  dns = await startDnsServer({
    records: [{ name: 'customer.test', type: 'A', address: '198.51.100.80' }],
  });
  resolver = createResolver({
    dns: createDns({ servers: [dns.address], timeoutMs: 500, tries: 1 }),
    ispdbUrl: `${ispdb.url}/v1.1/`,
    deadlineMs: 2500,
    // Production default: private networks refused.
    fetch: { allowPrivate: false },
  });
});
afterAll(async () => {
  await Promise.all([dns?.close(), internal?.close(), ispdb?.close()]);
});

describe('a redirect from the trusted ISP database', () => {
  it('is checked again: a redirect off the ISP database to a loopback address is refused (fetchXml)', async () => {
    const before = internal.connections;
    const result = await fetchXml(`${ispdb.url}/v1.1/customer.test`, {
      lookup: async () => ['198.51.100.80'],
      allowPrivate: false,
      trusted: true,
    }).catch((error: unknown) => ({ ok: false as const, error: String(error) }));
    expect(internal.connections - before).toBe(0);
    expect(result.ok).toBe(false);
  });

  it('is checked again: a customer question never makes the resolver connect to a loopback address', async () => {
    const before = internal.connections;
    const parsed = parseQuery('customer.test imap');
    if (!parsed.ok) throw new Error('test question did not parse');
    await resolver.answer(parsed.value.query);
    expect(internal.connections - before).toBe(0);
  });
});

describe('a redirect within the ISP database', () => {
  it('stays trusted: a redirect to the same origin is followed without the address check', async () => {
    const own = await startHttpServer((req, res) =>
      req.url === '/v1.1/moved.test'
        ? void res.writeHead(301, { location: '/v1.1/here.test' }).end()
        : void res.writeHead(200, { 'content-type': 'text/xml' }).end(XML),
    );
    try {
      const refuseAll = async (): Promise<string[]> => {
        throw new Error('the trusted origin is not looked up');
      };
      const result = await fetchXml(`${own.url}/v1.1/moved.test`, { lookup: refuseAll, trusted: true });
      expect(result).toEqual({ ok: true, value: XML });
      expect(own.requests.map((request) => request.path)).toEqual(['/v1.1/moved.test', '/v1.1/here.test']);
    } finally {
      await own.close();
    }
  });
});
