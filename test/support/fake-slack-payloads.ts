// What Slack sends the app, built the way Slack builds it: signed requests (with the retry headers of a
// re-sent event), slash command forms, the text Slack delivers for what a person typed (slackMarkup), Events
// API deliveries of message events (a reply, an edit, a deletion, a file, the bot's own post), block_actions
// interaction forms, and the Socket Mode envelopes around them. Sources are cited at each builder.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { issueTrigger } from './fake-slack-triggers.js';

type Json = Record<string, unknown>;

export const TEAM_ID = 'T1';
export const TEAM_DOMAIN = 'hosting';
export const APP_ID = 'A1';
export const BOT_USER_ID = 'UBOT';
export const BOT_ID = 'BBOT';
export const WORKSPACE_URL = 'https://fake-workspace.slack.com/';

// From the time the process started, as Slack's are: a message of an earlier run (a database a test carries
// over, say) never shares a timestamp with one of this run.
let clock = BigInt(Date.now()) * 1000n;
/**
 * A message timestamp as Slack writes them, "seconds.microseconds": unique and increasing across everything
 * this process posts or builds, so a reply built after a post is later than it, as in Slack.
 */
export function nextTs(): string {
  clock += 1n;
  return `${clock / 1_000_000n}.${(clock % 1_000_000n).toString().padStart(6, '0')}`;
}

export interface SignedPostOptions {
  json?: boolean;
  timestamp?: number;
  signature?: string;
  /** Sends X-Slack-Retry-Num / X-Slack-Retry-Reason, as Slack does when it re-sends an event it thinks was
   * missed (Events API, "Retries": http_timeout, connection_failed, ssl_error, http_error, ...). */
  retry?: { num: number; reason?: string };
}

/** Slack's request signature (Verifying requests from Slack): v0 HMAC-SHA256 over "v0:timestamp:body". */
export function slackSignature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** A request exactly as Slack sends it, signed with slackSignature. */
export function signedPost(
  url: string,
  secret: string,
  body: string,
  options: SignedPostOptions = {},
): Promise<{ status: number; body: string; ms: number; headers: Headers }> {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.signature ?? slackSignature(secret, timestamp, body);
  const started = performance.now();
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.json ? 'application/json' : 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
      ...(options.retry
        ? {
            'x-slack-retry-num': String(options.retry.num),
            'x-slack-retry-reason': options.retry.reason ?? 'http_timeout',
          }
        : {}),
    },
    body,
  }).then(async (response) => ({
    status: response.status,
    body: await response.text(),
    ms: performance.now() - started,
    headers: response.headers,
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
    team_id: TEAM_ID,
    team_domain: TEAM_DOMAIN,
    channel_id: 'C1',
    channel_name: 'support',
    user_id: user,
    user_name: 'customer',
    command: '/mailsettings',
    text,
    api_app_id: APP_ID,
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
/** Text in Slack's markup and the rich_text block the Slack client composes for what a person typed. */
function richText(typed: string, mentioning?: string): { text: string; blocks: Json[] } {
  const { text, elements } = slackMarkup(typed);
  const lead: RichTextElement[] = mentioning
    ? [
        { type: 'user', user_id: mentioning },
        { type: 'text', text: ' ' },
      ]
    : [];
  messages += 1;
  return {
    text: mentioning ? `<@${mentioning}> ${text}` : text,
    blocks: [
      {
        type: 'rich_text',
        block_id: `b${messages}`,
        elements: [{ type: 'rich_text_section', elements: [...lead, ...elements] }],
      },
    ],
  };
}

/**
 * A message event as Slack sends it for what a person typed: `text` in markup, the rich_text block the client
 * composed, and the ids Slack adds. `mentioning` puts `<@ID> ` first, as picking the bot from the menu does.
 */
export function typedMessage(
  typed: string,
  fields: Record<string, unknown> & { type: string; user: string; channel: string; ts: string },
  mentioning?: string,
): Record<string, unknown> {
  const { text, blocks } = richText(typed, mentioning);
  return {
    client_msg_id: `00000000-0000-4000-8000-${String(messages).padStart(12, '0')}`,
    text,
    team: TEAM_ID,
    blocks,
    event_ts: fields.ts,
    ...fields,
  };
}

/**
 * An Events API delivery, as Slack wraps every event (Events API, "Callback field overview"). A re-sent
 * event is the same body again (same event_id) with retry headers: send this string twice.
 */
export function eventCallback(event: Json, options: { eventId?: string; eventTime?: number } = {}): string {
  return JSON.stringify({
    token: 'legacy',
    team_id: TEAM_ID,
    context_team_id: TEAM_ID,
    context_enterprise_id: null,
    api_app_id: APP_ID,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomUUID().replaceAll('-', '').slice(0, 10).toUpperCase()}`,
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM_ID,
        user_id: BOT_USER_ID,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${randomBytes(24).toString('base64url')}`,
  });
}

/** Slack's channel_type of a message event: D… is a direct message; G… a (legacy) private channel. */
export type ChannelType = 'channel' | 'group' | 'im';
const channelTypeOf = (channel: string): ChannelType =>
  channel.startsWith('D') ? 'im' : channel.startsWith('G') ? 'group' : 'channel';

export interface PersonMessageOptions {
  channel: string;
  user: string;
  ts?: string;
  /** A reply in this thread: Slack adds thread_ts and the parent's author as parent_user_id. */
  threadTs?: string;
  /** @default the bot, whose posts open the case threads */
  parentUserId?: string;
  /** @default from the channel id: D… im, G… group, otherwise channel */
  channelType?: ChannelType;
}

/**
 * A person's message as message.channels / message.groups / message.im deliver it (message event; "Threading
 * messages": replies carry thread_ts and parent_user_id), text in Slack's markup with its rich_text block.
 */
export function personMessage(typed: string, options: PersonMessageOptions): Json {
  const ts = options.ts ?? nextTs();
  return typedMessage(typed, {
    type: 'message',
    user: options.user,
    ts,
    ...(options.threadTs
      ? { thread_ts: options.threadTs, parent_user_id: options.parentUserId ?? BOT_USER_ID }
      : {}),
    channel: options.channel,
    channel_type: options.channelType ?? channelTypeOf(options.channel),
  });
}

// The inner message of message_changed / message_deleted carries neither channel nor event fields.
const inner = ({ channel: _c, event_ts: _e, channel_type: _t, ...message }: Json): Json => message;
const envelopeOf = (message: Json, ts: string): Json => ({
  channel: message.channel,
  hidden: true,
  ts,
  event_ts: ts,
  channel_type: message.channel_type ?? channelTypeOf(String(message.channel)),
});

/**
 * An edit (message_changed subtype): `message` is the message as it is now, with `edited`, and
 * `previous_message` as it was; hidden: true. `previous` is a message event this module built.
 */
export function messageChanged(previous: Json, typedNow: string, options: { ts?: string } = {}): Json {
  const ts = options.ts ?? nextTs();
  const { text, blocks } = richText(typedNow);
  return {
    type: 'message',
    subtype: 'message_changed',
    message: { ...inner(previous), text, blocks, edited: { user: previous.user, ts } },
    previous_message: inner(previous),
    ...envelopeOf(previous, ts),
  };
}

/** A deletion (message_deleted subtype): deleted_ts and previous_message; hidden: true. */
export function messageDeleted(previous: Json, options: { ts?: string } = {}): Json {
  const ts = options.ts ?? nextTs();
  return {
    type: 'message',
    subtype: 'message_deleted',
    deleted_ts: previous.ts,
    previous_message: inner(previous),
    ...envelopeOf(previous, ts),
  };
}

/**
 * The message_changed Slack sends for a thread's parent when replies are added: the parent gains
 * reply_count, reply_users, latest_reply; previous_message has the counts before the last reply. Neither is
 * a person editing anything, which is why a relay must not copy it as an edit.
 */
export function threadParentChanged(parent: Json, replies: Json[], options: { channel?: string } = {}): Json {
  const threaded = (list: Json[]): Json =>
    list.length === 0
      ? inner(parent)
      : {
          ...inner(parent),
          thread_ts: parent.ts,
          reply_count: list.length,
          reply_users_count: new Set(list.map((reply) => reply.user)).size,
          latest_reply: list.at(-1)?.ts,
          reply_users: [...new Set(list.map((reply) => reply.user))],
          is_locked: false,
          subscribed: false,
        };
  const channel = options.channel ?? parent.channel;
  return {
    type: 'message',
    subtype: 'message_changed',
    message: threaded(replies),
    previous_message: threaded(replies.slice(0, -1)),
    ...envelopeOf({ ...parent, channel }, nextTs()),
  };
}

export interface SharedFile {
  name: string;
  title?: string;
  mimetype?: string;
  size?: number;
}

let files = 0;
/**
 * A person sharing a file (file_share subtype; the file object of files.info with the fields a message event
 * carries): `files` with permalink and url_private (which need a token to fetch), text as typed or empty.
 */
export function fileShare(options: PersonMessageOptions & { typed?: string; files: SharedFile[] }): Json {
  const base = personMessage(options.typed ?? '', options);
  const created = Math.floor(Date.now() / 1000);
  const shared = options.files.map((file) => {
    files += 1;
    const id = `F${String(files).padStart(10, '0')}`;
    const type = file.name.includes('.') ? (file.name.split('.').at(-1) ?? 'binary') : 'binary';
    return {
      id,
      created,
      timestamp: created,
      name: file.name,
      title: file.title ?? file.name,
      mimetype: file.mimetype ?? 'application/octet-stream',
      filetype: type,
      pretty_type: type.toUpperCase(),
      user: options.user,
      user_team: TEAM_ID,
      editable: false,
      size: file.size ?? 1024,
      mode: 'hosted',
      is_external: false,
      external_type: '',
      is_public: options.channelType !== 'im' && !options.channel.startsWith('D'),
      public_url_shared: false,
      display_as_bot: false,
      username: '',
      url_private: `https://files.slack.com/files-pri/${TEAM_ID}-${id}/${encodeURIComponent(file.name)}`,
      url_private_download: `https://files.slack.com/files-pri/${TEAM_ID}-${id}/download/${encodeURIComponent(file.name)}`,
      permalink: `${WORKSPACE_URL}files/${options.user}/${id}/${encodeURIComponent(file.name)}`,
      permalink_public: `https://slack-files.com/${TEAM_ID}-${id}-0000000000`,
      has_rich_preview: false,
      file_access: 'visible',
    };
  });
  // Slack sends a file shared without a comment with empty text and no blocks.
  const { blocks, ...rest } = base;
  return {
    ...rest,
    ...(options.typed ? { blocks } : {}),
    subtype: 'file_share',
    files: shared,
    upload: false,
    display_as_bot: false,
  };
}

/**
 * The message event Slack sends back for what the bot posted (channels the app reads see its own posts):
 * `bot_id`, `app_id` and, for a plain post, `user` = the bot user; a post with a custom username is a
 * `bot_message` subtype instead. `post` is what the fake recorded (FakeSlack.messages()).
 */
export function botMessageEvent(post: { channel: string; message: Json }): Json {
  return {
    ...post.message,
    channel: post.channel,
    event_ts: post.message.ts,
    channel_type: channelTypeOf(post.channel),
  };
}

export interface BlockActionsOptions {
  actionId: string;
  value?: string;
  /** The button's label. */
  text?: string;
  blockId?: string;
  user: { id: string; name?: string };
  channel: string;
  /** The message the button is on. */
  messageTs: string;
  /** When that message is a reply in a thread. */
  threadTs?: string;
  responseUrl: string;
  /** A button on an ephemeral message: Slack then sends no `message`, only the container. */
  ephemeral?: boolean;
  /** The message as Slack shows it (FakeSlack.messages()[i].message); a minimal bot message otherwise. */
  message?: Json;
}

/**
 * The form body (`payload=<urlencoded JSON>`) of a block_actions interaction for a button press, as in the
 * block_actions payload reference: the container says where the button was (message_ts, channel_id,
 * is_ephemeral, thread_ts in a thread); `message` is present only for a non-ephemeral message (an
 * ephemeral one is not stored by Slack: bolt-js issue #959).
 */
export function blockActionsBody(options: BlockActionsOptions): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionsPayload(options)) }).toString();
}

export function blockActionsPayload(options: BlockActionsOptions): Json {
  const name = options.user.name ?? 'customer';
  const message = options.message ?? {
    user: BOT_USER_ID,
    type: 'message',
    ts: options.messageTs,
    bot_id: BOT_ID,
    app_id: APP_ID,
    text: '',
    team: TEAM_ID,
    ...(options.threadTs ? { thread_ts: options.threadTs, parent_user_id: BOT_USER_ID } : {}),
    blocks: [],
  };
  return {
    type: 'block_actions',
    user: { id: options.user.id, username: name, name, team_id: TEAM_ID },
    api_app_id: APP_ID,
    token: 'legacy',
    container: {
      type: 'message',
      message_ts: options.messageTs,
      channel_id: options.channel,
      is_ephemeral: options.ephemeral ?? false,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
    },
    trigger_id: issueTrigger(options.user.id, Date.now(), name),
    team: { id: TEAM_ID, domain: TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: options.channel, name: options.channel.startsWith('D') ? 'directmessage' : 'support' },
    ...(options.ephemeral ? {} : { message }),
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: options.actionId,
        block_id: options.blockId ?? 'actions',
        text: { type: 'plain_text', text: options.text ?? 'Button', emoji: true },
        ...(options.value === undefined ? {} : { value: options.value }),
        type: 'button',
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      },
    ],
  };
}

/**
 * Socket Mode's envelope around an Events API body (Socket Mode, "Receiving events"): retry_attempt and
 * retry_reason play the part of the X-Slack-Retry-* headers; the app acknowledges envelope_id.
 */
export function eventsApiEnvelope(
  body: string,
  options: { retryAttempt?: number; retryReason?: string; envelopeId?: string } = {},
): Json {
  return {
    envelope_id: options.envelopeId ?? randomUUID(),
    payload: JSON.parse(body) as Json,
    type: 'events_api',
    accepts_response_payload: false,
    retry_attempt: options.retryAttempt ?? 0,
    retry_reason: options.retryReason ?? '',
  };
}

/** Socket Mode's envelope around an interaction (a blockActionsBody form): type interactive. */
export function interactiveEnvelope(formBody: string, options: { envelopeId?: string } = {}): Json {
  return {
    envelope_id: options.envelopeId ?? randomUUID(),
    payload: JSON.parse(new URLSearchParams(formBody).get('payload') ?? '{}') as Json,
    type: 'interactive',
    accepts_response_payload: false,
  };
}
