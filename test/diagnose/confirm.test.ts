// The diagnosis confirmed on real servers: Dovecot and Postfix with a certificate for the hosting server's
// name (right for server1.web-hosting.test, wrong for a customer's mail.<domain>), with an expired one, and a
// closed port; the domains' SRV records lead the ordinary resolution to them through the loopback DNS server.
// The replies these servers really send are diagnosed too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseError, explainError, explainedToReply, readExplainInput } from '../../src/diagnose/stage.js';
import { checkSettings } from '../../src/testing.js';
import { closedPort } from '../support/closed-port.js';
import type { DnsRecord } from '../support/dns-server.js';
import { explainLive } from '../support/explain-live.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import { RawMailClient, smtpLast, tagged } from '../support/raw-mail-client.js';
import { srvRecords } from '../support/srv-records.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

const skip = skipWithoutMailServers('the confirmation tests against real Dovecot and Postfix');
const HOSTING = 'server1.web-hosting.test';

const srv = srvRecords;

describe.skipIf(skip)('a diagnosis confirmed on the customer’s servers', () => {
  let pki: TestPki;
  let hosting: MailServerSet;
  let expired: MailServerSet;
  let world: World;
  let closed: number;

  beforeAll(async () => {
    pki = createTestPki();
    [hosting, expired, closed] = await Promise.all([
      startMailServers(pki.issue([HOSTING])),
      startMailServers(pki.issue(['mail.expired.test'], { expired: true })),
      closedPort(),
    ]);
    const loopback = (name: string): DnsRecord => ({ name, type: 'A', address: '127.0.0.1' });
    world = await startWorld({
      records: [
        loopback(HOSTING),
        loopback('mail.wrongname.test'),
        loopback('mail.expired.test'),
        ...srv('good.test', HOSTING, hosting.ports),
        ...srv('wrongname.test', 'mail.wrongname.test', hosting.ports),
        ...srv('expired.test', 'mail.expired.test', expired.ports),
        ...srv('closed.test', HOSTING, { ...hosting.ports, imaps: closed }),
        ...srv('nohost.test', 'mail.nohost.test', hosting.ports),
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await Promise.all([hosting?.close(), expired?.close(), world?.close()]);
  });

  const explain = (paste: string, question: string) => explainLive(world, pki, paste, question);

  it('a certificate for another name: confirmed, with the name to use instead', async () => {
    const { explanation } = await explain(
      'Cannot Verify Server Identity. The identity of “mail.wrongname.test” cannot be verified by Mail.',
      'alice@wrongname.test imap',
    );
    expect(explanation).toEqual({
      cause: 'certificate-name',
      confirmed: true,
      summary: `The server's certificate is for a different name than the server name in your mail program. The live check confirms it: the certificate of mail.wrongname.test is for ${HOSTING}.`,
      fix: `Use ${HOSTING} as the server name, exactly as written.`,
    });
  });

  it('the same complaint where the certificates are right: not confirmed, and the names to use', async () => {
    const { explanation } = await explain(
      'The server you are connected to is using a security certificate that cannot be verified. The target principal name is incorrect.',
      'good.test',
    );
    expect(explanation).toMatchObject({
      cause: 'certificate-name',
      confirmed: false,
      fix: `Use ${HOSTING} as the server name, exactly as written.`,
    });
    expect(explanation.summary).toContain(
      `The live check does not show it: the certificates of ${HOSTING} are valid and match their names`,
    );
  });

  it('an expired certificate: confirmed with its date, and it is the server’s to renew', async () => {
    const { explanation } = await explain(
      'Error: certificate has expired (CERT_HAS_EXPIRED)',
      'expired.test smtp',
    );
    expect(explanation).toMatchObject({ cause: 'certificate-expired', confirmed: true });
    expect(explanation.summary).toMatch(
      /confirms it: the certificate of mail\.expired\.test expired on \d{4}-\d\d-\d\d\./,
    );
    expect(explanation.fix).toMatch(
      /^The certificate of mail\.expired\.test has to be renewed on the server/,
    );
  });

  it('an encryption mismatch where the SSL/TLS port is closed: confirmed, use STARTTLS on the other port', async () => {
    const { explanation } = await explain(
      "Receiving reported error (0x800CCC1A) : 'Your server does not support the connection encryption type you have specified.'",
      'closed.test imap',
    );
    expect(explanation).toMatchObject({
      cause: 'encryption-mismatch',
      confirmed: true,
      fix: `Use port ${hosting.ports.imap} with STARTTLS for IMAP (${HOSTING}) instead.`,
    });
    expect(explanation.summary).toContain(`confirms it: ${HOSTING} port ${closed} is closed here.`);
  });

  it('a server that is not reachable from the customer, but answers here: not confirmed', async () => {
    const { explanation } = await explain(
      "Sending reported error (0x800CCC0E): 'Cannot connect to server.'",
      'good.test',
    );
    expect(explanation).toMatchObject({ cause: 'unreachable', confirmed: false });
    expect(explanation.summary).toContain(`does not show it: ${HOSTING} answer from here`);
  });

  it('a server name without an address: confirmed', async () => {
    const { explanation } = await explain('Error: getaddrinfo ENOTFOUND mail.nohost.test', 'nohost.test');
    expect(explanation).toMatchObject({ cause: 'host-not-found', confirmed: true });
    expect(explanation.summary).toContain('confirms it: mail.nohost.test could not be looked up');
  });

  it('Dovecot’s own refusal of a wrong password: the server answers with login over TLS, so it is the password', async () => {
    const client = await RawMailClient.tls(hosting.ports.imaps, { servername: HOSTING, ca: pki.ca });
    await client.until(() => true);
    const reply = (await client.send('a1 LOGIN alice@good.test wrong-password', tagged('a1'))).at(-1) ?? '';
    client.close();
    expect(reply).toBe('a1 NO [AUTHENTICATIONFAILED] Authentication failed.');
    const { explanation } = await explain(reply, 'alice@good.test imap');
    expect(explanation).toMatchObject({
      cause: 'password',
      confirmed: true,
      fix: 'Type the password again in your mail program (it is case-sensitive) with alice@good.test as the username. If you changed the password lately, change it in the program too.',
    });
    expect(explanation.summary).toContain(
      `confirms it: ${HOSTING} port ${hosting.ports.imaps} answers and offers login over TLS (PLAIN, LOGIN)`,
    );
  });
});

describe.skipIf(skip)('replies real servers send, diagnosed', () => {
  let pki: TestPki;
  let servers: MailServerSet;
  const trust = () => ({ servername: 'mail.test', ca: pki.ca });
  const hosted = {
    query: { input: 'example.test', domain: 'example.test', protocol: 'all' as const },
    incoming: [],
    outgoing: [],
    source: { kind: 'default' as const, detail: 'test' },
    notes: [],
  };

  beforeAll(async () => {
    pki = createTestPki();
    servers = await startMailServers(pki.issue(['mail.test']));
  }, 60_000);
  afterAll(() => servers?.close());

  /** A Postfix submission session, greeted and upgraded to TLS. */
  async function submission(): Promise<RawMailClient> {
    const plain = await RawMailClient.plain(servers.ports.submission);
    await plain.until(smtpLast);
    await plain.send('EHLO client.test', smtpLast);
    await plain.send('STARTTLS', smtpLast);
    const secure = await plain.startTls(trust());
    await secure.send('EHLO client.test', smtpLast);
    return secure;
  }

  const last = (lines: string[]) => lines.at(-1) ?? '';

  it('reads each one as its cause', async () => {
    const authOn = async (port: number) => {
      const plain = await RawMailClient.plain(port);
      await plain.until(smtpLast);
      await plain.send('EHLO client.test', smtpLast);
      const reply = last(await plain.send('AUTH PLAIN AGFsaWNlAHdyb25n', smtpLast));
      plain.close();
      return reply;
    };
    const [wrongPassword, relay, beforeTls, noAuth, plaintext] = await Promise.all([
      (async () => {
        const smtp = await submission();
        const reply = last(
          await smtp.send(`AUTH PLAIN ${Buffer.from('\0alice\0wrong').toString('base64')}`, smtpLast),
        );
        smtp.close();
        return reply;
      })(),
      (async () => {
        const smtp = await submission();
        await smtp.send('MAIL FROM:<alice@example.test>', smtpLast);
        const reply = last(await smtp.send('RCPT TO:<bob@elsewhere.test>', smtpLast));
        smtp.close();
        return reply;
      })(),
      authOn(servers.ports.submission),
      authOn(servers.ports.smtpNoStarttls),
      (async () => {
        // From another address than the server's, Dovecot counts the connection as not secured.
        const imap = await RawMailClient.plain(servers.ports.imap, '127.0.0.2');
        await imap.until(() => true);
        const reply = last(await imap.send('a1 LOGIN alice secret', tagged('a1')));
        imap.close();
        return reply;
      })(),
    ]);
    expect(wrongPassword).toMatch(/^535 5\.7\.8 Error: authentication failed/);
    // Postfix's words when smtpd_relay_restrictions ends in a plain reject (reject_unauth_destination says
    // "Relay access denied"): the enhanced code says it is about authorisation.
    expect(relay).toBe('554 5.7.1 <bob@elsewhere.test>: Recipient address rejected: Access denied');
    expect(beforeTls).toBe('530 5.7.0 Must issue a STARTTLS command first');
    expect(noAuth).toBe('503 5.5.1 Error: authentication not enabled');
    expect(plaintext).toMatch(/^a1 NO \[PRIVACYREQUIRED\] Plaintext authentication disallowed/);
    expect(diagnoseError(wrongPassword, hosted).cause).toBe('password');
    expect(diagnoseError(relay, hosted).cause).toBe('relay');
    expect(diagnoseError(beforeTls, hosted).cause).toBe('encryption-mismatch');
    expect(diagnoseError(noAuth, hosted).cause).toBe('encryption-mismatch');
    expect(diagnoseError(plaintext, hosted).cause).toBe('encryption-mismatch');
  });
});

// No server is needed: the check refuses a private address before connecting (the production rule).
describe('a diagnosis where the check would not probe the servers', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({
      records: [
        { name: 'mail.private.test', type: 'A', address: '10.1.2.3' },
        ...srv('private.test', 'mail.private.test', { imaps: 993, submissions: 465 }),
      ],
    });
  });
  afterAll(() => world?.close());

  it.each([
    ['SSL_ERROR_RX_RECORD_TOO_LONG', 'encryption-mismatch'],
    ['0x800CCC0E', 'unreachable'],
  ])(
    '%s: neither confirmed nor refuted (null), and says the servers were not checked',
    async (paste, cause) => {
      const input = readExplainInput(paste, 'alice@private.test imap');
      if (!input.ok) throw new Error(input.error.message);
      const lookup = world.resolverOptions().dns.addresses;
      const explained = await explainError(input.value, {
        resolver: resolverIn(world),
        checker: (settings) => checkSettings(settings, { lookup, allowPrivate: false }),
      });
      const { explanation, report } = explained;
      expect(report?.results.map((probe) => probe.outcome)).toContain('refused');
      // docs/diagnose.md: `confirmed` is null when nothing was checked; a check that reached no server is no
      // evidence against the cause.
      expect(explanation).toMatchObject({ cause, confirmed: null });
      expect(explanation.summary).toContain('mail.private.test points at a private or reserved address');
      expect(explanation.summary).not.toContain('confirms it');
      expect(explanation.summary).not.toContain('does not show it');
      expect(explainedToReply(explained).sections[0]?.fields).toContainEqual({
        label: 'Live check',
        value: 'could check nothing',
      });
    },
  );
});
