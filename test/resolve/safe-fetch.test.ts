import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchXml } from '../../src/resolve/lookup/safe-fetch.js';
import { loadProfile } from '../../src/testing.js';
import { startHttpServer, type TestHttpServer } from '../support/http-server.js';

let server: TestHttpServer;
const lookup = async () => ['127.0.0.1'];

beforeAll(async () => {
  server = await startHttpServer((req, res) => {
    const xml = { 'content-type': 'application/xml' };
    if (req.url === '/ok') return void res.writeHead(200, xml).end('<clientConfig/>');
    if (req.url === '/html') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html/>');
    if (req.url === '/huge') return void res.writeHead(200, xml).end('x'.repeat(200_000));
    if (req.url === '/redirect-out')
      return void res.writeHead(302, { location: `http://elsewhere.test:${server.port}/ok` }).end();
    if (req.url === '/redirect-in') return void res.writeHead(302, { location: '/ok' }).end();
    const hop = /^\/hop(\d)$/.exec(req.url ?? '');
    if (hop)
      return void res
        .writeHead(302, { location: Number(hop[1]) > 1 ? `/hop${Number(hop[1]) - 1}` : '/ok' })
        .end();
    if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
});
afterAll(() => server?.close());

const url = (path: string) => `http://site.test:${server.port}${path}`;

describe('fetchXml', () => {
  it('fetches an XML document from the checked address, keeping the host name', async () => {
    const result = await fetchXml(url('/ok'), { lookup, allowPrivate: true });
    expect(result).toEqual({ ok: true, value: '<clientConfig/>' });
    expect(server.requests.at(-1)?.host).toBe(`site.test:${server.port}`);
  });

  it.each([
    ['/html', /not XML \(text\/html\)/],
    ['/huge', /larger than 131072 bytes/],
    ['/nothing', /HTTP 404/],
    ['/loop', /too many redirects/],
  ])('treats %s as missing, with the reason', async (path, reason) => {
    const result = await fetchXml(url(path), { lookup, allowPrivate: true });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(reason);
  });

  it('follows at most three redirects', async () => {
    expect(await fetchXml(url('/hop3'), { lookup, allowPrivate: true })).toMatchObject({ ok: true });
    expect(await fetchXml(url('/hop4'), { lookup, allowPrivate: true })).toEqual({
      ok: false,
      error: 'too many redirects',
    });
  });

  it('follows a redirect on the same host', async () => {
    expect(await fetchXml(url('/redirect-in'), { lookup, allowPrivate: true })).toMatchObject({
      ok: true,
    });
  });

  it('resolves and checks the new host again after a redirect', async () => {
    const asked: string[] = [];
    const recording = async (name: string) => {
      asked.push(name);
      return ['127.0.0.1'];
    };
    expect(await fetchXml(url('/redirect-out'), { lookup: recording, allowPrivate: true })).toMatchObject({
      ok: true,
    });
    expect(asked).toEqual(['site.test', 'elsewhere.test']);
    expect(server.requests.at(-1)?.host).toBe(`elsewhere.test:${server.port}`);
  });

  it('refuses a loopback address unless private networks are allowed', async () => {
    const before = server.connections;
    await expect(fetchXml(url('/ok'), { lookup })).rejects.toThrow(
      /127\.0\.0\.1, a private or reserved address/,
    );
    expect(server.connections).toBe(before);
  });
});

describe('operator profile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-profile-'));
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('reads YAML with defaults for ports and notes', async () => {
    const file = write(
      'profile.yaml',
      'provider: Example Web Hosting\nservers:\n  - hostname: Server1.Web-Hosting.com\n    addresses: ["203.0.113.10", "2001:db8::10"]\n',
    );
    const profile = await loadProfile(file);
    expect(profile.servers[0]).toEqual({
      hostname: 'server1.web-hosting.com',
      addresses: ['203.0.113.10', '2001:db8::10'],
    });
    expect(profile.ports.imap[0]).toEqual({ port: 993, security: 'tls' });
    expect(profile.notes).toEqual([]);
  });

  it('reads JSON and custom ports', async () => {
    const file = write(
      'profile.json',
      JSON.stringify({
        provider: 'X',
        servers: [{ hostname: 'a.example.net' }],
        ports: { smtp: [{ port: 587, security: 'starttls' }] },
      }),
    );
    const profile = await loadProfile(file);
    expect(profile.ports.smtp).toEqual([{ port: 587, security: 'starttls' }]);
    expect(profile.ports.pop3[0]?.port).toBe(995);
  });

  it.each([
    ['missing.yaml', null, /cannot read/],
    ['bad.yaml', 'provider: [unclosed', /not valid YAML or JSON/],
    ['noservers.yaml', 'provider: X\nservers: []\n', /servers/],
    [
      'badip.yaml',
      'provider: X\nservers:\n  - hostname: a.example.net\n    addresses: [nope]\n',
      /servers\.0\.addresses\.0 must be an IP address/,
    ],
  ])('explains what is wrong in %s', async (name, text, message) => {
    const file = text === null ? join(dir, name) : write(name, text);
    await expect(loadProfile(file)).rejects.toThrow(message);
  });
});
