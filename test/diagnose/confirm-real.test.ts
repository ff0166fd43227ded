// What the live check confirms against real Dovecot and Postfix on loopback, reached through the loopback DNS
// server's SRV records, as in confirm.test.ts: an error about the outgoing server is judged by the outgoing
// server only, and a sign-in method is never "confirmed" as a password to fix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../support/closed-port.js';
import type { DnsRecord } from '../support/dns-server.js';
import { explainLive } from '../support/explain-live.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { srvRecords } from '../support/srv-records.js';
import { startWorld, type World } from '../support/world.js';

const skip = skipWithoutMailServers('the review confirmation tests against real Dovecot and Postfix');
const HOSTING = 'server1.web-hosting.test';

describe.skipIf(skip)('review: what the live check confirms', () => {
  let pki: TestPki;
  let hosting: MailServerSet;
  let world: World;
  let closed: number;

  beforeAll(async () => {
    pki = createTestPki();
    [hosting, closed] = await Promise.all([startMailServers(pki.issue([HOSTING])), closedPort()]);
    const loopback = (name: string): DnsRecord => ({ name, type: 'A', address: '127.0.0.1' });
    world = await startWorld({
      records: [
        loopback(HOSTING),
        ...srvRecords('good.test', HOSTING, hosting.ports),
        // IMAP is down (both ports closed); sending (Postfix submission) works.
        ...srvRecords('imapdown.test', HOSTING, {
          imaps: closed,
          imap: closed,
          submissions: hosting.ports.submissions,
          submission: hosting.ports.submission,
        }),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([hosting?.close(), world?.close()]);
  });

  const explain = (paste: string, question: string) => explainLive(world, pki, paste, question);

  it('an error about the outgoing (SMTP) server is not confirmed by a closed IMAP port', async () => {
    // Thunderbird, when sending fails; the SMTP server of this domain answers fine.
    const { explanation, report } = await explain(
      'Sending of the message failed. The message could not be sent because connecting to Outgoing server (SMTP) mail.imapdown.test failed. The server may be unavailable or is refusing SMTP connections. Please verify that your Outgoing server (SMTP) settings are correct and try again.',
      'alice@imapdown.test',
    );
    expect(explanation.cause).toBe('unreachable');
    // The SMTP servers the error is about answered the check.
    const smtp = report?.results.filter((probe) => probe.server.type === 'smtp') ?? [];
    expect(smtp.length).toBeGreaterThan(0);
    expect(smtp.every((probe) => probe.outcome === 'ok')).toBe(true);
    expect(explanation.summary).not.toContain(`port ${closed}`);
    expect(explanation.confirmed).toBe(false);
  });

  it('modern-auth (the sign-in method) is not “confirmed” as a password to fix', async () => {
    const { explanation } = await explain(
      "The IMAP server alice@good.test does not seem to support encrypted passwords. If you just set up the account, try changing the 'Authentication method' in 'Account Settings | Server settings' to 'Normal password'.",
      'alice@good.test imap',
    );
    expect(explanation.cause).toBe('modern-auth');
    // The fix is the authentication method; the summary must not send the customer back to their password.
    expect(explanation.fix).toContain('Normal password');
    expect(explanation.summary).not.toContain('the password (or app password) is what to fix');
  });
});
