// Questions as customers type them: an input method's full-width mode, a sentence's full stop after the protocol,
// and a mistyped international domain named as they wrote it, not in punycode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../src/testing.js';
import { askResolver, resolverIn, startWorld, type World } from '../support/world.js';

describe('what customers type', () => {
  it('reads an address typed with a Japanese or Chinese input method in full-width mode', () => {
    // A full-width domain (ｅｘａｍｐｌｅ．ｃｏｍ) is read already (IDNA maps it); the same customer typing
    // their address gets "has characters a domain cannot have", because the full-width ＠ is not an @.
    for (const typed of ['ａｌｉｃｅ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'alice＠example.com']) {
      expect(parseQuery(typed)).toMatchObject({
        ok: true,
        value: { query: { domain: 'example.com', email: 'alice@example.com' } },
      });
    }
  });

  it('reads a domain written in bold, italics or strike-through', () => {
    // Slack sends *<http://example.com|example.com>* for a bold domain; with its markup undone, the stars stay.
    for (const typed of ['*example.com*', '_example.com_', '~example.com~', '**alice@example.com**']) {
      expect(parseQuery(`${typed} imap`)).toMatchObject({
        ok: true,
        value: { query: { domain: 'example.com' } },
      });
    }
  });

  it('reads a protocol word at the end of a sentence ("pop.")', () => {
    // "/mailsettings alice@example.com pop." was told '“alice@example.com pop.” has a space in it. A domain
    // is one word', a wrong diagnosis: the domain has no space, the protocol has a full stop.
    expect(parseQuery('alice@example.com pop.')).toMatchObject({
      ok: true,
      value: { query: { domain: 'example.com', protocol: 'pop' } },
    });
  });
});

describe('a mistyped international domain', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ records: [] });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('names the domain and the suggestion as the customer wrote them, not in punycode', async () => {
    // The customer typed bücher.dee; the answer said "xn--bcher-kva.dee does not exist … Did you mean
    // xn--bcher-kva.de?", names a customer does not recognise as theirs.
    const answer = await askResolver(resolverIn(world), 'bücher.dee');
    expect(answer.settings.source.kind).toBe('missing');
    expect(answer.settings.source.detail).toContain('bücher.de');
    expect(answer.settings.source.detail).not.toContain('xn--');
  });
});
