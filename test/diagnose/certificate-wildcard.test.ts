// A certificate-name error the live check confirms, where the server's certificate names only a wildcard
// (*.web-hosting.test, usual at hosting companies), against real Dovecot and Postfix: the fix never tells the
// customer to keep the very name the certificate is not for; it says what it covers and whom to ask.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainLive } from '../support/explain-live.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { srvRecords } from '../support/srv-records.js';
import { startWorld, type World } from '../support/world.js';

const skip = skipWithoutMailServers('the review of certificate-name advice against real Dovecot and Postfix');

describe.skipIf(skip)('a confirmed certificate-name error with a wildcard certificate', () => {
  let pki: TestPki;
  let servers: MailServerSet;
  let world: World;

  beforeAll(async () => {
    pki = createTestPki();
    servers = await startMailServers(pki.issue(['*.web-hosting.test']));
    world = await startWorld({
      records: [
        { name: 'mail.wildcard.test', type: 'A', address: '127.0.0.1' },
        ...srvRecords('wildcard.test', 'mail.wildcard.test', servers.ports),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([servers?.close(), world?.close()]);
  });

  it('does not tell the customer to use the very name whose certificate does not match', async () => {
    const { explanation } = await explainLive(
      world,
      pki,
      'mail.wildcard.test:993 uses an invalid security certificate. The certificate is only valid for *.web-hosting.test Error code: SSL_ERROR_BAD_CERT_DOMAIN',
      'alice@wildcard.test imap',
    );
    expect(explanation.cause).toBe('certificate-name');
    expect(explanation.confirmed).toBe(true);
    expect(explanation.summary).toContain('the certificate of mail.wildcard.test is for *.web-hosting.test');
    // The check just showed mail.wildcard.test is the name the certificate is NOT for.
    expect(explanation.fix).not.toContain('Use mail.wildcard.test as the server name');
  });
});
