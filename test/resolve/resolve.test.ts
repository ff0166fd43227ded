import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/index.js';
import { ANSWERS_KEPT } from '../../src/resolve/resolver.js';
import type { Query } from '../../src/testing.js';
import { mailSettingsSchema, parseQuery } from '../../src/testing.js';
import type { DnsRecord } from '../support/dns-server.js';
import { providerXml, resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

const LOOPBACK = '127.0.0.1';
const OPERATOR = 'server1.web-hosting.test';

/** rank<N>.test is answered by every source from N down, so source N must win. */
function rankRecords(n: number): DnsRecord[] {
  const domain = `rank${n}.test`;
  return [
    ...(n <= 5
      ? [
          {
            name: domain,
            type: 'MX' as const,
            priority: 10,
            exchange: n === 1 ? OPERATOR : 'mx1.provider.test',
          },
        ]
      : []),
    ...(n <= 2 ? [{ name: `autoconfig.${domain}`, type: 'A' as const, address: LOOPBACK }] : []),
    ...(n <= 3
      ? [
          {
            name: `_imaps._tcp.${domain}`,
            type: 'SRV' as const,
            target: `imap.srv.${domain}`,
            port: 993,
            priority: 0,
            weight: 0,
          },
        ]
      : []),
  ];
}

const records: DnsRecord[] = [
  ...[1, 2, 3, 4, 5, 6].flatMap(rankRecords),
  // Domains that exist (an address) but publish nothing about their mail: the template answers them.
  ...['rank6.test', 'nothing-here.test'].map((name) => ({
    name,
    type: 'A' as const,
    address: '198.51.100.9',
  })),
  { name: OPERATOR, type: 'A', address: '203.0.113.10' },
  // Hosted three ways: MX is the server, an alias of it, or resolves to its address; and with no MX at all.
  { name: 'direct.test', type: 'MX', priority: 10, exchange: OPERATOR },
  { name: 'alias.test', type: 'MX', priority: 10, exchange: 'mail.alias.test' },
  { name: 'mail.alias.test', type: 'CNAME', target: OPERATOR },
  { name: 'byaddress.test', type: 'MX', priority: 10, exchange: 'mx.byaddress.test' },
  { name: 'mx.byaddress.test', type: 'AAAA', address: '2001:db8::10' },
  { name: 'nomx.test', type: 'A', address: '203.0.113.10' },
  { name: 'elsewhere.test', type: 'MX', priority: 10, exchange: 'mx.elsewhere.test' },
  { name: 'mx.elsewhere.test', type: 'A', address: '198.51.100.7' },
  // Published settings over plain HTTP only.
  { name: 'plainhttp.test', type: 'A', address: LOOPBACK },
  // SRV: IMAP over TLS with two weighted targets, POP deliberately not offered, submission on 587.
  {
    name: '_imaps._tcp.srv.test',
    type: 'SRV',
    target: 'imap-b.srv.test',
    port: 993,
    priority: 10,
    weight: 10,
  },
  {
    name: '_imaps._tcp.srv.test',
    type: 'SRV',
    target: 'imap-a.srv.test',
    port: 993,
    priority: 10,
    weight: 60,
  },
  {
    name: '_imaps._tcp.srv.test',
    type: 'SRV',
    target: 'backup.srv.test',
    port: 993,
    priority: 20,
    weight: 0,
  },
  { name: '_pop3s._tcp.srv.test', type: 'SRV', target: '.', port: 0, priority: 0, weight: 0 },
  { name: '_pop3._tcp.srv.test', type: 'SRV', target: '.', port: 0, priority: 0, weight: 0 },
  {
    name: '_submission._tcp.srv.test',
    type: 'SRV',
    target: 'smtp.srv.test',
    port: 587,
    priority: 0,
    weight: 0,
  },
  // Published over HTTPS and plain HTTP at once; HTTPS must win even when it is the slower one.
  { name: 'autoconfig.both.test', type: 'A', address: LOOPBACK },
  { name: 'autoconfig.slowtls.test', type: 'A', address: LOOPBACK },
  // SRV for IMAP only: POP and SMTP follow the template, and the answer says so.
  {
    name: '_imaps._tcp.imaponly.test',
    type: 'SRV',
    target: 'imap.imaponly.test',
    port: 993,
    priority: 0,
    weight: 0,
  },
  // The preferred MX is the one with the lower number, whatever the order of the records.
  { name: 'prefer.test', type: 'MX', priority: 20, exchange: 'mx1.provider.test' },
  { name: 'prefer.test', type: 'MX', priority: 10, exchange: 'aspmx.l.google.com' },
  // Providers found through the MX host.
  { name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' },
  { name: 'google-hosted.test', type: 'MX', priority: 5, exchange: 'alt1.aspmx.l.google.com' },
  { name: 'm365.test', type: 'MX', priority: 0, exchange: 'm365-test.mail.protection.outlook.com' },
];

let world: World;
let resolver: Resolver;

beforeAll(async () => {
  world = await startWorld({
    records,
    ispdb: {
      'rank1.test': ['rank1.test'],
      'rank2.test': ['rank2.test', 'rank3.test', 'rank4.test'],
      'provider.test': ['provider.test'],
    },
    tlsNames: [
      'autoconfig.rank1.test',
      'autoconfig.rank2.test',
      'autoconfig.both.test',
      'autoconfig.slowtls.test',
    ],
  });
  for (const n of [1, 2])
    world.httpsFiles.set(
      `autoconfig.rank${n}.test`,
      providerXml('published', [], `imap.published.rank${n}.test`),
    );
  world.httpFiles.set('plainhttp.test', providerXml('plain', [], 'imap.plainhttp.test'));
  for (const host of ['autoconfig.both.test', 'autoconfig.slowtls.test']) {
    world.httpsFiles.set(host, providerXml('secure', [], `imap.https.${host}`));
    world.httpFiles.set(host, providerXml('plain', [], `imap.http.${host}`));
  }
  world.slowHosts.set('autoconfig.slowtls.test', 300);
  resolver = resolverIn(world, { profile: TEST_PROFILE });
});
afterAll(() => world?.close());

function ask(text: string, target = resolver) {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return target.answer(parsed.value.query as Query);
}

describe('precedence: each source beats the ones below it', () => {
  it.each([
    [1, 'profile', OPERATOR],
    [2, 'autoconfig', 'imap.published.rank2.test'],
    [3, 'srv', 'imap.srv.rank3.test'],
    [4, 'ispdb', 'imap.rank2.test'],
    [5, 'mx', 'imap.provider.test'],
    [6, 'default', 'mail.rank6.test'],
  ])('rank%i.test is answered by %s', async (n, kind, imapHost) => {
    const { settings } = await ask(`rank${n}.test imap`);
    expect(settings.source.kind).toBe(kind);
    expect(settings.incoming[0]?.hostname).toBe(imapHost);
    expect(() => mailSettingsSchema.parse(settings)).not.toThrow();
  });

  it('falls back to the hosting template when nothing is known', async () => {
    const { settings } = await ask('nothing-here.test pop');
    expect(settings.source.kind).toBe('default');
    expect(settings.incoming.map((s) => `${s.hostname}:${s.port}:${s.security}`)).toEqual([
      'mail.nothing-here.test:995:tls',
      'mail.nothing-here.test:110:starttls',
    ]);
    expect(settings.outgoing.map((s) => s.port)).toEqual([465, 587]);
  });
});

describe("the operator's own servers", () => {
  it.each([
    ['direct.test', 'is that server'],
    ['alias.test', 'is an alias of it'],
    ['byaddress.test', 'resolves to its address 2001:db8::10'],
    ['nomx.test', 'resolves to its address 203.0.113.10'],
  ])('answers %s with the server name (%s) and the template ports', async (domain, how) => {
    const { settings } = await ask(`alice@${domain} all`);
    expect(settings.source.kind).toBe('profile');
    expect(settings.source.detail).toContain(how);
    expect(settings.incoming.map((s) => `${s.type}:${s.hostname}:${s.port}`)).toEqual([
      `imap:${OPERATOR}:993`,
      `imap:${OPERATOR}:143`,
      `pop3:${OPERATOR}:995`,
      `pop3:${OPERATOR}:110`,
    ]);
    expect(settings.notes[0]).toMatch(
      new RegExp(`mail\\.${domain.replace('.', '\\.')} may reach the same server`),
    );
    expect(settings.incoming.every((s) => s.hostname !== `mail.${domain}`)).toBe(true);
  });

  it('does not claim a domain whose MX is somewhere else', async () => {
    const { settings, reports } = await ask('elsewhere.test');
    expect(settings.source.kind).toBe('default');
    expect(reports.find((r) => r.source === 'profile')?.status).toBe('none');
  });
});

describe('published and DNS sources', () => {
  it('says when published settings came over plain HTTP', async () => {
    const { settings } = await ask('plainhttp.test imap');
    expect(settings.source).toMatchObject({ kind: 'autoconfig' });
    expect(settings.source.detail).toContain(
      'http://plainhttp.test/.well-known/autoconfig/mail/config-v1.1.xml',
    );
    expect(settings.notes.join(' ')).toMatch(/without encryption/);
  });

  it.each([
    ['both.test', 'answered at once'],
    ['slowtls.test', 'slower than plain HTTP'],
  ])('prefers HTTPS over plain HTTP when %s publishes both (HTTPS %s)', async (domain) => {
    const { settings } = await ask(`${domain} imap`);
    expect(settings.incoming[0]?.hostname).toBe(`imap.https.autoconfig.${domain}`);
    expect(settings.source.detail).toContain(`https://autoconfig.${domain}/mail/config-v1.1.xml`);
    expect(settings.notes.join(' ')).not.toMatch(/without encryption/);
  });

  it('fills protocols the SRV records leave out from the template, and says so', async () => {
    const { settings } = await ask('imaponly.test');
    expect(settings.source.kind).toBe('srv');
    expect(settings.incoming.map((s) => `${s.type}:${s.hostname}:${s.port}`)).toEqual([
      'imap:imap.imaponly.test:993',
      'pop3:mail.imaponly.test:995',
      'pop3:mail.imaponly.test:110',
    ]);
    expect(settings.notes).toContain(
      'imaponly.test publishes no SRV record for POP; that part follows the hosting template.',
    );
    expect(settings.notes).toContain(
      'imaponly.test publishes no SRV record for SMTP; that part follows the hosting template.',
    );
  });

  it('follows the MX with the lowest preference number', async () => {
    const { settings } = await ask('prefer.test imap');
    expect(settings.source.detail).toMatch(/goes to aspmx\.l\.google\.com:/);
    expect(settings.incoming[0]?.hostname).toBe('imap.gmail.com');
  });

  it('orders SRV targets by priority then weight, and reports a "." target as not offered', async () => {
    const imap = await ask('srv.test imap');
    expect(imap.settings.source.kind).toBe('srv');
    expect(imap.settings.incoming.map((s) => s.hostname)).toEqual([
      'imap-a.srv.test',
      'imap-b.srv.test',
      'backup.srv.test',
    ]);
    expect(imap.settings.outgoing.map((s) => `${s.hostname}:${s.port}:${s.security}`)).toEqual([
      'smtp.srv.test:587:starttls',
    ]);

    const pop = await ask('srv.test pop');
    expect(pop.settings.incoming).toEqual([]);
    expect(pop.settings.notes.join(' ')).toMatch(/srv\.test does not offer POP/);
  });

  it("lands on Gmail's settings when the MX is Google's", async () => {
    const { settings } = await ask('bob@google-hosted.test imap');
    expect(settings.source.kind).toBe('mx');
    expect(settings.source.detail).toContain('aspmx.l.google.com');
    expect(settings.incoming[0]).toMatchObject({ hostname: 'imap.gmail.com', port: 993, security: 'tls' });
    expect(settings.notes.join(' ')).toMatch(/enable IMAP/);
  });

  it("lands on Microsoft 365's settings when the MX is *.mail.protection.outlook.com", async () => {
    const { settings } = await ask('m365.test');
    expect(settings.source.kind).toBe('mx');
    expect(settings.outgoing[0]).toMatchObject({
      hostname: 'smtp.office365.com',
      port: 587,
      security: 'starttls',
    });
    expect(settings.notes.join(' ')).toMatch(/modern sign-in/);
  });

  it('finds gmail.com itself in the ISP database by domain', async () => {
    const { settings } = await ask('alice@gmail.com pop');
    expect(settings.source.kind).toBe('ispdb');
    expect(settings.incoming[0]).toMatchObject({ hostname: 'pop.gmail.com', port: 995 });
  });
});

describe('cache', () => {
  it('answers a second question about the same domain from the cache', async () => {
    const fresh = resolverIn(world);
    expect(fresh.isCached('gmail.com')).toBe(false);
    await ask('gmail.com', fresh);
    const asked = world.ispdb.requests.length;
    expect(fresh.isCached('gmail.com')).toBe(true);
    const { settings } = await ask('carol@gmail.com smtp', fresh);
    expect(settings.outgoing[0]?.hostname).toBe('smtp.gmail.com');
    expect(world.ispdb.requests.length).toBe(asked);
  });

  it('keeps a complete answer for the TTL, and one with a late source only 30 seconds', async () => {
    // lru-cache treats a start time of 0 as "no start", so the clock starts later.
    let clock = 1000;
    const now = () => clock;
    const complete = resolverIn(world, { now });
    await ask('nothing-here.test', complete);
    clock += 60_000;
    expect(complete.isCached('nothing-here.test')).toBe(true);
    clock += 541_000;
    expect(complete.isCached('nothing-here.test')).toBe(false);

    clock = 1000;
    const late = resolverIn(world, { now, sourceTimeoutMs: { autoconfig: 1 } });
    const { reports } = await ask('rank2.test', late);
    expect(reports.find((report) => report.source === 'autoconfig')?.status).toBe('timeout');
    clock += 29_000;
    expect(late.isCached('rank2.test')).toBe(true);
    clock += 2_000;
    expect(late.isCached('rank2.test')).toBe(false);
  });

  it('hands out the very same answer for the same question while it is cached, and its own for another', async () => {
    const fresh = resolverIn(world);
    const first = await ask('carol@gmail.com imap', fresh);
    expect(await ask('carol@gmail.com imap', fresh)).toBe(first);
    const other = await ask('dave@gmail.com imap', fresh);
    expect(other).not.toBe(first);
    expect(other.settings.query.email).toBe('dave@gmail.com');
    // As typed differs: the answer quotes what was asked.
    const typed = await ask('Carol@Gmail.com imap', fresh);
    expect(typed).not.toBe(first);
    expect(typed.settings.query.input).toBe('Carol@Gmail.com');
  });

  it('keeps the very answer of the last questions only: a stream of new addresses does not grow memory', async () => {
    const fresh = resolverIn(world);
    const first = await ask('carol@gmail.com imap', fresh);
    for (let i = 0; i < ANSWERS_KEPT; i++) await ask(`user${i}@gmail.com imap`, fresh);
    const again = await ask('carol@gmail.com imap', fresh);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
    // Every address at the domain gets the same servers, built once.
    expect(again.settings.incoming).toBe(first.settings.incoming);
  });

  it('keeps memory bounded: the oldest domains leave the cache', async () => {
    const small = resolverIn(world, { cacheSize: 2 });
    for (const domain of ['a.test', 'b.test', 'c.test']) await ask(domain, small);
    expect(['a.test', 'b.test', 'c.test'].map((domain) => small.isCached(domain))).toEqual([
      false,
      true,
      true,
    ]);
  });
});
