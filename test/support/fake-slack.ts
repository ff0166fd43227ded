// Slack's side of the wire, on loopback, so the real Bolt app can be tested end to end: the Web API routes
// the app calls (auth.test, chat.postMessage, apps.connections.open), response_url endpoints, a Socket
// Mode WebSocket (hello, envelopes, acknowledgements), a client that signs requests like Slack does, and the
// text Slack really delivers for what a person typed (escaped, autolinked; see slackMarkup).
import { createHmac, randomUUID } from 'node:crypto';
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

/**
 * The form body of a /mailsettings slash command for what the person `typed`: the manifest sets
 * should_escape: true, so `text` carries Slack's markup (slackMarkup).
 */
export function commandBody(typed: string, responseUrl: string, user = 'U1'): string {
  return new URLSearchParams(commandFields(slackMarkup(typed).text, responseUrl, user)).toString();
}

/** The fields of a slash command whose `text` is exactly `text`, markup included (nothing is added). */
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

type RichTextElement =
  | { type: 'text'; text: string }
  | { type: 'link'; url: string; text?: string }
  | { type: 'user'; user_id: string };

// Slack's autolinker, approximated: e-mail addresses, URLs typed with their scheme, and host names.
const EMAIL = /^[^\s@<>&|]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;
const URL_TYPED = /^https?:\/\/[^\s<>|]+$/i;
const HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?:\/[^\s<>|]*)?$/i;
const escapeEntities = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * What Slack delivers for text a person typed (Formatting text for app surfaces, "Retrieving messages"):
 * `&`, `<`, `>` as entities; e-mail addresses as `<mailto:a@x.com|a@x.com>`; host names as
 * `<http://x.com|x.com>`; URLs typed with a scheme as `<https://x.com/path>`. `elements` is the same text as
 * the rich_text section the Slack client sends alongside it in message events.
 */
export function slackMarkup(typed: string): { text: string; elements: RichTextElement[] } {
  const elements: RichTextElement[] = [];
  const addText = (text: string) => {
    const last = elements.at(-1);
    if (last?.type === 'text') last.text += text;
    else if (text !== '') elements.push({ type: 'text', text });
  };
  const text = typed
    .split(/(\s+)/)
    .map((word) => {
      if (EMAIL.test(word)) {
        elements.push({ type: 'link', url: `mailto:${word}`, text: word });
        return `<mailto:${escapeEntities(word)}|${escapeEntities(word)}>`;
      }
      if (URL_TYPED.test(word)) {
        elements.push({ type: 'link', url: word });
        return `<${escapeEntities(word)}>`;
      }
      if (HOST.test(word)) {
        elements.push({ type: 'link', url: `http://${word}`, text: word });
        return `<http://${escapeEntities(word)}|${escapeEntities(word)}>`;
      }
      addText(word);
      return escapeEntities(word);
    })
    .join('');
  return { text, elements };
}

let messages = 0;
/**
 * A message event as Slack sends it for what a person typed: `text` in markup, the rich_text block the client
 * composed, and the ids Slack adds. `mentioning` puts `<@ID> ` first, as picking the bot from the menu does.
 */
export function typedMessage(
  typed: string,
  fields: Record<string, unknown> & { type: string; user: string; channel: string; ts: string },
  mentioning?: string,
): Record<string, unknown> {
  const { text, elements } = slackMarkup(typed);
  const lead: RichTextElement[] = mentioning
    ? [
        { type: 'user', user_id: mentioning },
        { type: 'text', text: ' ' },
      ]
    : [];
  messages += 1;
  return {
    client_msg_id: `00000000-0000-4000-8000-${String(messages).padStart(12, '0')}`,
    text: mentioning ? `<@${mentioning}> ${text}` : text,
    team: 'T1',
    blocks: [
      {
        type: 'rich_text',
        block_id: `b${messages}`,
        elements: [{ type: 'rich_text_section', elements: [...lead, ...elements] }],
      },
    ],
    event_ts: fields.ts,
    ...fields,
  };
}

/** An Events API delivery, as Slack wraps every event (Events API, "Callback field overview"). */
export function eventCallback(event: Record<string, unknown>): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: 'T1',
    api_app_id: 'A1',
    event,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T1', user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
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
