// Pasted errors read for a domain on the hosting template (example.test), through explainError as the command
// line runs it: an SPF rejection is no sign-in problem, and a POP3 error's fix names the POP3 server.
import { afterAll, describe, expect, it } from 'vitest';
import { explainError, readExplainInput } from '../../src/diagnose/stage.js';
import { resolverIn, startWorld } from '../support/world.js';

const world = await startWorld({ records: [{ name: 'example.test', type: 'A', address: '192.0.2.1' }] });
afterAll(() => world.close());

async function explain(paste: string, question = 'alice@example.test') {
  const input = readExplainInput(paste, question);
  if (!input.ok) throw new Error(input.error.message);
  return explainError(input.value, { resolver: resolverIn(world) });
}

describe('what a pasted error is read as', () => {
  it('does not read an SPF rejection (554 5.7.1 … SPF fail) as “your program did not sign in”', async () => {
    // policyd-spf's reject as Postfix words it, in a bounce the customer got back.
    const { explanation } = await explain(
      '554 5.7.1 <bob@example.net>: Recipient address rejected: Message rejected due to: SPF fail - not authorized. Please see http://www.openspf.net/Why?s=mfrom;id=alice@example.test;ip=203.0.113.5;r=mx.example.net',
    );
    expect(explanation.cause).not.toBe('relay');
    expect(explanation.summary).not.toContain('did not sign in');
  });

  it('gives a POP3 user the POP3 settings, not IMAP port 993, for a POP3 encryption error', async () => {
    const { diagnosis, explanation, answer } = await explain(
      'Log onto incoming mail server (POP3): Your server does not support the connection encryption type you have specified. Try changing the encryption method. (0x800CCC1A)',
    );
    expect(diagnosis.protocol).toBe('pop3');
    const pop = answer.settings.incoming.find((server) => server.type === 'pop3');
    expect(pop?.port).toBe(995); // the answer shown next to the diagnosis has POP3 on 995
    expect(explanation.fix).not.toContain('incoming (IMAP)');
    expect(explanation.fix).toContain('port 995');
  });

  it('points a POP3 “cannot connect” at the POP3 server, not IMAP 993', async () => {
    const { explanation } = await explain(
      'Log onto incoming mail server (POP3): Outlook is unable to connect to your incoming (POP3) e-mail server. (0x800CCC0E)',
    );
    expect(explanation.fix).not.toContain('incoming (IMAP)');
  });
});
