// Certificate errors explained against real Dovecot and Postfix: the live check's own findings decide the fix,
// which never names "localhost" as a server and never asks to renew a certificate the check found valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainLive } from '../support/explain-live.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { srvRecords } from '../support/srv-records.js';
import { startWorld, type World } from '../support/world.js';

const skip = skipWithoutMailServers('certificate advice against real Dovecot and Postfix');

describe.skipIf(skip)('certificate errors, checked live', () => {
  let pki: TestPki;
  let servers: MailServerSet;
  let world: World;

  beforeAll(async () => {
    pki = createTestPki();
    // A certificate as many self-run servers have: made for "localhost" (and here one real name too).
    servers = await startMailServers(pki.issue(['localhost', 'mail.good.test']));
    world = await startWorld({
      records: [
        { name: 'mail.other.test', type: 'A', address: '127.0.0.1' },
        ...srvRecords('other.test', 'mail.other.test', servers.ports),
        { name: 'mail.good.test', type: 'A', address: '127.0.0.1' },
        ...srvRecords('good.test', 'mail.good.test', servers.ports),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([servers?.close(), world?.close()]);
  });

  it('never tells the customer to type "localhost" as their mail server', async () => {
    const { explanation } = await explainLive(
      world,
      pki,
      'mail.other.test:993 uses an invalid security certificate. The certificate is only valid for the following names: localhost, mail.good.test Error code: SSL_ERROR_BAD_CERT_DOMAIN',
      'alice@other.test imap',
    );
    expect(explanation.cause).toBe('certificate-name');
    expect(explanation.confirmed).toBe(true);
    // "localhost" is the customer's own computer: typed as the server name, the mail program talks to itself.
    expect(explanation.fix).not.toMatch(/Use localhost as the server name/);
  });

  it('does not tell anyone to renew a certificate the live check just found valid', async () => {
    const { explanation } = await explainLive(
      world,
      pki,
      'The certificate for mail.good.test expired on 01/02/2020. Error code: SEC_ERROR_EXPIRED_CERTIFICATE',
      'alice@good.test imap',
    );
    expect(explanation.cause).toBe('certificate-expired');
    expect(explanation.confirmed).toBe(false);
    expect(explanation.summary).toContain('are valid and match their names');
    // The check saw a valid, unexpired certificate: "renew it on the server" contradicts what it just saw.
    expect(explanation.fix).not.toMatch(/has to be renewed on the server/);
  });
});
