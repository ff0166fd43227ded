// Slack's side of the wire, on loopback, so the real Bolt app can be tested end to end: the Web API routes
// the app calls (auth.test, chat.postMessage, apps.connections.open), response_url endpoints, a Socket
// Mode WebSocket (hello, envelopes, acknowledgements), and a client that signs requests like Slack does.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface Recorded {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeSlack {
  /** Web API base, for SLACK_API_URL. */
  apiUrl: string;
  /** A fresh response_url for one command. */
  responseUrl(id: string): string;
  /** Everything posted to the Web API and to response URLs, in order. */
  posts: Recorded[];
  /** Waits until `count` posts match. */
  waitFor(match: (post: Recorded) => boolean, count?: number, timeoutMs?: number): Promise<Recorded[]>;
  /** Socket Mode: sends an envelope to the connected app and resolves with its acknowledgement. */
  sendEnvelope(envelope: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>>;
  socketConnected(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const posts: Recorded[] = [];
  const waiters = new Set<() => void>();
  const record = (path: string, body: Record<string, unknown>) => {
    posts.push({ path, body, at: performance.now() });
    for (const wake of waiters) wake();
  };
  let socket: WebSocket | undefined;
  let onSocket: (() => void) | undefined;
  const acks = new Map<string, (ack: Record<string, unknown>) => void>();

  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers['content-type'] ?? '');
    const path = (req.url ?? '').split('?')[0] ?? '';
    record(path, body);
    res.setHeader('content-type', 'application/json');
    if (path === '/api/auth.test') {
      return void res.end(
        JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1', user: 'mailsettings' }),
      );
    }
    if (path === '/api/apps.connections.open') {
      return void res.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${port()}/socket` }));
    }
    if (path.startsWith('/api/'))
      return void res.end(JSON.stringify({ ok: true, ts: '1.000001', channel: body.channel }));
    res.end('{"ok":true}');
  });
  const sockets = new WebSocketServer({ server, path: '/socket' });
  sockets.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id?: string };
      if (ack.envelope_id) acks.get(ack.envelope_id)?.(ack);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: 'A1' } }));
    onSocket?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port()}`;

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${id}`,
    posts,
    waitFor: (match, count = 1, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const found = posts.filter(match);
          if (found.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out waiting for ${count} matching post(s); saw ${posts.map((p) => p.path).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    sendEnvelope: (envelope, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        if (!socket) return reject(new Error('no Socket Mode connection'));
        const id = String(envelope.envelope_id);
        const timer = setTimeout(() => reject(new Error(`no acknowledgement for envelope ${id}`)), timeoutMs);
        acks.set(id, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        socket.send(JSON.stringify(envelope));
      }),
    socketConnected: () =>
      new Promise((resolve) => {
        if (socket) return resolve();
        onSocket = resolve;
      }),
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A request exactly as Slack sends it, signed with v0 HMAC-SHA256 over "v0:timestamp:body". */
export function signedPost(
  url: string,
  secret: string,
  body: string,
  options: { json?: boolean; timestamp?: number; signature?: string } = {},
): Promise<{ status: number; body: string; ms: number }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature =
    options.signature ?? `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const started = performance.now();
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    body,
  }).then(async (response) => ({
    status: response.status,
    body: await response.text(),
    ms: performance.now() - started,
  }));
}

/** The form body of a /mailsettings slash command. */
export function commandBody(text: string, responseUrl: string, user = 'U1'): string {
  return new URLSearchParams(commandFields(text, responseUrl, user)).toString();
}

export function commandFields(text: string, responseUrl: string, user = 'U1'): Record<string, string> {
  return {
    token: 'legacy',
    team_id: 'T1',
    team_domain: 'hosting',
    channel_id: 'C1',
    channel_name: 'support',
    user_id: user,
    user_name: 'customer',
    command: '/mailsettings',
    text,
    api_app_id: 'A1',
    response_url: responseUrl,
    trigger_id: '1.2.3',
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The Web API client posts forms whose object-valued fields (blocks) are JSON strings. */
function parseBody(raw: string, type: string): Record<string, unknown> {
  if (raw === '') return {};
  if (type.includes('json')) return JSON.parse(raw) as Record<string, unknown>;
  const form: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const key of ['blocks', 'attachments']) {
    if (typeof form[key] === 'string') form[key] = JSON.parse(form[key] as string);
  }
  return form;
}
