// Discord's side of the wire, on loopback, so the real discord.js 14 client can be tested end to end: REST
// (fake-discord-rest.ts) with Discord's rate-limit headers and failures on demand (fake-discord-limits.ts),
// and the gateway (fake-discord-gateway.ts), which announces one guild with a text channel and a forum for
// case posts and dispatches interactions: slash commands, buttons and modal submits, in the text channel or
// in a forum post's thread.
//
// Wire details, checked against discord.js 14.28 / @discordjs/rest 2.6 / @discordjs/ws 1.2 sources:
// - REST URLs are `${rest.api}/v10${route}?${query}`, so `apiUrl` is `http://127.0.0.1:PORT/api` (no slash,
//   no version). Interaction callbacks and webhook calls carry no Authorization header (auth: false).
// - Every interaction callback sends `?with_response=false` unless `withResponse: true` was passed.
// - @discordjs/rest retries a 5xx three times at once, then throws HTTPError; it waits out a 429 and retries.
//
// Failure injection: `failRest((method, path) => path.startsWith('/channels/'), { status: 503, times: 4 })`,
// `failRest(match, { status: 502, carriedOut: true })` (done, then the answer lost at Discord's edge),
// `failRest(match, { status: 429, retryAfter: 0 })`, and `outage(true)` (every REST call answers 503; the
// gateway stays up) until `outage(false)`.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type GatewayLog, startGateway } from './fake-discord-gateway.js';
import { createLimits, type RateLimitRule, type RestFailure } from './fake-discord-limits.js';
import {
  APPLICATION_ID,
  ApiError,
  botUser,
  channelMessage,
  DEFAULT_CHANNEL_ID,
  DEFAULT_FORUM_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_USER_ID,
  everyoneRole,
  forumChannel,
  guildObject,
  type Json,
  type MemberOptions,
  memberObject,
  modalSubmitComponents,
  notFound,
  resolvedMember,
  snowflakes,
  type TagOption,
  textChannel,
  userObject,
} from './fake-discord-objects.js';
import { permissionsIn } from './fake-discord-permissions.js';
import {
  createRoutes,
  type DiscordState,
  type InteractionState,
  type ShownModal,
  setArchived,
} from './fake-discord-rest.js';
import { createWaiters } from './waiters.js';

export type { GatewayLog, RateLimitRule, RestFailure, ShownModal };
export { DEFAULT_CHANNEL_ID, DEFAULT_FORUM_ID, DEFAULT_GUILD_ID, DEFAULT_USER_ID, type MemberOptions };

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
  /** The HTTP status answered (429 and 5xx included). */
  status: number;
  /** performance.now() when the request body had been read. */
  at: number;
  /** Multipart requests only: the file parts (form field, file name, size in bytes, the bytes). */
  files?: { field: string; name: string; size: number; data: Buffer }[];
}

export interface FakeDiscordOptions {
  /** heartbeat_interval sent in HELLO; default 45000 like Discord. */
  heartbeatIntervalMs?: number;
  /** The gateway URL GET /gateway/bot hands out; default this fake's own WebSocket. */
  gatewayUrl?: string;
  /** The forum (type 15) for case posts, id DEFAULT_FORUM_ID: its name, its tags, whether posts need a tag. */
  forum?: {
    name?: string;
    tags?: TagOption[];
    requireTag?: boolean;
    /** The forum's permission overwrites (type 0 a role, 1 a member; allow and deny as bitfield strings). */
    overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[];
  };
  /** Per-bucket limit sent in X-RateLimit-* and enforced with 429. @default { limit: 50, windowMs: 1000 } */
  rateLimit?: RateLimitRule;
  /** The one bot token Discord takes; a request with any other gets 401, as a reset token does. @default any */
  token?: string;
  /** The guild's roles besides @everyone. @default one role, "Support", id DEFAULT_STAFF_ROLE_ID */
  roles?: { id: string; name: string; permissions?: string }[];
  /** The roles the bot's member holds. @default none: the bot has what @everyone has */
  botRoles?: string[];
  /** Members of the guild besides the bot, by user id: what a user select offers (also `addMember`). */
  members?: Record<string, MemberOptions>;
}

/** The id of the guild's "Support" role, there by default. */
export const DEFAULT_STAFF_ROLE_ID = '700000000000000001';

interface Interacting {
  userId?: string;
  /** Omit for the guild default; pass null for a DM with the bot (no member, `user` instead). */
  guildId?: string | null;
  /** A channel of this fake (a forum post's thread gives the thread object) or any id (a text channel). */
  channelId?: string;
  /** Names of the member interacting: username, global name, server nickname, roles. */
  member?: MemberOptions;
}

/** An option as a command interaction carries it: a value, or (a subcommand, type 1) its own options. */
export interface CommandOption {
  name: string;
  type: number;
  value?: string | boolean | number;
  options?: CommandOption[];
  /** Autocomplete: the option being typed. */
  focused?: boolean;
}

export interface CommandOptions extends Interacting {
  name?: string;
  options: CommandOption[];
}

export interface UserSelectOptions extends Interacting {
  customId: string;
  /** The ids chosen: members of the guild (`members`, `addMember`), as the menu offers them. */
  values: string[];
  /** The interaction whose response (an ephemeral message, say) the menu is on; default a new bot message. */
  onResponseOf?: string;
}

export interface ButtonOptions extends Interacting {
  customId: string;
  /** A message of this fake the button is on (an update then edits it); default a new bot message. */
  messageId?: string;
  /** Fields merged over the default bot message the button sits on. */
  message?: Record<string, unknown>;
}

export interface SelectOptions extends Interacting {
  customId: string;
  /** The values chosen, as Discord sends them for a string select menu. */
  values: string[];
  /** A message of this fake the menu is on (an update then edits it); default a new bot message. */
  messageId?: string;
  /** Fields merged over the default bot message the menu sits on. */
  message?: Record<string, unknown>;
}

export interface ModalSubmitOptions extends Interacting {
  /** The custom_id of a modal the bot opened. */
  customId: string;
  /** The values typed, by the custom_id of each input. */
  fields: Record<string, string | string[]>;
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
  guildId: string;
  forumId: string;
  /** Every REST request received, in order. */
  calls: RestCall[];
  gateway: GatewayLog;
  /** Waits until `count` calls match; rejects after timeoutMs (default 5000). */
  waitFor(match: (call: RestCall) => boolean, count?: number, timeoutMs?: number): Promise<RestCall[]>;
  /**
   * The call that finally answered an interaction: its callback, or, when that was a deferral (type 5), the
   * edit of the original response that followed, as the bot answers inline or later depending on its speed.
   */
  answerTo(interaction: Dispatched, timeoutMs?: number): Promise<RestCall>;
  /** Resolves once an open gateway session has IDENTIFIED and been sent READY. */
  ready(timeoutMs?: number): Promise<void>;
  /** Dispatches INTERACTION_CREATE for a chat-input command to every ready session. */
  sendCommand(options: CommandOptions): Dispatched;
  /** Dispatches INTERACTION_CREATE for a button press on a bot message to every ready session. */
  sendButton(options: ButtonOptions): Dispatched;
  /** Dispatches INTERACTION_CREATE for a choice in a string select menu on a bot message. */
  sendSelect(options: SelectOptions): Dispatched;
  /**
   * Dispatches INTERACTION_CREATE for a choice in a user select menu, with the `resolved` users and members
   * Discord sends (each member's permissions computed in the channel, from roles and overwrites).
   */
  sendUserSelect(options: UserSelectOptions): Dispatched;
  /**
   * Dispatches an APPLICATION_COMMAND_AUTOCOMPLETE (type 4) while an option is typed: give that option
   * `focused: true` (and, inside a subcommand, the subcommand with it). Answered with choices (callback 8).
   */
  sendAutocomplete(options: CommandOptions): Dispatched;
  /** Adds a member to the guild (GUILD_MEMBER_ADD needs an intent the bot lacks: nothing is dispatched). */
  addMember(userId: string, member: MemberOptions): void;
  /** Dispatches the MODAL_SUBMIT of an open modal, filled in; throws if Discord's client would refuse it. */
  sendModalSubmit(options: ModalSubmitOptions): Dispatched;
  /** Makes the interaction callback for this interaction id fail with 404 {code: 10062, 'Unknown interaction'}. */
  expire(interactionId: string): void;
  /** Modals the bot opened, oldest first. */
  modals: ShownModal[];
  /** A channel object as Discord holds it (threads included). */
  channel(id: string): Json | undefined;
  /** The forum's posts (thread channel objects), oldest first. */
  threads(): Json[];
  /** Messages in a channel or thread (the post's first message first), as Discord holds them. */
  messages(channelId: string): Json[];
  /** Waits until the channel or thread holds `count` messages matching `match` (default: any). */
  waitForMessages(
    channelId: string,
    count?: number,
    match?: (message: Json) => boolean,
    timeoutMs?: number,
  ): Promise<Json[]>;
  /** The id of the forum tag with this name. */
  tagId(name: string): string;
  /** Archives a thread, as inactivity does. */
  archive(threadId: string): void;
  /** Sets a channel's permission overwrites, as an admin editing its permissions does (CHANNEL_UPDATE). */
  setOverwrites(
    channelId: string,
    overwrites: { id: string; type: 0 | 1; allow: string; deny: string }[],
  ): void;
  /**
   * Puts back forum posts Discord held before this fake started (made by an older release of the bot, say):
   * each thread with its messages, in the forum, without the tags of the forum they came from.
   */
  restore(posts: { thread: Json; messages: Json[] }[]): void;
  /** Scripted REST failures for the calls `match` accepts (see the opening comment). */
  failRest(match: (method: string, path: string) => boolean, failure: RestFailure): void;
  /** While on, every REST call answers 503. */
  outage(on: boolean): void;
  /**
   * The next REST call `match` accepts is carried out, but its answer waits for release(): Discord has done it
   * and the bot does not know yet. `reached` resolves when that call has been carried out.
   */
  holdRest(match: (method: string, path: string) => boolean): { reached: Promise<void>; release(): void };
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const calls: RestCall[] = [];
  const holds: {
    match: (method: string, path: string) => boolean;
    reached(): void;
    released: Promise<void>;
  }[] = [];
  const { wake, waitUntil } = createWaiters();
  const nextId = snowflakes();
  const state: DiscordState = {
    nextId,
    channels: new Map([
      [DEFAULT_CHANNEL_ID, textChannel(DEFAULT_CHANNEL_ID, DEFAULT_GUILD_ID)],
      [DEFAULT_FORUM_ID, forumChannel(DEFAULT_FORUM_ID, DEFAULT_GUILD_ID, options.forum ?? {}, nextId)],
    ]),
    messages: new Map(),
    nonces: new Map(),
    interactions: new Map(),
    byToken: new Map(),
    expired: new Set(),
    commands: new Map(),
    modals: [],
    roles: (options.roles ?? [{ id: DEFAULT_STAFF_ROLE_ID, name: 'Support' }]).map((role, index) => ({
      id: role.id,
      name: role.name,
      color: 0,
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position: index + 1,
      permissions: role.permissions ?? '0',
      managed: false,
      mentionable: false,
      flags: 0,
    })),
    botRoles: options.botRoles ?? [],
    members: new Map(Object.entries(options.members ?? {})),
    dispatch: (t, d) => gateway.dispatchAll(t, d),
  };
  const limits = createLimits(options.rateLimit);
  const route = createRoutes(state, () => options.gatewayUrl ?? wsUrl());

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
    let headers: Record<string, string> = {};
    try {
      ({ body, files } = await parseBody(raw, req.headers['content-type'] ?? ''));
      if (!prefixed) throw notFound();
      const auth = req.headers.authorization;
      if (options.token !== undefined && auth !== undefined && auth !== `Bot ${options.token}`)
        throw new ApiError(401, 0, '401: Unauthorized');
      const scripted = limits.scripted(method, path);
      const spent = scripted ? undefined : limits.spend(method, path);
      const refusal = scripted ?? spent?.refusal;
      if (refusal && !refusal.carriedOut) ({ status, headers, body: payload } = refusal);
      else {
        headers = spent?.headers ?? {};
        [status, payload] = route(method, path, url.searchParams, body);
        if (refusal) ({ status, headers, body: payload } = refusal);
      }
    } catch (error) {
      if (error instanceof ApiError) {
        const { code, message, errors } = error;
        [status, payload] = [error.status, { code, message, ...(errors ? { errors } : {}) }];
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
      status,
      at: performance.now(),
    };
    if (files) call.files = files;
    calls.push(call);
    const held = holds.findIndex((hold) => hold.match(method, path));
    if (held >= 0) {
      const [hold] = holds.splice(held, 1);
      hold?.reached();
      await hold?.released;
    }
    if (payload === undefined) res.writeHead(status, headers).end();
    else
      res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(payload));
    wake();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const wsUrl = () => `ws://127.0.0.1:${port}`;
  const gateway = startGateway(server, {
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 45_000,
    wsUrl,
    guild: () => guildCreate(state),
    wake,
  });

  const interaction = (type: number, opts: Interacting): { state: InteractionState; payload: Json } => {
    const id = nextId();
    const token = `aW50ZXJhY3Rpb24.${id}.${randomBytes(24).toString('base64url')}`;
    const guildId = opts.guildId === undefined ? DEFAULT_GUILD_ID : opts.guildId;
    const channelId = opts.channelId ?? DEFAULT_CHANNEL_ID;
    const user = userObject(opts.userId ?? DEFAULT_USER_ID, opts.member);
    const owners = guildId ? { '0': guildId } : { '1': String(user.id) };
    const interacting: InteractionState = {
      id,
      token,
      type,
      guildId,
      channelId,
      user,
      acknowledged: false,
      followUps: new Map(),
    };
    const channel = state.channels.get(channelId) ?? textChannel(channelId, String(guildId));
    const payload: Json = {
      id,
      application_id: APPLICATION_ID,
      type,
      token,
      version: 1,
      locale: 'en-US',
      app_permissions: '0',
      entitlements: [],
      authorizing_integration_owners: owners,
      attachment_size_limit: 10_485_760,
      channel_id: channelId,
      ...(guildId
        ? {
            guild_id: guildId,
            guild_locale: 'en-US',
            guild: { id: guildId, locale: 'en-US', features: [] },
            context: 0,
            channel,
            member: memberObject(user, opts.member),
          }
        : { context: 1, channel: { id: channelId, type: 1, flags: 0, recipients: [user] }, user }),
    };
    return { state: interacting, payload };
  };

  /** A message component used (type 3): `shown` is the component on the default message, `data` what is sent. */
  const component = (
    opts: Interacting & { messageId?: string; message?: Record<string, unknown>; onResponseOf?: string },
    shown: Json,
    data: Json | ((interacting: InteractionState) => Json),
  ): Dispatched => {
    const { state: interacting, payload } = interaction(3, opts);
    const stored = opts.messageId
      ? state.messages.get(interacting.channelId)?.find((message) => message.id === opts.messageId)
      : opts.onResponseOf
        ? state.interactions.get(opts.onResponseOf)?.original
        : undefined;
    if ((opts.messageId || opts.onResponseOf) && !stored)
      throw new Error(`fake Discord: no message ${opts.messageId ?? `answering ${opts.onResponseOf}`} here`);
    const componentMessage = stored ?? {
      ...channelMessage(nextId(), interacting.channelId, {
        content: 'Pick one',
        components: [{ type: 1, components: [shown] }],
      }),
      ...(interacting.guildId ? { guild_id: interacting.guildId } : {}),
      ...opts.message,
    };
    interacting.componentMessage = componentMessage;
    payload.message = componentMessage;
    payload.data = typeof data === 'function' ? data(interacting) : data;
    return deliver(interacting, payload);
  };

  /** A command's data as Discord sends it: its id, name and options (type 1: a chat input command). */
  const commandData = (opts: CommandOptions, interacting: InteractionState): Json => {
    const name = opts.name ?? 'mailsettings';
    return {
      id: commandId(name),
      name,
      type: 1,
      options: opts.options,
      ...(interacting.guildId ? { guild_id: interacting.guildId } : {}),
    };
  };

  const deliver = (interacting: InteractionState, payload: Json): Dispatched => {
    if (gateway.readyCount() === 0) throw new Error('fake Discord: no gateway session has been sent READY');
    state.interactions.set(interacting.id, interacting);
    state.byToken.set(interacting.token, interacting);
    gateway.dispatchAll('INTERACTION_CREATE', payload);
    return { id: interacting.id, token: interacting.token, sentAt: performance.now() };
  };

  const waitFor: FakeDiscord['waitFor'] = (match, count = 1, timeoutMs = 5000) =>
    waitUntil(
      () => {
        const found = calls.filter(match);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      () =>
        `timed out waiting for ${count} matching REST call(s); saw ${calls.map((c) => `${c.method} ${c.path}`).join(', ') || 'none'}`,
    );
  const answerTo: FakeDiscord['answerTo'] = async ({ id, token }, timeoutMs = 10_000) => {
    const [callback] = await waitFor((c) => c.path === `/interactions/${id}/${token}/callback`, 1, timeoutMs);
    if ((callback?.body as { type?: number } | undefined)?.type !== 5) return callback as RestCall;
    const edited = (c: RestCall) => c.method === 'PATCH' && c.path.endsWith(`/${token}/messages/@original`);
    return (await waitFor(edited, 1, timeoutMs))[0] as RestCall;
  };

  return {
    apiUrl: `http://127.0.0.1:${port}/api`,
    applicationId: APPLICATION_ID,
    botUserId: APPLICATION_ID,
    guildId: DEFAULT_GUILD_ID,
    forumId: DEFAULT_FORUM_ID,
    calls,
    gateway: gateway.log,
    modals: state.modals,
    answerTo,
    waitFor,
    ready: (timeoutMs = 10_000) =>
      waitUntil(
        () => (gateway.readyCount() > 0 ? true : undefined),
        timeoutMs,
        () => `no gateway session became ready; upgrades: ${gateway.log.urls.join(', ') || 'none'}`,
      ).then(() => undefined),
    sendCommand: (opts) => {
      const { state: interacting, payload } = interaction(2, opts);
      payload.data = commandData(opts, interacting);
      return deliver(interacting, payload);
    },
    sendAutocomplete: (opts) => {
      const focused = (options: CommandOption[]): boolean =>
        options.some((option) => option.focused === true || focused(option.options ?? []));
      if (!focused(opts.options)) throw new Error('fake Discord: an autocomplete has one focused option');
      const { state: interacting, payload } = interaction(4, opts);
      payload.data = commandData(opts, interacting);
      return deliver(interacting, payload);
    },
    sendUserSelect: (opts) =>
      component(opts, { type: 5, custom_id: opts.customId }, (interacting) => ({
        custom_id: opts.customId,
        component_type: 5,
        values: opts.values,
        resolved: resolvedUsers(state, opts.values, interacting.channelId),
      })),
    addMember: (userId, member) => {
      state.members.set(userId, member);
    },
    sendButton: (opts) =>
      component(
        opts,
        { type: 2, style: 1, label: 'Button', custom_id: opts.customId },
        {
          custom_id: opts.customId,
          component_type: 2,
        },
      ),
    sendSelect: (opts) =>
      component(
        opts,
        { type: 3, custom_id: opts.customId, options: opts.values.map((value) => ({ label: value, value })) },
        { custom_id: opts.customId, component_type: 3, values: opts.values },
      ),
    sendModalSubmit: (opts) => {
      const modal = state.modals.findLast((shown) => shown.customId === opts.customId && !shown.submitted);
      if (!modal) {
        const open = state.modals.filter((shown) => !shown.submitted).map((shown) => shown.customId);
        throw new Error(
          `fake Discord: no open modal "${opts.customId}" (open: ${open.join(', ') || 'none'})`,
        );
      }
      const components = modalSubmitComponents(
        { custom_id: modal.customId, components: modal.components },
        opts.fields,
      );
      const { state: interacting, payload } = interaction(5, { channelId: modal.channelId, ...opts });
      modal.submitted = true;
      // A modal opened from a button submits with that button's message (updates then edit it).
      const message = modal.from.componentMessage;
      if (message) {
        interacting.componentMessage = message;
        payload.message = message;
      }
      payload.data = { custom_id: modal.customId, components };
      return deliver(interacting, payload);
    },
    expire: (interactionId) => {
      state.expired.add(interactionId);
    },
    channel: (id) => state.channels.get(id),
    threads: () => [...state.channels.values()].filter((channel) => channel.parent_id === DEFAULT_FORUM_ID),
    messages: (channelId) => [...(state.messages.get(channelId) ?? [])],
    waitForMessages: (channelId, count = 1, match = () => true, timeoutMs = 5000) =>
      waitUntil(
        () => {
          const found = (state.messages.get(channelId) ?? []).filter(match);
          return found.length >= count ? found : undefined;
        },
        timeoutMs,
        () => `timed out waiting for ${count} message(s) in ${channelId}`,
      ),
    tagId: (name) => {
      const forum = state.channels.get(DEFAULT_FORUM_ID) as Json;
      const tag = (forum.available_tags as Json[]).find((candidate) => candidate.name === name);
      if (!tag) throw new Error(`fake Discord: the forum has no tag "${name}"`);
      return String(tag.id);
    },
    setOverwrites: (channelId, overwrites) => {
      const channel = state.channels.get(channelId);
      if (!channel) throw new Error(`fake Discord: no channel ${channelId}`);
      channel.permission_overwrites = overwrites;
      state.dispatch('CHANNEL_UPDATE', channel);
    },
    archive: (threadId) => {
      const thread = state.channels.get(threadId);
      if (!thread?.thread_metadata) throw new Error(`fake Discord: ${threadId} is not a thread`);
      setArchived(state, thread, true);
    },
    restore: (posts) => {
      for (const { thread, messages } of posts) {
        const id = String(thread.id);
        state.channels.set(id, {
          ...thread,
          parent_id: DEFAULT_FORUM_ID,
          guild_id: DEFAULT_GUILD_ID,
          applied_tags: [],
        });
        state.messages.set(
          id,
          messages.map((message) => ({ ...message, channel_id: id })),
        );
      }
    },
    failRest: limits.fail,
    outage: limits.outage,
    holdRest(match) {
      let reached = () => {};
      let release = () => {};
      const hold = {
        match,
        reached: () => reached(),
        released: new Promise<void>((resolve) => {
          release = resolve;
        }),
      };
      holds.push(hold);
      return { reached: new Promise<void>((resolve) => (reached = resolve)), release };
    },
    close: async () => {
      await gateway.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Users chosen in a user select, as `data.resolved` carries them: each user, and each as a member here. */
function resolvedUsers(state: DiscordState, ids: string[], channelId: string): Json {
  const users: Json = {};
  const members: Json = {};
  const channel = state.channels.get(channelId) ?? textChannel(channelId, DEFAULT_GUILD_ID);
  const permissionState = {
    guildId: DEFAULT_GUILD_ID,
    roles: [everyoneRole(), ...state.roles],
    botRoles: state.botRoles,
    channels: state.channels,
    ownerId: String(guildObject().owner_id),
  };
  for (const id of ids) {
    const member = state.members.get(id);
    if (!member) throw new Error(`fake Discord: ${id} is not a member of the guild, so no menu offers them`);
    const user = userObject(id, member);
    users[id] = user;
    members[id] = resolvedMember(
      user,
      member,
      permissionsIn(permissionState, { id, roles: member.roles ?? [] }, channel),
    );
  }
  return { users, members };
}

/** The guild as GUILD_CREATE delivers it to a bot with the Guilds intent (Guild Create, gateway events). */
function guildCreate(state: DiscordState): Json {
  const channels = [...state.channels.values()];
  const strip = ({ guild_id: _, ...channel }: Json) => channel;
  return {
    ...guildObject(),
    roles: [everyoneRole(), ...state.roles],
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [memberObject(botUser, { nick: null, roles: state.botRoles })],
    channels: channels.filter((channel) => !channel.thread_metadata).map(strip),
    threads: channels.filter(
      (channel) => channel.thread_metadata && !(channel.thread_metadata as Json).archived,
    ),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
  };
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** A stable command id per name, so repeated dispatches look like the same registered command. */
function commandId(name: string): string {
  let hash = 0n;
  for (const char of name) hash = (hash * 31n + BigInt(char.codePointAt(0) ?? 0)) % 10n ** 17n;
  return (500_000_000_000_000_000n + hash).toString();
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
      if (typeof value !== 'string')
        files.push({
          field,
          name: value.name,
          size: value.size,
          data: Buffer.from(await value.arrayBuffer()),
        });
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
