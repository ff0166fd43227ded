import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MailSettings, Server } from '../src/index.js';
import { clip, type Reply, settingsToReply, splitText } from '../src/index.js';
import { buildSettings } from '../src/resolve/build-settings.js';
import type { Protocol, Query, Security, ServerType } from '../src/testing.js';
import { describeUsername, type ParsedConfig, parseConfigXml } from '../src/testing.js';

const ISPDB = join(import.meta.dirname, 'fixtures/ispdb');
const source = { kind: 'ispdb', detail: 'test' } as const;

function load(file: string): ParsedConfig {
  const parsed = parseConfigXml(readFileSync(join(ISPDB, file), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

const query = (protocol: Protocol, domain = 'example.test', email?: string): Query => ({
  input: email ?? domain,
  domain,
  protocol,
  ...(email ? { email } : {}),
});

const server = (
  type: ServerType,
  hostname: string,
  port: number,
  security: Security,
  authentication: string[] = ['password-cleartext'],
): Server => ({ type, hostname, port, security, username: '%EMAILADDRESS%', authentication });

const settingsWith = (incoming: Server[], outgoing: Server[], protocol: Protocol = 'all'): MailSettings => ({
  query: query(protocol),
  incoming,
  outgoing,
  source,
  notes: [],
});

function field(reply: Reply, sectionTitle: string, label: string): string | undefined {
  const section = reply.sections.find((candidate) => candidate.title === sectionTitle);
  if (!section) throw new Error(`no section "${sectionTitle}" in ${reply.sections.map((s) => s.title)}`);
  return section.fields.find((candidate) => candidate.label === label)?.value;
}

describe('alternatives in the reply', () => {
  it('shows at most two alternatives for a role with four servers', () => {
    const reply = settingsToReply(
      settingsWith(
        [
          server('imap', 'imap.example.test', 993, 'tls'),
          server('imap', 'imap.example.test', 143, 'starttls'),
          server('imap', 'imap2.example.test', 993, 'tls'),
          server('imap', 'imap3.example.test', 993, 'tls'),
        ],
        [],
      ),
    );
    const alternative = field(reply, 'Incoming mail server (IMAP)', 'Alternative');
    expect(alternative?.split('; ')).toEqual([
      'port 143 with STARTTLS',
      'imap2.example.test port 993 with SSL/TLS',
    ]);
    expect(alternative).not.toContain('imap3.example.test');
  });

  it('leaves the host name out of an alternative on the same host and names another host', () => {
    const reply = settingsToReply(
      settingsWith(
        [],
        [
          server('smtp', 'smtp.example.test', 465, 'tls'),
          server('smtp', 'smtp.example.test', 587, 'starttls'),
          server('smtp', 'relay.example.test', 465, 'tls'),
        ],
      ),
    );
    expect(field(reply, 'Outgoing mail server (SMTP)', 'Alternative')).toBe(
      'port 587 with STARTTLS; relay.example.test port 465 with SSL/TLS',
    );
  });

  it('has no alternative field when there is only one server', () => {
    const reply = settingsToReply(settingsWith([server('imap', 'imap.example.test', 993, 'tls')], []));
    expect(field(reply, 'Incoming mail server (IMAP)', 'Alternative')).toBeUndefined();
  });
});

describe('usernames in the reply', () => {
  it('gives an iCloud user the local part for IMAP and the full address for SMTP', () => {
    const settings = buildSettings(
      query('imap', 'icloud.com', 'alice@icloud.com'),
      load('me.com.xml'),
      source,
    );
    const reply = settingsToReply(settings);
    expect(field(reply, 'Incoming mail server (IMAP)', 'Username')).toBe('alice');
    expect(field(reply, 'Outgoing mail server (SMTP)', 'Username')).toBe('alice@icloud.com');
  });

  it('explains the local-part form when no address was given', () => {
    expect(describeUsername('%EMAILLOCALPART%')).toBe('the part of your email address before the @');
  });

  it('explains the full-address form when no address was given', () => {
    expect(describeUsername('%EMAILADDRESS%')).toBe('your full email address (name@domain)');
  });

  it('fills every placeholder of a composite form from the address', () => {
    expect(describeUsername('%EMAILLOCALPART%+%EMAILDOMAIN%', 'bob@example.test')).toBe('bob+example.test');
  });
});

describe('the sign-in section', () => {
  it('asks for the normal password when no server lists an authentication method', () => {
    const reply = settingsToReply(
      settingsWith(
        [server('imap', 'imap.example.test', 993, 'tls', [])],
        [server('smtp', 'smtp.example.test', 465, 'tls', [])],
      ),
    );
    expect(field(reply, 'Sign-in', 'Password')).toBe('your email password (normal password)');
  });

  it('asks for modern sign-in when every server is OAuth2-only (office365.com)', () => {
    const settings = buildSettings(query('all', 'office365.com'), load('office365.com.xml'), source);
    const reply = settingsToReply(settings);
    expect(field(reply, 'Sign-in', 'Password')).toBe('modern sign-in (OAuth2), see the notes');
  });

  it('asks for modern sign-in or an app password when the provider lists OAuth2 before a password (Gmail)', () => {
    const reply = settingsToReply(
      settingsWith(
        [server('imap', 'imap.example.test', 993, 'tls', ['OAuth2', 'password-cleartext'])],
        [server('smtp', 'smtp.example.test', 465, 'tls', ['OAuth2'])],
      ),
    );
    expect(field(reply, 'Sign-in', 'Password')).toBe(
      'modern sign-in (OAuth2) if your mail program offers it, otherwise an app password (see the notes)',
    );
  });

  it('asks for the normal password when the provider lists a password before OAuth2', () => {
    const reply = settingsToReply(
      settingsWith(
        [server('imap', 'imap.example.test', 993, 'tls', ['password-cleartext', 'OAuth2'])],
        [server('smtp', 'smtp.example.test', 465, 'tls', ['password-encrypted'])],
      ),
    );
    expect(field(reply, 'Sign-in', 'Password')).toBe('your email password (normal password)');
  });

  it('has no "outgoing server requires authentication" field when there is no outgoing server', () => {
    const reply = settingsToReply(
      settingsWith([server('imap', 'imap.example.test', 993, 'tls')], [], 'imap'),
    );
    const labels = reply.sections.find((section) => section.title === 'Sign-in')?.fields.map((f) => f.label);
    expect(labels).toBeDefined();
    expect(labels).not.toContain('My outgoing server (SMTP) requires authentication');
  });

  it('says outgoing authentication is the same as incoming when there is an outgoing server', () => {
    const reply = settingsToReply(
      settingsWith(
        [server('imap', 'imap.example.test', 993, 'tls')],
        [server('smtp', 'smtp.example.test', 465, 'tls')],
      ),
    );
    expect(field(reply, 'Sign-in', 'My outgoing server (SMTP) requires authentication')).toBe(
      'checked, same as incoming',
    );
  });
});

describe('text cut to a limit', () => {
  const whole = (text: string) =>
    !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

  it('never cuts a character beyond the BMP (an emoji) in two, clipped or split', () => {
    const emoji = '😀'.repeat(10); // 20 UTF-16 units, no space to split at
    for (const max of [5, 6, 7, 8]) {
      expect(whole(clip(emoji, max)), `clip at ${max}`).toBe(true);
      const pieces = splitText(emoji, max);
      expect(pieces.every(whole), `split at ${max}`).toBe(true);
      expect(pieces.join('')).toBe(emoji);
    }
    expect(clip(`ab${emoji}`, 4)).toBe('ab…');
  });

  it('escapes a long text full of markup a bounded number of times over, not once per piece', () => {
    let escapedChars = 0;
    const escaped = (text: string) => {
      escapedChars += text.length;
      return text.replaceAll('*', '\\*');
    };
    const text = '*'.repeat(200_000); // twice as long once escaped: about 220 pieces of 1,800
    const pieces = splitText(text, 1800, escaped);
    expect(pieces.join('')).toBe('\\*'.repeat(200_000));
    expect(escapedChars).toBeLessThan(30 * text.length); // escaping the whole rest for each piece: over 100 times
  });

  it('splits so that each piece fits once escaped, escaping each on its own: no escape cut in two', () => {
    const escaped = (text: string) => text.replaceAll('*', '\\*');
    const text = `${'*'.repeat(25)} and ${'*'.repeat(25)}`;
    const pieces = splitText(text, 11, escaped);
    expect(pieces.every((piece) => piece.length <= 11 && /^(\\\*|[^*\\])*$/.test(piece))).toBe(true);
    expect(pieces.join('').replaceAll('\\', '').replaceAll(' ', '')).toBe(text.replaceAll(' ', ''));
  });
});
