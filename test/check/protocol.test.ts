import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { adviseOn } from '../../src/check/advice.js';
import { probeServer } from '../../src/check/probe.js';
import type { MailSettings, Server } from '../../src/index.js';
import type { ServerType } from '../../src/testing.js';
import { checkSettings } from '../../src/testing.js';

/** A scripted server that records every line the probe sends: the probe's whole side of the conversation. */
async function scripted(greeting: string, answers: [RegExp, string][]) {
  const received: string[] = [];
  const server = net.createServer((socket) => {
    socket.write(`${greeting}\r\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        received.push(line);
        const answer = answers.find(([pattern]) => pattern.test(line));
        if (answer) socket.write(`${answer[1]}\r\n`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { port: (server.address() as net.AddressInfo).port, received };
}
const servers: net.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

const plain = (type: ServerType, port: number): Server => ({
  type,
  hostname: 'mail.test',
  port,
  security: 'none',
  username: '%EMAILADDRESS%',
  authentication: [],
});
const options = { lookup: async () => ['127.0.0.1'], allowPrivate: true, timeoutMs: 2000 };

describe('what the live check says to a server', () => {
  it('asks an SMTP server only EHLO and QUIT: no credentials, no mail', async () => {
    const smtp = await scripted('220 mail.test ESMTP', [
      [/^EHLO /, '250-mail.test\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 1000'],
      [/^QUIT$/, '221 bye'],
    ]);
    const result = await probeServer(plain('smtp', smtp.port), options);
    expect(result).toMatchObject({
      outcome: 'ok',
      greeting: '220 mail.test ESMTP',
      mechanisms: ['PLAIN', 'LOGIN'],
    });
    expect(smtp.received).toEqual(['EHLO mailsettings.invalid', 'QUIT']);
  });

  it('asks an IMAP server only CAPABILITY and LOGOUT', async () => {
    const imap = await scripted('* OK ready', [
      [/^c1 CAPABILITY$/, '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nc1 OK done'],
      [/^c9 LOGOUT$/, '* BYE\r\nc9 OK bye'],
    ]);
    const result = await probeServer(plain('imap', imap.port), options);
    expect(result).toMatchObject({ outcome: 'ok', mechanisms: ['PLAIN', 'LOGIN'] });
    expect(imap.received).toEqual(['c1 CAPABILITY', 'c9 LOGOUT']);
  });

  it('asks a POP3 server only CAPA and QUIT, and still says goodbye when STLS is missing', async () => {
    const pop = await scripted('+OK ready', [
      [/^CAPA$/, '+OK\r\nUSER\r\nSASL PLAIN\r\n.'],
      [/^QUIT$/, '+OK bye'],
    ]);
    const result = await probeServer({ ...plain('pop3', pop.port), security: 'starttls' }, options);
    expect(result).toMatchObject({ outcome: 'ok', starttls: 'not-offered', mechanisms: ['PLAIN', 'LOGIN'] });
    expect(pop.received).toEqual(['CAPA', 'QUIT']);
  });

  it('reports a server that speaks another protocol without repeating what it said', async () => {
    const http = await scripted('HTTP/1.1 400 Bad Request', []);
    const result = await probeServer(plain('imap', http.port), options);
    expect(result.outcome).toBe('not-mail');
    expect(result.greeting).toBeUndefined();
    expect(JSON.stringify(result)).not.toContain('HTTP/1.1');
    // Nothing is sent to a server that is not a mail server, not even a goodbye.
    expect(http.received).toEqual([]);
  });

  it('names the protocol a mail server greets with when it is not the one asked for', async () => {
    const pop = await scripted('+OK POP3 ready', []);
    const result = await probeServer(plain('imap', pop.port), options);
    expect(result).toMatchObject({
      outcome: 'failed',
      greeting: '+OK POP3 ready',
      error: 'it greets like POP, not IMAP: check the port',
    });
    expect(pop.received).toEqual([]);
  });

  it('reports an SMTP server that turns the connection away with 554', async () => {
    const smtp = await scripted('554 mail.test no service for you', []);
    const result = await probeServer(plain('smtp', smtp.port), options);
    expect(result).toMatchObject({
      outcome: 'failed',
      greeting: '554 mail.test no service for you',
      error: 'it turned the connection away',
    });
  });
});

/** The last scripted server, counting the connections it accepts. */
function countConnections(): { count: number } {
  const counter = { count: 0 };
  servers.at(-1)?.on('connection', () => {
    counter.count++;
  });
  return counter;
}

describe('how the live check reads what a server says', () => {
  it('reports an IMAP server that advertises STARTTLS but refuses to start it', async () => {
    const imap = await scripted('* OK ready', [
      [/^c1 CAPABILITY$/, '* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN\r\nc1 OK done'],
      [/^c2 STARTTLS$/, 'c2 NO not now'],
      [/^c9 LOGOUT$/, '* BYE\r\nc9 OK bye'],
    ]);
    const result = await probeServer({ ...plain('imap', imap.port), security: 'starttls' }, options);
    expect(result).toMatchObject({ outcome: 'ok', starttls: 'failed' });
    expect(result.tls).toBeUndefined();
    expect(imap.received).toEqual(['c1 CAPABILITY', 'c2 STARTTLS', 'c9 LOGOUT']);
    expect(adviseOn([result])).toEqual([
      `mail.test port ${imap.port} offers STARTTLS but refused to start it.`,
    ]);
  });

  it('does not list LOGIN for an IMAP server that announces LOGINDISABLED', async () => {
    const imap = await scripted('* OK ready', [
      [/^c1 CAPABILITY$/, '* CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN AUTH=XOAUTH2\r\nc1 OK done'],
      [/^c9 LOGOUT$/, '* BYE\r\nc9 OK bye'],
    ]);
    const result = await probeServer(plain('imap', imap.port), options);
    expect(result).toMatchObject({ outcome: 'ok', mechanisms: ['PLAIN', 'XOAUTH2'] });
  });

  it('reads the EHLO keywords of an SMTP server with a two-line greeting', async () => {
    const smtp = await scripted('220-mail.test ESMTP\r\n220 mail.test ready', [
      [/^EHLO /, '250-mail.test\r\n250 AUTH PLAIN'],
      [/^QUIT$/, '221 bye'],
    ]);
    const result = await probeServer(plain('smtp', smtp.port), options);
    expect(result).toMatchObject({ outcome: 'ok', mechanisms: ['PLAIN'] });
    expect(smtp.received).toEqual(['EHLO mailsettings.invalid', 'QUIT']);
  });

  it('probes a server and port listed twice only once', async () => {
    const imap = await scripted('* OK ready', [
      [/^c1 CAPABILITY$/, '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nc1 OK done'],
      [/^c9 LOGOUT$/, '* BYE\r\nc9 OK bye'],
    ]);
    const connections = countConnections();
    const settings: MailSettings = {
      query: { input: 'mail.test', domain: 'mail.test', protocol: 'imap' },
      incoming: [plain('imap', imap.port), plain('imap', imap.port)],
      outgoing: [],
      source: { kind: 'ispdb', detail: 'test' },
      notes: [],
    };
    const report = await checkSettings(settings, { ...options, deadlineMs: 4000 });
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ outcome: 'ok' });
    expect(connections.count).toBe(1);
    expect(imap.received).toEqual(['c1 CAPABILITY', 'c9 LOGOUT']);
  });

  it('fails a host whose lookup returns no address without connecting anywhere', async () => {
    const imap = await scripted('* OK ready', [
      [/^c1 CAPABILITY$/, '* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nc1 OK done'],
      [/^c9 LOGOUT$/, '* BYE\r\nc9 OK bye'],
    ]);
    const connections = countConnections();
    const result = await probeServer(plain('imap', imap.port), { ...options, lookup: async () => [] });
    expect(result.outcome).toBe('unresolved');
    expect(result.error).toBe('the name has no address in DNS');
    expect(result.address).toBeUndefined();
    // Give a stray connection time to arrive before saying none came.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(connections.count).toBe(0);
    expect(imap.received).toEqual([]);
  });

  it('reports a port that accepts but never completes the TLS handshake as silent', async () => {
    // Accepts the TCP connection and never answers the TLS ClientHello.
    const server = net.createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const port = (server.address() as net.AddressInfo).port;
    const result = await probeServer(
      { ...plain('imap', port), security: 'tls' },
      { ...options, timeoutMs: 300 },
    );
    expect(result.outcome).toBe('silent');
    expect(result.error).toBe('accepted the connection but did not start TLS in time');
    expect(adviseOn([result])).toEqual([`mail.test port ${port} accepts connections but does not answer.`]);
  });
});
