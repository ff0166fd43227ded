// fetchXml reads a body only when it keeps it: a 404 (or any other status) and a redirect close their
// connection at once, so a customer's autoconfig host cannot make the bot download an endless body until the
// resolution ends. Loopback only.
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchXml } from '../../src/resolve/lookup/safe-fetch.js';

const CHUNK = Buffer.alloc(64 * 1024, 'x');
/** The socket of the last endless answer, to count what the server got out. */
let lastSocket: net.Socket | undefined;
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/ok') return void res.writeHead(200, { 'content-type': 'text/xml' }).end('<a/>');
    lastSocket = req.socket;
    res.on('error', () => {});
    const status = req.url === '/redirect' ? 302 : 404;
    res.writeHead(status, { 'content-type': 'text/html', ...(status === 302 ? { location: '/ok' } : {}) });
    // An endless body, sent only as fast as the client reads it.
    const pump = (): void => {
      while (!res.destroyed && res.write(CHUNK));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

const CAP = 128 * 1024;
const lookup = async () => ['127.0.0.1'];

describe('bodies fetchXml does not keep', () => {
  it.each([
    ['/missing', { ok: false, error: 'HTTP 404' }],
    ['/redirect', { ok: true, value: '<a/>' }],
  ])(
    'stops reading %s once it has its answer, instead of draining an endless body',
    async (path, expected) => {
      const controller = new AbortController(); // the resolution goes on: its signal has not fired yet
      try {
        const result = await fetchXml(`http://endless.test:${port}${path}`, {
          lookup,
          allowPrivate: true,
          signal: controller.signal,
        });
        expect(result).toEqual(expected);
        const socket = lastSocket as net.Socket;
        const atAnswer = socket.bytesWritten;
        await new Promise((resolve) => setTimeout(resolve, 300));
        const drained = socket.bytesWritten - atAnswer;
        // Far more than the 128 KiB any document may have: the server is still being read.
        expect(drained, `${drained} bytes read after the answer`).toBeLessThan(8 * CAP);
      } finally {
        controller.abort();
      }
    },
  );
});
