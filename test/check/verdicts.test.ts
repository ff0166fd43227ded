// The live check's verdicts against scripted servers on loopback: a greeting Postfix's postscreen holds back is
// silent, not "not a mail server"; an FTP server's "220" banner is no SMTP server; a certificate for another
// name says when it is untrusted too; a server listed by address gets no address as SNI and its certificate's
// address named; and guards for STARTTLS injection, a handshake that never ends and mapped loopback addresses.
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerToText } from '../../src/index.js';
import { checkLoopback as check, serverAt as pair } from '../support/check-settings.js';
import { createTestPki, type TestPki } from '../support/pki.js';

const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

/** A plain TCP server on 127.0.0.1 whose every connection is handed to `script`. */
async function scripted(script: (socket: net.Socket) => void): Promise<number> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    script(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  running.push({
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  });
  return (server.address() as net.AddressInfo).port;
}

/** Calls `online` for every line the client sends. */
function onLines(socket: net.Socket | tls.TLSSocket, online: (line: string) => void): void {
  let buffer = '';
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
      online(buffer.slice(0, end).replace(/\r$/, ''));
      buffer = buffer.slice(end + 1);
    }
  });
}

describe('a slow SMTP server', () => {
  it('is not called "not a mail server" when its multi-line 220 greeting is late to finish', async () => {
    // Postfix's postscreen (and any tarpitting MTA) sends "220-" and holds the rest of the greeting back.
    const port = await scripted((socket) => {
      socket.write('220-mail.test ESMTP Postfix\r\n');
      socket.resume();
    });
    const report = await check([pair('smtp', port, 'starttls')], { timeoutMs: 300, deadlineMs: 2000 });
    const [probe] = report.results;
    // It did greet like SMTP: whatever is wrong, the port and the name are right.
    expect(probe?.outcome).not.toBe('not-mail');
    expect(report.advice.join('\n')).not.toContain('does not answer like a mail server');
  });
});

describe('a port that is not a mail server', () => {
  it('does not pass an FTP server (its "220" banner) off as an SMTP server that merely lacks STARTTLS', async () => {
    const port = await scripted((socket) => {
      socket.write('220 (vsFTPd 3.0.3)\r\n');
      onLines(socket, (line) => {
        if (/^QUIT/i.test(line)) socket.end('221 Goodbye.\r\n');
        else socket.write('530 Please login with USER and PASS.\r\n');
      });
    });
    const report = await check([pair('smtp', port, 'starttls')]);
    // No EHLO answer (RFC 5321 4.1.1.1: "250" on success): this is no working SMTP server.
    expect(report.results[0]?.outcome).not.toBe('ok');
    expect(report.advice.join('\n')).not.toContain('STARTTLS is not offered');
  });
});

/** An implicit-TLS IMAP server that greets, lists its logins and says goodbye, with these TLS options. */
function tlsImap(options: tls.TLSSocketOptions): Promise<number> {
  return scripted((raw) => {
    const socket = new tls.TLSSocket(raw, { isServer: true, ...options });
    socket.on('error', () => {});
    socket.write('* OK ready\r\n');
    onLines(socket, (line) => {
      const [tag] = line.split(' ');
      if (/ CAPABILITY$/i.test(line)) socket.write(`* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n${tag} OK done\r\n`);
      else if (/ LOGOUT$/i.test(line)) socket.end(`* BYE\r\n${tag} OK bye\r\n`);
    });
  });
}

describe('certificates', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = createTestPki();
  });

  it('says a certificate for another name is also untrusted, instead of only "use that name"', async () => {
    const port = await tlsImap(pki.issue(['server1.web-hosting.test']));
    // No `ca`: the chain leads to an authority no mail program trusts.
    const report = await check([pair('imap', port, 'tls')]);
    const probe = report.results[0];
    expect(probe?.tls).toMatchObject({ valid: false, matchesHost: false });
    expect(probe?.tls?.problem).not.toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    // Using server1.web-hosting.test as told would still get the mail program's warning: say so.
    expect(report.advice.join('\n')).toMatch(/not trusted/);
    expect(answerToText(report.settings, report)).toContain(
      'not valid: it is not signed by a known authority',
    );
  });

  /** An implicit-TLS IMAP server with a certificate for 127.0.0.1 (an IP SAN); records the SNI it gets. */
  async function ipCertServer(seen: string[]): Promise<number> {
    const { key, cert } = pki.issue(['127.0.0.1']);
    const SNICallback: tls.TLSSocketOptions['SNICallback'] = (name, done) => {
      seen.push(name);
      done(null, tls.createSecureContext({ key, cert }));
    };
    return tlsImap({ key, cert, SNICallback });
  }

  it('sends no IP address as SNI for a server listed by address, and raises no process warning', async () => {
    const seen: string[] = [];
    const port = await ipCertServer(seen);
    const warnings: string[] = [];
    const collect = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', collect);
    try {
      const report = await check([pair('imap', port, 'tls', '127.0.0.1')], { ca: pki.ca });
      await new Promise((resolve) => setImmediate(resolve));
      expect(report.results[0]?.tls).toMatchObject({ valid: true, matchesHost: true });
    } finally {
      process.off('warning', collect);
    }
    // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in HostName."
    expect.soft(seen).toEqual([]);
    expect(warnings.filter((warning) => /ServerName|RFC 6066/.test(warning))).toEqual([]);
  });

  it('names the address a certificate is for, not "none", when it is for the listed IP address', async () => {
    const port = await ipCertServer([]);
    const report = await check([pair('imap', port, 'tls', '127.0.0.1')], { ca: pki.ca });
    expect(report.results[0]?.tls).toMatchObject({ valid: true, matchesHost: true });
    // live-check.md: "whether the certificate is valid, unexpired and for that host name (naming the names it is for)".
    const text = answerToText(report.settings, report);
    expect(text).not.toContain('Certificate names: none');
    expect(text).toContain('Certificate names: 127.0.0.1');
  });
});

describe('guards that held', () => {
  it('ignores what an IMAP server sends in plain text right after agreeing to STARTTLS', async () => {
    const pki = createTestPki();
    const { key, cert } = pki.issue(['mail.test']);
    const port = await scripted((raw) => {
      raw.write('* OK ready\r\n');
      let buffer = '';
      const plain = (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          const line = buffer.slice(0, end).replace(/\r$/, '');
          buffer = buffer.slice(end + 1);
          const [tag] = line.split(' ');
          if (/ CAPABILITY$/i.test(line))
            raw.write(`* CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED\r\n${tag} OK done\r\n`);
          else if (/ STARTTLS$/i.test(line)) {
            raw.off('data', plain);
            // The injection: an answer to the next CAPABILITY, sent before the handshake.
            raw.write(`${tag} OK go\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nc1 OK done\r\n`);
            const secure = new tls.TLSSocket(raw, { isServer: true, key, cert });
            secure.on('error', () => {});
            onLines(secure, (inner) => {
              const [innerTag] = inner.split(' ');
              if (/ CAPABILITY$/i.test(inner))
                secure.write(`* CAPABILITY IMAP4rev1 LOGINDISABLED\r\n${innerTag} OK done\r\n`);
              else if (/ LOGOUT$/i.test(inner)) secure.end(`* BYE\r\n${innerTag} OK bye\r\n`);
            });
            return;
          }
        }
      };
      raw.on('data', plain);
    });
    const report = await check([pair('imap', port, 'starttls')], { ca: pki.ca });
    expect(report.results[0]).toMatchObject({ outcome: 'ok', starttls: 'upgraded', mechanisms: [] });
  });

  it('ends an implicit-TLS handshake that never finishes at the deadline', async () => {
    const port = await scripted((socket) => socket.resume());
    const started = performance.now();
    const report = await check([pair('imap', port, 'tls')], { deadlineMs: 400, timeoutMs: 120_000 });
    expect(performance.now() - started).toBeLessThan(1500);
    expect(report.results[0]?.outcome).toBe('silent');
  });

  it('refuses names whose answers include an IPv4-mapped loopback, and never connects', async () => {
    let connected = 0;
    const port = await scripted(() => {
      connected++;
    });
    const report = await check([pair('imap', port)], {
      allowPrivate: false,
      lookup: async () => ['93.184.216.34', '::ffff:127.0.0.1'],
    });
    expect(report.results[0]?.outcome).toBe('refused');
    const literal = await check([pair('imap', port, 'none', '::ffff:7f00:1')], { allowPrivate: false });
    expect(literal.results[0]?.outcome).toBe('refused');
    expect(connected).toBe(0);
  });
});
