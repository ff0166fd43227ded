// An MX host is DNS data the customer's zone controls, and c-ares passes ':', '/', '?' and '#' in a label
// through unescaped: such a name never chooses the port or path of the bot's autoconfig request. Loopback
// only: DNS and one HTTPS server, on a port the MX names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/index.js';
import { createDns } from '../../src/index.js';
import { createResolver, parseQuery } from '../../src/testing.js';
import { closedPort } from '../support/closed-port.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';
import { createTestPki } from '../support/pki.js';

let dns: DnsServer;
let steered: TestHttpServer;
let resolver: Resolver;

beforeAll(async () => {
  const pki = createTestPki();
  // The server the MX record steers to: listening on a port no autoconfig URL would use.
  steered = await startHttpServer((_req, res) => void res.writeHead(404).end(), {
    tls: pki.issue(['autoconfig.evil.test']),
  });
  const unused = await closedPort(); // where every URL without a port of its own would go (the "443" here)
  dns = await startDnsServer({
    records: [
      { name: 'steer.test', type: 'A', address: '127.0.0.1' },
      { name: 'steer.test', type: 'MX', priority: 1, exchange: `mx.evil.test:${steered.port}/admin?x=` },
      { name: 'autoconfig.evil.test', type: 'A', address: '127.0.0.1' },
    ],
  });
  resolver = createResolver({
    dns: createDns({ servers: [dns.address], timeoutMs: 500, tries: 1 }),
    ispdbUrl: `http://127.0.0.1:${unused}/v1.1/`,
    deadlineMs: 2500,
    fetch: { allowPrivate: true, ca: pki.ca, ports: { https: unused, http: unused } },
  });
});
afterAll(async () => {
  await Promise.all([dns?.close(), steered?.close()]);
});

describe('an MX host with URL syntax in it', () => {
  it('never lets the MX record pick the port or path of an autoconfig request', async () => {
    const parsed = parseQuery('steer.test imap');
    if (!parsed.ok) throw new Error('test question did not parse');
    await resolver.answer(parsed.value.query);
    // No request at all: the name is not a host name.
    expect(steered.requests.map((request) => request.path)).toEqual([]);
  });
});
