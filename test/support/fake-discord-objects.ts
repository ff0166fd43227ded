// The objects fake Discord hands out, shaped as in Discord's API reference (developers/resources/channel.mdx,
// message.mdx, user.mdx, guild.mdx; developers/components/reference.mdx): users and guild members, the
// guild with its text and forum channels, forum threads, messages, component ids, and API errors.
type Json = Record<string, unknown>;

export type { Json };

export const DEFAULT_GUILD_ID = '200000000000000001';
export const DEFAULT_CHANNEL_ID = '300000000000000001';
export const DEFAULT_FORUM_ID = '300000000000000002';
export const DEFAULT_USER_ID = '400000000000000001';
export const APPLICATION_ID = '100000000000000001';

/** Channel types (Channel Types table). */
export const ChannelType = { GuildText: 0, DM: 1, GuildForum: 15, PublicThread: 11 } as const;
/** Channel flag REQUIRE_TAG: a forum post must carry a tag. */
export const REQUIRE_TAG = 1 << 4;

/** An error response: {code, message} (and `errors` for 50035 Invalid Form Body), with its HTTP status. */
export class ApiError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly message: string,
    readonly errors?: Json,
  ) {}
}
export const notFound = () => new ApiError(404, 0, '404: Not Found');
export const unknownChannel = () => new ApiError(404, 10003, 'Unknown Channel');
export const unknownMessage = () => new ApiError(404, 10008, 'Unknown Message');
export const unknownWebhook = () => new ApiError(404, 10015, 'Unknown Webhook');
export const unknownInteraction = () => new ApiError(404, 10062, 'Unknown interaction');
export const emptyMessage = () => new ApiError(400, 50006, 'Cannot send an empty message');
/** 50035 with Discord's nested `errors` object, e.g. {content: {_errors: [{code, message}]}}. */
export const invalidForm = (field: string, code: string, message: string) =>
  new ApiError(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });

/** Real-looking snowflakes: (ms since the Discord epoch) << 22 plus an increment. */
export function snowflakes(): () => string {
  let increment = 0n;
  return () => {
    increment = (increment + 1n) & 0xfffn;
    return (((BigInt(Date.now()) - 1_420_070_400_000n) << 22n) | (1n << 17n) | increment).toString();
  };
}

export const botUser: Json = {
  id: APPLICATION_ID,
  username: 'mailsettings',
  discriminator: '0',
  global_name: null,
  avatar: null,
  bot: true,
  public_flags: 0,
  flags: 0,
};

/** Who is interacting: `globalName` is the display name, `nick` the server nickname (null when unset). */
export interface MemberOptions {
  username?: string;
  globalName?: string | null;
  nick?: string | null;
  roles?: string[];
  /**
   * The member's permissions in the channel of the interaction, as Discord computes them (roles and
   * overwrites) and sends them in `member.permissions`: a bitfield as a decimal string. @default '0'
   */
  permissions?: string;
  /** The user is a bot (an app's), as `user.bot` says. */
  bot?: boolean;
}

export function userObject(id: string, member: MemberOptions = {}): Json {
  return {
    id,
    username: member.username ?? 'customer',
    discriminator: '0',
    global_name: member.globalName === undefined ? 'Customer' : member.globalName,
    avatar: null,
    ...(member.bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
  };
}

/**
 * A member as an interaction's resolved data carries it (a user chosen in a user select): the partial member,
 * without `user`, `deaf` and `mute`, with `permissions` in the interaction's channel; the user comes apart.
 */
export function resolvedMember(user: Json, member: MemberOptions, permissions: bigint): Json {
  const { user: _, deaf: __, mute: ___, ...partial } = memberObject(user, member);
  return { ...partial, permissions: permissions.toString(), banner: null, collectibles: null };
}

export function memberObject(user: Json, member: MemberOptions = {}): Json {
  return {
    user,
    roles: member.roles ?? [],
    permissions: member.permissions ?? '0',
    joined_at: '2024-01-01T00:00:00.000000+00:00',
    nick: member.nick ?? null,
    avatar: null,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    flags: 0,
    communication_disabled_until: null,
    unusual_dm_activity_until: null,
  };
}

export function textChannel(id: string, guildId: string): Json {
  return {
    id,
    type: ChannelType.GuildText,
    guild_id: guildId,
    name: 'support',
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

/** A forum tag as given in options: a name, or the fields of a Forum Tag object. */
export type TagOption = string | { name: string; moderated?: boolean; emoji_name?: string | null };

export function forumChannel(
  id: string,
  guildId: string,
  options: {
    name?: string;
    tags?: TagOption[];
    requireTag?: boolean;
    overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[];
  },
  nextId: () => string,
): Json {
  return {
    id,
    type: ChannelType.GuildForum,
    guild_id: guildId,
    name: options.name ?? 'cases',
    position: 1,
    permission_overwrites: options.overwrites ?? [],
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: options.requireTag ? REQUIRE_TAG : 0,
    available_tags: (options.tags ?? []).map((tag) => forumTag(tag, nextId)),
    default_reaction_emoji: null,
    default_thread_rate_limit_per_user: 0,
    default_auto_archive_duration: 4320,
    default_sort_order: null,
    default_forum_layout: 0,
    template: '',
  };
}

export function forumTag(tag: TagOption | Json, nextId: () => string): Json {
  const fields: Json = typeof tag === 'string' ? { name: tag } : tag;
  return {
    id: typeof fields.id === 'string' ? fields.id : nextId(),
    name: fields.name,
    moderated: fields.moderated ?? false,
    emoji_id: fields.emoji_id ?? null,
    emoji_name: fields.emoji_name ?? null,
  };
}

/** A forum post's thread channel (PUBLIC_THREAD), owned by the bot, as Start Thread in Forum returns it. */
export function threadChannel(id: string, forum: Json, name: string, body: Json): Json {
  const now = new Date().toISOString();
  return {
    id,
    type: ChannelType.PublicThread,
    guild_id: forum.guild_id,
    parent_id: forum.id,
    owner_id: APPLICATION_ID,
    name,
    last_message_id: id,
    message_count: 0,
    member_count: 1,
    rate_limit_per_user: typeof body.rate_limit_per_user === 'number' ? body.rate_limit_per_user : 0,
    thread_metadata: {
      archived: false,
      auto_archive_duration:
        typeof body.auto_archive_duration === 'number'
          ? body.auto_archive_duration
          : forum.default_auto_archive_duration,
      archive_timestamp: now,
      locked: false,
      create_timestamp: now,
    },
    total_message_sent: 0,
    flags: 0,
    applied_tags: Array.isArray(body.applied_tags) ? body.applied_tags : [],
  };
}

/** The thread member object of the bot in a thread it created (Get Channel includes it for threads). */
export function botThreadMember(threadId: string): Json {
  return { id: threadId, user_id: APPLICATION_ID, join_timestamp: new Date().toISOString(), flags: 1 };
}

/** A message the bot sends to a channel (Create Message): embeds come back with type 'rich', components numbered. */
export function channelMessage(id: string, channelId: string, body: Json): Json {
  return {
    id,
    type: 0,
    channel_id: channelId,
    content: typeof body.content === 'string' ? body.content : '',
    author: botUser,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: richEmbeds(body.embeds),
    components: numberComponents(body.components),
    pinned: false,
    flags: typeof body.flags === 'number' ? body.flags : 0,
    ...(body.nonce !== undefined ? { nonce: body.nonce } : {}),
  };
}

export const richEmbeds = (embeds: unknown): Json[] =>
  Array.isArray(embeds) ? (embeds as Json[]).map((embed) => ({ type: 'rich', ...embed })) : [];

/**
 * Gives every component without an `id` one: "generated sequentially if left empty", skipping ids already
 * used (components reference, "Anatomy of a Component"). Children of rows, labels and sections are numbered
 * after their parent.
 */
export function numberComponents(components: unknown): Json[] {
  if (!Array.isArray(components)) return [];
  const used = new Set<number>();
  const collect = (list: Json[]) => {
    for (const component of list) {
      if (typeof component.id === 'number' && component.id !== 0) used.add(component.id);
      collect(children(component));
    }
  };
  collect(components as Json[]);
  let next = 1;
  const number = (component: Json): Json => {
    let id = component.id;
    if (typeof id !== 'number' || id === 0) {
      while (used.has(next)) next += 1;
      id = next;
      used.add(next);
    }
    const numbered: Json = { ...component, id };
    if (Array.isArray(component.components))
      numbered.components = (component.components as Json[]).map(number);
    if (component.component) numbered.component = number(component.component as Json);
    if (component.accessory) numbered.accessory = number(component.accessory as Json);
    return numbered;
  };
  return (components as Json[]).map(number);
}

function children(component: Json): Json[] {
  return [
    ...(Array.isArray(component.components) ? (component.components as Json[]) : []),
    ...(component.component ? [component.component as Json] : []),
    ...(component.accessory ? [component.accessory as Json] : []),
  ];
}

const TEXT_INPUT = 4;
const SELECTS = new Set([3, 5, 6, 7, 8]);

/**
 * What a modal submit carries for `modal` filled with `fields` (custom_id → value): the modal's own layout,
 * each component reduced to type, id, custom_id and value (values for selects). A Label (18) wraps one
 * `component`; a legacy action row (1) holds text inputs; a text display (10) comes back as {type, id}
 * (components reference, "Text Input Interaction Response Structure" and its modal submit example).
 * Throws for what the Discord client would not let a person submit: a required input left empty, text over
 * max_length, a field the modal does not have.
 */
export function modalSubmitComponents(modal: Json, fields: Record<string, string | string[]>): Json[] {
  const numbered = numberComponents(modal.components);
  const seen = new Set<string>();
  const submitted = (component: Json): Json => {
    const base = { type: component.type, id: component.id };
    if (Array.isArray(component.components))
      return { ...base, components: (component.components as Json[]).map(submitted) };
    if (component.component) return { ...base, component: submitted(component.component as Json) };
    if (typeof component.custom_id !== 'string') return base;
    const customId = component.custom_id;
    seen.add(customId);
    const value = fields[customId];
    if (component.type === TEXT_INPUT) {
      // What is left as it was submits as it was: an input prefilled with `value` keeps it.
      const prefilled = typeof component.value === 'string' ? component.value : '';
      const text = typeof value === 'string' ? value : prefilled;
      if (component.required !== false && text === '')
        throw new Error(`fake Discord: modal field "${customId}" is required`);
      if (typeof component.max_length === 'number' && text.length > component.max_length)
        throw new Error(`fake Discord: modal field "${customId}" allows ${component.max_length} characters`);
      return { ...base, custom_id: customId, value: text };
    }
    if (SELECTS.has(Number(component.type))) {
      const values = Array.isArray(value) ? value : [];
      if (component.required !== false && values.length === 0)
        throw new Error(`fake Discord: modal select "${customId}" is required`);
      const offered = Array.isArray(component.options) ? (component.options as Json[]) : undefined;
      // A string select offers its options and nothing else.
      if (offered && values.some((chosen) => !offered.some((option) => option.value === chosen)))
        throw new Error(`fake Discord: modal select "${customId}" offers no such option`);
      return { ...base, custom_id: customId, values };
    }
    return { ...base, custom_id: customId };
  };
  const components = numbered.map(submitted);
  const unknown = Object.keys(fields).filter((key) => !seen.has(key));
  if (unknown.length > 0) throw new Error(`fake Discord: modal "${modal.custom_id}" has no field ${unknown}`);
  return components;
}

/** The guild's @everyone role (its id is the guild's), with Discord's default permissions for it. */
export function everyoneRole(): Json {
  return {
    id: DEFAULT_GUILD_ID,
    name: '@everyone',
    color: 0,
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position: 0,
    permissions: '2248473465835073',
    managed: false,
    mentionable: false,
    flags: 0,
  };
}

/** The guild object's own fields (Guild Resource), without its roles, channels and members. */
export function guildObject(): Json {
  return {
    id: DEFAULT_GUILD_ID,
    name: 'Hosting Support',
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: DEFAULT_USER_ID,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: 1,
    default_message_notifications: 1,
    explicit_content_filter: 2,
    emojis: [],
    stickers: [],
    features: ['COMMUNITY'],
    mfa_level: 0,
    application_id: null,
    system_channel_id: DEFAULT_CHANNEL_ID,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: 'en-US',
    public_updates_channel_id: null,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
  };
}
