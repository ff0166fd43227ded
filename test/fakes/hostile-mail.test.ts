// Proves the hostile test servers misbehave exactly as the live check's tests say they do, seen from a raw
// client: the well-behaved baseline, the newline flood, the flood paced by the reader, the SSH banner and
// the STARTTLS that never starts.
import type net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { type Behaviour, type HostileServer, startHostileServer } from '../support/hostile-mail.js';
import { RawMailClient, smtpLast, tagged } from '../support/raw-mail-client.js';

const running: HostileServer[] = [];
const clients: RawMailClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function connect(behaviour: Behaviour, options: Parameters<typeof startHostileServer>[1] = {}) {
  const server = await startHostileServer(behaviour, options);
  running.push(server);
  const client = await RawMailClient.plain(server.port);
  clients.push(client);
  return { server, client };
}

/** Reads raw bytes from the socket until `enough` of them came (or the server stops). */
async function readBytes(socket: net.Socket, enough: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  socket.removeAllListeners('data');
  for await (const chunk of socket) {
    chunks.push(chunk as Buffer);
    total += (chunk as Buffer).length;
    if (total >= enough) break;
  }
  return Buffer.concat(chunks);
}

describe('hostile test mail servers', () => {
  it('has a well-behaved IMAP baseline: greeting, CAPABILITY with STARTTLS, LOGOUT', async () => {
    const { client } = await connect('healthy');
    expect(await client.until(() => true)).toEqual(['* OK ready']);
    expect(await client.send('c1 CAPABILITY', tagged('c1'))).toEqual([
      '* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN',
      'c1 OK done',
    ]);
    expect(await client.send('c9 LOGOUT', tagged('c9'))).toEqual(['* BYE', 'c9 OK bye']);
  });

  it('answers EHLO with exactly 64 KiB of bare newlines', async () => {
    const { client } = await connect('newline-flood', { type: 'smtp' });
    await client.until(smtpLast);
    client.socket.write('EHLO client.test\r\n');
    const flood = await readBytes(client.socket, 64 * 1024);
    expect(flood.length).toBe(64 * 1024);
    expect(flood.every((byte) => byte === 0x0a)).toBe(true);
  });

  it('floods with 1 KiB lines only as fast as the client reads', async () => {
    const { server, client } = await connect('flood');
    await client.until(() => true);
    client.socket.write('c1 CAPABILITY\r\n');
    const read = await readBytes(client.socket, 1 << 20);
    expect(read.subarray(0, 1024).toString()).toBe(`* ${'x'.repeat(1020)}\r\n`);
    client.socket.pause();
    client.close();
    await server.connections[0]?.closed;
    // 128 MiB were on offer; a client that stopped after 1 MiB let only the socket buffers' worth out.
    expect(server.connections[0]?.bytesSent()).toBeLessThan(64 << 20);
  });

  it('sends an SSH banner and nothing else, and sees the client hang up', async () => {
    const { server, client } = await connect('ssh-banner');
    expect(await client.until(() => true)).toEqual(['SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3']);
    client.close();
    await server.connections[0]?.closed;
  });

  it('agrees to STARTTLS and then never answers the TLS handshake', async () => {
    const { server, client } = await connect('stall-starttls');
    await client.until(() => true);
    expect(await client.send('c2 STARTTLS', tagged('c2'))).toEqual(['c2 OK begin TLS now']);
    const sentBefore = server.connections[0]?.bytesSent();
    client.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: client.socket, servername: 'mail.test', rejectUnauthorized: false });
    secure.on('error', () => {});
    // The ClientHello reaches the server (it reads it) and no byte comes back, however long one waits here.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.connections[0]?.bytesSent()).toBe(sentBefore);
    secure.destroy();
  });
});
