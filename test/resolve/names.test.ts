import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Resolver } from '../../src/index.js';
import { askResolver, resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
let resolver: Resolver;
beforeAll(async () => {
  world = await startWorld({
    records: [
      { name: 'shop.test', type: 'MX', priority: 10, exchange: 'mx1.hostinger.com' },
      { name: 'www.shop.test', type: 'CNAME', target: 'shop.test' },
      // A mail domain with a server label of its own: its own MX, its own answer.
      { name: 'mail.club.test', type: 'MX', priority: 10, exchange: 'mx.elsewhere.test' },
      { name: 'club.test', type: 'MX', priority: 10, exchange: 'mx1.hostinger.com' },
      // Exists (a website) but publishes nothing about mail: the template answers it.
      { name: 'website.test', type: 'A', address: '198.51.100.20' },
    ],
  });
  resolver = resolverIn(world);
});
afterAll(() => world?.close());

const ask = (text: string, target = resolver) => askResolver(target, text);

describe('names with a server label', () => {
  it('reads www.shop.test as the domain below it, and says so', async () => {
    const { settings } = await ask('www.shop.test');
    expect(settings.query).toMatchObject({ domain: 'shop.test', givenHost: 'www.shop.test' });
    expect(settings.source.kind).toBe('providers');
    expect(settings.notes.join(' ')).toMatch(/www\.shop\.test is a website address/);
  });

  it('takes mail.club.test as written when it has MX records of its own', async () => {
    const { settings } = await ask('mail.club.test');
    expect(settings.query.domain).toBe('mail.club.test');
    expect(settings.query.givenHost).toBeUndefined();
    expect(settings.source.kind).not.toBe('providers');
  });

  it('takes a name the ISP database lists as written (mail.gunmanet.jp)', async () => {
    const { settings } = await ask('mail.gunmanet.jp');
    expect(settings.query.domain).toBe('mail.gunmanet.jp');
    expect(settings.source).toMatchObject({ kind: 'ispdb' });
  });
});

describe('domains that do not exist', () => {
  it.each([
    ['alice@gmial.com', 'gmial.com', 'gmail.com'],
    ['bob@fastmial.fm', 'fastmial.fm', 'fastmail.fm'],
    ['customer.cmo', 'customer.cmo', 'customer.com'],
    ['alice@example.ocm', 'example.ocm', 'example.com'],
  ])('says %s does not exist and suggests %s → %s, with no settings', async (text, domain, meant) => {
    const { settings } = await ask(text);
    expect(settings.source.kind).toBe('missing');
    expect(settings.source.detail).toBe(
      `${domain} does not exist on the internet (it has no mail server and no address), so there are no mail settings for it. Did you mean ${meant}? Ask again with the right spelling.`,
    );
    expect([...settings.incoming, ...settings.outgoing]).toEqual([]);
  });

  it('says so without a guess when nothing known is near', async () => {
    const { settings } = await ask('alice@custmer.com');
    expect(settings.source.detail).toMatch(/^custmer\.com does not exist .* Check the spelling/);
  });

  it('still answers a domain that exists but publishes nothing, with the template in plain words', async () => {
    const { settings } = await ask('website.test');
    expect(settings.source.kind).toBe('default');
    expect(settings.source.detail).toBe(
      "the usual settings for a domain's own mail server. website.test publishes no settings of its own, so if your email provider gave you different ones, use theirs",
    );
  });
});
