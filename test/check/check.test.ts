import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailSettings, Server } from '../../src/index.js';
import { answerToText, type CheckReport } from '../../src/index.js';
import type { Security, ServerType } from '../../src/testing.js';
import { checkSettings } from '../../src/testing.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki, type TestPki } from '../support/pki.js';

const skip = skipWithoutMailServers('the live-check tests against real Dovecot and Postfix');
const lookup = async () => ['127.0.0.1'];

function server(type: ServerType, hostname: string, port: number, security: Security): Server {
  return {
    type,
    hostname,
    port,
    security,
    username: '%EMAILADDRESS%',
    authentication: ['password-cleartext'],
  };
}

function settingsFor(servers: Server[]): MailSettings {
  return {
    query: { input: 'example.test', domain: 'example.test', protocol: 'all' },
    incoming: servers.filter((s) => s.type !== 'smtp'),
    outgoing: servers.filter((s) => s.type === 'smtp'),
    source: { kind: 'default', detail: 'test' },
    notes: [],
  };
}

/** The six recommended pairs of the hosting template, on one server set's ports. */
function sixPairs(set: MailServerSet, hostname: string): Server[] {
  const { ports } = set;
  return [
    server('imap', hostname, ports.imaps, 'tls'),
    server('imap', hostname, ports.imap, 'starttls'),
    server('pop3', hostname, ports.pop3s, 'tls'),
    server('pop3', hostname, ports.pop3, 'starttls'),
    server('smtp', hostname, ports.submissions, 'tls'),
    server('smtp', hostname, ports.submission, 'starttls'),
  ];
}

const result = (report: CheckReport, port: number) => report.results.find((r) => r.server.port === port);

describe.skipIf(skip)('live check against real mail servers', () => {
  let pki: TestPki;
  let good: MailServerSet;
  let wrongName: MailServerSet;
  let expired: MailServerSet;

  beforeAll(async () => {
    pki = createTestPki();
    [good, wrongName, expired] = await Promise.all([
      startMailServers(pki.issue(['mail.test'])),
      startMailServers(pki.issue(['server1.web-hosting.test'])),
      startMailServers(pki.issue(['mail.test'], { expired: true })),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([good?.close(), wrongName?.close(), expired?.close()]);
  });

  const check = (servers: Server[], extra: { deadlineMs?: number; timeoutMs?: number } = {}) =>
    checkSettings(settingsFor(servers), { lookup, allowPrivate: true, ca: pki.ca, ...extra });

  it('finds everything healthy: greeting, TLS, valid certificate, normal-password logins', async () => {
    const report = await check(sixPairs(good, 'mail.test'));
    expect(report.results).toHaveLength(6);
    for (const probe of report.results) {
      expect(probe).toMatchObject({ outcome: 'ok', address: '127.0.0.1' });
      expect(probe.tls).toMatchObject({
        valid: true,
        matchesHost: true,
        expired: false,
        names: ['mail.test'],
      });
      expect(probe.tls?.version).toMatch(/^TLSv1\.[23]$/);
      expect(probe.mechanisms).toContain('PLAIN');
      expect(probe.rttMs).toBeGreaterThanOrEqual(0);
    }
    expect(result(report, good.ports.imaps)?.greeting).toMatch(/^\* OK/);
    expect(result(report, good.ports.pop3s)?.greeting).toMatch(/^\+OK/);
    expect(result(report, good.ports.submissions)?.greeting).toMatch(/^220 /);
    for (const port of [good.ports.imap, good.ports.pop3, good.ports.submission]) {
      expect(result(report, port)?.starttls).toBe('upgraded');
    }
    expect(report.advice).toEqual([
      expect.stringMatching(/^Every recommended server answered with a valid certificate/),
    ]);
  });

  it("says to use the server's own name when the certificate is for another name", async () => {
    const report = await check(sixPairs(wrongName, 'mail.customer.test').slice(0, 2));
    const probe = result(report, wrongName.ports.imaps);
    expect(probe?.tls).toMatchObject({
      matchesHost: false,
      names: ['server1.web-hosting.test'],
      valid: false,
    });
    expect(report.advice).toContain(
      'mail.customer.test has a certificate for server1.web-hosting.test only: use server1.web-hosting.test as the server name.',
    );
  });

  it('says in words why a certificate is not trusted, never OpenSSL’s code', async () => {
    // Without the test CA the chain leads nowhere a mail program would trust.
    const report = await checkSettings(settingsFor([server('imap', 'mail.test', good.ports.imaps, 'tls')]), {
      lookup,
      allowPrivate: true,
    });
    expect(report.results[0]?.tls).toMatchObject({
      valid: false,
      problem: expect.stringMatching(/^[A-Z_]+$/),
    });
    const text = answerToText(report.settings, report);
    expect(text).toContain(
      'certificate not valid: it is not signed by a known authority, or the server leaves out the intermediate certificate',
    );
    expect(report.advice).toContain(
      'The certificate of mail.test is not trusted (it is not signed by a known authority, or the server leaves out the intermediate certificate): mail programs will warn about it.',
    );
    expect(text).not.toMatch(/[A-Z]+_[A-Z_]+/);
  });

  it('says when the certificate expired', async () => {
    const report = await check([
      server('imap', 'mail.test', expired.ports.imaps, 'tls'),
      server('smtp', 'mail.test', expired.ports.submission, 'starttls'),
    ]);
    expect(result(report, expired.ports.imaps)?.tls).toMatchObject({
      expired: true,
      valid: false,
      problem: 'CERT_HAS_EXPIRED',
    });
    expect(report.advice).toContain('The certificate of mail.test expired on 2020-01-02.');
  });

  it('says when STARTTLS is not offered, and points at the port that works', async () => {
    const report = await check([
      server('imap', 'mail.test', good.ports.imapNoStarttls, 'starttls'),
      server('imap', 'mail.test', good.ports.imaps, 'tls'),
      server('smtp', 'mail.test', good.ports.smtpNoStarttls, 'starttls'),
    ]);
    expect(result(report, good.ports.imapNoStarttls)?.starttls).toBe('not-offered');
    expect(report.advice).toContain(
      `STARTTLS is not offered on mail.test port ${good.ports.imapNoStarttls}: the password would travel unencrypted. Use mail.test port ${good.ports.imaps} with SSL/TLS instead.`,
    );
    expect(report.advice).toContain(
      `STARTTLS is not offered on mail.test port ${good.ports.smtpNoStarttls}: the password would travel unencrypted.`,
    );
  });

  it('says a closed port is closed and what to use instead', async () => {
    const closed = await freePort();
    const report = await check([
      server('smtp', 'mail.test', closed, 'tls'),
      server('smtp', 'mail.test', good.ports.submission, 'starttls'),
    ]);
    expect(result(report, closed)?.outcome).toBe('closed');
    expect(report.advice).toContain(
      `mail.test port ${closed} is closed. Use mail.test port ${good.ports.submission} with STARTTLS instead.`,
    );
  });

  it('gives up on a port that accepts and then says nothing, within the deadline, without waiting for the others', async () => {
    const silent = await startSilentTcp();
    const started = performance.now();
    const report = await check(
      [server('imap', 'mail.test', silent.port, 'tls'), ...sixPairs(good, 'mail.test')],
      {
        deadlineMs: 1500,
      },
    );
    const elapsed = performance.now() - started;
    silent.close();
    expect(result(report, silent.port)?.outcome).toMatch(/silent|failed/);
    expect(result(report, good.ports.imaps)?.outcome).toBe('ok');
    expect(elapsed).toBeLessThan(1500 + 1000);
    expect(report.advice.join(' ')).toMatch(
      new RegExp(`mail\\.test port ${silent.port} (accepts connections but does not answer|failed)`),
    );
  });

  it('refuses to probe a private address unless allowed, and the server sees no connection', async () => {
    const listener = await startSilentTcp();
    const report = await checkSettings(settingsFor([server('imap', 'mail.test', listener.port, 'tls')]), {
      lookup,
      allowPrivate: false,
    });
    listener.close();
    expect(report.results[0]?.outcome).toBe('refused');
    expect(listener.connections()).toBe(0);
    expect(report.advice).toEqual([
      'mail.test points at a private or reserved address, so it was not checked.',
    ]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Accepts connections and never says a word (a wedged server or a tarpit). */
async function startSilentTcp(): Promise<{ port: number; connections: () => number; close: () => void }> {
  let count = 0;
  const sockets = new Set<net.Socket>();
  const silent = net.createServer((socket) => {
    count++;
    sockets.add(socket);
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  return {
    port: (silent.address() as net.AddressInfo).port,
    connections: () => count,
    close: () => {
      for (const socket of sockets) socket.destroy();
      silent.close();
    },
  };
}
