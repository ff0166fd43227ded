// Discord's gateway on loopback (developers/events/gateway.mdx): HELLO, IDENTIFY -> READY listing the guild
// as unavailable, then its GUILD_CREATE (as the Guilds intent delivers it, so discord.js caches the guild and
// its channels), heartbeats, RESUME, and dispatches to every ready session.
//
// Checked against @discordjs/ws 1.2: the URL from GET /gateway/bot gets `?v=10&encoding=json` appended, and
// `&compress=zlib-stream` only when zlib-sync is installed; text frames are plain JSON, so nothing here
// compresses. discord.js 14 emits 'clientReady' once every guild listed in READY has had its GUILD_CREATE.
import { randomBytes } from 'node:crypto';
import type http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { APPLICATION_ID, botUser, type Json } from './fake-discord-objects.js';

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

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
};

export function startGateway(
  server: http.Server,
  options: { heartbeatIntervalMs: number; wsUrl: () => string; guild: () => Json; wake: () => void },
) {
  const log: GatewayLog = { urls: [], identifies: [], heartbeats: 0, closeCodes: [] };
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

  const identify = (ws: WebSocket, session: { id: string; seq: number; ready: boolean }, d: Json) => {
    log.identifies.push(d);
    if (typeof d.token !== 'string' || d.token === '') return void ws.close(4004, 'Authentication failed.');
    session.id = randomBytes(16).toString('hex');
    sessionIds.set(session.id, { seq: 0 });
    const guild = options.guild();
    dispatch(ws, 'READY', {
      v: 10,
      user: botUser,
      guilds: [{ id: guild.id, unavailable: true }],
      session_id: session.id,
      session_type: 'normal',
      resume_gateway_url: options.wsUrl(),
      application: { id: APPLICATION_ID, flags: 0 },
      shard: d.shard ?? [0, 1],
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    dispatch(ws, 'GUILD_CREATE', guild);
    session.ready = true;
    options.wake();
  };

  sockets.on('connection', (ws, req) => {
    log.urls.push(req.url ?? '');
    const params = new URL(req.url ?? '/', 'ws://127.0.0.1').searchParams;
    // Discord closes with 4012 (invalid API version) / 4002 (decode error) for these.
    if (params.get('v') !== '10') return void ws.close(4012, 'Invalid API version');
    if ((params.get('encoding') ?? 'json') !== 'json')
      return void ws.close(4002, 'Error while decoding payload.');
    sessions.set(ws, { id: '', seq: 0, ready: false });
    ws.on('close', (code) => {
      log.closeCodes.push(code);
      sessions.delete(ws);
      options.wake();
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
        log.heartbeats += 1;
        return send(ws, { op: Op.HeartbeatAck });
      }
      if (payload.op === Op.Identify) return identify(ws, session, (payload.d ?? {}) as Json);
      if (payload.op === Op.Resume) {
        const resume = (payload.d ?? {}) as { session_id?: string };
        const known = resume.session_id ? sessionIds.get(resume.session_id) : undefined;
        if (!known || !resume.session_id) return send(ws, { op: Op.InvalidSession, d: false });
        session.id = resume.session_id;
        session.seq = known.seq;
        dispatch(ws, 'RESUMED', null);
        session.ready = true;
        return options.wake();
      }
    });
    send(ws, {
      op: Op.Hello,
      d: { heartbeat_interval: options.heartbeatIntervalMs, _trace: ['["fake-discord",{}]'] },
    });
  });

  const readySockets = () =>
    [...sessions].filter(([ws, session]) => session.ready && ws.readyState === ws.OPEN).map(([ws]) => ws);

  return {
    log,
    readyCount: () => readySockets().length,
    /** Dispatches an event to every ready session; returns how many got it. */
    dispatchAll: (t: string, d: unknown): number => {
      const targets = readySockets();
      for (const ws of targets) dispatch(ws, t, d);
      return targets.length;
    },
    close: async () => {
      for (const ws of sockets.clients) ws.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}
