import { createHmac } from 'node:crypto';
import http from 'node:http';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Services, setupHandlerFromConfig } from '../../src/app/services.js';
import { ConfigError, loadConfig } from '../../src/index.js';
import {
  createRateLimiter,
  createSetupHandler,
  LINK_LIFETIME_MS,
  parseConfigXml,
  setupPageUrl,
  signSetupLink,
  verifySetupLink,
} from '../../src/testing.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';
import { autodiscoverRequest, OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const SECRET = 'test-secret-that-is-long-enough-0123456789';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const NOW = Date.parse('2030-01-01T12:00:00Z');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so tests control the Host header and the exact body bytes. */
function call(
  port: number,
  options: {
    method?: string;
    path: string;
    host?: string;
    body?: string | Buffer;
    headers?: http.OutgoingHttpHeaders;
  },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: options.host ?? `127.0.0.1:${port}`, ...options.headers },
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

let setup: SetupWorld;
let server: TestHttpServer;
let clock = NOW;
const errors: unknown[] = [];

beforeAll(async () => {
  setup = await startSetupWorld();
  const handler = createSetupHandler({
    resolver: setup.resolver,
    secret: SECRET,
    organization: 'Example Web Hosting',
    now: () => clock,
    log: { info() {}, warn() {}, error: (message, context) => errors.push({ message, context }) },
  });
  server = await startHttpServer((req, res) => {
    // What the handler leaves alone goes on to the next receiver, played here by this line.
    if (!handler(req, res)) res.writeHead(404, { 'x-next': 'yes' }).end('next receiver');
  });
});
afterAll(async () => {
  await server?.close();
  await setup?.close();
  expect(errors).toEqual([]);
});

describe('automatic configuration for hosted domains', () => {
  it.each([
    ['?emailaddress= on the bare path', '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test', undefined],
    ['the host autoconfig.<domain>', '/mail/config-v1.1.xml', 'autoconfig.hosted.test'],
    ['the well-known path on the domain', '/.well-known/autoconfig/mail/config-v1.1.xml', 'hosted.test'],
    [
      'Thunderbird’s request on autoconfig.<domain>',
      '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test',
      'autoconfig.hosted.test',
    ],
  ])('serves config-v1.1.xml found by %s', async (_how, path, host) => {
    const reply = await call(server.port, { path, ...(host ? { host } : {}) });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/xml; charset=utf-8');
    const parsed = parseConfigXml(reply.body);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.value.domains).toEqual(['hosted.test']);
    expect(parsed.value.name).toBe('Example Web Hosting');
    expect(parsed.value.servers.map((s) => `${s.type} ${s.hostname}:${s.port} ${s.security}`)).toEqual([
      `imap ${OPERATOR}:993 tls`,
      `imap ${OPERATOR}:143 starttls`,
      `pop3 ${OPERATOR}:995 tls`,
      `pop3 ${OPERATOR}:110 starttls`,
      `smtp ${OPERATOR}:465 tls`,
      `smtp ${OPERATOR}:587 starttls`,
    ]);
  });

  it('answers Outlook’s Autodiscover POST with the hosted servers and the address as login', async () => {
    const reply = await call(server.port, {
      method: 'POST',
      path: '/Autodiscover/Autodiscover.xml',
      body: autodiscoverRequest('Alice@Hosted.test'),
      headers: { 'content-type': 'text/xml' },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(reply.body).toContain(`<Server>${OPERATOR}</Server>`);
    expect(reply.body).toContain('<LoginName>alice@hosted.test</LoginName>');
    expect(reply.body.match(/<Type>(\w+)<\/Type>/g)).toEqual([
      '<Type>IMAP</Type>',
      '<Type>POP3</Type>',
      '<Type>SMTP</Type>',
    ]);
  });

  it.each([
    ['a provider domain (gmail.com)', 'alice@gmail.com'],
    ['a domain whose mail is elsewhere', 'alice@elsewhere.test'],
    ['a domain with nothing published (template)', 'alice@nothing-published.test'],
  ])('answers 404 for %s: no open oracle', async (_name, address) => {
    const config = await call(server.port, {
      path: `/mail/config-v1.1.xml?emailaddress=${encodeURIComponent(address)}`,
    });
    expect(config.status).toBe(404);
    expect(config.body).toBe('No settings are published here for that domain.\n');
    const discover = await call(server.port, {
      method: 'POST',
      path: '/autodiscover/autodiscover.xml',
      body: autodiscoverRequest(address),
    });
    expect(discover.status).toBe(404);
    expect(discover.body).not.toContain('<Server>');
  });

  it.each([
    [
      'a DOCTYPE with entities',
      `<!DOCTYPE a [<!ENTITY b "${'x'.repeat(100)}"><!ENTITY c "&b;&b;&b;">]>${autodiscoverRequest('&c;@hosted.test')}`,
      400,
      /document type/,
    ],
    [
      'malformed XML',
      '<Autodiscover><Request><EMailAddress>alice@hosted.test</Request></Autodiscover>',
      400,
      /not well-formed/,
    ],
    ['a request without an address', autodiscoverRequest(''), 400, /no EMailAddress/],
    ['an address that is no address', autodiscoverRequest('alice@10.0.0.1'), 400, /not an email address/],
    [
      'a 1 MB body',
      `<Autodiscover>${'x'.repeat(1024 * 1024)}</Autodiscover>`,
      413,
      /larger than 32768 bytes/,
    ],
  ])('refuses %s with a clear status and message', async (_name, body, status, message) => {
    const reply = await call(server.port, { method: 'POST', path: '/autodiscover/autodiscover.xml', body });
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(reply.body).toMatch(message);
  });

  it('cuts off a body far too large to drain, and keeps serving', async () => {
    const outcome = await call(server.port, {
      method: 'POST',
      path: '/autodiscover/autodiscover.xml',
      headers: { 'content-length': String(100 * 1024 * 1024) },
      body: 'x'.repeat(1024),
    }).catch((error: NodeJS.ErrnoException) => error.code);
    expect([413, 'ECONNRESET', 'EPIPE']).toContain(typeof outcome === 'object' ? outcome.status : outcome);
    const after = await call(server.port, { path: '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test' });
    expect(after.status).toBe(200);
  });

  it.each([
    ['no address and no autoconfig host', '/mail/config-v1.1.xml', 400, /Add the address to set up/],
    ['an address that is no address', '/mail/config-v1.1.xml?emailaddress=..', 400, /not an email address/],
    [
      'an address with spaces',
      '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test%20imap',
      400,
      /not an email/,
    ],
  ])('refuses autoconfig with %s', async (_name, path, status, message) => {
    const reply = await call(server.port, { path });
    expect(reply.status).toBe(status);
    expect(reply.body).toMatch(message);
  });

  it('says which method to use', async () => {
    const get = await call(server.port, { path: '/autodiscover/autodiscover.xml' });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const post = await call(server.port, { method: 'POST', path: '/mail/config-v1.1.xml', body: '' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('leaves every other path to the next receiver', async () => {
    for (const path of [
      '/slack/events',
      '/',
      '/setup',
      '/setup/',
      '/mail/config-v1.1.xml.bak',
      'http://x/',
    ]) {
      const reply = await call(server.port, { path });
      expect(reply.headers['x-next'], path).toBe('yes');
    }
  });
});

describe('signed set-up links', () => {
  const question = { domain: 'hosted.test', email: 'alice@hosted.test', protocol: 'imap' } as const;

  it('verifies what it signed, for a day', () => {
    const token = signSetupLink(question, SECRET, NOW);
    expect(token).toMatch(/^[\w-]+\.[\w-]+$/);
    expect(verifySetupLink(token, SECRET, NOW + LINK_LIFETIME_MS - 1)).toEqual({
      ok: true,
      value: { question, expiresAt: NOW + LINK_LIFETIME_MS },
    });
    expect(verifySetupLink(token, SECRET, NOW + LINK_LIFETIME_MS)).toEqual({ ok: false, error: 'expired' });
  });

  it('refuses a token signed with another secret, changed, cut or made up', () => {
    const token = signSetupLink(question, SECRET, NOW);
    const [body = '', mac = ''] = token.split('.');
    const empty = Buffer.from('{}').toString('base64url');
    const forged = Buffer.from(JSON.stringify({ d: 'gmail.com', p: 'imap', x: NOW + 1000 })).toString(
      'base64url',
    );
    for (const bad of [
      signSetupLink(question, `${SECRET}x`, NOW),
      `${forged}.${mac}`,
      `${body}.${mac.slice(0, -2)}`,
      // The same signature spelled otherwise: an unused bit of the last character (32 bytes end on 4 of its 6).
      `${body}.${mac.slice(0, -1)}${BASE64URL[BASE64URL.indexOf(mac.at(-1) ?? '') ^ 1]}`,
      `${body}.${mac}.x`,
      `${body}`,
      `${empty}.${mac}`,
      '',
      '../../etc/passwd',
    ]) {
      expect(verifySetupLink(bad, SECRET, NOW), bad).toEqual({ ok: false, error: 'tampered' });
    }
  });

  it('refuses a correctly signed payload of the wrong shape as tampered, not with a crash', () => {
    const body = Buffer.from(
      JSON.stringify({ d: 'hosted.test', p: 'carrier-pigeon', x: NOW + 1000 }),
    ).toString('base64url');
    const mac = createHmac('sha256', SECRET).update(body).digest('base64url');
    expect(verifySetupLink(`${body}.${mac}`, SECRET, NOW)).toEqual({ ok: false, error: 'tampered' });
  });

  it('builds the page address under the bot’s public URL', () => {
    expect(setupPageUrl('https://bot.example.com/', 'abc.def')).toBe('https://bot.example.com/setup/abc.def');
  });

  it('will not start with a short secret', () => {
    expect(() => createSetupHandler({ resolver: setup.resolver, secret: 'short' })).toThrow(ConfigError);
  });
});

describe('the set-up page over HTTP', () => {
  const token = () =>
    signSetupLink({ domain: 'hosted.test', email: 'alice@hosted.test', protocol: 'imap' }, SECRET, clock);

  it('shows the settings and the steps for a signed link', async () => {
    const reply = await call(server.port, { path: `/setup/${token()}` });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['content-security-policy']).toContain("default-src 'none'");
    expect(reply.body).toContain('<html lang="en">');
    expect(reply.body).toContain('<h1>Set up your email: alice@hosted.test</h1>');
    expect(reply.body).toContain(`<dd class="value">${OPERATOR}</dd>`);
    expect(reply.body).toContain('<summary>Outlook for Windows</summary>');
    expect(reply.body).not.toMatch(/<script|<link|src="http/);
  });

  it('links the page to its profile, however the page was reached', async () => {
    for (const page of [`/setup/${token()}`, `/setup/${token()}/`]) {
      const reply = await call(server.port, { path: page });
      const href = /class="button" href="([^"]+)"/.exec(reply.body)?.[1] ?? '';
      const profile = await call(server.port, { path: new URL(href, `http://bot.test${page}`).pathname });
      expect(profile.status).toBe(200);
      expect(profile.headers['content-type']).toBe('application/x-apple-aspen-config');
    }
  });

  it('serves the Apple profile as a download', async () => {
    const reply = await call(server.port, { path: `/setup/${token()}/apple.mobileconfig` });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/x-apple-aspen-config');
    expect(reply.headers['content-disposition']).toBe('attachment; filename="hosted.test.mobileconfig"');
    expect(reply.headers['x-content-type-options']).toBe('nosniff'); // never read as a page
    const profile = parsePlist(reply.body) as { PayloadContent: Record<string, unknown>[] };
    expect(profile.PayloadContent[0]).toMatchObject({
      IncomingMailServerHostName: OPERATOR,
      EmailAddress: 'alice@hosted.test',
    });
  });

  it('answers a changed link with 403 and an explanation', async () => {
    const good = token();
    const changed = `${good.slice(0, 5)}${good[5] === 'A' ? 'B' : 'A'}${good.slice(6)}`;
    for (const path of [`/setup/${changed}`, `/setup/${changed}/apple.mobileconfig`]) {
      const reply = await call(server.port, { path });
      expect(reply.status).toBe(403);
      expect(reply.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(reply.body).toContain('<h1>This link is not valid</h1>');
      expect(reply.body).toContain('Copy the whole link');
    }
  });

  it('answers an expired link with 410 and says how to get a new one', async () => {
    const old = token();
    clock += LINK_LIFETIME_MS + 1;
    try {
      const reply = await call(server.port, { path: `/setup/${old}` });
      expect(reply.status).toBe(410);
      expect(reply.body).toContain('<h1>This link has expired</h1>');
      expect(reply.body).toContain('Ask the bot again');
    } finally {
      clock = NOW;
    }
  });

  it('explains why there is no profile for a provider that needs modern sign-in', async () => {
    const link = signSetupLink(
      { domain: 'office365.com', email: 'dan@office365.com', protocol: 'all' },
      SECRET,
      clock,
    );
    const page = await call(server.port, { path: `/setup/${link}` });
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('apple.mobileconfig');
    expect(page.body).toContain('modern sign-in');
    const profile = await call(server.port, { path: `/setup/${link}/apple.mobileconfig` });
    expect(profile.status).toBe(404);
  });
});

describe('a rate limit on automatic configuration', () => {
  it('counts one client per IPv4 address and per IPv6 /64, behind a proxy on this host', async () => {
    const config = loadConfig({
      MAILSETTINGS_LINK_SECRET: SECRET,
      MAILSETTINGS_PUBLIC_URL: 'https://bot.test',
    });
    const quiet = { info: () => {}, warn: () => {}, error: () => {} };
    const handler = setupHandlerFromConfig(config, { resolver: setup.resolver } as Services, quiet);
    const proxied = await startHttpServer((req, res) => {
      if (!handler?.(req, res)) res.writeHead(404).end();
    });
    // What the proxy appended last is the client; what came before is whatever the client claimed.
    const ask = async (client: string) =>
      (
        await call(proxied.port, {
          path: '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test',
          headers: { 'x-forwarded-for': `198.51.100.7, ${client}` },
        })
      ).status;
    try {
      // 30 a minute: every address of one IPv6 /64 (all its holder's to use) counts against the same client.
      const sameNetwork = [];
      for (let i = 1; i <= 31; i++) sameNetwork.push(await ask(`2001:db8:1:2::${i.toString(16)}`));
      expect(sameNetwork.slice(0, 30).every((status) => status === 200)).toBe(true);
      expect(sameNetwork[30]).toBe(429);
      expect(await ask('2001:db8:1:3::1')).toBe(200); // another /64
      // An IPv4 address, and the same address written as IPv4-mapped IPv6, are one client.
      for (let i = 0; i < 30; i++) expect(await ask('203.0.113.9')).toBe(200);
      expect(await ask('::ffff:203.0.113.9')).toBe(429);
      expect(await ask('203.0.113.10')).toBe(200);
    } finally {
      await proxied.close();
    }
  });

  it('answers 429 with Retry-After once a client has asked too often, and never limits the page', async () => {
    const handler = createSetupHandler({
      resolver: setup.resolver,
      secret: SECRET,
      now: () => clock,
      limiter: createRateLimiter({ limit: 2, windowMs: 60_000, now: () => clock }),
    });
    const limited = await startHttpServer((req, res) => {
      if (!handler(req, res)) res.writeHead(404).end();
    });
    try {
      const path = '/mail/config-v1.1.xml?emailaddress=alice%40hosted.test';
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await call(limited.port, { path })).status);
      expect(statuses).toEqual([200, 200, 429]);
      const refused = await call(limited.port, {
        method: 'POST',
        path: '/autodiscover/autodiscover.xml',
        body: '',
      });
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect(refused.body).toBe('Too many requests: try again in 60 s.\n');
      const token = signSetupLink({ domain: 'hosted.test', protocol: 'all' }, SECRET, clock);
      expect((await call(limited.port, { path: `/setup/${token}` })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
