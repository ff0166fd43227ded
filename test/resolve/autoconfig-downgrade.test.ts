// An HTTPS autoconfig URL that redirects to plain HTTP is not followed: settings that would travel unencrypted
// are never presented as published over HTTPS. Everything runs on loopback (DNS, HTTPS and HTTP servers
// started here).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/index.js';
import { createDns } from '../../src/index.js';
import { createResolver, parseQuery } from '../../src/testing.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';
import { createTestPki } from '../support/pki.js';

const DOMAIN = 'downgrade.test';
const XML = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="${DOMAIN}"><domain>${DOMAIN}</domain>
  <incomingServer type="imap"><hostname>imap.plaintext-leg.test</hostname><port>993</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.plaintext-leg.test</hostname><port>465</port>
    <socketType>SSL</socketType><username>%EMAILADDRESS%</username></outgoingServer>
</emailProvider></clientConfig>`;

let dns: DnsServer;
let https: TestHttpServer;
let http: TestHttpServer;
let ispdb: TestHttpServer;
let resolver: Resolver;

beforeAll(async () => {
  const pki = createTestPki();
  const notFound = (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(404).end();
  dns = await startDnsServer({
    records: [
      { name: DOMAIN, type: 'A', address: '127.0.0.1' },
      { name: `autoconfig.${DOMAIN}`, type: 'A', address: '127.0.0.1' },
    ],
  });
  // HTTPS: the published place answers with a redirect to plain HTTP on the same host.
  https = await startHttpServer(
    (req, res) => {
      if (req.url === '/mail/config-v1.1.xml' && req.headers.host?.startsWith(`autoconfig.${DOMAIN}`))
        return void res.writeHead(301, { location: `http://autoconfig.${DOMAIN}/plain/config.xml` }).end();
      res.writeHead(404).end();
    },
    { tls: pki.issue([`autoconfig.${DOMAIN}`, DOMAIN]) },
  );
  // Plain HTTP: serves the file only at the redirect's target, so the http:// candidates themselves find nothing.
  http = await startHttpServer((req, res) => {
    if (req.url === '/plain/config.xml')
      return void res.writeHead(200, { 'content-type': 'text/xml' }).end(XML);
    res.writeHead(404).end();
  });
  ispdb = await startHttpServer(notFound);
  resolver = createResolver({
    dns: createDns({ servers: [dns.address], timeoutMs: 500, tries: 1 }),
    ispdbUrl: `${ispdb.url}/v1.1/`,
    deadlineMs: 2500,
    // Loopback is private: the servers here can only be reached with the allowance (as in the other tests).
    fetch: { allowPrivate: true, ca: pki.ca, ports: { https: https.port, http: http.port } },
  });
});
afterAll(async () => {
  await Promise.all([dns?.close(), https?.close(), http?.close(), ispdb?.close()]);
});

describe('an HTTPS autoconfig URL redirecting to plain HTTP', () => {
  it('does not present settings fetched over plain HTTP as HTTPS-published, without a warning', async () => {
    const parsed = parseQuery(`${DOMAIN} imap`);
    if (!parsed.ok) throw new Error('test question did not parse');
    const { settings } = await resolver.answer(parsed.value.query);
    const warned = settings.notes.some((note) => /without encryption/.test(note));
    // The downgrade is refused (another source answers), or the answer says the file came unencrypted.
    const passedAsEncrypted = settings.source.kind === 'autoconfig' && !warned;
    expect(passedAsEncrypted, `source: ${settings.source.detail}; notes: ${settings.notes.join(' | ')}`).toBe(
      false,
    );
  });
});
