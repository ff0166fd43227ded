import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseQuery as parseResult } from '../../src/testing.js';

/** The result with the value spread out, so the expectations below read as the question's fields. */
const parseQuery = (input: string) => {
  const result = parseResult(input);
  return result.ok ? { ok: true as const, ...result.value } : result;
};

describe('parseQuery', () => {
  it.each([
    ['example.com', { domain: 'example.com', protocol: 'all' }],
    ['  Example.COM  POP ', { domain: 'example.com', protocol: 'pop' }],
    ['example.com pop3', { domain: 'example.com', protocol: 'pop' }],
    ['example.com IMAP', { domain: 'example.com', protocol: 'imap' }],
    ['example.com smtp', { domain: 'example.com', protocol: 'smtp' }],
    ['example.com All', { domain: 'example.com', protocol: 'all' }],
    ['Alice@Example.COM pop', { domain: 'example.com', email: 'alice@example.com', protocol: 'pop' }],
    ['mailto:bob@example.org', { domain: 'example.org', email: 'bob@example.org', protocol: 'all' }],
    ['https://Example.com:8443/path?q=1#x', { domain: 'example.com', protocol: 'all' }],
    ['http://example.com/', { domain: 'example.com', protocol: 'all' }],
    ['example.com.', { domain: 'example.com', protocol: 'all' }],
    ['example.com:25', { domain: 'example.com', protocol: 'all' }],
    ['bücher.example', { domain: 'xn--bcher-kva.example', protocol: 'all' }],
    [
      'jörg@bücher.example imap',
      { domain: 'xn--bcher-kva.example', email: 'jörg@xn--bcher-kva.example', protocol: 'imap' },
    ],
    ['xn--bcher-kva.example', { domain: 'xn--bcher-kva.example', protocol: 'all' }],
    [`${'a'.repeat(63)}.com`, { domain: `${'a'.repeat(63)}.com`, protocol: 'all' }],
    [
      `${'abcdefghi.'.repeat(24)}abcdefghi.com`,
      { domain: `${'abcdefghi.'.repeat(24)}abcdefghi.com`, protocol: 'all' },
    ],
  ])('understands %j', (input, expected) => {
    const result = parseQuery(input);
    expect(result).toEqual({
      ok: true,
      query: { input: input.trim().split(/\s+/)[0], ...expected },
      check: false,
    });
  });

  it.each([
    ['', 'empty', 'Give a domain'],
    ['   ', 'empty', 'Give a domain'],
    ['exa mple.com', 'space', 'has a space'],
    ['exa mple.com pop', 'space', 'has a space'],
    ['a..b.com', 'empty-label', 'empty part between dots'],
    ['.example.com', 'empty-label', 'empty part'],
    [`${'a'.repeat(64)}.com`, 'label-length', '63 characters'],
    [`${'abcdefghi.'.repeat(24)}abcdefghij.com`, 'name-length', '253'],
    ['exa_mple.com', 'characters', 'characters a domain cannot have'],
    ['exa!mple.com', 'characters', 'characters'],
    ['-example.com', 'option', 'is an option'],
    ['example-.com', 'hyphen', 'hyphen'],
    ['sub.-example.com', 'hyphen', 'hyphen'],
    ['localhost', 'no-dot', 'has no dot'],
    ['a@b@example.com', 'at-signs', 'more than one @'],
    ['@example.com', 'empty-local', 'nothing before the @'],
    // An address that reads as another (a bidi override, a zero-width space), or holds a control character.
    ['\u202emoc.elgoog@example.com', 'address-characters', 'invisible or control characters'],
    ['ali\u200bce@example.com', 'address-characters', 'invisible or control characters'],
    ['a\u0001b@example.com', 'address-characters', 'invisible or control characters'],
    ['alice@', 'no-domain', 'no domain'],
    ['example.com imapp', 'protocol', 'Unknown protocol “imapp”. Use imap, pop, smtp or all'],
    ['example.com pop extra', 'extra-words', 'Unexpected “extra”'],
    ['example.com pop imap', 'extra-words', 'Unexpected “imap”'],
    ['--json', 'option', 'is an option, not a domain'],
    ['127.0.0.1', 'ip-address', 'is an IP address'],
    ['x'.repeat(2000), 'too-long', 'too long'],
  ])('rejects %j with one short line', (input, code, words) => {
    const result = parseQuery(input);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    expect(result.error.message).toContain(words);
    expect(result.error.message).not.toContain('\n');
    expect(result.error.message.length).toBeLessThan(200);
  });

  it.each([
    ['https://www.Example.com/path', 'example.com', 'www.example.com'],
    ['www.example.com', 'example.com', 'www.example.com'],
    ['mail.example.com imap', 'example.com', 'mail.example.com'],
    ['webmail.example.co.uk', 'example.co.uk', 'webmail.example.co.uk'],
    ['imap.mail.example.com', 'example.com', 'imap.mail.example.com'],
    ['smtp.sub.example.com', 'sub.example.com', 'smtp.sub.example.com'],
    ['pop3.example.org', 'example.org', 'pop3.example.org'],
  ])('reads the website or server name %j as the domain below it', (input, domain, givenHost) => {
    expect(parseQuery(input)).toMatchObject({ ok: true, query: { domain, givenHost } });
  });

  it.each(['mail.ru', 'www.co.uk', 'mailbox.org', 'example.com'])(
    'keeps %j, which is itself a registrable domain',
    (input) => {
      const result = parseQuery(input);
      expect(result).toMatchObject({ ok: true, query: { domain: input } });
      expect(result.ok && result.query.givenHost).toBeUndefined();
    },
  );

  it("takes an email address's domain as written", () => {
    expect(parseQuery('alice@mail.example.com')).toMatchObject({
      ok: true,
      query: { domain: 'mail.example.com', email: 'alice@mail.example.com' },
    });
  });

  it.each([
    '<https://example.com>',
    '`example.com`',
    '"example.com"',
    '“example.com”',
    "'example.com'",
    'example.com,',
    'example.com;',
    '(example.com)',
    '`example.com pop`',
  ])('strips what chat pastes around %j', (input) => {
    expect(parseQuery(input)).toMatchObject({ ok: true, query: { domain: 'example.com' } });
  });

  it.each([
    ['..', 'empty-label', '“..”'],
    ['[::1]', 'ip-address', '“[::1]” is an IP address'],
    ['[::1]:993', 'ip-address', 'is an IP address'],
    ['::1', 'ip-address', 'is an IP address'],
    ['10.0.0.1:25', 'ip-address', 'is an IP address'],
    ['/mailsetings example.com', 'command', '“/mailsetings” is not a command I know'],
    ['mailsetings example.com', 'command', 'is not a command I know'],
  ])('tells %j what is wrong in words that fit', (input, code, words) => {
    expect(parseQuery(input)).toMatchObject({
      ok: false,
      error: { code, message: expect.stringContaining(words) },
    });
  });

  it.each([
    ['example.com check', 'all'],
    ['example.com pop CHECK', 'pop'],
    ['alice@example.com smtp check', 'smtp'],
  ])('understands a live check request in %j', (input, protocol) => {
    expect(parseQuery(input)).toMatchObject({
      ok: true,
      check: true,
      query: { domain: 'example.com', protocol },
    });
  });

  it('treats a lone "check" as a domain, and a second check as extra words', () => {
    expect(parseQuery('check')).toMatchObject({ ok: false, error: { code: 'no-dot' } });
    expect(parseQuery('example.com check check')).toMatchObject({ ok: false, error: { code: 'protocol' } });
  });

  it('never throws and always returns a valid domain or a message, whatever the input', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.domain(), fc.emailAddress()),
        (input) => {
          const result = parseQuery(input);
          if (result.ok) {
            expect(result.query.domain).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
            expect(result.query.domain.length).toBeLessThanOrEqual(253);
          } else {
            expect(result.error.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts every generated domain and email address', () => {
    fc.assert(
      fc.property(fc.domain(), fc.constantFrom('imap', 'pop', 'smtp', 'all'), (domain, protocol) => {
        const result = parseQuery(`${domain} ${protocol}`);
        // fast-check may generate all-digit top-level labels, which are IP-like and refused on purpose.
        if (/\.\d+$/.test(domain)) return;
        expect(result).toMatchObject({ ok: true, query: { protocol } });
        // Server labels (www., mail.) are dropped; what remains is the end of what was typed.
        expect(domain.toLowerCase().endsWith(result.ok ? result.query.domain : '?')).toBe(true);
      }),
    );
  });
});
