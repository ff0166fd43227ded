// An SMTP server that turns our EHLO down (a HELO check: "mailsettings.invalid" never resolves) is a mail
// server that refused, said with its reply, never "not a mail server: check the port".
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLoopback, serverAt } from '../support/check-settings.js';

describe('SMTP EHLO check against a real mail server that turns EHLO down', () => {
  const running: net.Server[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((s) => new Promise((r) => s.close(r))));
  });

  it('does not call an ESMTP server that refuses the EHLO name "not a mail server: check the port"', async () => {
    // Exim/Postfix with HELO checks: "mailsettings.invalid" never resolves, so EHLO is refused with 550 5.7.1.
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.write('220 mx.example.test ESMTP Postfix\r\n');
      let buffer = '';
      socket.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('latin1');
        for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
          const line = buffer.slice(0, end).replace(/\r$/, '');
          buffer = buffer.slice(end + 1);
          if (/^EHLO/i.test(line))
            socket.write('550 5.7.1 <mailsettings.invalid>: Helo command rejected: Host not found\r\n');
          else if (/^QUIT/i.test(line)) socket.end('221 2.0.0 Bye\r\n');
          else socket.write('503 5.5.1 Error: send HELO/EHLO first\r\n');
        }
      });
    });
    running.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const report = await checkLoopback([serverAt('smtp', port, 'starttls')]);
    const [probe] = report.results;
    // It greeted as ESMTP and answered EHLO with an SMTP reply (enhanced status 5.7.1): the port is right.
    expect({ greeting: probe?.greeting, error: probe?.error }).toEqual({
      greeting: '220 mx.example.test ESMTP Postfix',
      error: expect.not.stringContaining('check the port'),
    });
  });
});
