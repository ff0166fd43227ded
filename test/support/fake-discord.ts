// Discord's side of the wire, on loopback, so the real discord.js 14 client can be tested end to end: the REST
// routes a bot uses for interactions (callbacks, the @original message, follow-ups, command registration) and
// a gateway WebSocket (HELLO, IDENTIFY -> READY, heartbeats, RESUME, INTERACTION_CREATE dispatches).
//
// Wire details, checked against discord.js 14.28 / @discordjs/rest 2.6 / @discordjs/ws 1.2 sources:
// - REST URLs are `${rest.api}/v10${route}?${query}`, so `apiUrl` is `http://127.0.0.1:PORT/api` (no slash,
//   no version). Interaction callbacks and webhook calls carry no Authorization header (auth: false).
// - Every interaction callback sends `?with_response=false` unless `withResponse: true` was passed.
// - The gateway URL from GET /gateway/bot gets `?v=10&encoding=json` appended; `&compress=zlib-stream` only
//   when zlib-sync is installed. Text frames are always parsed as plain JSON, so this fake never compresses.
// - With `guilds: []` in READY the client is ready at once (no waitGuildTimeout) and emits 'clientReady'.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface RestCall {
  method: string;
  /**
   * Percent-decoded path without the `/api/v10` prefix, e.g. `/interactions/123/tok/callback` or
   * `/webhooks/APP/tok/messages/@original` (sent as `%40original`); paths outside /api/v10 are kept whole.
   */
  path: string;
  /** Raw query string without the leading `?`, e.g. `with_response=false`; '' when there is none. */
  query: string;
  /** Parsed JSON body; for multipart requests the parsed `payload_json` part; undefined when empty. */
  body: unknown;
  /** performance.now() when the request body had been read. */
  at: number;
  /** Multipart requests only: the file parts (form field, file name, size in bytes). */
  files?: { field: string; name: string; size: number }[];
}

/** What the gateway saw, for asserting on the connection itself. */
export interface GatewayLog {
  /** Request URLs (path and query) of every WebSocket upgrade, e.g. `/?v=10&encoding=json`. */
  urls: string[];
  /** The `d` of every IDENTIFY (op 2). */
  identifies: Record<string, unknown>[];
  /** Heartbeats (op 1) received. */
  heartbeats: number;
  /** Close codes of client-side closes, in order (1000 for client.destroy()). */
  closeCodes: number[];
}

export interface FakeDiscordOptions {
  /** heartbeat_interval sent in HELLO; default 45000 like Discord. */
  heartbeatIntervalMs?: number;
  /** The gateway URL GET /gateway/bot hands out; default this fake's own WebSocket. */
  gatewayUrl?: string;
}

export interface CommandOptions {
  name?: string;
  options: { name: string; type: number; value: string | boolean }[];
  userId?: string;
  /** Omit for the guild default; pass null for a DM with the bot (no member, `user` instead). */
  guildId?: string | null;
  channelId?: string;
}

export interface ButtonOptions {
  customId: string;
  userId?: string;
  guildId?: string | null;
  channelId?: string;
  /** Fields merged over the default bot message the button sits on. */
  message?: Record<string, unknown>;
}

export interface Dispatched {
  id: string;
  token: string;
  /** performance.now() when the dispatch was written to the socket(s). */
  sentAt: number;
}

export interface FakeDiscord {
  /** For `rest.api` / DISCORD_API_URL: `http://127.0.0.1:PORT/api`. */
  apiUrl: string;
  applicationId: string;
  /** The bot user's id (same as the application id, as for most bots). */
  botUserId: string;
  /** Every REST request received, in order. */
  calls: RestCall[];
  gateway: GatewayLog;
  /** Waits until `count` calls match; rejects after timeoutMs (default 5000). */
  waitFor(match: (call: RestCall) => boolean, count?: number, timeoutMs?: number): Promise<RestCall[]>;
  /** Resolves once an open gateway session has IDENTIFIED and been sent READY. */
  ready(timeoutMs?: number): Promise<void>;
  /** Dispatches INTERACTION_CREATE for a chat-input command to every ready session. */
  sendCommand(options: CommandOptions): Dispatched;
  /** Dispatches INTERACTION_CREATE for a button press on a bot message to every ready session. */
  sendButton(options: ButtonOptions): Dispatched;
  /** Makes the interaction callback for this interaction id fail with 404 {code: 10062, 'Unknown interaction'}. */
  expire(interactionId: string): void;
  close(): Promise<void>;
}

export const DEFAULT_GUILD_ID = '200000000000000001';
export const DEFAULT_CHANNEL_ID = '300000000000000001';
export const DEFAULT_USER_ID = '400000000000000001';
const APPLICATION_ID = '100000000000000001';

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
};
const Callback = { Pong: 1, Message: 4, DeferredMessage: 5, DeferredUpdate: 6, Update: 7 } as const;
const MessageFlagLoading = 1 << 7;

type Json = Record<string, unknown>;

interface InteractionState {
  id: string;
  token: string;
  type: number;
  guildId: string | null;
  channelId: string;
  user: Json;
  /** The message a component sits on (buttons only). */
  componentMessage?: Json;
  acknowledged: boolean;
  /** The @original response message, once there is one. */
  original?: Json;
  followUps: Map<string, Json>;
}

class ApiError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly message: string,
  ) {}
}
const notFound = () => new ApiError(404, 0, '404: Not Found');
const unknownWebhook = () => new ApiError(404, 10015, 'Unknown Webhook');
const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');
const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const heartbeatInterval = options.heartbeatIntervalMs ?? 45_000;
  const calls: RestCall[] = [];
  const gateway: GatewayLog = { urls: [], identifies: [], heartbeats: 0, closeCodes: [] };
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const expired = new Set<string>();
  const commands = new Map<string, Json[]>();
  const nextId = snowflakes();

  const botUser: Json = {
    id: APPLICATION_ID,
    username: 'mailsettings',
    discriminator: '0',
    global_name: null,
    avatar: null,
    bot: true,
    public_flags: 0,
    flags: 0,
  };

  const message = (fields: Json): Json => ({
    id: nextId(),
    type: 0,
    channel_id: DEFAULT_CHANNEL_ID,
    content: '',
    author: botUser,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    components: [],
    pinned: false,
    flags: 0,
    application_id: APPLICATION_ID,
    webhook_id: APPLICATION_ID,
    ...fields,
  });

  /** A response message built from a callback/webhook body, as Discord echoes it. */
  const responseMessage = (state: InteractionState, data: Json | undefined, fields: Json = {}): Json =>
    message({
      type: state.type === 2 ? 20 : 0,
      channel_id: state.channelId,
      ...(state.guildId ? { guild_id: state.guildId } : {}),
      content: typeof data?.content === 'string' ? data.content : '',
      embeds: Array.isArray(data?.embeds) ? data.embeds : [],
      components: Array.isArray(data?.components) ? data.components : [],
      flags: typeof data?.flags === 'number' ? data.flags : 0,
      interaction_metadata: {
        id: state.id,
        type: state.type,
        user: state.user,
        authorizing_integration_owners: owners(state.guildId, String(state.user.id)),
      },
      ...fields,
    });

  /** Applies PATCH fields to a stored message (only the keys that were sent, like Discord). */
  const edit = (target: Json, body: Json): Json => {
    for (const key of ['content', 'embeds', 'components', 'attachments', 'flags'] as const) {
      if (key in body && body[key] !== null) target[key] = body[key];
    }
    if (typeof target.flags === 'number') target.flags &= ~MessageFlagLoading;
    target.edited_timestamp = new Date().toISOString();
    return target;
  };

  const webhookInteraction = (appId: string, token: string): InteractionState => {
    const state = byToken.get(token);
    if (appId !== APPLICATION_ID || !state) throw unknownWebhook();
    return state;
  };
  const webhookMessage = (state: InteractionState, messageId: string): Json => {
    const found = messageId === '@original' ? state.original : state.followUps.get(messageId);
    if (!found) throw unknownMessage();
    return found;
  };

  const callback = (id: string, token: string, query: URLSearchParams, body: Json) => {
    const state = interactions.get(id);
    if (!state || state.token !== token || expired.has(id)) throw unknownInteraction();
    if (state.acknowledged) throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
    const type = Number(body.type);
    const data = (body.data ?? undefined) as Json | undefined;
    if (type === Callback.Message) state.original = responseMessage(state, data);
    else if (type === Callback.DeferredMessage) {
      const flags = (typeof data?.flags === 'number' ? data.flags : 0) | MessageFlagLoading;
      state.original = responseMessage(state, undefined, { flags });
    } else if (type === Callback.DeferredUpdate || type === Callback.Update) {
      if (!state.componentMessage) throw new ApiError(400, 50035, 'Invalid Form Body');
      state.original = state.componentMessage;
      if (type === Callback.Update && data) edit(state.original, data);
    }
    state.acknowledged = true;
    if (query.get('with_response') !== 'true') return undefined;
    const original = state.original;
    return {
      interaction: {
        id: state.id,
        type: state.type,
        ...(original
          ? {
              response_message_id: original.id,
              response_message_loading: type === Callback.DeferredMessage,
              response_message_ephemeral: ((original.flags as number) & 64) === 64,
            }
          : {}),
      },
      resource: { type, ...(original && type !== Callback.Pong ? { message: original } : {}) },
    };
  };

  const putCommands = (key: string, body: unknown, guildId?: string) => {
    const list = (Array.isArray(body) ? body : []) as Json[];
    const previous = new Map((commands.get(key) ?? []).map((c) => [c.name, c.id]));
    const stored = list.map((command) => ({
      type: 1,
      description: '',
      default_member_permissions: null,
      nsfw: false,
      ...command,
      id: previous.get(command.name) ?? nextId(),
      application_id: APPLICATION_ID,
      version: nextId(),
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    commands.set(key, stored);
    return stored;
  };

  /** Returns [status, body]; body undefined means an empty response. */
  const route = (method: string, path: string, query: URLSearchParams, body: unknown): [number, unknown] => {
    const parts = path.split('/').slice(1);
    const json = (body ?? {}) as Json;
    const is = (m: string, ...pattern: (string | null)[]) =>
      method === m &&
      parts.length === pattern.length &&
      pattern.every((p, i) => p === null || p === parts[i]);
    const [a, b, c, d, e] = parts as [string, string, string, string, string];
    if (is('GET', 'gateway', 'bot')) {
      return [
        200,
        {
          url: options.gatewayUrl ?? wsUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      ];
    }
    if (is('GET', 'gateway')) return [200, { url: wsUrl() }];
    if (is('POST', 'interactions', null, null, 'callback')) {
      const response = callback(b, c, query, json);
      return response ? [200, response] : [204, undefined];
    }
    if (a === 'webhooks' && parts.length >= 3) {
      const state = webhookInteraction(b, c);
      if (is('POST', 'webhooks', null, null)) {
        if (!state.acknowledged) throw unknownWebhook();
        const followUp = responseMessage(state, json);
        state.followUps.set(String(followUp.id), followUp);
        return [200, followUp];
      }
      if (is('GET', 'webhooks', null, null, 'messages', null)) return [200, webhookMessage(state, e)];
      if (is('PATCH', 'webhooks', null, null, 'messages', null)) {
        return [200, edit(webhookMessage(state, e), json)];
      }
      if (is('DELETE', 'webhooks', null, null, 'messages', null)) {
        webhookMessage(state, e);
        if (e === '@original') state.original = undefined;
        else state.followUps.delete(e);
        return [204, undefined];
      }
    }
    if (a === 'applications' && b === APPLICATION_ID) {
      if (is('PUT', 'applications', null, 'commands')) return [200, putCommands('global', body)];
      if (is('GET', 'applications', null, 'commands')) return [200, commands.get('global') ?? []];
      if (is('PUT', 'applications', null, 'guilds', null, 'commands')) return [200, putCommands(d, body, d)];
      if (is('GET', 'applications', null, 'guilds', null, 'commands')) return [200, commands.get(d) ?? []];
    }
    throw notFound();
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    // Percent-decoded: discord.js sends `@original` as `%40original`.
    const pathname = safeDecode(url.pathname);
    const prefixed = pathname.startsWith('/api/v10/');
    const path = prefixed ? pathname.slice('/api/v10'.length) : pathname;
    let body: unknown;
    let files: RestCall['files'];
    let status: number;
    let payload: unknown;
    try {
      ({ body, files } = await parseBody(raw, req.headers['content-type'] ?? ''));
      if (!prefixed) throw notFound();
      [status, payload] = route(method, path, url.searchParams, body);
    } catch (error) {
      if (error instanceof ApiError) {
        [status, payload] = [error.status, { code: error.code, message: error.message }];
      } else {
        // Loud on purpose: a fixture bug otherwise looks like the client mishandling a 500.
        console.error('fake Discord handler failed:', error);
        [status, payload] = [500, { code: 0, message: '500: Internal Server Error' }];
      }
    }
    const call: RestCall = {
      method,
      path,
      query: url.search.replace(/^\?/, ''),
      body,
      at: performance.now(),
    };
    if (files) call.files = files;
    calls.push(call);
    if (payload === undefined) res.writeHead(status).end();
    else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    wake();
  });

  // Gateway: any upgrade path on the same server.
  const sockets = new WebSocketServer({ server });
  const sessions = new Map<WebSocket, { id: string; seq: number; ready: boolean }>();
  const sessionIds = new Map<string, { seq: number }>();
  const send = (ws: WebSocket, payload: Json) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  };
  const dispatch = (ws: WebSocket, t: string, d: unknown) => {
    const session = sessions.get(ws);
    if (!session) return;
    session.seq += 1;
    const known = sessionIds.get(session.id);
    if (known) known.seq = session.seq;
    send(ws, { op: Op.Dispatch, t, s: session.seq, d });
  };
  sockets.on('connection', (ws, req) => {
    gateway.urls.push(req.url ?? '');
    const params = new URL(req.url ?? '/', 'ws://127.0.0.1').searchParams;
    // Discord closes with 4012 (invalid API version) / 4002 (decode error) for these.
    if (params.get('v') !== '10') return void ws.close(4012, 'Invalid API version');
    if ((params.get('encoding') ?? 'json') !== 'json')
      return void ws.close(4002, 'Error while decoding payload.');
    sessions.set(ws, { id: '', seq: 0, ready: false });
    ws.on('close', (code) => {
      gateway.closeCodes.push(code);
      sessions.delete(ws);
      wake();
    });
    ws.on('error', () => {});
    ws.on('message', (data) => {
      let payload: { op?: number; d?: unknown };
      try {
        payload = JSON.parse(String(data)) as { op?: number; d?: unknown };
      } catch {
        return void ws.close(4002, 'Error while decoding payload.');
      }
      const session = sessions.get(ws);
      if (!session) return;
      if (payload.op === Op.Heartbeat) {
        gateway.heartbeats += 1;
        return send(ws, { op: Op.HeartbeatAck });
      }
      if (payload.op === Op.Identify) {
        const identify = (payload.d ?? {}) as Json;
        gateway.identifies.push(identify);
        if (typeof identify.token !== 'string' || identify.token === '') {
          return void ws.close(4004, 'Authentication failed.');
        }
        session.id = randomBytes(16).toString('hex');
        sessionIds.set(session.id, { seq: 0 });
        dispatch(ws, 'READY', {
          v: 10,
          user: botUser,
          guilds: [],
          session_id: session.id,
          session_type: 'normal',
          resume_gateway_url: wsUrl(),
          application: { id: APPLICATION_ID, flags: 0 },
          shard: identify.shard ?? [0, 1],
          private_channels: [],
          presences: [],
          relationships: [],
          guild_join_requests: [],
          user_settings: {},
          geo_ordered_rtc_regions: [],
          _trace: ['["fake-discord",{"micros":0}]'],
        });
        session.ready = true;
        return wake();
      }
      if (payload.op === Op.Resume) {
        const resume = (payload.d ?? {}) as { session_id?: string };
        const known = resume.session_id ? sessionIds.get(resume.session_id) : undefined;
        if (!known || !resume.session_id) return send(ws, { op: Op.InvalidSession, d: false });
        session.id = resume.session_id;
        session.seq = known.seq;
        dispatch(ws, 'RESUMED', null);
        session.ready = true;
        return wake();
      }
    });
    send(ws, { op: Op.Hello, d: { heartbeat_interval: heartbeatInterval, _trace: ['["fake-discord",{}]'] } });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const wsUrl = () => `ws://127.0.0.1:${port}`;

  const readySockets = () => [...sessions].filter(([ws, s]) => s.ready && ws.readyState === ws.OPEN);

  const waitUntil = <T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> =>
    new Promise((resolve, reject) => {
      const attempt = () => {
        const result = check();
        if (result === undefined) return;
        waiters.delete(attempt);
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        waiters.delete(attempt);
        reject(new Error(describe()));
      }, timeoutMs);
      waiters.add(attempt);
      attempt();
    });

  const interactionBase = (
    type: number,
    opts: { userId?: string; guildId?: string | null; channelId?: string },
  ): { state: InteractionState; payload: Json } => {
    const id = nextId();
    const token = `aW50ZXJhY3Rpb24.${id}.${randomBytes(24).toString('base64url')}`;
    const guildId = opts.guildId === undefined ? DEFAULT_GUILD_ID : opts.guildId;
    const channelId = opts.channelId ?? DEFAULT_CHANNEL_ID;
    const user: Json = {
      id: opts.userId ?? DEFAULT_USER_ID,
      username: 'customer',
      discriminator: '0',
      global_name: 'Customer',
      avatar: null,
      public_flags: 0,
      flags: 0,
    };
    const state: InteractionState = {
      id,
      token,
      type,
      guildId,
      channelId,
      user,
      acknowledged: false,
      followUps: new Map(),
    };
    const payload: Json = {
      id,
      application_id: APPLICATION_ID,
      type,
      token,
      version: 1,
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: owners(guildId, String(user.id)),
      attachment_size_limit: 10_485_760,
      channel_id: channelId,
      ...(guildId
        ? {
            guild_id: guildId,
            guild_locale: 'en-US',
            guild: { id: guildId, locale: 'en-US', features: [] },
            context: 0,
            channel: { id: channelId, type: 0, guild_id: guildId, name: 'support', flags: 0 },
            member: {
              user,
              roles: [],
              permissions: '0',
              joined_at: '2024-01-01T00:00:00.000000+00:00',
              nick: null,
              avatar: null,
              premium_since: null,
              deaf: false,
              mute: false,
              pending: false,
              flags: 0,
              communication_disabled_until: null,
              unusual_dm_activity_until: null,
            },
          }
        : {
            context: 1,
            channel: { id: channelId, type: 1, flags: 0, recipients: [user] },
            user,
          }),
    };
    return { state, payload };
  };

  const deliver = (state: InteractionState, payload: Json): Dispatched => {
    const targets = readySockets();
    if (targets.length === 0) throw new Error('fake Discord: no gateway session has been sent READY');
    interactions.set(state.id, state);
    byToken.set(state.token, state);
    for (const [ws] of targets) dispatch(ws, 'INTERACTION_CREATE', payload);
    return { id: state.id, token: state.token, sentAt: performance.now() };
  };

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId: APPLICATION_ID,
    botUserId: APPLICATION_ID,
    calls,
    gateway,
    waitFor: (match, count = 1, timeoutMs = 5000) =>
      waitUntil(
        () => {
          const found = calls.filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () =>
          `timed out waiting for ${count} matching REST call(s); saw ${calls.map((c) => `${c.method} ${c.path}`).join(', ') || 'none'}`,
      ),
    ready: (timeoutMs = 10_000) =>
      waitUntil(
        () => (readySockets().length > 0 ? true : undefined),
        timeoutMs,
        () => `no gateway session became ready; upgrades: ${gateway.urls.join(', ') || 'none'}`,
      ).then(() => undefined),
    sendCommand: (opts) => {
      const { state, payload } = interactionBase(2, opts);
      const name = opts.name ?? 'mailsettings';
      payload.data = {
        id: commandId(name),
        name,
        type: 1,
        options: opts.options,
        ...(state.guildId ? { guild_id: state.guildId } : {}),
      };
      return deliver(state, payload);
    },
    sendButton: (opts) => {
      const { state, payload } = interactionBase(3, opts);
      const componentMessage = message({
        channel_id: state.channelId,
        ...(state.guildId ? { guild_id: state.guildId } : {}),
        content: 'Pick one',
        components: [
          {
            type: 1,
            id: 1,
            components: [{ type: 2, id: 2, style: 1, label: 'Button', custom_id: opts.customId }],
          },
        ],
        ...opts.message,
      });
      state.componentMessage = componentMessage;
      payload.message = componentMessage;
      payload.data = { custom_id: opts.customId, component_type: 2 };
      return deliver(state, payload);
    },
    expire: (interactionId) => {
      expired.add(interactionId);
    },
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** authorizing_integration_owners: guild install ('0') in a guild, user install ('1') in a DM. */
function owners(guildId: string | null, userId: string): Json {
  return guildId ? { '0': guildId } : { '1': userId };
}

/** A stable command id per name, so repeated dispatches look like the same registered command. */
function commandId(name: string): string {
  let hash = 0n;
  for (const char of name) hash = (hash * 31n + BigInt(char.codePointAt(0) ?? 0)) % 10n ** 17n;
  return (500_000_000_000_000_000n + hash).toString();
}

/** Real-looking snowflakes: (ms since the Discord epoch) << 22 plus an increment. */
function snowflakes(): () => string {
  let increment = 0n;
  return () => {
    increment = (increment + 1n) & 0xfffn;
    return (((BigInt(Date.now()) - 1_420_070_400_000n) << 22n) | (1n << 17n) | increment).toString();
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

/** JSON bodies as-is; multipart bodies (files attached) by their payload_json part, as Discord reads them. */
async function parseBody(raw: Buffer, type: string): Promise<{ body: unknown; files?: RestCall['files'] }> {
  if (raw.length === 0) return { body: undefined };
  if (type.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
    const files: NonNullable<RestCall['files']> = [];
    let body: unknown;
    for (const [field, value] of form) {
      if (typeof value !== 'string') files.push({ field, name: value.name, size: value.size });
      else if (field === 'payload_json') body = JSON.parse(value) as unknown;
    }
    return { body, files };
  }
  try {
    return { body: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    throw new ApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}
