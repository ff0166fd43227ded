import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeServer } from '../src/check/probe.js';
import type { Server, ServerType } from '../src/settings.js';

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

  it('reports a server that speaks another protocol', async () => {
    const http = await scripted('HTTP/1.1 400 Bad Request', []);
    const result = await probeServer(plain('imap', http.port), options);
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/unexpected IMAP greeting/);
  });
});
