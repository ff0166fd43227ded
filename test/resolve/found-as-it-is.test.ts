// What the sources found, said as it is (docs/resolve.md, docs/providers.md): a server name checked for being a
// mail domain stays within the one deadline, a failed SRV query is not "no record", a provider from the dataset
// says which protocol it does not offer, no plain-HTTP link from the ISP database is shown, a tagged address
// signs in as its mailbox, and the operator's addresses match however the profile writes them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDns, settingsToReply } from '../../src/index.js';
import type { Dns } from '../../src/resolve/lookup/dns.js';
import { loadProfile } from '../../src/testing.js';
import { startSilentServer, type TestHttpServer } from '../support/http-server.js';
import { askResolver, resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
let silent: TestHttpServer;

beforeAll(async () => {
  world = await startWorld({
    records: [
      // SRV: IMAP and SMTP published at a provider, POP not at all.
      { name: 'srvpart.test', type: 'A', address: '198.51.100.5' },
      {
        name: '_imaps._tcp.srvpart.test',
        type: 'SRV',
        target: 'imap.provider.test',
        port: 993,
        priority: 0,
        weight: 0,
      },
      {
        name: '_submissions._tcp.srvpart.test',
        type: 'SRV',
        target: 'smtp.provider.test',
        port: 465,
        priority: 0,
        weight: 0,
      },
      // A customer of the operator: its MX resolves to the hosting server's IPv6 address.
      { name: 'hosted-v6.test', type: 'MX', priority: 10, exchange: 'mx.hosted-v6.test' },
      { name: 'mx.hosted-v6.test', type: 'AAAA', address: '2001:db8::10' },
    ],
  });
  silent = await startSilentServer();
});

afterAll(async () => {
  await world?.close();
  await silent?.close();
});

/** The reply's field values by label, per section title. */
function fields(reply: ReturnType<typeof settingsToReply>, section: string): Record<string, string> {
  const found = reply.sections.find((candidate) => candidate.title.startsWith(section));
  return Object.fromEntries((found?.fields ?? []).map((field) => [field.label, field.value]));
}

describe('time limits', () => {
  it('answers www.<domain> within the deadline even when the ISP database is slow', async () => {
    // docs/resolve.md: "the whole answer has a deadline (MAILSETTINGS_DEADLINE_MS …), after which the best
    // answer so far is given". A name with a server label is first checked for being a mail domain itself,
    // and that check waits up to a whole deadline of its own before the sources even start.
    const resolver = resolverIn(world, { ispdbUrl: `${silent.url}/v1.1/`, deadlineMs: 1000 });
    const started = performance.now();
    const answer = await askResolver(resolver, 'www.example.org');
    const elapsed = performance.now() - started;
    expect(answer.settings.query.domain).toBe('example.org');
    expect(elapsed).toBeLessThan(1800); // the deadline and its timers; two deadlines in a row took 2,000 ms and more
  });
});

describe('DNS SRV records', () => {
  it('does not say "publishes no SRV record" for a protocol whose SRV lookups failed', async () => {
    // One of the six SRV queries timing out (a lost UDP packet) is not "no record": docs/resolve.md says a
    // source that failed "is not one that found nothing", and "Nothing better is published" is said only
    // when every source really answered "nothing".
    const timingOut = (inner: Dns): Dns => ({
      ...inner,
      srv: (name) =>
        name.startsWith('_submission')
          ? Promise.reject(Object.assign(new Error(`querySrv ETIMEOUT ${name}`), { code: 'ETIMEOUT' }))
          : inner.srv(name),
      until: (signal) => timingOut(inner.until(signal)),
    });
    const dns = timingOut(createDns({ servers: [world.dns.address], timeoutMs: 500, tries: 1 }));
    const answer = await askResolver(resolverIn(world, { dns }), 'srvpart.test');
    const notes = answer.settings.notes.join('\n');
    // The SMTP server is not known: the template's mail.srvpart.test must not be passed off as the zone's word.
    expect(notes).not.toContain('publishes no SRV record for SMTP');
    expect(notes).toContain('did not complete');
  });
});

describe("the project's provider dataset", () => {
  it.each([
    ['aruba.it imap', 'IMAP', 'POP'],
    ['ukr.net pop', 'POP', 'IMAP'],
  ])('says the provider does not offer what %j asks for', async (question, missing, instead) => {
    // docs/resolve.md: '"Does not offer IMAP: use POP instead" when a protocol is missing.' Aruba's entry
    // has POP and SMTP only, UKR.NET's IMAP and SMTP only; the answer showed just the outgoing server.
    const answer = await askResolver(resolverIn(world), question);
    expect(answer.settings.source.kind).toBe('providers');
    expect(answer.settings.incoming).toEqual([]);
    const notes = answer.settings.notes.join('\n');
    expect(notes).toContain(`does not offer ${missing}`);
    expect(notes).toContain(`Use ${instead} instead`);
  });
});

describe('links from the ISP database', () => {
  it('never shows a plain-HTTP link from the ISP database (Yandex "enable IMAP" page)', async () => {
    // docs/providers.md: "Plain-HTTP help links from the ISP database are never shown." Yandex's entry has
    // <enable visiturl="http://mail.yandex.ru/neo/setup_client">, a retired page, shown as it is.
    const answer = await askResolver(resolverIn(world), 'yandex.ru imap');
    expect(answer.settings.source.kind).toBe('ispdb');
    expect(answer.settings.notes.join('\n')).not.toMatch(/http:\/\//);
  });
});

describe('usernames', () => {
  it('gives a Gmail address with a plus tag the mailbox itself as username', async () => {
    // alice+news@gmail.com is a sub-address of alice@gmail.com; Google signs in only the account's own
    // address, so "Username: alice+news@gmail.com" fails in every mail program.
    const answer = await askResolver(resolverIn(world), 'alice+news@gmail.com imap');
    const reply = settingsToReply(answer.settings);
    expect(fields(reply, 'Incoming mail server (IMAP)').Username).toBe('alice@gmail.com');
    expect(fields(reply, 'Outgoing mail server (SMTP)').Username).toBe('alice@gmail.com');
  });
});

describe("the operator's own servers", () => {
  it('recognises a hosted domain when the profile writes the IPv6 address in capitals', async () => {
    // README: servers' "addresses" list; docs/resolve.md: a domain is hosted when its MX "resolves to one of
    // their addresses". 2001:DB8::10 is the address DNS gives as 2001:db8::10.
    const dir = mkdtempSync(join(tmpdir(), 'review-profile-'));
    const file = join(dir, 'profile.yaml');
    writeFileSync(
      file,
      [
        'provider: Example Web Hosting',
        'servers:',
        '  - hostname: server1.web-hosting.test',
        '    addresses: ["203.0.113.10", "2001:DB8::10"]',
        '',
      ].join('\n'),
    );
    const profile = await loadProfile(file);
    const answer = await askResolver(resolverIn(world, { profile }), 'hosted-v6.test');
    expect(answer.settings.source.kind).toBe('profile');
    expect(answer.settings.incoming[0]?.hostname).toBe('server1.web-hosting.test');
  });
});
