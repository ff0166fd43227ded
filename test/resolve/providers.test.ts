import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/index.js';
import { datasetSchema, loadProviders, parseDataset } from '../../src/resolve/providers/dataset.js';
import { indexIspdb } from '../support/ispdb-index.js';
import { askResolver, FIXTURES, resolverIn, startWorld, type World } from '../support/world.js';

const SHIPPED = join(import.meta.dirname, '../../src/resolve/providers/providers.json');
const shipped = () => JSON.parse(readFileSync(SHIPPED, 'utf8'));

let world: World;
let resolver: Resolver;

beforeAll(async () => {
  world = await startWorld({
    records: [
      // Customers of hosting and business mail providers, found by their MX hosts.
      { name: 'shop.test', type: 'MX', priority: 10, exchange: 'mx1.hostinger.com' },
      { name: 'bakery.test', type: 'MX', priority: 0, exchange: 'mx2.sub5.homie.mail.dreamhost.com' },
      { name: 'studio.test', type: 'MX', priority: 10, exchange: 'in1-smtp.messagingengine.com' },
      { name: 'plumber.test', type: 'MX', priority: 0, exchange: 'mailstore1.secureserver.net' },
      { name: 'plumber.test', type: 'MX', priority: 10, exchange: 'smtp.secureserver.net' },
      // MXroute: each customer's server is the one their MX names (the relay comes second).
      { name: 'cafe.test', type: 'MX', priority: 20, exchange: 'echo-relay.mxrouting.net' },
      { name: 'cafe.test', type: 'MX', priority: 10, exchange: 'echo.mxrouting.net' },
      { name: 'odd.test', type: 'MX', priority: 10, exchange: 'x_<b>.mxrouting.net' },
      { name: 'choir.test', type: 'MX', priority: 0, exchange: 'stardust.uberspace.de.' },
      { name: 'museum.test', type: 'MX', priority: 10, exchange: 'inbound-smtp.eu-west-1.amazonaws.com' },
      // IONOS customers in three regions (a current MX name and an old 1&1 one), and one whose MX is 1&1's
      // kundenserver.de, which the ISP database's 1und1.de entry still answers.
      { name: 'kanzlei.test', type: 'MX', priority: 10, exchange: 'mx00.ionos.de' },
      { name: 'kanzlei.test', type: 'MX', priority: 10, exchange: 'mx01.ionos.de' },
      { name: 'florist.test', type: 'MX', priority: 10, exchange: 'mx00.ionos.co.uk' },
      { name: 'diner.test', type: 'MX', priority: 10, exchange: 'mx00.1and1.com' },
      { name: 'verein.test', type: 'MX', priority: 10, exchange: 'mx00.kundenserver.de' },
    ],
  });
  resolver = resolverIn(world);
});
afterAll(() => world?.close());

const ask = (text: string, target = resolver) => askResolver(target, text);

describe('the dataset', () => {
  it('passes its schema, and every value names a source with a date', () => {
    const data = datasetSchema().parse(shipped());
    // Exactly as written (nothing the schema drops or changes): the resolver uses the shipped file unchecked.
    expect(data).toEqual(shipped());
    expect(data.providers.length).toBeGreaterThanOrEqual(60);
    for (const provider of data.providers)
      for (const server of provider.servers) expect(data.sources[server.from]?.checked).toMatch(/^\d{4}-/);
  });

  it('repeats no domain the ISP database already answers, unless it supersedes a stale entry', () => {
    const ispdb = indexIspdb(FIXTURES);
    const data = datasetSchema().parse(shipped());
    const repeated = data.providers.flatMap((provider) =>
      provider.domains.filter((domain) => ispdb.has(domain) && !provider.supersedes?.includes(domain)),
    );
    expect(repeated).toEqual([]);
  });

  it('refuses a value whose source is not listed, naming the field', () => {
    const data = shipped();
    data.providers[0].servers[0].from = 'a-forum-post';
    expect(() => parseDataset(data, 'providers.json')).toThrow(
      /providers\.json: providers\.0\.servers\.0\.from unknown source/,
    );
    const password = shipped();
    password.passwords['me.com'].from = 'a-forum-post';
    expect(() => parseDataset(password, 'providers.json')).toThrow(/passwords\.me\.com\.from unknown source/);
  });

  it('refuses a per-customer server (%MXHOST%) in an entry found by its domains, and servers for webmail only', () => {
    const data = shipped();
    const byId = (id: string) => data.providers.find((provider: { id: string }) => provider.id === id);
    byId('mxroute').domains.push('mxroute.com');
    byId('mxroute').domainsFrom = 'mailcore2';
    expect(() => parseDataset(data, 'x.json')).toThrow(/domains must be empty when a server is %MXHOST%/);
    const superseding = shipped();
    superseding.providers.find((provider: { id: string }) => provider.id === 'mxroute').supersedes = [
      'mxrouting.net',
    ];
    expect(() => parseDataset(superseding, 'x.json')).toThrow(/supersedes must be empty when a server/);
    const webmail = shipped();
    webmail.providers.find((provider: { id: string }) => provider.id === 'tuta').servers =
      byId('migadu').servers;
    expect(() => parseDataset(webmail, 'x.json')).toThrow(/servers must be empty for webmail-only/);
  });

  it('refuses a domain listed by two providers', () => {
    const data = shipped();
    const byId = (id: string) => data.providers.find((provider: { id: string }) => provider.id === id);
    byId('kolabnow').domains.push('mailo.com');
    expect(() => parseDataset(data, 'x.json')).toThrow(/is also listed by/);
  });
});

describe('answers from the dataset', () => {
  it.each([
    ['shop.test', 'Hostinger', 'imap.hostinger.com', 'mx1.hostinger.com'],
    ['bakery.test', 'DreamHost', 'imap.dreamhost.com', 'mx2.sub5.homie.mail.dreamhost.com'],
    ['studio.test', 'Fastmail', 'imap.fastmail.com', 'in1-smtp.messagingengine.com'],
    [
      'museum.test',
      'Amazon WorkMail (Europe, Ireland)',
      'imap.mail.eu-west-1.awsapps.com',
      'inbound-smtp.eu-west-1.amazonaws.com',
    ],
    ['kanzlei.test', 'IONOS (Germany)', 'imap.ionos.de', 'mx00.ionos.de'],
    ['florist.test', 'IONOS (United Kingdom)', 'imap.ionos.co.uk', 'mx00.ionos.co.uk'],
    ['diner.test', 'IONOS (United States)', 'imap.ionos.com', 'mx00.1and1.com'],
  ])('answers %s, a customer of %s found by its MX', async (domain, name, imap, mx) => {
    const { settings } = await ask(`alice@${domain} imap`);
    expect(settings.source).toEqual({
      kind: 'providers',
      detail: `${name}'s published settings (mail for ${domain} goes to ${mx})`,
    });
    expect(settings.incoming[0]).toMatchObject({ hostname: imap, port: 993, security: 'tls' });
  });

  it("answers an IONOS customer with its region's servers, the whole address as user name, IMAP and SMTP over TLS first", async () => {
    const { settings } = await ask('anna@florist.test');
    expect(settings.incoming.map((server) => [server.type, server.port, server.security])).toEqual([
      ['imap', 993, 'tls'],
      ['imap', 143, 'starttls'],
      ['pop3', 995, 'tls'],
      ['pop3', 110, 'starttls'],
    ]);
    expect(settings.outgoing[0]).toMatchObject({
      hostname: 'smtp.ionos.co.uk',
      port: 465,
      security: 'tls',
      username: '%EMAILADDRESS%',
    });
    expect(settings.notes.join(' ')).toContain('https://www.ionos.co.uk/help/');
  });

  it("leaves 1&1's kundenserver.de MX to the ISP database's 1und1.de entry, which lists it", async () => {
    const { settings } = await ask('verein.test');
    expect(settings.source.kind).toBe('mx');
    expect(settings.incoming[0]?.hostname).toBe('imap.1und1.de');
  });

  it("answers an MXroute customer with the server its MX names, MXroute's documented rule", async () => {
    const { settings } = await ask('alice@cafe.test');
    expect(settings.source).toEqual({
      kind: 'providers',
      detail:
        "MXroute's published rule: the mail server is the one cafe.test's MX names (echo.mxrouting.net)",
    });
    expect(settings.incoming[0]).toMatchObject({
      hostname: 'echo.mxrouting.net',
      port: 993,
      security: 'tls',
    });
    expect(settings.outgoing[0]).toMatchObject({ hostname: 'echo.mxrouting.net', port: 465 });
  });

  it('never puts an MX host that is not a plain host name into an answer as a server', async () => {
    const { settings, reports } = await ask('odd.test');
    expect(reports.find((report) => report.source === 'providers')?.detail).toMatch(/not a plain host name/);
    expect(JSON.stringify(settings)).not.toContain('<b>');
  });

  it('answers an Uberspace customer with their host, the one their MX must name', async () => {
    const { settings } = await ask('bob@choir.test smtp');
    expect(settings.source.detail).toMatch(/^Uberspace's published rule: .*\(stardust\.uberspace\.de\)$/);
    expect(settings.outgoing[0]).toMatchObject({
      hostname: 'stardust.uberspace.de',
      port: 587,
      security: 'starttls',
      username: '%EMAILADDRESS%',
    });
  });

  it("answers GoDaddy's customers from the dataset, IMAP first, not from the ISP database's stale entry", async () => {
    const { settings, reports } = await ask('plumber.test');
    expect(settings.source.kind).toBe('providers');
    expect(settings.incoming.map((server) => server.type)).toEqual(['imap', 'pop3']);
    expect(settings.incoming[0]?.hostname).toBe('imap.secureserver.net');
    expect(reports.find((report) => report.source === 'mx')?.status).not.toBe('found');
  });

  it('never lets the MX guess answer from an entry the dataset supersedes', async () => {
    // Without its MX suffix the dataset cannot answer plumber.test, so the resolver waits for the MX guess:
    // (with it, the dataset answers first and the guess may still be running, which proves nothing).
    const data = shipped();
    const godaddy = data.providers.find((provider: { id: string }) => provider.id === 'godaddy');
    Object.assign(godaddy, { mx: [], domains: ['godaddy.test'], domainsFrom: 'ispdb' });
    const unmatched = resolverIn(world, { providers: async () => parseDataset(data, 'test') });
    const { settings, reports } = await ask('plumber.test', unmatched);
    expect(reports.find((report) => report.source === 'mx')).toMatchObject({
      status: 'none',
      detail: expect.stringMatching(/left to the provider list/),
    });
    expect(settings.source.kind).toBe('default');
  });

  it('skips an ISP database entry the dataset supersedes, even when asked for by name', async () => {
    const { reports } = await ask('secureserver.net');
    expect(reports.find((report) => report.source === 'ispdb')?.detail).toMatch(
      /stale; GoDaddy Email replaces it/,
    );
  });

  it('answers an address at a provider by its domain, with the password note it needs', async () => {
    const { settings } = await ask('alice@mailbox.org');
    expect(settings.source.detail).toBe(
      "mailbox.org's published settings (mailbox.org is its own mail domain)",
    );
    expect(settings.outgoing[0]).toMatchObject({ hostname: 'smtp.mailbox.org', port: 465 });
    expect(settings.notes.join(' ')).toMatch(/two-step verification.*app password/);
  });

  it('says how Proton works in a mail program instead of inventing servers', async () => {
    const { settings } = await ask('bob@proton.me');
    expect(settings.incoming).toEqual([]);
    expect(settings.notes.join(' ')).toMatch(/only through its Bridge app/);
  });

  it('says a webmail-only provider cannot be used in a mail program, with no servers', async () => {
    const { settings } = await ask('carol@tutanota.com');
    expect(settings.source.kind).toBe('providers');
    expect([...settings.incoming, ...settings.outgoing]).toEqual([]);
    expect(settings.notes.join(' ')).toMatch(
      /cannot be used in a mail program: it offers no IMAP, POP or SMTP/,
    );
  });

  it('tells a Foxmail user to turn on IMAP first and to use an app password', async () => {
    const { settings } = await ask('dan@foxmail.com imap');
    expect(settings.incoming[0]).toMatchObject({ hostname: 'imap.qq.com', username: '%EMAILLOCALPART%' });
    const notes = settings.notes.join(' ');
    expect(notes).toMatch(
      /Before you start: Turn on IMAP\/POP\/SMTP access in Foxmail \(QQ Mail\)'s web mail/,
    );
    expect(notes).toMatch(/does not accept your usual password in a mail program: create an app password/);
  });

  it('lets the ISP database win for a domain it lists by name, and the dataset only when it supersedes', async () => {
    const data = shipped();
    data.providers[0].domains.push('gmail.com');
    data.providers[0].domainsFrom ??= 'mailcore2';
    const listed = resolverIn(world, { providers: async () => parseDataset(data, 'test') });
    expect((await ask('gmail.com', listed)).settings.source.kind).toBe('ispdb');
    data.providers[0].supersedes = ['gmail.com'];
    const superseding = resolverIn(world, { providers: async () => parseDataset(data, 'test') });
    expect((await ask('gmail.com', superseding)).settings.source.kind).toBe('providers');
  });

  it("links Gmail's current help page, never the retired http://mail.google.com one", async () => {
    const { settings } = await ask('alice@gmail.com');
    const notes = settings.notes.join(' ');
    expect(notes).toContain('https://support.google.com/mail/');
    expect(notes).not.toContain('http://');
  });

  it('loads a dataset from a file, and says which file is not JSON', async () => {
    expect((await loadProviders(SHIPPED)).byDomain('fastmail.fm')?.name).toBe('Fastmail');
    await expect(loadProviders(join(FIXTURES, 'LICENSE'))).rejects.toThrow(/LICENSE: cannot read it as JSON/);
  });
});
