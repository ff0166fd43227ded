// Slack's Web API methods the bot calls, answered as Slack answers them (method reference pages on
// docs.slack.dev): auth.test, chat.postMessage / chat.update / chat.postEphemeral with the messages they
// leave in each channel, users.info, conversations.open (a direct conversation), the file upload of
// files.uploadV2 (files.getUploadURLExternal, the bytes to the upload URL, files.completeUploadExternal,
// which shares the file as a message), and the scope checks and failures around every call. Every answer
// carries x-oauth-scopes, the token's granted scopes, which @slack/web-api 8 exposes as
// response_metadata.scopes (WebClient.buildResult); a missing scope answers missing_scope with needed and
// provided, plus x-accepted-oauth-scopes.
import { APP_ID, BOT_ID, BOT_USER_ID, nextTs, TEAM_ID, WORKSPACE_URL } from './fake-slack-payloads.js';
import { createViews } from './fake-slack-views.js';

type Json = Record<string, unknown>;

/** The manifest's bot scopes plus the relay's history scopes. */
export const DEFAULT_SCOPES = [
  'commands',
  'chat:write',
  'app_mentions:read',
  'im:history',
  'channels:history',
  'groups:history',
];

/** A workspace member for users.info. */
export interface SlackUser {
  name: string;
  realName?: string;
  /** Empty unless the person set one, as in Slack. */
  displayName?: string;
  /** Their profile's email address, which users.info shows only to a token with users:read.email. */
  email?: string;
  isBot?: boolean;
}

/** A message the bot posted, as tests read it. */
export interface SlackPost {
  channel: string;
  ts: string;
  thread_ts?: string;
  text?: string;
  blocks?: Json[];
  /** As sent, whether Slack honoured them or not (it does only with chat:write.customize). */
  username?: string;
  icon_url?: string;
  icon_emoji?: string;
  /** chat.postEphemeral: the one person who sees it; such messages are not in channel history. */
  ephemeralTo?: string;
  /** Files shared with the message (files.completeUploadExternal). */
  files?: SlackFile[];
  /** The message as Slack shows it (what chat.postMessage returned; chat.update applies to it). */
  message: Json;
}

/** A file uploaded through files.getUploadURLExternal and the upload URL. */
export interface SlackFile {
  id: string;
  name: string;
  title?: string;
  /** The bytes sent to the upload URL, as text. */
  content: string;
  /** Where files.completeUploadExternal shared it, and with which comment. */
  channel?: string;
  thread_ts?: string;
  initial_comment?: string;
}

/**
 * A scripted failure of the next call(s) of one method. `error` alone answers HTTP 200 {ok:false, error}
 * as Slack does for channel_not_found / not_in_channel; `status` 429 answers {ok:false, error:'ratelimited'}
 * with Retry-After (seconds; @default 1); 500/503 answer that status.
 */
export interface SlackFailure {
  error?: string;
  status?: 429 | 500 | 503;
  retryAfterSeconds?: number;
  /** @default 1 */
  times?: number;
  /** Calls of the method that go through first (the failure is the next but `after`). @default 0 */
  after?: number;
}

/** The scope each method needs (each method's "Required scopes"). */
const NEEDS: Record<string, string> = {
  'chat.postMessage': 'chat:write',
  'chat.update': 'chat:write',
  'chat.postEphemeral': 'chat:write',
  'users.info': 'users:read',
  'files.getUploadURLExternal': 'files:write',
  'files.completeUploadExternal': 'files:write',
  // Any of channels:manage, groups:write, im:write, mpim:write; a direct conversation needs im:write.
  'conversations.open': 'im:write',
};

/** files.completeUploadExternal's check on channel_id (it takes no user ids: slackapi/bolt-js#2115). */
const CONVERSATION_ID = /^[CGDZ][A-Z0-9]{8,}$/;

/** chat.postMessage limits: text is truncated past 40,000 characters; blocks are at most 50. */
const MAX_TEXT = 40_000;
const MAX_BLOCKS = 50;

export interface WebApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: Json;
}

export function createWebApi(options: {
  scopes?: string[];
  users?: Record<string, SlackUser>;
  /** Where uploads go: the upload URL for a file id. */
  uploadUrl: (fileId: string) => string;
}) {
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const users = options.users ?? {};
  const channels = new Map<string, SlackPost[]>();
  const files = new Map<string, SlackFile & { length: number; uploaded: boolean }>();
  let fileCount = 0;
  const failures = new Map<string, SlackFailure[]>();
  let down = false;
  const granted = (scope: string) => scopes.includes(scope);

  const posted = (channel: string) => {
    const list = channels.get(channel) ?? [];
    channels.set(channel, list);
    return list;
  };
  const find = (channel: string, ts: string) => channels.get(channel)?.find((post) => post.ts === ts);

  const botProfile = {
    id: BOT_ID,
    deleted: false,
    name: 'mailsettings',
    updated: 1_700_000_000,
    app_id: APP_ID,
    icons: {
      image_36: 'https://a.slack-edge.com/bot_36.png',
      image_48: 'https://a.slack-edge.com/bot_48.png',
    },
    team_id: TEAM_ID,
  };

  /**
   * The message as Slack stores it. username / icon_url / icon_emoji take effect only with
   * chat:write.customize (the scope's page and chat.postMessage "Authorship"); without it Slack answers ok and
   * posts under the app's own name, ignoring them silently (papercups-io/papercups PR #522: "tested, seems to
   * just ignore these fields when scope is missing"; slackapi/python-slack-sdk #978: a chat:write bot's post
   * went through, without the icon). With it the post is a bot_message carrying username and icons instead
   * of user and bot_profile (as captured bot_message payloads show).
   */
  const messageOf = (channel: string, body: Json, ts: string, threadTs?: string): Json => {
    const custom =
      granted('chat:write.customize') && (body.username || body.icon_url || body.icon_emoji)
        ? {
            subtype: 'bot_message',
            username: body.username ?? 'mailsettings',
            icons: body.icon_emoji
              ? { emoji: body.icon_emoji }
              : body.icon_url
                ? { image_48: body.icon_url }
                : botProfile.icons,
          }
        : undefined;
    const parent = threadTs ? find(channel, threadTs) : undefined;
    return {
      ...(custom ? {} : { user: BOT_USER_ID }),
      type: 'message',
      ts,
      bot_id: BOT_ID,
      app_id: APP_ID,
      text: typeof body.text === 'string' ? body.text : '',
      team: TEAM_ID,
      ...(custom ?? { bot_profile: botProfile }),
      ...(threadTs ? { thread_ts: threadTs, ...(parent ? { parent_user_id: BOT_USER_ID } : {}) } : {}),
      ...(Array.isArray(body.blocks) ? { blocks: withBlockIds(body.blocks as Json[]) } : {}),
    };
  };

  const invalid = (body: Json): string | undefined => {
    if (typeof body.channel !== 'string' || body.channel === '') return 'channel_not_found';
    const hasText = typeof body.text === 'string' && body.text !== '';
    if (!hasText && !Array.isArray(body.blocks) && !body.attachments) return 'no_text';
    if (typeof body.text === 'string' && body.text.length > MAX_TEXT) return 'msg_too_long';
    if (Array.isArray(body.blocks) && body.blocks.length > MAX_BLOCKS) return 'invalid_blocks';
    return undefined;
  };

  const views = createViews();
  const methods: Record<string, (body: Json) => Json> = {
    ...views.methods,
    'auth.test': () => ({
      ok: true,
      url: WORKSPACE_URL,
      team: 'Fake Workspace',
      user: 'mailsettings',
      team_id: TEAM_ID,
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
      is_enterprise_install: false,
    }),
    'chat.postMessage': (body) => {
      const error = invalid(body);
      if (error) return { ok: false, error };
      const channel = String(body.channel);
      const ts = nextTs();
      const threadTs =
        typeof body.thread_ts === 'string' && body.thread_ts !== '' ? body.thread_ts : undefined;
      const message = messageOf(channel, body, ts, threadTs);
      posted(channel).push(postOf(channel, ts, body, message, threadTs));
      return { ok: true, channel, ts, message };
    },
    'chat.postEphemeral': (body) => {
      const error = invalid(body);
      if (error) return { ok: false, error };
      if (typeof body.user !== 'string') return { ok: false, error: 'user_not_in_channel' };
      const channel = String(body.channel);
      const ts = nextTs();
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      const post = postOf(channel, ts, body, messageOf(channel, body, ts, threadTs), threadTs);
      posted(channel).push({ ...post, ephemeralTo: body.user });
      return { ok: true, message_ts: ts };
    },
    'chat.update': (body) => {
      const post = find(String(body.channel), String(body.ts));
      if (!post || post.ephemeralTo) return { ok: false, error: 'message_not_found' };
      const error = invalid({ ...post.message, ...body });
      if (error) return { ok: false, error };
      // chat.update keeps the previous blocks when none are sent; an empty array removes them.
      if (typeof body.text === 'string') post.text = post.message.text = body.text;
      if (Array.isArray(body.blocks)) post.message.blocks = post.blocks = withBlockIds(body.blocks as Json[]);
      post.message.edited = { user: BOT_USER_ID, ts: nextTs() };
      return { ok: true, channel: post.channel, ts: post.ts, text: post.message.text, message: post.message };
    },
    'conversations.open': (body) => {
      const user = String(body.users ?? '');
      if (!/^[UW][A-Z0-9]+$/.test(user)) return { ok: false, error: 'user_not_found' };
      return { ok: true, channel: { id: directChannelOf(user) } };
    },
    'files.getUploadURLExternal': (body) => {
      const length = Number(body.length);
      if (typeof body.filename !== 'string' || !(length > 0)) return { ok: false, error: 'missing_argument' };
      const id = `F${String(++fileCount).padStart(10, '0')}`;
      files.set(id, { id, name: body.filename, content: '', length, uploaded: false });
      return { ok: true, upload_url: options.uploadUrl(id), file_id: id };
    },
    'files.completeUploadExternal': (body) => {
      const list = (typeof body.files === 'string' ? JSON.parse(body.files) : body.files) as Json[];
      const channel = typeof body.channel_id === 'string' ? body.channel_id : undefined;
      if (channel !== undefined && !CONVERSATION_ID.test(channel))
        return { ok: false, error: 'invalid_arguments' };
      const done = list.map((entry) => files.get(String(entry.id)));
      if (done.some((file) => !file?.uploaded)) return { ok: false, error: 'file_not_found' };
      const shared = done.map((file, index) =>
        Object.assign(file as SlackFile, {
          title: String(list[index]?.title ?? file?.name),
          ...(channel ? { channel } : {}),
          ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
          ...(typeof body.initial_comment === 'string' ? { initial_comment: body.initial_comment } : {}),
        }),
      );
      // Shared in a conversation, the files arrive as one message of the bot's there.
      if (channel) {
        const ts = nextTs();
        const text = typeof body.initial_comment === 'string' ? body.initial_comment : '';
        const message = messageOf(channel, { text }, ts, shared[0]?.thread_ts);
        posted(channel).push({
          ...postOf(channel, ts, { text }, message, shared[0]?.thread_ts),
          files: shared,
        });
      }
      return {
        ok: true,
        files: shared.map((file) => ({
          id: file.id,
          name: file.name,
          title: file.title,
          size: file.content.length,
        })),
      };
    },
    'users.info': (body) => {
      const id = String(body.user ?? '');
      const user = users[id];
      if (!user) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: userObject(id, user, granted('users:read.email')) };
    },
  };

  const answer = (method: string, body: Json, authorized: boolean): WebApiAnswer => {
    const headers: Record<string, string> = { 'x-oauth-scopes': scopes.join(',') };
    const needs = NEEDS[method];
    if (needs) headers['x-accepted-oauth-scopes'] = needs;
    if (down) return { status: 503, headers, body: { ok: false, error: 'service_unavailable' } };
    const failure = takeFailure(failures, method);
    if (failure?.status === 429) {
      headers['retry-after'] = String(failure.retryAfterSeconds ?? 1);
      return { status: 429, headers, body: { ok: false, error: failure.error ?? 'ratelimited' } };
    }
    if (failure?.status)
      return { status: failure.status, headers, body: { ok: false, error: 'fatal_error' } };
    if (failure?.error) return { status: 200, headers, body: { ok: false, error: failure.error } };
    if (!authorized) return { status: 200, headers, body: { ok: false, error: 'not_authed' } };
    if (needs && !granted(needs)) {
      const body = { ok: false, error: 'missing_scope', needed: needs, provided: scopes.join(',') };
      return { status: 200, headers, body };
    }
    const handle = methods[method];
    return { status: 200, headers, body: handle ? handle(body) : { ok: false, error: 'unknown_method' } };
  };

  /** The bytes sent to a file's upload URL; false when no upload was started for that id. */
  const upload = (fileId: string, content: Buffer): boolean => {
    const file = files.get(fileId);
    if (!file) return false;
    Object.assign(file, { content: content.toString('utf8'), uploaded: true });
    return true;
  };

  return {
    answer,
    upload,
    views,
    files: (): SlackFile[] => [...files.values()].filter((file) => file.uploaded),
    messages: (channel: string): SlackPost[] => [...(channels.get(channel) ?? [])],
    failNext: (method: string, failure: SlackFailure) => {
      const list = failures.get(method) ?? [];
      for (let i = 0; i < (failure.after ?? 0); i++) list.push({});
      for (let i = 0; i < (failure.times ?? 1); i++) list.push(failure);
      failures.set(method, list);
    },
    outage: (on: boolean) => {
      down = on;
    },
  };
}

/** The id of the direct conversation between the bot and a user, the same every time. */
export function directChannelOf(user: string): string {
  return `D${user.replace(/^[UW]/, '').padStart(10, '0')}`;
}

/** The failure scripted for this call; an empty one (a call let through first, see `after`) is none. */
function takeFailure(failures: Map<string, SlackFailure[]>, method: string): SlackFailure | undefined {
  const next = failures.get(method)?.shift();
  return next && (next.error || next.status) ? next : undefined;
}

function postOf(channel: string, ts: string, body: Json, message: Json, threadTs?: string): SlackPost {
  return {
    channel,
    ts,
    ...(threadTs ? { thread_ts: threadTs } : {}),
    ...(typeof body.text === 'string' ? { text: body.text } : {}),
    ...(Array.isArray(message.blocks) ? { blocks: message.blocks as Json[] } : {}),
    ...(typeof body.username === 'string' ? { username: body.username } : {}),
    ...(typeof body.icon_url === 'string' ? { icon_url: body.icon_url } : {}),
    ...(typeof body.icon_emoji === 'string' ? { icon_emoji: body.icon_emoji } : {}),
    message,
  };
}

/** Slack gives every block without a block_id one of its own. */
function withBlockIds(blocks: Json[]): Json[] {
  return blocks.map((block, index) => ({ ...block, block_id: block.block_id ?? `blk${index}` }));
}

/** The user object of users.info (its reference example); profile.email only with users:read.email. */
function userObject(id: string, user: SlackUser, withEmail: boolean): Json {
  const realName = user.realName ?? user.name;
  const displayName = user.displayName ?? '';
  return {
    id,
    team_id: TEAM_ID,
    name: user.name,
    deleted: false,
    color: '9f69e7',
    real_name: realName,
    tz: 'Europe/Berlin',
    tz_label: 'Central European Time',
    tz_offset: 3600,
    profile: {
      title: '',
      phone: '',
      skype: '',
      real_name: realName,
      real_name_normalized: realName,
      display_name: displayName,
      display_name_normalized: displayName,
      status_text: '',
      status_emoji: '',
      ...(withEmail && user.email ? { email: user.email } : {}),
      avatar_hash: 'g0000000000',
      image_48: 'https://secure.gravatar.com/avatar/0.jpg?s=48',
      image_72: 'https://secure.gravatar.com/avatar/0.jpg?s=72',
      team: TEAM_ID,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: user.isBot ?? false,
    is_app_user: false,
    updated: 1_700_000_000,
    is_email_confirmed: true,
    who_can_share_contact_card: 'EVERYONE',
  };
}
