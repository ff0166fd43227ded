// The fake Slack is only worth something if Slack's own SDK accepts it: these tests drive @slack/web-api's
// WebClient (as Bolt uses it) against the fake's Web API, and a real Bolt app with what the builders send.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, webApi } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BOT_ID,
  BOT_USER_ID,
  blockActionsBody,
  botMessageEvent,
  DEFAULT_SCOPES,
  eventCallback,
  eventsApiEnvelope,
  type FakeSlack,
  fileShare,
  messageChanged,
  messageDeleted,
  personMessage,
  signedPost,
  startFakeSlack,
  threadParentChanged,
} from '../support/fake-slack.js';

const SECRET = 'fake-slack-secret';
const fakes: FakeSlack[] = [];
const apps: App[] = [];
let slack: FakeSlack;

beforeAll(async () => {
  slack = await fake({ users: { U1: { name: 'alice', realName: 'Alice Example', displayName: 'Alice' } } });
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop().catch(() => {})));
  await Promise.all(fakes.map((f) => f.close()));
});

async function fake(options: Parameters<typeof startFakeSlack>[0] = {}): Promise<FakeSlack> {
  const started = await startFakeSlack(options);
  fakes.push(started);
  return started;
}

const client = (on: FakeSlack, options: webApi.WebClientOptions = {}) =>
  new webApi.WebClient('xoxb-test', { slackApiUrl: on.apiUrl, logLevel: LogLevel.ERROR, ...options });

/** The error a WebClient call rejects with: `data` for a platform error, `statusCode` for an HTTP one. */
type CallError = {
  code: string;
  statusCode?: number;
  data: webApi.WebAPICallResult & { error: string; needed?: string; provided?: string };
};
const failure = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as CallError,
  );

describe('fake Slack Web API with the real WebClient', () => {
  it('answers auth.test with the workspace url and ids, and every call with the granted scopes', async () => {
    const result = await client(slack).auth.test();
    expect(result).toMatchObject({
      ok: true,
      url: 'https://fake-workspace.slack.com/',
      team_id: 'T1',
      user_id: BOT_USER_ID,
      bot_id: BOT_ID,
    });
    expect(result.response_metadata?.scopes).toEqual(DEFAULT_SCOPES);
    const narrow = await fake({ scopes: ['chat:write'] });
    expect((await client(narrow).auth.test()).response_metadata?.scopes).toEqual(['chat:write']);
  });

  it('gives each posted message its own increasing ts and keeps what was posted per channel', async () => {
    const web = client(slack);
    const first = await web.chat.postMessage({ channel: 'C10', text: 'Case opened', blocks: [] });
    const reply = await web.chat.postMessage({
      channel: 'C10',
      thread_ts: first.ts as string,
      text: 'fallback',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Dana:* hello' } }],
    });
    expect(first).toMatchObject({ ok: true, channel: 'C10', message: { user: BOT_USER_ID, bot_id: BOT_ID } });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(reply.ts)).toBeGreaterThan(Number(first.ts));
    expect(reply.message).toMatchObject({ thread_ts: first.ts, parent_user_id: BOT_USER_ID });
    const posted = slack.messages('C10');
    expect(posted.map((post) => [post.ts, post.thread_ts, post.text])).toEqual([
      [first.ts, undefined, 'Case opened'],
      [reply.ts, first.ts, 'fallback'],
    ]);
    expect(posted[1]?.blocks?.[0]).toMatchObject({ type: 'section', block_id: expect.any(String) });
    expect(slack.messages('C11')).toEqual([]);
  });

  it('applies chat.update to the stored message, keeping blocks when none are sent', async () => {
    const web = client(slack);
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'Status: new' } }];
    const posted = await web.chat.postMessage({ channel: 'C12', text: 'new', blocks });
    const updated = await web.chat.update({ channel: 'C12', ts: posted.ts as string, text: 'claimed' });
    expect(updated).toMatchObject({ ok: true, channel: 'C12', ts: posted.ts, text: 'claimed' });
    const [post] = slack.messages('C12');
    expect(post?.text).toBe('claimed');
    expect(post?.message).toMatchObject({ text: 'claimed', edited: { user: BOT_USER_ID } });
    expect(post?.blocks).toHaveLength(1);
    const missing = await failure(web.chat.update({ channel: 'C12', ts: '1.000000', text: 'x' }));
    expect(missing.data).toMatchObject({ ok: false, error: 'message_not_found' });
  });

  it('answers chat.postEphemeral with message_ts and marks the message as seen by one person', async () => {
    const result = await client(slack).chat.postEphemeral({ channel: 'C13', user: 'U1', text: 'Only you' });
    expect(result).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(slack.messages('C13')).toMatchObject([
      { ts: result.message_ts, ephemeralTo: 'U1', text: 'Only you' },
    ]);
  });

  it('refuses empty and oversized messages as Slack does', async () => {
    const web = client(slack);
    expect((await failure(web.chat.postMessage({ channel: 'C14', text: '' }))).data.error).toBe('no_text');
    const long = web.chat.postMessage({ channel: 'C14', text: 'x'.repeat(40_001) });
    expect((await failure(long)).data.error).toBe('msg_too_long');
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' as const }));
    const many = web.chat.postMessage({ channel: 'C14', text: 'x', blocks });
    expect((await failure(many)).data.error).toBe('invalid_blocks');
    expect(slack.messages('C14')).toEqual([]);
  });

  it('ignores username and icon without chat:write.customize, and honours them with it', async () => {
    const custom = {
      channel: 'C15',
      text: 'hi',
      username: 'Dana (support)',
      icon_url: 'https://x.test/d.png',
    };
    const plain = await client(slack).chat.postMessage(custom);
    expect(plain.ok).toBe(true);
    expect(plain.message).toMatchObject({ user: BOT_USER_ID, bot_profile: { name: 'mailsettings' } });
    expect(plain.message).not.toHaveProperty('username');
    expect(slack.messages('C15')[0]).toMatchObject({
      username: 'Dana (support)',
      icon_url: 'https://x.test/d.png',
    });

    const customizing = await fake({ scopes: [...DEFAULT_SCOPES, 'chat:write.customize'] });
    const dressed = await client(customizing).chat.postMessage(custom);
    expect(dressed.message).toMatchObject({
      subtype: 'bot_message',
      username: 'Dana (support)',
      icons: { image_48: 'https://x.test/d.png' },
      bot_id: BOT_ID,
    });
    expect(dressed.message).not.toHaveProperty('user');
  });

  it('answers users.info with the configured person, user_not_found, or missing_scope without users:read', async () => {
    const readers = await fake({
      scopes: [...DEFAULT_SCOPES, 'users:read'],
      users: { U1: { name: 'alice', realName: 'Alice Example', displayName: 'Alice' } },
    });
    const { user } = await client(readers).users.info({ user: 'U1' });
    expect(user).toMatchObject({
      id: 'U1',
      name: 'alice',
      real_name: 'Alice Example',
      profile: { display_name: 'Alice', real_name: 'Alice Example' },
      is_bot: false,
    });
    const unknown = await failure(client(readers).users.info({ user: 'U404' }));
    expect(unknown.data.error).toBe('user_not_found');

    const denied = await failure(client(slack).users.info({ user: 'U1' }));
    expect(denied.data).toMatchObject({
      ok: false,
      error: 'missing_scope',
      needed: 'users:read',
      provided: DEFAULT_SCOPES.join(','),
    });
    expect(denied.data.response_metadata?.acceptedScopes).toEqual(['users:read']);
  });

  it('shows the profile’s email address in users.info only to a token with users:read.email', async () => {
    const users = { U1: { name: 'alice', email: 'alice@example.org' } };
    const names = await fake({ scopes: [...DEFAULT_SCOPES, 'users:read'], users });
    expect((await client(names).users.info({ user: 'U1' })).user?.profile).not.toHaveProperty('email');
    const emails = await fake({ scopes: [...DEFAULT_SCOPES, 'users:read', 'users:read.email'], users });
    expect((await client(emails).users.info({ user: 'U1' })).user?.profile?.email).toBe('alice@example.org');
  });

  it('takes files.uploadV2 (three steps) and shares the file as a message; refuses a user id and missing scopes', async () => {
    const writer = await fake({ scopes: [...DEFAULT_SCOPES, 'files:write', 'im:write'] });
    const web = client(writer);
    const opened = await web.conversations.open({ users: 'U7' });
    const dm = opened.channel?.id ?? '';
    expect(dm).toMatch(/^D[A-Z0-9]{8,}$/);
    await web.files.uploadV2({
      channel_id: dm,
      content: '<plist>ä</plist>',
      filename: 'x.mobileconfig',
      initial_comment: 'Here it is',
    });
    expect(writer.files()).toEqual([
      expect.objectContaining({
        name: 'x.mobileconfig',
        title: 'x.mobileconfig',
        content: '<plist>ä</plist>',
        channel: dm,
        initial_comment: 'Here it is',
      }),
    ]);
    const [post] = writer.messages(dm);
    expect(post).toMatchObject({
      text: 'Here it is',
      files: [expect.objectContaining({ name: 'x.mobileconfig' })],
    });
    // files.completeUploadExternal takes conversation ids only (slackapi/bolt-js#2115).
    const toUser = await failure(web.files.uploadV2({ channel_id: 'U7', content: 'x', filename: 'y.txt' }));
    expect(toUser.data.error).toBe('invalid_arguments');

    const denied = await failure(
      client(slack).files.uploadV2({ channel_id: dm, content: 'x', filename: 'y.txt' }),
    );
    expect(denied.data).toMatchObject({ error: 'missing_scope', needed: 'files:write' });
    const closed = await failure(client(slack).conversations.open({ users: 'U7' }));
    expect(closed.data).toMatchObject({ error: 'missing_scope', needed: 'im:write' });
  });

  it('fails the next calls on demand: platform errors, 429 with Retry-After, 503 and an outage', async () => {
    const web = client(slack, { retryConfig: { retries: 0 } });
    slack.failNext('chat.postMessage', { error: 'not_in_channel' });
    const refused = await failure(web.chat.postMessage({ channel: 'C16', text: 'a' }));
    expect(refused.data.error).toBe('not_in_channel');

    slack.failNext('chat.postMessage', { status: 503, times: 2 });
    for (const _ of [1, 2]) {
      const down = await failure(web.chat.postMessage({ channel: 'C16', text: 'b' }));
      expect(down).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 503 });
    }

    // The WebClient waits out Retry-After, then sends again: one message arrives.
    const rateLimited: number[] = [];
    const patient = client(slack);
    patient.on(webApi.WebClientEvent.RATE_LIMITED, (seconds: number) => rateLimited.push(seconds));
    slack.failNext('chat.postMessage', { status: 429, retryAfterSeconds: 0 });
    const retried = await patient.chat.postMessage({ channel: 'C16', text: 'c' });
    expect(retried.ok).toBe(true);
    expect(rateLimited).toEqual([0]);
    const anonymous = await fetch(`${slack.apiUrl}chat.postMessage`, { method: 'POST' });
    expect(await anonymous.json()).toEqual({ ok: false, error: 'not_authed' });

    slack.outage(true);
    const outage = await failure(web.auth.test());
    expect(outage).toMatchObject({ statusCode: 503 });
    slack.outage(false);
    expect((await web.auth.test()).ok).toBe(true);
    expect(slack.messages('C16').map((post) => post.text)).toEqual(['c']);
  });

  it('sends Retry-After with a scripted 429, as the WebClient reads it', async () => {
    slack.failNext('chat.update', { status: 429, retryAfterSeconds: 7 });
    const response = await fetch(`${slack.apiUrl}chat.update`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-test' },
    });
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ ok: false, error: 'ratelimited' });
  });
});

describe('what the fake sends, as the real Bolt app receives it', () => {
  let url: string;
  const seen: { kind: string; payload: Record<string, unknown>; retryNum?: number; retryReason?: string }[] =
    [];

  beforeAll(async () => {
    const app = new App({
      token: 'xoxb-test',
      signingSecret: SECRET,
      botId: BOT_ID,
      botUserId: BOT_USER_ID,
      clientOptions: { slackApiUrl: slack.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.event('message', async ({ event, context }) => {
      const { retryNum, retryReason } = context;
      seen.push({
        kind: 'message',
        payload: event as unknown as Record<string, unknown>,
        retryNum,
        retryReason,
      });
    });
    app.action('ask_person', async ({ ack, body }) => {
      await ack();
      seen.push({ kind: 'action', payload: body as unknown as Record<string, unknown> });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    apps.push(app);
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
  });

  const nextSeen = async (kind: string) => {
    await expect.poll(() => seen.some((entry) => entry.kind === kind)).toBe(true);
    const index = seen.findIndex((entry) => entry.kind === kind);
    return seen.splice(index, 1)[0];
  };

  it('delivers a thread reply in Slack markup, and a retry of it with the retry headers', async () => {
    const reply = personMessage('use mail.example.com & port 993', {
      channel: 'C20',
      user: 'U1',
      threadTs: '1.0',
    });
    expect(reply).toMatchObject({
      type: 'message',
      thread_ts: '1.0',
      parent_user_id: BOT_USER_ID,
      channel_type: 'channel',
      text: 'use <http://mail.example.com|mail.example.com> &amp; port 993',
    });
    const body = eventCallback(reply);
    expect((await signedPost(url, SECRET, body, { json: true })).status).toBe(200);
    expect((await nextSeen('message'))?.payload).toMatchObject({ ts: reply.ts, thread_ts: '1.0' });
    await signedPost(url, SECRET, body, { json: true, retry: { num: 1, reason: 'http_timeout' } });
    expect(await nextSeen('message')).toMatchObject({ retryNum: 1, retryReason: 'http_timeout' });
  });

  it('delivers edits, deletions, thread parent updates and file shares as message subtypes', async () => {
    const original = personMessage('imap', { channel: 'G1', user: 'U1', threadTs: '2.0' });
    const events = [
      messageChanged(original, 'pop please'),
      messageDeleted(original),
      threadParentChanged(
        { type: 'message', ts: '2.0', user: BOT_USER_ID, text: 'Case opened', channel: 'G1' },
        [original],
      ),
      fileShare({
        channel: 'G1',
        user: 'U1',
        threadTs: '2.0',
        files: [{ name: 'error.png', mimetype: 'image/png' }],
      }),
    ];
    for (const event of events) await signedPost(url, SECRET, eventCallback(event), { json: true });
    const changed = (await nextSeen('message'))?.payload;
    expect(changed).toMatchObject({
      subtype: 'message_changed',
      hidden: true,
      channel: 'G1',
      channel_type: 'group',
      message: { text: 'pop please', ts: original.ts, edited: { user: 'U1' } },
      previous_message: { text: 'imap', ts: original.ts },
    });
    expect(changed?.message).not.toHaveProperty('channel');
    expect((await nextSeen('message'))?.payload).toMatchObject({
      subtype: 'message_deleted',
      deleted_ts: original.ts,
      previous_message: { text: 'imap' },
    });
    expect((await nextSeen('message'))?.payload).toMatchObject({
      subtype: 'message_changed',
      message: { ts: '2.0', reply_count: 1, latest_reply: original.ts, reply_users: ['U1'] },
      previous_message: { ts: '2.0' },
    });
    const shared = (await nextSeen('message'))?.payload;
    expect(shared).toMatchObject({ subtype: 'file_share', text: '', thread_ts: '2.0' });
    expect(shared?.files).toMatchObject([
      {
        name: 'error.png',
        mimetype: 'image/png',
        permalink: expect.stringMatching(/^https:\/\/fake-workspace\.slack\.com\/files\//),
        url_private: expect.stringMatching(/^https:\/\/files\.slack\.com\//),
      },
    ]);
  });

  it("sends the bot's own posts back in both forms, which Bolt's ignoreSelf drops", async () => {
    const own = await client(slack).chat.postMessage({ channel: 'C21', text: 'from the bot' });
    const customizing = await fake({ scopes: [...DEFAULT_SCOPES, 'chat:write.customize'] });
    const dressed = await client(customizing).chat.postMessage({
      channel: 'C21',
      text: 'as Dana',
      username: 'Dana',
    });
    const posts = [...slack.messages('C21'), ...customizing.messages('C21')];
    expect(posts.map((post) => post.ts)).toEqual([own.ts, dressed.ts]);
    expect(dressed.message?.subtype).toBe('bot_message');
    const person = personMessage('after the bot', { channel: 'C21', user: 'U1' });
    for (const event of [...posts.map(botMessageEvent), person]) {
      await signedPost(url, SECRET, eventCallback(event), { json: true });
    }
    expect((await nextSeen('message'))?.payload).toMatchObject({ text: 'after the bot' });
    expect(seen.filter((entry) => entry.kind === 'message')).toEqual([]);
  });

  it('delivers a block_actions button press, with the message only when it is not ephemeral', async () => {
    const posted = await client(slack).chat.postMessage({ channel: 'C22', text: 'Answer' });
    const press = (ephemeral: boolean) =>
      blockActionsBody({
        actionId: 'ask_person',
        value: 'example.com pop',
        user: { id: 'U1', name: 'alice' },
        channel: 'C22',
        messageTs: posted.ts as string,
        threadTs: '3.0',
        responseUrl: slack.responseUrl('ask'),
        ephemeral,
        message: slack.messages('C22')[0]?.message,
      });
    expect(press(false)).toMatch(/^payload=%7B/);
    expect((await signedPost(url, SECRET, press(false))).status).toBe(200);
    const body = (await nextSeen('action'))?.payload;
    expect(body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U1', name: 'alice' },
      container: {
        type: 'message',
        message_ts: posted.ts,
        channel_id: 'C22',
        is_ephemeral: false,
        thread_ts: '3.0',
      },
      channel: { id: 'C22' },
      message: { ts: posted.ts, bot_id: BOT_ID },
      response_url: slack.responseUrl('ask'),
      actions: [{ action_id: 'ask_person', value: 'example.com pop', type: 'button' }],
    });
    await signedPost(url, SECRET, press(true));
    const ephemeral = (await nextSeen('action'))?.payload;
    expect(ephemeral).toMatchObject({ container: { is_ephemeral: true } });
    expect(ephemeral).not.toHaveProperty('message');
  });

  it('wraps events for Socket Mode with the retry fields Bolt reads', async () => {
    const socketSlack = await fake();
    const app = new App({
      token: 'xoxb-test',
      appToken: 'xapp-test',
      socketMode: true,
      botId: BOT_ID,
      botUserId: BOT_USER_ID,
      clientOptions: { slackApiUrl: socketSlack.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    const retries: (number | undefined)[] = [];
    app.event('message', async ({ context }) => {
      retries.push(context.retryNum);
    });
    await app.start();
    apps.push(app);
    await socketSlack.socketConnected();
    const body = eventCallback(personMessage('hello', { channel: 'D1', user: 'U1' }));
    const envelope = eventsApiEnvelope(body, { retryAttempt: 2, retryReason: 'timeout' });
    expect(envelope).toMatchObject({ type: 'events_api', accepts_response_payload: false, retry_attempt: 2 });
    const ack = await socketSlack.sendEnvelope(envelope);
    expect(ack.envelope_id).toBe(envelope.envelope_id);
    await expect.poll(() => retries).toEqual([2]);
  });
});
