// Real HTTP/HTTPS servers on 127.0.0.1 that count connections and record requests, for tests and benchmarks.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { indexIspdb } from './ispdb-index.js';

export interface TestHttpServer {
  readonly port: number;
  /** "http://127.0.0.1:PORT" or "https://127.0.0.1:PORT". */
  readonly url: string;
  /** TCP connections accepted so far, counted before TLS, so refused or aborted handshakes count too. */
  readonly connections: number;
  /** Requests seen: method, host header, path. */
  readonly requests: { method: string; host: string; path: string }[];
  /** Also destroys open sockets, so it never waits on keep-alive or half-done handshakes. */
  close(): Promise<void>;
}

export interface TestHttpServerOptions {
  tls?: { key: string; cert: string };
  /** Told when the handler throws. @default console.error: a fixture bug must be loud */
  onHandlerError?: (error: unknown) => void;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

const HOST = '127.0.0.1';
const ISPDB_PATH = /^\/v1\.1\/([^/?#]+)/;

export function startHttpServer(
  handler: RequestHandler,
  options: TestHttpServerOptions = {},
): Promise<TestHttpServer> {
  const requests: TestHttpServer['requests'] = [];
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    requests.push({ method: req.method ?? '', host: req.headers.host ?? '', path: req.url ?? '' });
    const fail = (error: unknown): void => {
      // Loud by default: a fixture bug otherwise looks like the code under test mishandling a 500.
      (options.onHandlerError ?? ((cause) => console.error('test HTTP handler failed:', cause)))(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    };
    try {
      // Typed as void, but an async handler still returns a promise whose rejection must not go unhandled.
      const result: unknown = handler(req, res);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : http.createServer(onRequest);
  return listenTracked(server, options.tls ? 'https' : 'http', requests);
}

/**
 * A proxy in front of `target` (an origin, or a URL whose path the requests' own replace): each request goes
 * on as it came, unless `intercept` answers it itself (and returns true).
 */
export function startProxy(
  target: string,
  intercept: (req: IncomingMessage, res: ServerResponse) => boolean = () => false,
): Promise<TestHttpServer> {
  return startHttpServer((req, res) => {
    if (intercept(req, res)) return;
    const upstream = http.request(new URL(req.url ?? '/', target), {
      method: req.method,
      headers: req.headers,
    });
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(upstream);
  });
}

/** A server that accepts connections and never responds (a dead web server). It never sees a request. */
export function startSilentServer(): Promise<TestHttpServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {}); // clients giving up with a reset is the expected ending here
  });
  return listenTracked(server, 'http', []);
}

/**
 * Serves the Thunderbird ISP database from a folder of `<id>.xml` files: GET /v1.1/<domain> returns the file
 * whose <domain> elements (or file name) list that domain, as text/xml; 404 otherwise.
 */
export function startIspdbServer(dir: string, options: TestHttpServerOptions = {}): Promise<TestHttpServer> {
  const byDomain = indexIspdb(dir);
  return startHttpServer((req, res) => {
    const domain = ISPDB_PATH.exec(req.url ?? '')?.[1];
    const xml =
      domain && (req.method === 'GET' || req.method === 'HEAD') ? lookUp(byDomain, domain) : undefined;
    if (xml === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(xml) }).end(xml);
  }, options);
}

function lookUp(byDomain: Map<string, string>, rawDomain: string): string | undefined {
  try {
    return byDomain.get(decodeURIComponent(rawDomain).toLowerCase().replace(/\.+$/, ''));
  } catch {
    return undefined; // a broken %-escape names no domain
  }
}

async function listenTracked(
  server: net.Server,
  scheme: 'http' | 'https',
  requests: TestHttpServer['requests'],
): Promise<TestHttpServer> {
  let connections = 0;
  const sockets = new Set<net.Socket>();
  // The raw 'connection' event fires for https too, before TLS, which is what makes failed handshakes count.
  server.on('connection', (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as net.AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `${scheme}://${HOST}:${port}`,
    get connections() {
      return connections;
    },
    requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

/**
 * Sends `request` as written on a new connection to 127.0.0.1:`port`: the status line the server answered with
 * ('' when it only closed the connection). `hangUpAfterMs`: the client goes away that soon.
 */
export function rawStatusLine(
  port: number,
  request: string,
  { hangUpAfterMs }: { hangUpAfterMs?: number } = {},
): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve(answer.split('\r\n')[0] ?? ''));
    socket.write(request);
    if (hangUpAfterMs !== undefined) setTimeout(() => socket.destroy(), hangUpAfterMs);
  });
}
