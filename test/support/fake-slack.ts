// Slack's side of the wire, on loopback, so the real Bolt app can be tested end to end: the Web API methods
// the app calls (fake-slack-web-api.ts: auth.test, chat.*, users.info, conversations.open, files.*;
// apps.connections.open here), the upload URLs files.uploadV2 sends a file's bytes to (raw or multipart, as
// Slack takes them), the response_url endpoints, a Socket Mode WebSocket (hello, envelopes,
// acknowledgements), and failures on demand. What Slack sends the app (signed commands, events,
// interactions) is built in fake-slack-payloads.ts and re-exported here.
//
// Failure injection, for tests of a relay that must not lose messages:
// - `failNext('chat.postMessage', { error: 'not_in_channel' })`: the next call answers HTTP 200
//   {ok:false, error}; `{ status: 429, retryAfterSeconds: 0 }` answers 429 with Retry-After (which
//   @slack/web-api waits out and retries); `{ status: 503, times: 3 }` three 503s in a row.
// - `outage(true)`: every Web API call answers HTTP 503 until `outage(false)`; response URLs keep working.
// - `stall(true)`: Web API calls get no answer at all until `stall(false)`, as from a Slack that stopped answering.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { APP_ID, signedPost } from './fake-slack-payloads.js';
import type { SlackView } from './fake-slack-views.js';
import {
  createWebApi,
  type SlackFailure,
  type SlackFile,
  type SlackPost,
  type SlackUser,
} from './fake-slack-web-api.js';
import { createWaiters } from './waiters.js';

export * from './fake-slack-payloads.js';
export { issueTrigger, TRIGGER_LIFETIME_MS } from './fake-slack-triggers.js';
export type { SlackView } from './fake-slack-views.js';
export {
  DEFAULT_SCOPES,
  directChannelOf,
  type SlackFailure,
  type SlackFile,
  type SlackPost,
  type SlackUser,
} from './fake-slack-web-api.js';

export interface Recorded {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeSlackOptions {
  /** Bot scopes the token was granted. @default DEFAULT_SCOPES (the manifest's, with the history scopes) */
  scopes?: string[];
  /** Workspace members users.info answers for, by user id. */
  users?: Record<string, SlackUser>;
  /** The one bot token Slack takes; any other gets `invalid_auth`, as a revoked token does. @default any */
  token?: string;
}

export interface FakeSlack {
  /** Web API base, for SLACK_API_URL. */
  apiUrl: string;
  /** A fresh response_url for one command. */
  responseUrl(id: string): string;
  /** Everything posted to the Web API and to response URLs, in order (failed calls included). */
  posts: Recorded[];
  /** Waits until `count` posts match. */
  waitFor(match: (post: Recorded) => boolean, count?: number, timeoutMs?: number): Promise<Recorded[]>;
  /** What the bot posted into `channel` (chat.postMessage, and chat.postEphemeral with ephemeralTo), oldest first. */
  messages(channel: string): SlackPost[];
  /** Files uploaded (their bytes received), oldest first, with where they were shared. */
  files(): SlackFile[];
  /** Waits until `channel` holds `count` messages matching `match` (default: any). */
  waitForMessages(
    channel: string,
    count?: number,
    match?: (post: SlackPost) => boolean,
    timeoutMs?: number,
  ): Promise<SlackPost[]>;
  /** Modals opened with views.open, as Slack stores them (updates and submissions applied). */
  views(): SlackView[];
  /**
   * The person presses Submit on an open modal: the signed view_submission goes to the app at `url`, and the
   * app's acknowledgement (response_action update, errors, or none) is applied to the view as Slack would.
   */
  submitView(
    url: string,
    secret: string,
    viewId: string,
    typed: Record<string, string | null>,
    /** Someone else than the person it was opened for (Slack never sends that): tests of an app's own check. */
    as?: { id: string; name: string },
  ): Promise<{ status: number; ack: Record<string, unknown> }>;
  /** Makes the next call(s) of `method` (e.g. 'chat.postMessage') fail; see the file's opening comment. */
  failNext(method: string, failure: SlackFailure): void;
  /** While on, every Web API call answers HTTP 503. */
  outage(on: boolean): void;
  /** While on, Web API calls are held unanswered; each is answered once it is off. */
  stall(on: boolean): void;
  /** Socket Mode: sends an envelope to the connected app and resolves with its acknowledgement. */
  sendEnvelope(envelope: Record<string, unknown>, timeoutMs?: number): Promise<Record<string, unknown>>;
  socketConnected(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const api = createWebApi({ ...options, uploadUrl: (id) => `http://127.0.0.1:${port()}/upload/v1/${id}` });
  const posts: Recorded[] = [];
  const { wake, waitUntil } = createWaiters();
  let socket: WebSocket | undefined;
  let onSocket: (() => void) | undefined;
  const acks = new Map<string, (ack: Record<string, unknown>) => void>();

  /** Resolved, unless stall(true) holds the Web API's answers. */
  let stalled = Promise.resolve();
  let unstall = () => {};
  const server = http.createServer(async (req, res) => {
    const raw = await readBody(req);
    const type = req.headers['content-type'] ?? '';
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/upload/v1/')) {
      // Slack's upload service answers in plain text, 200 when it took the bytes.
      const bytes = await fileBytes(raw, type);
      const taken = api.upload(path.slice('/upload/v1/'.length), bytes);
      posts.push({ path: '/upload', body: { size: bytes.length }, at: performance.now() });
      res
        .writeHead(taken ? 200 : 404, { 'content-type': 'text/plain' })
        .end(taken ? `OK - ${bytes.length}` : '');
      return wake();
    }
    const body = parseBody(raw.toString('utf8'), type);
    posts.push({ path, body, at: performance.now() });
    res.setHeader('content-type', 'application/json');
    if (path === '/api/apps.connections.open') {
      res.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${port()}/socket` }));
    } else if (path.startsWith('/api/')) {
      await stalled;
      const token = req.headers.authorization?.replace(/^Bearer /, '') ?? body.token;
      const refused = options.token !== undefined && typeof token === 'string' && token !== options.token;
      const answer = refused
        ? { status: 200, headers: {}, body: { ok: false, error: 'invalid_auth' } }
        : api.answer(path.slice('/api/'.length), body, typeof token === 'string');
      res.writeHead(answer.status, answer.headers).end(JSON.stringify(answer.body));
    } else res.end('{"ok":true}');
    wake();
  });
  const sockets = new WebSocketServer({ server, path: '/socket' });
  sockets.on('connection', (ws) => {
    socket = ws;
    ws.on('message', (data) => {
      const ack = JSON.parse(String(data)) as { envelope_id?: string };
      if (ack.envelope_id) acks.get(ack.envelope_id)?.(ack);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: APP_ID } }));
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
      waitUntil(
        () => {
          const found = posts.filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () => `timed out waiting for ${count} matching post(s); saw ${posts.map((p) => p.path).join(', ')}`,
      ),
    messages: api.messages,
    files: api.files,
    waitForMessages: (channel, count = 1, match = () => true, timeoutMs = 5000) =>
      waitUntil(
        () => {
          const found = api.messages(channel).filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () =>
          `timed out waiting for ${count} message(s) in ${channel}; it has ${api.messages(channel).length}`,
      ),
    views: api.views.views,
    submitView: async (url, secret, viewId, typed, as) => {
      const payload = JSON.stringify(api.views.submission(viewId, typed, as));
      const response = await signedPost(url, secret, new URLSearchParams({ payload }).toString());
      const ack = response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>);
      if (response.status === 200) api.views.respond(viewId, ack);
      return { status: response.status, ack };
    },
    failNext: api.failNext,
    outage: api.outage,
    stall(on) {
      if (on) stalled = new Promise((resolve) => (unstall = resolve));
      else unstall();
    },
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
      // A closing handshake the app started (app.stop()) is let finish: cut short, Bolt logs a socket error.
      await Promise.all(
        [...sockets.clients].map(
          (client) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => resolve(client.terminate()), 200);
              client.once('close', () => resolve(clearTimeout(timer)));
              client.close(1001);
            }),
        ),
      );
      sockets.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** A file's bytes as the upload service takes them: the body itself, or the file part of a multipart form. */
async function fileBytes(raw: Buffer, type: string): Promise<Buffer> {
  if (!type.startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  for (const [, value] of form) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return Buffer.alloc(0);
}

/** The Web API client posts forms whose object-valued fields (blocks) are JSON strings. */
function parseBody(raw: string, type: string): Record<string, unknown> {
  if (raw === '') return {};
  if (type.includes('json')) return JSON.parse(raw) as Record<string, unknown>;
  const form: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const key of ['blocks', 'attachments', 'view']) {
    if (typeof form[key] === 'string') form[key] = JSON.parse(form[key] as string);
  }
  return form;
}

/**
 * What a slash command finally answered: its acknowledgement, or, when that was only "Looking up…" or
 * "Checking…" (the answer took longer than the bot waits before acknowledging), what replaced it at the
 * command's response URL (`responseId`, as given to responseUrl()). How fast a first answer comes depends on
 * the machine; what it says does not.
 */
export async function finalAnswer(
  slack: FakeSlack,
  acknowledgement: { body: string },
  responseId: string,
): Promise<Record<string, unknown>> {
  const ack = JSON.parse(acknowledgement.body) as Record<string, unknown>;
  if (!/^(Looking up|Checking) /.test(String(ack.text))) return ack;
  const [replaced] = await slack.waitFor((post) => post.path === `/response/${responseId}`, 1, 10_000);
  return replaced?.body ?? ack;
}
