// Proves the test HTTP(S), silent and ISPDB servers and the test PKI behave like the real things for clients.
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startHttpServer,
  startIspdbServer,
  startSilentServer,
  type TestHttpServer,
} from '../support/http-server.js';
import { createTestPki, type TestPki } from '../support/pki.js';

const ISPDB_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'ispdb');

interface Reply {
  status: number;
  contentType: string | undefined;
  body: string;
}

/** One request on a fresh connection (agent: false), so each test sees its own connection. */
function get(url: string, options: https.RequestOptions = {}): Promise<Reply> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.get(url, { agent: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body }),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

const hello = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
  res.writeHead(200, { 'Content-Type': 'text/plain' }).end('hello');
};

describe('test HTTPS server with the test PKI', () => {
  let pki: TestPki;
  let servers: TestHttpServer[] = [];
  const startHttps = async (tls: { key: string; cert: string }) => {
    const server = await startHttpServer(hello, { tls });
    servers.push(server);
    return server;
  };
  beforeAll(() => {
    pki = createTestPki();
  });
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });

  it('serves a client that trusts the test CA and names the host via SNI', async () => {
    const server = await startHttps(pki.issue(['mail.example.test']));
    expect(server.url).toBe(`https://127.0.0.1:${server.port}`);
    const reply = await get(`${server.url}/hello?x=1`, { ca: pki.ca, servername: 'mail.example.test' });
    expect(reply).toEqual({ status: 200, contentType: 'text/plain', body: 'hello' });
    expect(server.requests).toEqual([
      { method: 'GET', host: `127.0.0.1:${server.port}`, path: '/hello?x=1' },
    ]);
  });

  it('is rejected by a client when the certificate is for another name', async () => {
    const server = await startHttps(pki.issue(['other.example.test']));
    const reply = get(server.url, { ca: pki.ca, servername: 'mail.example.test' });
    await expect(reply).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
    expect(server.requests).toEqual([]);
  });

  it('is rejected by a client when the certificate has expired', async () => {
    const server = await startHttps(pki.issue(['mail.example.test'], { expired: true }));
    const reply = get(server.url, { ca: pki.ca, servername: 'mail.example.test' });
    await expect(reply).rejects.toMatchObject({ code: 'CERT_HAS_EXPIRED' });
  });

  it('is rejected by a client that does not trust the test CA', async () => {
    const server = await startHttps(pki.issue(['mail.example.test']));
    const reply = get(server.url, { servername: 'mail.example.test' });
    await expect(reply).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('counts a connection even when the client refuses the TLS handshake', async () => {
    const server = await startHttps(pki.issue(['other.example.test']));
    await expect(get(server.url, { ca: pki.ca, servername: 'mail.example.test' })).rejects.toThrow();
    expect(server.connections).toBe(1);
  });

  it('makes each CA separately, so one CA does not vouch for another CA’s certificates', async () => {
    const server = await startHttps(createTestPki().issue(['mail.example.test']));
    const reply = get(server.url, { ca: pki.ca, servername: 'mail.example.test' });
    await expect(reply).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });
});

describe('test HTTP server', () => {
  it('counts connections and records method, host and path of each request', async () => {
    const server = await startHttpServer(hello);
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.connections).toBe(0);
      await get(`${server.url}/a`);
      await get(`${server.url}/b`, { method: 'HEAD', headers: { host: 'autoconfig.example.test' } });
      expect(server.connections).toBe(2);
      expect(server.requests).toEqual([
        { method: 'GET', host: `127.0.0.1:${server.port}`, path: '/a' },
        { method: 'HEAD', host: 'autoconfig.example.test', path: '/b' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('closes promptly even while a keep-alive connection is still open', async () => {
    const server = await startHttpServer(hello);
    const agent = new http.Agent({ keepAlive: true });
    try {
      await get(`${server.url}/`, { agent });
      const started = performance.now();
      await server.close();
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      agent.destroy();
    }
  });

  it('answers 500 when the handler throws, instead of hanging the client, and says why', async () => {
    const errors: unknown[] = [];
    const server = await startHttpServer(
      () => {
        throw new Error('fixture bug (expected in this test)');
      },
      { onHandlerError: (error) => errors.push(error) },
    );
    try {
      expect((await get(server.url)).status).toBe(500);
      expect(errors).toEqual([new Error('fixture bug (expected in this test)')]);
    } finally {
      await server.close();
    }
  });
});

describe('silent server', () => {
  it('accepts the connection but never responds, so clients time out', async () => {
    const server = await startSilentServer();
    try {
      await expect(get(server.url, { timeout: 200 })).rejects.toThrow('timed out');
      expect(server.connections).toBe(1);
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('ISPDB server', () => {
  let server: TestHttpServer;
  beforeAll(async () => {
    server = await startIspdbServer(ISPDB_DIR);
  });
  afterAll(() => server.close());

  it('serves the provider file listing the domain, as text/xml', async () => {
    const reply = await get(`${server.url}/v1.1/google.com`);
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('text/xml');
    expect(reply.body).toContain('<emailProvider id="googlemail.com">');
  });

  it('finds domains case-insensitively and in files not named after them', async () => {
    const reply = await get(`${server.url}/v1.1/Mail.Protection.Outlook.COM`);
    expect(reply.body).toContain('<emailProvider id="office365.com">');
  });

  it('answers 404 for a domain no file lists', async () => {
    const reply = await get(`${server.url}/v1.1/unknown.example.test`);
    expect(reply.status).toBe(404);
  });

  it('answers 404 outside the /v1.1/ path', async () => {
    expect((await get(`${server.url}/v1.0/google.com`)).status).toBe(404);
  });
});
