import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type ParsedConfig, parseConfigXml } from '../../src/testing.js';

const ISPDB = fileURLToPath(new URL('../fixtures/ispdb/', import.meta.url));
const ispdbFiles = readdirSync(ISPDB)
  .filter((file) => file.endsWith('.xml'))
  .sort();

function parseFixture(file: string): ParsedConfig {
  const result = parseConfigXml(readFileSync(`${ISPDB}${file}`, 'utf8'));
  if (!result.ok) throw new Error(`${file}: ${result.error}`);
  return result.value;
}

function serversOf(config: ParsedConfig, type: string) {
  return config.servers.filter((server) => server.type === type);
}

describe('parseConfigXml on the Thunderbird ISP database', () => {
  // Guards against a glob that silently matches nothing (the directory holds 163 XML files plus LICENSE).
  it('has the whole fixture directory to work on', () => {
    expect(ispdbFiles.length).toBeGreaterThanOrEqual(163);
  });

  it.each(ispdbFiles)('%s parses into complete, usable servers', (file) => {
    const config = parseFixture(file);
    expect(config.servers.length).toBeGreaterThan(0);
    expect(config.notes).toEqual([]);
    for (const server of config.servers) {
      expect(server.hostname).not.toBe('');
      expect(Number.isInteger(server.port)).toBe(true);
      expect(server.port).toBeGreaterThanOrEqual(1);
      expect(server.port).toBeLessThanOrEqual(65535);
      expect(['tls', 'starttls', 'none']).toContain(server.security);
      // Once the known placeholders are removed, no stray `%` may remain.
      expect(server.username.replace(/%EMAIL(ADDRESS|LOCALPART|DOMAIN)%/g, '')).not.toContain('%');
    }
  });
});

describe('parseConfigXml reads what the provider says', () => {
  it('reads Google Mail domains, servers, authentication and the top-level enable instruction', () => {
    const config = parseFixture('googlemail.com.xml');
    expect(config.id).toBe('googlemail.com');
    expect(config.name).toBe('Google Mail');
    expect(config.domains).toEqual(expect.arrayContaining(['gmail.com', 'google.com']));
    expect(serversOf(config, 'imap')[0]).toEqual({
      type: 'imap',
      hostname: 'imap.gmail.com',
      port: 993,
      security: 'tls',
      username: '%EMAILADDRESS%',
      authentication: ['OAuth2', 'password-cleartext'],
    });
    expect(config.enable).toEqual({
      instructions: ['You need to enable IMAP access'],
      url: 'https://mail.google.com/mail/?ui=2&shva=1#settings/fwdandpop',
    });
    expect(config.notOffered).toEqual([]);
  });

  it('ignores Exchange-style servers and keeps the office365 SMTP submission port', () => {
    const config = parseFixture('office365.com.xml');
    expect(config.servers.map((server) => server.type)).toEqual(['imap', 'pop3', 'smtp']);
    expect(serversOf(config, 'smtp')[0]).toMatchObject({
      hostname: 'smtp.office365.com',
      port: 587,
      security: 'starttls',
    });
  });

  it('reports IMAP as not offered by the POP-only yahoo.co.jp', () => {
    const config = parseFixture('yahoo.co.jp.xml');
    expect(config.servers.map((server) => server.type)).toEqual(['pop3', 'smtp']);
    expect(config.notOffered).toEqual(['imap']);
  });

  it('keeps document order even when the first incoming server is plaintext (peoplepc.com)', () => {
    const config = parseFixture('peoplepc.com.xml');
    expect(config.servers.map((server) => [server.type, server.port, server.security])).toEqual([
      ['imap', 143, 'none'],
      ['pop3', 110, 'none'],
      ['smtp', 587, 'starttls'],
    ]);
  });

  it('keeps each group in document order with incoming before outgoing (rediffmail.com)', () => {
    const config = parseFixture('rediffmail.com.xml');
    expect(config.servers.map((server) => `${server.type}:${server.port}`)).toEqual([
      'pop3:995',
      'pop3:110',
      'smtp:586',
      'smtp:465',
      'smtp:587',
    ]);
  });

  it('gives iCloud IMAP the local part and SMTP the full address as username', () => {
    const config = parseFixture('me.com.xml');
    expect(serversOf(config, 'imap')[0]?.username).toBe('%EMAILLOCALPART%');
    expect(serversOf(config, 'smtp')[0]?.username).toBe('%EMAILADDRESS%');
  });

  it('falls back to the url when documentation has no description (me.com)', () => {
    const config = parseFixture('me.com.xml');
    expect(config.documentation).toEqual([
      { url: 'https://support.apple.com/HT202304', description: 'https://support.apple.com/HT202304' },
    ]);
  });

  it('keeps only English enable instructions and English documentation text (inbox.lv)', () => {
    const config = parseFixture('inbox.lv.xml');
    expect(config.enable?.instructions).toEqual([
      'Enable external POP3/IMAP and SMTP access in your account settings',
    ]);
    expect(config.documentation[0]?.description).toBe('Configure Thunderbird 2.0 for IMAP/POP3/SMTP');
  });

  it('treats en-US as English when no plain English instruction exists (uol.com.br)', () => {
    const config = parseFixture('uol.com.br.xml');
    expect(config.enable?.instructions).toEqual([
      'To use IMAP, you must log in to webmail, go to "Settings", click "Activate IMAP"',
    ]);
  });

  it('keeps a %EMAILDOMAIN% hostname placeholder intact while lower-casing (inbox.lv)', () => {
    const config = parseFixture('inbox.lv.xml');
    expect(config.servers[0]?.hostname).toBe('mail.%EMAILDOMAIN%');
  });
});

describe('parseConfigXml normalises sloppy input', () => {
  const wrap = (server: string) =>
    `<clientConfig><emailProvider id="Example"><domain>Example.COM</domain>${server}</emailProvider></clientConfig>`;

  it('closes a placeholder that is missing its final percent sign', () => {
    const result = parseConfigXml(
      wrap(
        '<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port><username>%EMAILLOCALPART@%EMAILDOMAIN</username></incomingServer>',
      ),
    );
    expect(result.ok && result.value.servers[0]?.username).toBe('%EMAILLOCALPART%@%EMAILDOMAIN%');
  });

  it('defaults a missing username to the email address and lower-cases hostnames and domains', () => {
    const result = parseConfigXml(
      wrap(
        '<outgoingServer type="SMTP"><hostname> SMTP.Example.com </hostname><port>587</port></outgoingServer>',
      ),
    );
    expect(result.ok && result.value.domains).toEqual(['example.com']);
    expect(result.ok && result.value.servers[0]).toMatchObject({
      hostname: 'smtp.example.com',
      username: '%EMAILADDRESS%',
      authentication: [],
    });
  });

  it('assumes TLS on implicit-TLS ports when socketType is missing, plaintext elsewhere', () => {
    const result = parseConfigXml(
      wrap(
        '<incomingServer type="imap"><hostname>a</hostname><port>993</port></incomingServer>' +
          '<incomingServer type="pop3"><hostname>b</hostname><port>110</port><socketType>bogus</socketType></incomingServer>',
      ),
    );
    expect(result.ok && result.value.servers.map((server) => server.security)).toEqual(['tls', 'none']);
  });

  it('skips servers without a hostname or with an unusable port, without calling the protocol not offered', () => {
    const result = parseConfigXml(
      wrap(
        '<incomingServer type="imap"><port>993</port></incomingServer>' +
          '<incomingServer type="imap"><hostname>a</hostname><port>70000</port></incomingServer>' +
          '<incomingServer type="pop3"><hostname>b</hostname><port>99.5</port></incomingServer>' +
          '<outgoingServer type="smtp"><hostname>c</hostname><port>465</port></outgoingServer>',
      ),
    );
    expect(result.ok && result.value.servers.map((server) => server.hostname)).toEqual(['c']);
    expect(result.ok && result.value.notOffered).toEqual([]);
  });
});

describe('parseConfigXml rejects what it cannot trust', () => {
  const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<clientConfig><emailProvider id="x"><displayName>&lol3;</displayName></emailProvider></clientConfig>`;

  it.each([
    ['a DOCTYPE with entities (billion laughs)', billionLaughs, 'document type declaration'],
    ['a lower-case doctype', '<!doctype html><clientConfig/>', 'document type declaration'],
    ['text that is not XML', 'this is not xml at all', 'not well-formed'],
    ['unbalanced tags', '<clientConfig><emailProvider></clientConfig>', 'not well-formed'],
    ['an empty string', '', 'empty'],
    ['a different root element', '<rss><channel/></rss>', 'not a mail autoconfig file'],
    [
      'a clientConfig without an emailProvider',
      '<clientConfig version="1.1"/>',
      'not a mail autoconfig file',
    ],
    [
      'two root elements',
      '<clientConfig><emailProvider/></clientConfig><other/>',
      'not a mail autoconfig file',
    ],
  ])('rejects %s as a value instead of throwing', (_label, xml, reason) => {
    const result = parseConfigXml(xml);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toContain(reason);
  });
});

describe('parseConfigXml: single root, usable ports and implied encryption', () => {
  const provider =
    '<emailProvider id="example.com"><domain>example.com</domain>' +
    '<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port></incomingServer>' +
    '</emailProvider>';

  it('rejects a valid provider followed by a second root element', () => {
    expect(parseConfigXml(`<clientConfig>${provider}</clientConfig>`).ok).toBe(true);
    // The XML validator lets a second, self-closing root through: the parser's own check must refuse it.
    expect(parseConfigXml(`<clientConfig>${provider}</clientConfig><other/>`)).toEqual({
      ok: false,
      error: 'not a mail autoconfig file',
    });
    expect(parseConfigXml(`<other/><clientConfig>${provider}</clientConfig>`)).toEqual({
      ok: false,
      error: 'not a mail autoconfig file',
    });
  });

  const wrap = (servers: string) =>
    parseConfigXml(`<clientConfig><emailProvider id="example.com">${servers}</emailProvider></clientConfig>`);

  it('skips a server on port 0', () => {
    const result = wrap(
      '<incomingServer type="imap"><hostname>zero.example.com</hostname><port>0</port></incomingServer>' +
        '<incomingServer type="imap"><hostname>one.example.com</hostname><port>1</port></incomingServer>',
    );
    expect(result.ok && result.value.servers.map((server) => [server.hostname, server.port])).toEqual([
      ['one.example.com', 1],
    ]);
  });

  it('treats a POP3 server on 995 without socketType as TLS and one on 110 as unencrypted', () => {
    const result = wrap(
      '<incomingServer type="pop3"><hostname>pop.example.com</hostname><port>995</port></incomingServer>' +
        '<incomingServer type="pop3"><hostname>pop.example.com</hostname><port>110</port></incomingServer>',
    );
    expect(result.ok && result.value.servers.map((server) => [server.port, server.security])).toEqual([
      [995, 'tls'],
      [110, 'none'],
    ]);
  });

  it('treats IMAP on 993 and SMTP on 465 without socketType as TLS, other ports as unencrypted', () => {
    const result = wrap(
      '<incomingServer type="imap"><hostname>imap.example.com</hostname><port>993</port></incomingServer>' +
        '<incomingServer type="imap"><hostname>imap.example.com</hostname><port>143</port></incomingServer>' +
        '<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>465</port></outgoingServer>' +
        '<outgoingServer type="smtp"><hostname>smtp.example.com</hostname><port>587</port></outgoingServer>',
    );
    expect(
      result.ok && result.value.servers.map((server) => `${server.type}:${server.port}:${server.security}`),
    ).toEqual(['imap:993:tls', 'imap:143:none', 'smtp:465:tls', 'smtp:587:none']);
  });

  it('lets an explicit socketType win over the port', () => {
    const result = wrap(
      '<incomingServer type="pop3"><hostname>pop.example.com</hostname><port>995</port><socketType>plain</socketType></incomingServer>',
    );
    expect(result.ok && result.value.servers[0]?.security).toBe('none');
  });
});
