import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDns } from '../../src/index.js';
import { checkHost, isPublicAddress } from '../../src/resolve/lookup/net-policy.js';
import type { Query, ResolverOptions } from '../../src/testing.js';
import { BlockedAddressError } from '../../src/testing.js';
import { startDnsServer } from '../support/dns-server.js';
import { startSilentServer, type TestHttpServer } from '../support/http-server.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

const query = (domain: string): Query => ({ input: domain, domain, protocol: 'all' });

describe('address policy', () => {
  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    ['192.0.2.1', false],
    ['::1', false],
    ['::', false],
    ['fe80::1', false],
    ['fd00::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::7f00:1', false], // ::127.0.0.1, IPv4-compatible
    ['::a00:1', false],
    ['2001:db8::1', false],
    ['not-an-address', false],
    ['93.184.216.34', true],
    ['2a00:1450:4001::1', true],
  ])('%s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('refuses a name when any one of its addresses is private (DNS rebinding)', async () => {
    const lookup = async () => ['93.184.216.34', '10.0.0.1'];
    await expect(checkHost('mixed.example', lookup, false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(checkHost('mixed.example', lookup, true)).resolves.toEqual(['93.184.216.34', '10.0.0.1']);
  });
});

describe('private-address refusal', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({
      records: [
        { name: 'autoconfig.evil.test', type: 'A', address: '127.0.0.1' },
        { name: 'evil.test', type: 'AAAA', address: '::ffff:127.0.0.1' },
        { name: 'evil-mx.test', type: 'MX', priority: 1, exchange: 'mx.evil-provider.test' },
        { name: 'autoconfig.evil-provider.test', type: 'A', address: '127.0.0.1' },
      ],
      tlsNames: ['autoconfig.evil.test', 'autoconfig.evil-provider.test'],
    });
  });
  afterAll(() => world?.close());

  const connections = () => world.https.connections + world.http.connections;

  it('never connects to a loopback address a customer domain points at', async () => {
    const before = connections();
    const resolver = resolverIn(world, {
      fetch: {
        allowPrivate: false,
        ca: world.pki.ca,
        ports: { https: world.https.port, http: world.http.port },
      },
    });
    const { settings, reports } = await resolver.answer(query('evil.test'));
    const viaMx = await resolver.answer(query('evil-mx.test'));
    expect(connections()).toBe(before);
    expect(settings.source.kind).toBe('default');
    expect(reports.find((report) => report.source === 'autoconfig')?.detail).toMatch(
      /private or reserved address; refusing/,
    );
    expect(viaMx.reports.find((report) => report.source === 'mx')?.detail).toMatch(/refusing to connect/);
  });

  it('connects when MAILSETTINGS_ALLOW_PRIVATE_NETWORKS lifts the refusal', async () => {
    const before = connections();
    await resolverIn(world).answer(query('evil.test'));
    expect(connections()).toBeGreaterThan(before);
  });
});

describe('dead sources', () => {
  let silentHttp: TestHttpServer;
  let world: World;
  beforeAll(async () => {
    silentHttp = await startSilentServer();
    world = await startWorld({ records: [] });
  });
  afterAll(async () => {
    await silentHttp?.close();
    await world?.close();
  });

  async function deadDnsResolver(overrides: Partial<ResolverOptions>) {
    const silentDns = await startDnsServer({ silent: true });
    const dns = createDns({ servers: [silentDns.address], timeoutMs: 10_000, tries: 1 });
    return {
      resolver: resolverIn(world, { dns, profile: TEST_PROFILE, ...overrides }),
      close: () => silentDns.close(),
    };
  }

  it('answers with the template within the deadline when DNS and the ISP database never answer', async () => {
    const { resolver, close } = await deadDnsResolver({
      ispdbUrl: `${silentHttp.url}/v1.1/`,
      deadlineMs: 600,
    });
    const started = performance.now();
    const { settings, reports } = await resolver.answer(query('dead.test'));
    const elapsed = performance.now() - started;
    await close();
    expect(settings.source.kind).toBe('default');
    expect(elapsed).toBeLessThan(600 + 500);
    expect(settings.notes.join(' ')).toMatch(
      /Some lookups did not complete: .*DNS SRV records \(no answer in time\), the ISP database \(no answer in time\), the bot's own list of mail providers \(no answer in time\), the MX lookup \(no answer in time\)\. These are the hosting template's settings, a guess/,
    );
    expect(settings.source.detail).toBe(
      "the usual settings for a domain's own mail server, a guess because looking up dead.test did not finish in time. Check them with your email provider, or ask again in a minute",
    );
    expect(reports.every((report) => report.status === 'pending')).toBe(true);
  });

  it('says the template is a guess when every source gave up at its own timeout, before the deadline', async () => {
    const { resolver, close } = await deadDnsResolver({
      ispdbUrl: `${silentHttp.url}/v1.1/`,
      deadlineMs: 2000,
      sourceTimeoutMs: { profile: 100, autoconfig: 100, srv: 100, ispdb: 100, providers: 100, mx: 100 },
    });
    const { settings, reports } = await resolver.answer(query('example.com'));
    await close();
    expect(reports.map((report) => report.status)).toEqual(Array(6).fill('timeout'));
    expect(settings.source.kind).toBe('default');
    expect(settings.source.detail).not.toMatch(/publishes no settings of its own/);
    expect(settings.notes.join(' ')).toMatch(/DNS SRV records \(timed out\).*a guess made without them/);
  });

  it('does not present mail.gmail.com as known when the lookups fail offline', async () => {
    const closed = await startSilentServer();
    const ispdbUrl = `${closed.url}/v1.1/`;
    await closed.close(); // nothing listens there any more: the ISP database refuses the connection
    const { resolver, close } = await deadDnsResolver({
      ispdbUrl,
      deadlineMs: 2000,
      sourceTimeoutMs: { profile: 100, autoconfig: 100, srv: 100, providers: 100, mx: 100 },
    });
    const { settings, reports } = await resolver.answer(query('gmail.com'));
    await close();
    expect(reports.find((report) => report.source === 'ispdb')?.status).toBe('failed');
    expect(settings.incoming[0]?.hostname).toBe('mail.gmail.com');
    expect(settings.source.detail).toMatch(/a guess because looking up gmail\.com did not finish/);
    expect(settings.notes.join(' ')).toMatch(/the ISP database \(failed\).*a guess made without them/);
  });

  it('uses the best source that did answer and names the better ones that were late', async () => {
    const { resolver, close } = await deadDnsResolver({ deadlineMs: 600 });
    const { settings } = await resolver.answer(query('gmail.com'));
    await close();
    expect(settings.source.kind).toBe('ispdb');
    expect(settings.notes.join(' ')).toMatch(
      /Some lookups did not complete: the check for the company's own servers \(no answer in time\), the domain's published settings \(no answer in time\), DNS SRV records \(no answer in time\)\. There may be better settings/,
    );
  });

  it('gives up on a source after its own timeout and goes on with the next one', async () => {
    const { resolver, close } = await deadDnsResolver({
      deadlineMs: 2000,
      sourceTimeoutMs: { profile: 100, autoconfig: 100, srv: 100, providers: 100, mx: 100 },
    });
    const { settings, reports } = await resolver.answer(query('gmail.com'));
    await close();
    expect(settings.source.kind).toBe('ispdb');
    expect(reports.slice(0, 3).map((report) => report.status)).toEqual(['timeout', 'timeout', 'timeout']);
    // A source that timed out is not a source that found nothing: the answer says it may not be the best.
    expect(settings.notes.join(' ')).toMatch(/DNS SRV records \(timed out\)\. There may be better settings/);
  });
});
