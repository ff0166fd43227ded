// Discord's REST routes the bot uses, answered as Discord answers them: GET /gateway/bot; interaction
// callbacks (messages, deferrals, updates, modals), the @original message and follow-ups; command
// registration; and for case posts, channels (Get / Modify Channel), Start Thread in Forum, and Create / Edit /
// Get Message (developers/resources/channel.mdx, message.mdx, interactions/receiving-and-responding.mdx).
// Sending into an archived thread unarchives it; thread and channel changes are dispatched on the gateway
// (THREAD_CREATE, THREAD_UPDATE, CHANNEL_UPDATE, all in the Guilds intent).
import { PermissionFlagsBits } from 'discord.js';
import {
  APPLICATION_ID,
  ApiError,
  botThreadMember,
  botUser,
  ChannelType,
  channelMessage,
  DEFAULT_GUILD_ID,
  emptyMessage,
  everyoneRole,
  forumTag,
  guildObject,
  invalidForm,
  type Json,
  type MemberOptions,
  memberObject,
  notFound,
  numberComponents,
  REQUIRE_TAG,
  richEmbeds,
  threadChannel,
  unknownChannel,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
  userObject,
} from './fake-discord-objects.js';
import { botMay, type PermissionState } from './fake-discord-permissions.js';

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  guildId: string | null;
  channelId: string;
  user: Json;
  /** The message a component sits on (buttons, and modals opened from them). */
  componentMessage?: Json;
  acknowledged: boolean;
  /** The @original response message, once there is one. */
  original?: Json;
  followUps: Map<string, Json>;
}

/** A modal the bot opened (interaction callback type 9), as tests read it. */
export interface ShownModal {
  interactionId: string;
  customId: string;
  title: string;
  components: Json[];
  channelId: string;
  submitted: boolean;
  /** The interaction that opened it, whose message (if a button's) the submit carries. */
  from: InteractionState;
}

export interface DiscordState {
  nextId: () => string;
  channels: Map<string, Json>;
  messages: Map<string, Json[]>;
  interactions: Map<string, InteractionState>;
  byToken: Map<string, InteractionState>;
  expired: Set<string>;
  commands: Map<string, Json[]>;
  modals: ShownModal[];
  /** The guild's roles besides @everyone, as GET /guilds/{id} lists them. */
  roles: Json[];
  /** The roles the bot's member holds. */
  botRoles: string[];
  /** The guild's other members, by user id (what a user select offers). */
  members: Map<string, MemberOptions>;
  /** The bot's messages sent with an enforced nonce, by nonce, each with when it was made. */
  nonces: Map<string, { message: Json; at: number }>;
  /** Sends a gateway event to every ready session. */
  dispatch: (t: string, d: unknown) => void;
}

const Callback = {
  Pong: 1,
  Message: 4,
  DeferredMessage: 5,
  DeferredUpdate: 6,
  Update: 7,
  AutocompleteResult: 8,
  Modal: 9,
} as const;
/** Interaction type 4: an option of a command being typed, answered only with choices (callback 8). */
const AUTOCOMPLETE = 4;
const Ephemeral = 1 << 6;
const Loading = 1 << 7;
const MAX_CONTENT = 2000;
const MAX_NONCE = 25;
/** Discord says "the past few minutes"; the fake takes two. */
const NONCE_WINDOW_MS = 2 * 60_000;
const MAX_TAGS_APPLIED = 5;

const isThread = (channel: Json) => channel.type === ChannelType.PublicThread;
const metadata = (thread: Json) => thread.thread_metadata as Json;

/** Adds a message to its channel; in a thread, counts it and unarchives the thread as Discord does. */
export function addMessage(state: DiscordState, channelId: string, message: Json): void {
  const list = state.messages.get(channelId) ?? [];
  state.messages.set(channelId, list);
  const channel = state.channels.get(channelId);
  if (channel && isThread(channel)) {
    if (message.id !== channelId) {
      channel.message_count = Number(channel.message_count) + 1;
      channel.total_message_sent = Number(channel.total_message_sent) + 1;
    }
    message.position = list.length;
    if (metadata(channel).archived) setArchived(state, channel, false);
  }
  if (channel) channel.last_message_id = message.id;
  list.push(message);
}

/** Archives or unarchives a thread and tells the gateway (THREAD_UPDATE). */
export function setArchived(state: DiscordState, thread: Json, archived: boolean): void {
  Object.assign(metadata(thread), { archived, archive_timestamp: new Date().toISOString() });
  state.dispatch('THREAD_UPDATE', thread);
}

export function createRoutes(state: DiscordState, gatewayUrl: () => string) {
  /** A message built from a callback/webhook body, as Discord echoes it. */
  const responseMessage = (
    interaction: InteractionState,
    data: Json | undefined,
    fields: Json = {},
  ): Json => ({
    ...channelMessage(state.nextId(), interaction.channelId, data ?? {}),
    type: interaction.type === 2 ? 20 : 0,
    ...(interaction.guildId ? { guild_id: interaction.guildId } : {}),
    application_id: APPLICATION_ID,
    webhook_id: APPLICATION_ID,
    interaction_metadata: {
      id: interaction.id,
      type: interaction.type,
      user: interaction.user,
      authorizing_integration_owners: interaction.guildId
        ? { '0': interaction.guildId }
        : { '1': interaction.user.id },
    },
    ...fields,
  });
  /** Response messages everyone sees are messages of the channel too. */
  const shown = (interaction: InteractionState, message: Json): Json => {
    if (((message.flags as number) & Ephemeral) === 0) addMessage(state, interaction.channelId, message);
    return message;
  };

  const callback = (id: string, token: string, query: URLSearchParams, body: Json) => {
    const interaction = state.interactions.get(id);
    if (!interaction || interaction.token !== token || state.expired.has(id)) throw unknownInteraction();
    if (interaction.acknowledged)
      throw new ApiError(400, 40060, 'Interaction has already been acknowledged.');
    const type = Number(body.type);
    const data = (body.data ?? undefined) as Json | undefined;
    // An autocomplete takes choices and nothing else; choices answer nothing else.
    if ((interaction.type === AUTOCOMPLETE) !== (type === Callback.AutocompleteResult))
      throw new ApiError(400, 50035, 'Invalid Form Body');
    if (type === Callback.AutocompleteResult) checkChoices(data);
    if (type === Callback.Message)
      interaction.original = shown(interaction, responseMessage(interaction, data));
    else if (type === Callback.DeferredMessage) {
      const flags = (typeof data?.flags === 'number' ? data.flags : 0) | Loading;
      interaction.original = shown(interaction, responseMessage(interaction, undefined, { flags }));
    } else if (type === Callback.DeferredUpdate || type === Callback.Update) {
      if (!interaction.componentMessage) throw new ApiError(400, 50035, 'Invalid Form Body');
      interaction.original = interaction.componentMessage;
      if (type === Callback.Update && data) edit(interaction.original, data);
    } else if (type === Callback.Modal) openModal(interaction, data);
    interaction.acknowledged = true;
    if (query.get('with_response') !== 'true') return undefined;
    const original = interaction.original;
    return {
      interaction: {
        id: interaction.id,
        type: interaction.type,
        ...(original
          ? {
              response_message_id: original.id,
              response_message_loading: type === Callback.DeferredMessage,
              response_message_ephemeral: ((original.flags as number) & Ephemeral) === Ephemeral,
            }
          : {}),
      },
      resource: { type, ...(original && type !== Callback.Modal ? { message: original } : {}) },
    };
  };

  const openModal = (interaction: InteractionState, data: Json | undefined) => {
    // A modal cannot answer a modal submit; it needs a custom_id, a title and components.
    const components = Array.isArray(data?.components) ? (data.components as Json[]) : [];
    if (
      interaction.type === 5 ||
      typeof data?.custom_id !== 'string' ||
      data.custom_id.length > 100 ||
      !data.title ||
      String(data.title).length > 45 ||
      components.length === 0 ||
      components.length > 5
    )
      throw new ApiError(400, 50035, 'Invalid Form Body');
    components.forEach(checkModalComponent);
    state.modals.push({
      interactionId: interaction.id,
      customId: data.custom_id,
      title: String(data.title),
      components: numberComponents(components),
      channelId: interaction.channelId,
      submitted: false,
      from: interaction,
    });
  };

  const webhook = (method: string, parts: string[], body: Json): [number, unknown] => {
    const [, appId = '', token = '', messages, messageId = ''] = parts;
    const interaction = state.byToken.get(token);
    if (appId !== APPLICATION_ID || !interaction) throw unknownWebhook();
    if (method === 'POST' && parts.length === 3) {
      if (!interaction.acknowledged) throw unknownWebhook();
      const followUp = shown(interaction, responseMessage(interaction, body));
      interaction.followUps.set(String(followUp.id), followUp);
      return [200, followUp];
    }
    if (messages === 'messages' && parts.length === 5) {
      const found = messageId === '@original' ? interaction.original : interaction.followUps.get(messageId);
      if (!found) throw unknownMessage();
      if (method === 'PATCH') return [200, edit(found, body)];
      if (method === 'DELETE') {
        // Delete Original Interaction Response / Followup Message: 204, and gone from the channel.
        if (messageId === '@original') interaction.original = undefined;
        else interaction.followUps.delete(messageId);
        const list = state.messages.get(interaction.channelId);
        if (list?.includes(found)) list.splice(list.indexOf(found), 1);
        return [204, undefined];
      }
    }
    throw notFound();
  };

  const putCommands = (key: string, body: unknown, guildId?: string) => {
    const list = (Array.isArray(body) ? body : []) as Json[];
    const previous = new Map((state.commands.get(key) ?? []).map((c) => [c.name, c.id]));
    const stored = list.map((command) => ({
      type: 1,
      description: '',
      default_member_permissions: null,
      nsfw: false,
      ...command,
      id: previous.get(command.name) ?? state.nextId(),
      application_id: APPLICATION_ID,
      version: state.nextId(),
      ...(guildId ? { guild_id: guildId } : {}),
    }));
    state.commands.set(key, stored);
    return stored;
  };

  const channelOf = (id: string) => {
    const channel = state.channels.get(id);
    if (!channel) throw unknownChannel();
    return channel;
  };
  const withMember = (channel: Json) =>
    isThread(channel) && channel.owner_id === APPLICATION_ID
      ? { ...channel, member: botThreadMember(String(channel.id)) }
      : channel;

  const permissions = (): PermissionState => ({
    guildId: DEFAULT_GUILD_ID,
    roles: [everyoneRole(), ...state.roles],
    botRoles: state.botRoles,
    channels: state.channels,
  });
  const mustMay = (channel: Json, needed: bigint) => {
    if (!botMay(permissions(), channel, needed)) throw new ApiError(403, 50013, 'Missing Permissions');
  };

  /** Start Thread in Forum or Media Channel: the thread, with its first message (same id) nested. */
  const startForumThread = (forum: Json, body: Json): Json => {
    if (forum.type !== ChannelType.GuildForum)
      throw new ApiError(400, 50024, 'Cannot execute action on this channel type');
    mustMay(forum, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessages);
    if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 100)
      throw invalidForm('name', 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    const first = (body.message ?? {}) as Json;
    checkMessage(first);
    const tags = checkTags(forum, body.applied_tags);
    if (tags.length === 0 && (Number(forum.flags) & REQUIRE_TAG) !== 0)
      throw new ApiError(400, 40067, 'A tag is required to create a forum post in this channel');
    const id = state.nextId();
    const thread = threadChannel(id, forum, body.name, { ...body, applied_tags: tags });
    state.channels.set(id, thread);
    forum.last_message_id = id;
    const message = channelMessage(id, id, first);
    addMessage(state, id, message);
    state.dispatch('THREAD_CREATE', { ...thread, newly_created: true, member: botThreadMember(id) });
    return { ...thread, message };
  };

  const checkTags = (forum: Json, applied: unknown): string[] => {
    if (applied === undefined) return [];
    const known = new Set((forum.available_tags as Json[]).map((tag) => tag.id));
    const tags = Array.isArray(applied) ? applied.map(String) : [];
    if (tags.length > MAX_TAGS_APPLIED || tags.some((tag) => !known.has(tag)))
      throw invalidForm('applied_tags', 'BASE_TYPE_CHOICES', 'Value(s) not valid for applied_tags.');
    return tags;
  };

  const modifyChannel = (channel: Json, body: Json): Json => {
    if (isThread(channel)) {
      if (metadata(channel).archived && body.archived !== false)
        throw new ApiError(400, 50083, 'Thread is archived');
      const parent = state.channels.get(String(channel.parent_id)) ?? { available_tags: [] };
      if ('applied_tags' in body) channel.applied_tags = checkTags(parent, body.applied_tags);
      for (const key of ['name', 'flags', 'rate_limit_per_user'] as const)
        if (key in body) channel[key] = body[key];
      for (const key of ['archived', 'locked', 'auto_archive_duration'] as const)
        if (key in body) metadata(channel)[key] = body[key];
      if ('archived' in body) metadata(channel).archive_timestamp = new Date().toISOString();
      state.dispatch('THREAD_UPDATE', channel);
      return withMember(channel);
    }
    if ('available_tags' in body) {
      if (channel.type !== ChannelType.GuildForum) throw invalidForm('available_tags', 'BASE_TYPE_BAD', '');
      const tags = Array.isArray(body.available_tags) ? (body.available_tags as Json[]) : [];
      if (tags.length > 20)
        throw invalidForm('available_tags', 'BASE_TYPE_MAX_LENGTH', 'Must be 20 or fewer.');
      channel.available_tags = tags.map((tag) => forumTag(tag, state.nextId));
    }
    for (const key of ['name', 'topic', 'flags', 'default_auto_archive_duration'] as const)
      if (key in body) channel[key] = body[key];
    state.dispatch('CHANNEL_UPDATE', channel);
    return channel;
  };

  /**
   * Create Message's `nonce` (a string or integer of at most 25 characters) with `enforce_nonce`: a message the
   * bot made with the same nonce in the past few minutes is answered again, and no new one is made.
   */
  const sentBefore = (body: Json): Json | undefined => {
    if (body.nonce === undefined) return undefined;
    if (String(body.nonce).length > MAX_NONCE)
      throw invalidForm('nonce', 'BASE_TYPE_MAX_LENGTH', `Must be ${MAX_NONCE} or fewer in length.`);
    const kept = body.enforce_nonce === true ? state.nonces.get(String(body.nonce)) : undefined;
    return kept && Date.now() - kept.at < NONCE_WINDOW_MS ? kept.message : undefined;
  };

  const channels = (method: string, parts: string[], body: Json): [number, unknown] => {
    const [, channelId = '', sub, messageId] = parts;
    const channel = channelOf(channelId);
    if (parts.length === 2 && method === 'GET') return [200, withMember(channel)];
    if (parts.length === 2 && method === 'PATCH') return [200, modifyChannel(channel, body)];
    if (sub === 'threads' && parts.length === 3 && method === 'POST')
      return [201, startForumThread(channel, body)];
    if (sub !== 'messages') throw notFound();
    if (parts.length === 3 && method === 'POST') {
      if (channel.type === ChannelType.GuildForum)
        throw new ApiError(400, 50008, 'Cannot send messages in a non-text channel');
      if (isThread(channel))
        mustMay(channel, PermissionFlagsBits.ViewChannel | PermissionFlagsBits.SendMessagesInThreads);
      checkMessage(body);
      const again = sentBefore(body);
      if (again) return [200, again];
      const message = channelMessage(state.nextId(), channelId, body);
      addMessage(state, channelId, message);
      if (body.enforce_nonce === true && body.nonce !== undefined)
        state.nonces.set(String(body.nonce), { message, at: Date.now() });
      return [200, message];
    }
    const message = state.messages.get(channelId)?.find((m) => m.id === messageId);
    if (parts.length !== 4 || !message) throw parts.length === 4 ? unknownMessage() : notFound();
    if (method === 'GET') return [200, message];
    if (method === 'PATCH') {
      if ((message.author as Json).id !== botUser.id)
        throw new ApiError(403, 50005, 'Cannot edit a message authored by another user');
      if (typeof body.content === 'string' && body.content.length > MAX_CONTENT) tooLong();
      return [200, edit(message, body)];
    }
    throw notFound();
  };

  /** Returns [status, body]; body undefined means an empty response. */
  return (method: string, path: string, query: URLSearchParams, body: unknown): [number, unknown] => {
    const parts = path.split('/').slice(1);
    const json = (body ?? {}) as Json;
    const [top, b = '', c = '', d = ''] = parts;
    if (method === 'GET' && path === '/gateway/bot') {
      return [
        200,
        {
          url: gatewayUrl(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        },
      ];
    }
    if (method === 'POST' && top === 'interactions' && parts.length === 4 && d === 'callback') {
      const response = callback(b, c, query, json);
      return response ? [200, response] : [204, undefined];
    }
    if (top === 'webhooks' && parts.length >= 3) return webhook(method, parts, json);
    if (method === 'PUT' && top === 'applications' && b === APPLICATION_ID) {
      if (parts.length === 3 && c === 'commands') return [200, putCommands('global', body)];
      if (parts.length === 5 && c === 'guilds' && parts[4] === 'commands')
        return [200, putCommands(d, body, d)];
    }
    if (top === 'channels' && parts.length >= 2) return channels(method, parts, json);
    if (method === 'GET' && path === '/users/@me') return [200, botUser];
    if (method === 'GET' && top === 'guilds' && b === DEFAULT_GUILD_ID) {
      if (parts.length === 2) return [200, { ...guildObject(), roles: [everyoneRole(), ...state.roles] }];
      if (parts.length === 4 && c === 'members' && d === APPLICATION_ID)
        return [200, memberObject(botUser, { roles: state.botRoles })];
      const member = state.members.get(d);
      if (parts.length === 4 && c === 'members' && member)
        return [200, memberObject(userObject(d, member), member)];
      if (parts.length === 4 && c === 'members') throw new ApiError(404, 10007, 'Unknown Member');
    }
    if (top === 'guilds') throw new ApiError(404, 10004, 'Unknown Guild');
    throw notFound();
  };
}

/** Autocomplete choices (callback 8): at most 25, each name 1-100 characters, each value at most 100. */
function checkChoices(data: Json | undefined): void {
  const choices = Array.isArray(data?.choices) ? (data.choices as Json[]) : undefined;
  const fits = (choice: Json) =>
    typeof choice.name === 'string' &&
    choice.name.length >= 1 &&
    choice.name.length <= 100 &&
    String(choice.value ?? '').length <= 100;
  if (!choices || choices.length > 25 || !choices.every(fits))
    throw invalidForm('choices', 'BASE_TYPE_BAD_LENGTH', 'Must be 25 or fewer, each name 1 to 100 long.');
}

/**
 * A modal's top-level component as the components reference allows it: a Label (its text at most 45
 * characters, its description 100) around a text input (a prefilled value within its max_length and 4000) or
 * a select (a string select with 1 to 25 options, each label, value and description at most 100; never
 * disabled in a modal); a legacy action row; or a text display.
 */
function checkModalComponent(component: Json): void {
  const bad = (field: string) => invalidForm(field, 'BASE_TYPE_BAD', 'Invalid modal component.');
  if (component.type === 1 || component.type === 10) return;
  if (component.type !== 18) throw bad('components');
  if (String(component.label ?? '').length > 45 || String(component.description ?? '').length > 100)
    throw bad('label');
  const inner = (component.component ?? {}) as Json;
  if (inner.disabled) throw bad('disabled');
  if (inner.type === 4) {
    const max = typeof inner.max_length === 'number' ? inner.max_length : 4000;
    if (typeof inner.value === 'string' && inner.value.length > Math.min(max, 4000)) throw bad('value');
  } else if (inner.type === 3) {
    const options = Array.isArray(inner.options) ? (inner.options as Json[]) : [];
    const long = (option: Json) =>
      ['label', 'value', 'description'].some((key) => String(option[key] ?? '').length > 100);
    if (options.length < 1 || options.length > 25 || options.some(long)) throw bad('options');
  } else if (![5, 6, 7, 8].includes(Number(inner.type))) throw bad('component');
}

/** Create Message's rule: one of content, embeds, components, sticker_ids; content up to 2000 characters. */
function checkMessage(body: Json): void {
  const has = (key: string) =>
    Array.isArray(body[key]) ? (body[key] as unknown[]).length > 0 : Boolean(body[key]);
  if (!['content', 'embeds', 'components', 'sticker_ids', 'attachments'].some(has)) throw emptyMessage();
  if (typeof body.content === 'string' && body.content.length > MAX_CONTENT) tooLong();
}

function tooLong(): never {
  throw invalidForm('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
}

/** Applies PATCH fields to a stored message (only the keys that were sent, like Discord). */
function edit(target: Json, body: Json): Json {
  if (typeof body.content === 'string') target.content = body.content;
  if (Array.isArray(body.embeds)) target.embeds = richEmbeds(body.embeds);
  if (Array.isArray(body.components)) target.components = numberComponents(body.components);
  for (const key of ['attachments', 'flags'] as const) {
    if (key in body && body[key] !== null) target[key] = body[key];
  }
  if (typeof target.flags === 'number') target.flags &= ~Loading;
  target.edited_timestamp = new Date().toISOString();
  return target;
}
