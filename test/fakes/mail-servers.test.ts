// Proves the real Dovecot and Postfix test servers speak IMAP, POP3 and SMTP on loopback the way the live check
// will meet them: implicit TLS and STARTTLS with the test CA's certificate, listeners without STARTTLS, clean stop.
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MailServerSet, mailServersAvailable, startMailServers } from '../support/mail-servers.js';
import { createTestPki } from '../support/pki.js';
import { pop3Last, RawMailClient, smtpLast, tagged } from '../support/raw-mail-client.js';

const available = mailServersAvailable();
// CI must never skip what it could run: there, missing servers fail loudly instead.
const skip = !available.ok && !process.env.CI;
const reason = available.ok ? '' : available.reason;
if (skip) console.warn(`skipping the real mail server tests: ${reason}`);

const NAME = 'mail.test';

/** Live (non-zombie) pids pgrep finds; a container's PID 1 may never reap the orphans of a stopped master. */
function livePgrep(...args: string[]): number[] {
  let out = '';
  try {
    out = execFileSync('pgrep', args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as { status?: number }).status !== 1) throw error; // 1: nothing matched
  }
  const zombie = (pid: number): boolean => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
    } catch {
      return true; // gone meanwhile
    }
  };
  return out
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .filter((pid) => !zombie(pid));
}

describe.skipIf(skip)(`real mail servers on loopback${skip ? ` (skipped: ${reason})` : ''}`, () => {
  const pki = available.ok ? createTestPki() : undefined;
  const issued = pki?.issue([NAME]);
  const trust = { servername: NAME, ca: pki?.ca ?? '' };
  let servers: MailServerSet;
  const clients: RawMailClient[] = [];

  beforeAll(async () => {
    if (!issued) throw new Error(`CI is set, so these tests must run, but: ${reason}`);
    servers = await startMailServers(issued);
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await servers?.close();
  });

  async function connect(port: number, implicitTls = false, from?: string): Promise<RawMailClient> {
    const client = implicitTls ? await RawMailClient.tls(port, trust) : await RawMailClient.plain(port, from);
    clients.push(client);
    return client;
  }

  /** The peer is the certificate issued for this run, verified against the test CA for mail.test. */
  function expectIssuedCertificate(client: RawMailClient): void {
    expect(client.tlsSocket?.authorized).toBe(true);
    const peer = client.tlsSocket?.getPeerCertificate();
    expect(peer?.subjectaltname).toContain(`DNS:${NAME}`);
    expect(peer?.fingerprint256).toBe(new X509Certificate(issued?.cert ?? '').fingerprint256);
  }

  it('IMAPS greets with * OK over TLS with the issued certificate', async () => {
    const imaps = await connect(servers.ports.imaps, true);
    expect((await imaps.until(() => true))[0]).toMatch(/^\* OK/);
    expectIssuedCertificate(imaps);
  });

  it('IMAP advertises STARTTLS, upgrades, and logs in over TLS', async () => {
    const imap = await connect(servers.ports.imap);
    await imap.until((line) => line.startsWith('* OK'));
    expect((await imap.send('a CAPABILITY', tagged('a'))).join('\n')).toMatch(
      /^\* CAPABILITY .*\bSTARTTLS\b/m,
    );
    expect((await imap.send('b STARTTLS', tagged('b'))).at(-1)).toMatch(/^b OK/);
    const upgraded = await imap.startTls(trust);
    expectIssuedCertificate(upgraded);
    const capability = (await upgraded.send('c CAPABILITY', tagged('c'))).join('\n');
    expect(capability).toContain('AUTH=PLAIN');
    expect(capability).not.toContain('STARTTLS');
    expect((await upgraded.send('d LOGIN alice secret', tagged('d'))).at(-1)).toMatch(/^d OK/);
  });

  it('Dovecot treats 127.0.0.1 to itself as secured; from 127.0.0.2, LOGINDISABLED until STARTTLS', async () => {
    const same = (await (await connect(servers.ports.imap)).until(() => true))[0];
    expect(same).toContain('AUTH=PLAIN');
    expect(same).not.toContain('LOGINDISABLED');
    const other = (await (await connect(servers.ports.imap, false, '127.0.0.2')).until(() => true))[0];
    expect(other).toMatch(/\bSTARTTLS LOGINDISABLED\b/);
    expect(other).not.toContain('AUTH=PLAIN');
  });

  it('POP3S greets with +OK over TLS; POP3 lists STLS in CAPA and upgrades', async () => {
    const pop3s = await connect(servers.ports.pop3s, true);
    expect((await pop3s.until(() => true))[0]).toMatch(/^\+OK/);
    expectIssuedCertificate(pop3s);
    const pop3 = await connect(servers.ports.pop3);
    await pop3.until((line) => line.startsWith('+OK'));
    expect(await pop3.send('CAPA', pop3Last)).toContain('STLS');
    expect((await pop3.send('STLS', () => true))[0]).toMatch(/^\+OK/);
    expectIssuedCertificate(await pop3.startTls(trust));
  });

  it('Postfix submissions greets 220 over TLS and offers AUTH PLAIN LOGIN', async () => {
    const submissions = await connect(servers.ports.submissions, true);
    expect((await submissions.until(smtpLast)).at(-1)).toMatch(/^220 mail\.test ESMTP/);
    expectIssuedCertificate(submissions);
    const ehlo = await submissions.send('EHLO client.test', smtpLast);
    expect(ehlo).toContainEqual(expect.stringMatching(/^250.AUTH PLAIN LOGIN$/));
  });

  it('Postfix submission offers STARTTLS, then AUTH PLAIN after TLS, which logs in via Dovecot', async () => {
    const submission = await connect(servers.ports.submission);
    expect((await submission.until(smtpLast)).at(-1)).toMatch(/^220 /);
    const before = (await submission.send('EHLO client.test', smtpLast)).join('\n');
    expect(before).toMatch(/^250.STARTTLS$/m);
    expect(before).not.toContain('AUTH');
    expect((await submission.send('STARTTLS', smtpLast)).at(-1)).toMatch(/^220 /);
    const upgraded = await submission.startTls(trust);
    expectIssuedCertificate(upgraded);
    const after = (await upgraded.send('EHLO client.test', smtpLast)).join('\n');
    expect(after).toMatch(/^250.AUTH .*\bPLAIN\b/m);
    expect(after).not.toContain('STARTTLS');
    const credentials = Buffer.from('\0alice\0secret').toString('base64');
    expect((await upgraded.send(`AUTH PLAIN ${credentials}`, smtpLast)).at(-1)).toMatch(/^235 /);
  });

  it('the no-STARTTLS listeners do not offer STARTTLS', async () => {
    const imap = await connect(servers.ports.imapNoStarttls);
    await imap.until((line) => line.startsWith('* OK'));
    const capability = (await imap.send('a CAPABILITY', tagged('a'))).join('\n');
    expect(capability).toMatch(/^\* CAPABILITY IMAP4rev1/m);
    expect(capability).not.toContain('STARTTLS');
    const smtp = await connect(servers.ports.smtpNoStarttls);
    expect((await smtp.until(smtpLast)).at(-1)).toMatch(/^220 /);
    const ehlo = (await smtp.send('EHLO client.test', smtpLast)).join('\n');
    expect(ehlo).toMatch(/^250.PIPELINING$/m);
    expect(ehlo).not.toContain('STARTTLS');
  });

  it('close() stops every daemon and frees every port; a second close() is harmless', async () => {
    expect(livePgrep('-f', `dovecot -c ${servers.dir}/`)).toHaveLength(2);
    expect(livePgrep('-g', servers.pids.join(',')).length).toBeGreaterThan(3);
    for (const client of clients) client.close();
    await servers.close();
    for (const port of Object.values(servers.ports)) {
      const socket = net.connect({ host: '127.0.0.1', port });
      await expect(once(socket, 'connect')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    }
    expect(livePgrep('-f', servers.dir)).toEqual([]);
    expect(livePgrep('-g', servers.pids.join(','))).toEqual([]);
    await servers.close();
  });
});
