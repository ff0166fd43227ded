import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Server } from '../../src/index.js';
import { buildSettings } from '../../src/resolve/build-settings.js';
import {
  fillPlaceholders,
  type ParsedConfig,
  parseConfigXml,
} from '../../src/resolve/lookup/autoconfig-xml.js';
import { templateConfig } from '../../src/resolve/sources/template.js';
import type { Protocol, Query } from '../../src/testing.js';

const ISPDB = join(import.meta.dirname, '../fixtures/ispdb');
const files = readdirSync(ISPDB).filter((name) => name.endsWith('.xml'));
const source = { kind: 'ispdb', detail: 'test' } as const;

function load(file: string): ParsedConfig {
  const parsed = parseConfigXml(readFileSync(join(ISPDB, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}
const query = (protocol: Protocol, domain = 'example.com', email?: string): Query => ({
  input: domain,
  domain,
  protocol,
  ...(email ? { email } : {}),
});
const rank = { tls: 0, starttls: 1, none: 2 };

/** §4 of the issue, checked for one answer against the file it came from. */
function expectOrdered(servers: Server[], all: Server[]) {
  for (let i = 1; i < servers.length; i++) {
    const [a, b] = [servers[i - 1] as Server, servers[i] as Server];
    if (a.type === b.type) expect(rank[a.security]).toBeLessThanOrEqual(rank[b.security]);
  }
  for (const server of servers) {
    const secureExists = all.some((other) => other.type === server.type && other.security !== 'none');
    if (secureExists) expect(server.security).not.toBe('none');
  }
}

describe('answers from every real ISP database file', () => {
  it.each(files)('%s: only the asked protocols, TLS first, cleartext only as a last resort', (file) => {
    const config = load(file);
    for (const protocol of ['imap', 'pop', 'smtp', 'all'] as const) {
      const settings = buildSettings(query(protocol), config, source);
      const wanted: string[] = { imap: ['imap'], pop: ['pop3'], smtp: [], all: ['imap', 'pop3'] }[protocol];
      expect(settings.incoming.every((server) => wanted.includes(server.type))).toBe(true);
      expect(settings.outgoing.every((server) => server.type === 'smtp')).toBe(true);
      if (protocol === 'all') {
        const types = settings.incoming.map((server) => server.type);
        expect(types).toEqual([...types].sort()); // imap before pop3
      }
      expectOrdered(settings.incoming, config.servers);
      expectOrdered(settings.outgoing, config.servers);
      for (const type of wanted) {
        if (config.notOffered.some((missing) => missing === type)) {
          expect(settings.incoming.some((server) => server.type === type)).toBe(false);
          expect(settings.notes.join(' ')).toMatch(/does not offer/);
        }
      }
    }
  });
});

describe('buildSettings', () => {
  it('says POP-only yahoo.co.jp does not offer IMAP and lists no IMAP server', () => {
    const settings = buildSettings(query('imap', 'yahoo.co.jp'), load('yahoo.co.jp.xml'), source);
    expect(settings.incoming).toEqual([]);
    expect(settings.notes[0]).toMatch(/does not offer IMAP\. Use POP instead/);
    expect(settings.outgoing.length).toBeGreaterThan(0);
  });

  it('keeps only outgoing servers for smtp', () => {
    const settings = buildSettings(query('smtp'), templateConfig('example.com'), source);
    expect(settings.incoming).toEqual([]);
    expect(settings.outgoing.map((server) => `${server.hostname}:${server.port}:${server.security}`)).toEqual(
      ['mail.example.com:465:tls', 'mail.example.com:587:starttls'],
    );
  });

  it('orders implicit TLS before STARTTLS even when the provider lists plaintext first', () => {
    const config: ParsedConfig = {
      domains: [],
      notOffered: [],
      documentation: [],
      notes: [],
      servers: [
        {
          type: 'imap',
          hostname: 'a',
          port: 143,
          security: 'none',
          username: '%EMAILADDRESS%',
          authentication: [],
        },
        {
          type: 'imap',
          hostname: 'b',
          port: 143,
          security: 'starttls',
          username: '%EMAILADDRESS%',
          authentication: [],
        },
        {
          type: 'imap',
          hostname: 'c',
          port: 993,
          security: 'tls',
          username: '%EMAILADDRESS%',
          authentication: [],
        },
      ],
    };
    const settings = buildSettings(query('imap'), config, source);
    expect(settings.incoming.map((server) => server.hostname)).toEqual(['c', 'b']);
  });

  it('flags a provider that only offers cleartext', () => {
    const config = load('peoplepc.com.xml');
    const settings = buildSettings(query('imap'), config, source);
    expect(settings.incoming[0]?.security).toBe('none');
    expect(settings.notes.join(' ')).toMatch(/without encryption/);
  });

  it('tells Microsoft 365 users that a password alone will not work', () => {
    const settings = buildSettings(query('all'), load('office365.com.xml'), source);
    expect(settings.notes.join(' ')).toMatch(
      /Microsoft 365 needs modern sign-in \(OAuth2\): a password alone will not work/,
    );
  });

  it("passes on Gmail's instruction to enable IMAP, with the page to do it", () => {
    const settings = buildSettings(query('imap'), load('googlemail.com.xml'), source);
    expect(settings.notes.join(' ')).toContain(
      'You need to enable IMAP access (https://mail.google.com/mail/?ui=2&shva=1',
    );
    expect(settings.notes.join(' ')).not.toMatch(/needs modern sign-in/);
  });

  it('fills %EMAILDOMAIN% in host names and the provider name with the asked domain (inbox.lv)', () => {
    const config = fillPlaceholders(load('inbox.lv.xml'), 'customer.lv');
    const settings = buildSettings(query('imap', 'customer.lv'), config, source);
    expect(config.name).toBe('customer.lv');
    expect(settings.incoming.map((server) => server.hostname)).toEqual(['mail.customer.lv']);
    expect(JSON.stringify(settings)).not.toMatch(/%EMAIL(DOMAIN|ADDRESS|LOCALPART)%(?!")/);
  });

  it('tells Gmail users to use modern sign-in or an app password, not their usual password', () => {
    const settings = buildSettings(query('imap'), load('googlemail.com.xml'), source);
    expect(settings.notes.join(' ')).toMatch(
      /Google Mail prefers modern sign-in \(OAuth2\).*create an app password.*your usual password is usually refused/,
    );
  });

  it('says which domain it answered for when the person typed a website or server name', () => {
    const settings = buildSettings(
      {
        input: 'https://www.example.com/contact',
        domain: 'example.com',
        givenHost: 'www.example.com',
        protocol: 'all',
      },
      templateConfig('example.com'),
      source,
    );
    expect(settings.notes).toContain(
      'www.example.com is a website address, so these are the mail settings for example.com.',
    );
  });
});
