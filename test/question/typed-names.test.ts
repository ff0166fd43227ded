// Addresses and names as customers type them: a quoted local part gives a username without quotes, and an
// ideographic full stop at the end counts as the trailing dot it is.
import { describe, expect, it } from 'vitest';
import { describeUsername, parseQuery } from '../../src/testing.js';

describe('addresses and names as customers type them', () => {
  it('a quoted local part ("alice"@example.com) never gives a username with a stray quote', () => {
    const result = parseQuery('"alice"@example.com');
    if (!result.ok) throw new Error(result.error.message);
    const email = result.value.query.email ?? '';
    expect(describeUsername('%EMAILADDRESS%', email)).not.toContain('"');
  });

  it('an ideographic full stop at the end of an IDN name counts as the trailing dot it is', () => {
    // "example。com" is read as example.com (UTS #46 maps U+3002 to a dot), so "example.com。" is example.com.
    expect(parseQuery('example。com')).toMatchObject({
      ok: true,
      value: { query: { domain: 'example.com' } },
    });
    expect(parseQuery('example.com。')).toMatchObject({
      ok: true,
      value: { query: { domain: 'example.com' } },
    });
  });
});
