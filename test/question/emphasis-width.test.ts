// Questions in chat markup and input methods: emphasis marks are taken off only when they open and close a word
// (an address may start with "_"), and full-width input is read whole, its protocol word too.
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/testing.js';

describe('emphasis marks', () => {
  it('keeps an address whose local part starts with an underscore (not Slack italics)', () => {
    const parsed = parseQuery('_alice@example.com');
    expect(parsed.ok && parsed.value.query.email).toBe('_alice@example.com');
  });
});

describe('full-width input', () => {
  it('reads a protocol word typed in full-width mode like the address before it', () => {
    const parsed = parseQuery('ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ ｉｍａｐ');
    expect(parsed.ok && parsed.value.query.protocol).toBe('imap');
  });
});
