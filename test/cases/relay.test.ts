// Support cases end to end: a customer in Slack asks for a person, staff answer from the case's forum post in
// Discord, and every message crosses over, once and in order, through the real Bolt app and discord.js client
// (against the loopback fakes) and a real database.
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS_ON_THEIR_WAY } from '../../adapters/discord/case-render.js';
import { discordStaffSide } from '../../adapters/discord/staff-side.js';
import { type CaseView, createLogger, type Reminder } from '../../src/index.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import {
  blockActionsBody,
  botMessageEvent,
  eventCallback,
  fileShare,
  messageChanged,
  messageDeleted,
  signedPost,
  typedMessage,
} from '../support/fake-slack.js';
import {
  type Bot,
  CUSTOMER,
  customerAsksForAPerson,
  customerWrites,
  type RelayWorld,
  SECRET,
  STAFF,
  startRelayWorld,
} from '../support/relay-world.js';

let rw: RelayWorld;
let fresh: TestDatabase;
let bot: Bot;
const [sqlite] = testEngines();

beforeAll(async () => {
  rw = await startRelayWorld();
  fresh = await (sqlite as NonNullable<typeof sqlite>).fresh();
  bot = await rw.start(fresh.url);
});
afterAll(async () => {
  await rw?.close();
  await fresh?.drop();
});

type Message = {
  id: string;
  content?: string;
  embeds?: {
    title?: string;
    description?: string;
    fields?: { name: string; value: string }[];
    author?: { name: string };
    footer?: { text: string };
  }[];
};
const messagesIn = (thread: string) => rw.discord.messages(thread) as Message[];
const textOf = (message: Message) =>
  [
    message.content ?? '',
    ...(message.embeds ?? []).flatMap((embed) => [
      embed.title,
      embed.description,
      embed.author?.name,
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
      embed.footer?.text,
    ]),
  ].join('\n');
const waitInPost = (thread: string, match: (text: string) => boolean, count = 1) =>
  rw.discord.waitForMessages(thread, count, (message) => match(textOf(message as Message)), 10_000);
const postOf = (n: number) => String((rw.discord.threads()[n] as { id: string }).id);
/**
 * The customer writes a marker and it is awaited in the post: a case's messages reach the post in order, so
 * whatever came before (a copy that should not exist) would be there by now.
 */
/** What the bot answered an interaction with (its callback). */
async function callbackOf(id: string) {
  const [callback] = await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${id}/`));
  return callback?.body as { type: number; data?: { content?: string } };
}

async function afterEverythingBefore(post: string, threadTs: string, user: string) {
  const marker = `marker ${Math.random().toString(36).slice(2)}`;
  await customerWrites(bot, marker, threadTs, { user }).send();
  await waitInPost(post, (text) => text.endsWith(marker));
  return messagesIn(post).filter((message) => !message.content?.endsWith(marker));
}

describe('a support case, from "Ask a person" to the rating', () => {
  let threadTs: string;
  let post: string;

  /** Dana presses Reply in the post and sends `text` from the modal, the `nth` opened in this file. */
  async function staffRepliesInPost(text: string, nth: number) {
    rw.discord.sendButton({ customId: 'case:reply', channelId: post, member: STAFF, messageId: post });
    await expect.poll(() => rw.discord.modals.length).toBe(nth);
    rw.discord.sendModalSubmit({
      customId: 'case:reply-modal',
      channelId: post,
      member: STAFF,
      fields: { text },
    });
  }

  it('opens a thread in Slack and a forum post in Discord with the case card', async () => {
    const asked = await customerAsksForAPerson(rw, bot, 'alice@direct.test pop');
    threadTs = asked.threadTs;
    expect(asked.confirmation).toBe(
      'Thanks: our support team has your question (case 1) and will reply in the thread of my “asked for help” message, where you asked.',
    );
    // Said in the channel only once the staff post exists; the customer is mentioned (so they follow the
    // thread) and their address is not shown to the channel.
    const [opening] = rw.slack.messages('C1').filter((message) => message.ts === threadTs);
    expect(opening?.text).toBe(
      '<@U1> asked for help with direct.test (POP): case 1. Our support team has it and will reply in this thread.',
    );
    await rw.discord.waitFor(
      (call) => call.method === 'POST' && call.path === `/channels/${rw.discord.forumId}/threads`,
      1,
      10_000,
    );
    post = postOf(0);
    const thread = rw.discord.channel(post) as { name: string; applied_tags: string[] };
    expect(thread.name).toBe('alice@direct.test (POP) · Alice');
    expect(thread.applied_tags).toEqual([rw.discord.tagId('New')]);
    const link = `https://fake-workspace.slack.com/archives/C1/p${threadTs.replace('.', '')}`;
    await expect.poll(() => textOf(messagesIn(post)[0] as Message)).toContain(link);
    const shown = textOf(messagesIn(post)[0] as Message);
    expect(shown).toContain('Alice (U1)');
    expect(shown).toContain('server1.web-hosting.test'); // the bot's answer
    expect(shown).toContain('Diagnostics');
    expect(shown).toContain('All servers answered.'); // the live check run when the case opened
  });

  it('lets staff claim it: the tag and the card follow', async () => {
    rw.discord.sendButton({ customId: 'case:claim', channelId: post, member: STAFF, messageId: post });
    await waitInPost(post, (text) => text === 'Dana claimed this case.');
    await rw.slack.waitForMessages(
      'C1',
      1,
      (message) =>
        message.thread_ts === threadTs &&
        message.text === '<@U1> Dana from our support team is looking at your question (case 1).',
    );
    await expect
      .poll(() => (rw.discord.channel(post) as { applied_tags: string[] }).applied_tags)
      .toEqual([rw.discord.tagId('Claimed')]);
    await expect.poll(() => textOf(messagesIn(post)[0] as Message)).toContain('Claimed, claimed by Dana');
  });

  it('sends a staff reply from the modal to the customer thread, under the staff member name', async () => {
    await staffRepliesInPost('Which program do you use?', 1);
    const [sent] = await rw.slack.waitForMessages(
      'C1',
      1,
      (message) => message.thread_ts === threadTs && message.text === '<@U1> Which program do you use?',
    );
    expect(sent?.username).toBe('Dana (support)');
    await waitInPost(
      post,
      (text) =>
        text.includes('Dana → customer') &&
        text.includes('Which program do you use?') &&
        text.includes('Sent to the customer in Slack'),
    );
    // Said once it was so: Slack had the reply before Discord had the post's record of it.
    const posted = rw.slack.posts.find((call) => call.body.text === '<@U1> Which program do you use?');
    const recorded = rw.discord.calls.find(
      (call) =>
        call.path.includes('/callback') && JSON.stringify(call.body).includes('Which program do you use?'),
    );
    expect(posted?.at).toBeLessThan(recorded?.at ?? 0);
  });

  it('says a staff reply is on its way, not sent, while Slack does not take it; it goes through later', async () => {
    rw.slack.failNext('chat.postMessage', { status: 503, times: 2 }); // the client's own retry fails too
    await staffRepliesInPost('Is IMAP on in your account?', 2);
    // The reply's record in the post (a note that it is late may come first on a busy machine, and names it too).
    const [record] = await waitInPost(
      post,
      (text) => text.includes('Is IMAP on in your account?') && !/^\*?(?:Not )?[Dd]elivered/.test(text),
    );
    expect(textOf(record as Message)).toContain(
      'On its way to the customer: Slack has not taken it yet. This post will say so if it cannot be delivered.',
    );
    expect(textOf(record as Message)).not.toContain('Sent to the customer');
    // The outbox tries again and the customer gets it.
    await rw.slack.waitForMessages(
      'C1',
      1,
      (message) => message.thread_ts === threadTs && message.text === '<@U1> Is IMAP on in your account?',
    );
  });

  it('relays what the customer writes in the thread, once, even when Slack sends the event again', async () => {
    const written = customerWrites(bot, 'I use Outlook', threadTs);
    expect((await written.send()).status).toBe(200);
    expect((await written.send(1)).status).toBe(200); // Slack's retry of the same event_id
    // Dana has the case and it was the customer's turn: she is pinged, and only she is.
    const [relayed] = await waitInPost(post, (text) => text.endsWith('**Alice (customer):** I use Outlook'));
    const dana = rw.discord.calls.find(
      (call) => call.method === 'POST' && JSON.stringify(call.body).includes('I use Outlook'),
    )?.body as { content: string; allowed_mentions: { users?: string[] } };
    expect(relayed?.content).toBe(
      `<@${dana.allowed_mentions.users?.[0]}> **Alice (customer):** I use Outlook`,
    );
    expect(dana.allowed_mentions).toEqual({ parse: [], users: [expect.stringMatching(/^\d+$/)] });
    // The bot's own posts in the thread come back as events too: never relayed.
    const own = rw.slack.messages('C1').find((message) => message.username === 'Dana (support)');
    expect(own).toBeDefined();
    await signedPost(
      bot.events,
      SECRET,
      eventCallback(botMessageEvent({ channel: 'C1', message: own?.message ?? {} })),
      { json: true },
    );
    const copies = await afterEverythingBefore(post, threadTs, 'U1');
    expect(copies.filter((message) => message.content?.includes('I use Outlook'))).toHaveLength(1);
    expect(copies.filter((message) => message.content?.includes('Which program'))).toHaveLength(0);
  });

  it('makes a message once when Discord made it but its answer was lost on the way', async () => {
    const sends = (method: string, path: string) =>
      method === 'POST' && path === `/channels/${post}/messages`;
    // Discord's edge answers 502 after Discord made the message: discord.js sends it again at once.
    rw.discord.failRest(sends, { status: 502, carriedOut: true });
    await customerWrites(bot, 'still failing on 465', threadTs).send();
    const copies = await afterEverythingBefore(post, threadTs, 'U1');
    expect(copies.filter((message) => message.content?.endsWith('still failing on 465'))).toHaveLength(1);
    const asked = rw.discord.calls.filter(
      (call) => sends(call.method, call.path) && JSON.stringify(call.body).includes('still failing on 465'),
    );
    expect(asked.map((call) => call.status)).toEqual([502, 200]);
  });

  it('follows an edit and marks a deletion', async () => {
    const written = customerWrites(bot, 'port 995 fails', threadTs);
    await written.send();
    await waitInPost(post, (text) => text === '**Alice (customer):** port 995 fails');
    await signedPost(bot.events, SECRET, eventCallback(messageChanged(written.event, 'port 993 fails')), {
      json: true,
    });
    await waitInPost(post, (text) => text === '**Alice (customer):** port 993 fails');
    await signedPost(
      bot.events,
      SECRET,
      eventCallback(messageDeleted({ ...written.event, text: 'port 993 fails' })),
      { json: true },
    );
    await waitInPost(
      post,
      (text) =>
        text.startsWith('~~**Alice (customer):** port 993 fails~~') && text.includes('(deleted in Slack)'),
    );
  });

  it('answers a mention in the case thread there, and staff get that message once', async () => {
    // Slack sends a mention twice over: as app_mention and as the thread's message event, with one ts.
    const ts = '1800000000.000321';
    const at = { user: 'U1', ts, thread_ts: threadTs, channel: 'C1' };
    const typed = 'direct.test pop';
    const mention = typedMessage(typed, { type: 'app_mention', ...at }, 'UBOT');
    const message = typedMessage(typed, { type: 'message', ...at, channel_type: 'channel' }, 'UBOT');
    const answers = () =>
      rw.slack
        .messages('C1')
        .filter((each) => each.thread_ts === threadTs && String(each.text).includes('Mail settings for'));
    const before = answers().length;
    await signedPost(bot.events, SECRET, eventCallback(mention), { json: true });
    await signedPost(bot.events, SECRET, eventCallback(message), { json: true });
    await expect.poll(() => answers().length).toBe(before + 1);
    const copies = await afterEverythingBefore(post, threadTs, 'U1');
    expect(copies.filter((each) => each.content?.endsWith(typed))).toHaveLength(1);
  });

  it('sends settings from /mailsettings in the post as the usual settings message, and notes it', async () => {
    const command = rw.discord.sendCommand({
      options: [
        { name: 'domain', type: 3, value: 'alice@direct.test' },
        { name: 'protocol', type: 3, value: 'imap' },
      ],
      channelId: post,
      member: STAFF,
    });
    const [callback] = await rw.discord.waitFor((call) =>
      call.path.startsWith(`/interactions/${command.id}/`),
    );
    const components =
      (
        callback?.body as
          | { data?: { components?: { components: { custom_id: string; label: string }[] }[] } }
          | undefined
      )?.data?.components ?? [];
    const send = components
      .flatMap((row) => row.components)
      .find((button) => button.label === 'Send to customer');
    expect(send?.custom_id).toBe('case:send:alice@direct.test imap');
    // Pressed twice on the same private answer before its button is gone: sent once, said once it was.
    const answer = { channelId: post, member: STAFF, message: { id: '1300000000000000001', flags: 64 } };
    const first = rw.discord.sendButton({ customId: send?.custom_id ?? '', ...answer });
    const again = rw.discord.sendButton({ customId: send?.custom_id ?? '', ...answer });
    const settingsMessages = () =>
      rw.slack
        .messages('C1')
        .filter(
          (message) =>
            message.thread_ts === threadTs &&
            String(message.text).startsWith('<@U1> Mail settings for direct.test (IMAP)'),
        );
    expect((await callbackOf(again.id)).type).toBe(6); // acknowledged, nothing stored
    const said = await callbackOf(first.id);
    await expect.poll(() => settingsMessages().length, { timeout: 10_000 }).toBe(1);
    // "Sent" only once Slack had them (Slack's pace in a busy channel may hold them past the bot's wait).
    if (said.data?.content === 'Sent to the customer.') {
      const posted = rw.slack.posts.find(
        (call) =>
          call.body.thread_ts === threadTs && String(call.body.text).startsWith('<@U1> Mail settings'),
      );
      const answered = rw.discord.calls.find((call) => call.path.startsWith(`/interactions/${first.id}/`));
      expect(posted?.at).toBeLessThan(answered?.at ?? 0);
    } else expect(said.data?.content).toBe(SETTINGS_ON_THEIR_WAY);
    expect(JSON.stringify(settingsMessages()[0]?.blocks)).toContain('Sent by Dana (support)');
    await waitInPost(
      post,
      (text) => text === '*Dana is sending the settings for alice@direct.test (IMAP) to the customer.*',
    );
    // While Slack does not take them, staff are told they are on their way, not that they were sent.
    rw.slack.failNext('chat.postMessage', { status: 503, times: 2 });
    const slow = rw.discord.sendButton({ customId: send?.custom_id ?? '', channelId: post, member: STAFF });
    expect((await callbackOf(slow.id)).data?.content).toBe(SETTINGS_ON_THEIR_WAY);
    await expect.poll(() => settingsMessages().length, { timeout: 10_000 }).toBe(2);
  });

  it('resolves, lets the customer rate the help, and reopens when the customer writes again', async () => {
    rw.discord.sendButton({ customId: 'case:resolve', channelId: post, member: STAFF, messageId: post });
    const [resolved] = await rw.slack.waitForMessages(
      'C1',
      1,
      (message) =>
        message.thread_ts === threadTs && message.text === '<@U1> Resolved by Dana (case 1). Did this help?',
    );
    const stranger = await signedPost(
      bot.events,
      SECRET,
      rateBody('U2', resolved?.ts ?? '', threadTs, 'stranger'),
    );
    expect(stranger.status).toBe(200);
    const [refused] = await rw.slack.waitFor((call) => call.path === '/response/rate-U2');
    expect(refused?.body.text).toBe('Only the person who asked can rate this.');
    await signedPost(bot.events, SECRET, rateBody(CUSTOMER.id, resolved?.ts ?? '', threadTs, 'customer'));
    await waitInPost(post, (text) => text === '*Alice rated the help: helpful.*');
    const [thanks] = await rw.slack.waitFor((call) => call.path === '/response/rate-U1');
    expect(thanks?.body).toMatchObject({
      replace_original: true,
      text: 'Resolved by Dana. Thank you for your feedback.',
    });
    expect((rw.discord.channel(post) as { applied_tags: string[] }).applied_tags).toEqual([
      rw.discord.tagId('Resolved'),
    ]);

    await customerWrites(bot, 'It broke again', threadTs).send();
    await waitInPost(post, (text) => text === '*Alice wrote again: the case is open again.*');
    await expect
      .poll(() => (rw.discord.channel(post) as { applied_tags: string[] }).applied_tags)
      .toEqual([rw.discord.tagId('Claimed')]);
  });
});

function rateBody(user: string, messageTs: string, threadTs: string, name: string) {
  return blockActionsBody({
    actionId: 'mailsettings_rate_helpful',
    value: '1',
    text: 'Helpful',
    user: { id: user, name },
    channel: 'C1',
    messageTs,
    threadTs,
    responseUrl: rw.slack.responseUrl(`rate-${user}`),
  });
}

describe('what must never happen', () => {
  it('passes no ping and no disguised link in either direction', async () => {
    const { threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test', {
      user: { id: 'U5', name: 'mallory' },
    });
    await expect.poll(() => rw.discord.threads().length).toBe(2);
    const post = postOf(1);
    await customerWrites(bot, '<!channel> @everyone [verify here](https://evil.test) <@U1>', threadTs, {
      user: 'U5',
    }).send();
    const [relayed] = await waitInPost(post, (text) => text.includes('(customer)'));
    const call = rw.discord.calls.find(
      (c) =>
        c.method === 'POST' &&
        c.path === `/channels/${post}/messages` &&
        JSON.stringify(c.body).includes('evil.test'),
    );
    expect((call?.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions).toEqual({
      parse: [],
    });
    expect(relayed?.content).not.toMatch(/\[verify here\]\(https:\/\/evil\.test\)/);
    expect(relayed?.content).toContain('\\[verify here\\](https://evil.test)');

    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: '<!channel> <@U1> [click](https://evil.test) & more' }],
      channelId: post,
      member: STAFF,
    });
    const [sent] = await rw.slack.waitForMessages(
      'C1',
      1,
      (message) => message.thread_ts === threadTs && String(message.text).includes('evil.test'),
    );
    // Only the case's own customer is mentioned; everything staff typed is inert.
    expect(sent?.text).toBe('<@U5> &lt;!channel&gt; &lt;@U1&gt; [click](https://evil.test) &amp; more');
  });

  it('delivers everything once and in order after Discord was down for a while', async () => {
    const { threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test imap', {
      user: { id: 'U6', name: 'olga' },
    });
    await expect.poll(() => rw.discord.threads().length).toBe(3);
    const post = postOf(2);
    rw.discord.outage(true);
    for (const n of [1, 2, 3])
      expect((await customerWrites(bot, `message ${n}`, threadTs, { user: 'U6' }).send()).status).toBe(200);
    // Several failed attempts meanwhile: the fake answered the relay's tries with 503.
    const refused = (call: { path: string; status: number }) =>
      call.path.startsWith(`/channels/${post}`) && call.status === 503;
    await rw.discord.waitFor(refused, 2, 10_000);
    rw.discord.outage(false);
    const relayed = await waitInPost(post, (text) => /^\*\*olga \(customer\):\*\* message \d$/.test(text), 3);
    expect(relayed.map((message) => message.content)).toEqual([
      '**olga (customer):** message 1',
      '**olga (customer):** message 2',
      '**olga (customer):** message 3',
    ]);
    const copies = await afterEverythingBefore(post, threadTs, 'U6');
    expect(copies.filter((message) => /message \d$/.test(message.content ?? ''))).toHaveLength(3);
  });
});

describe('a restart', () => {
  it('finishes a Slack event that was stored but not processed when the process stopped', async () => {
    const { threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test smtp', {
      user: { id: 'U7', name: 'pat' },
    });
    await expect.poll(() => rw.discord.threads().length).toBe(4);
    const post = postOf(3);
    // The event as it was stored before Slack got its acknowledgement; then the process stopped.
    const written = customerWrites(bot, 'stored, then the lights went out', threadTs, {
      eventId: 'EvStoredOnly',
      user: 'U7',
    });
    expect(await bot.relay.inbox.record('slack:EvStoredOnly', written.body)).toBe('new');
    await bot.stop({ crash: true });
    bot = await rw.start(fresh.url);
    const [relayed] = await waitInPost(post, (text) => text.includes('the lights went out'));
    expect(relayed?.content).toBe('**pat (customer):** stored, then the lights went out');
    // Slack, never having seen an acknowledgement, sends it again: it is not relayed twice.
    const again = await signedPost(bot.events, SECRET, written.body, {
      json: true,
      retry: { num: 1, reason: 'http_timeout' },
    });
    expect(again.status).toBe(200);
    const copies = await afterEverythingBefore(post, threadTs, 'U7');
    expect(copies.filter((message) => message.content?.includes('the lights went out'))).toHaveLength(1);
  });
});

describe('limits, files and delays', () => {
  let threadTs: string;
  let post: string;
  beforeAll(async () => {
    ({ threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test all', {
      user: { id: 'U8', name: 'lee' },
    }));
    const created = (call: { method: string; path: string; status: number }) =>
      call.method === 'POST' &&
      call.path === `/channels/${rw.discord.forumId}/threads` &&
      call.status === 201;
    await rw.discord.waitFor(created, 5, 10_000);
    post = postOf(4);
  });

  it('splits long texts on both sides instead of cutting them', async () => {
    const long = Array.from({ length: 600 }, (_, n) => `word${n}`).join(' '); // about 4,700 characters
    await customerWrites(bot, long, threadTs, { user: 'U8' }).send();
    await waitInPost(post, (text) => text.endsWith('word599'));
    const parts = messagesIn(post).filter((message) => /word\d/.test(String(message.content)));
    expect(parts.length).toBeGreaterThan(2);
    expect(parts.every((part) => String(part.content).length <= 2000)).toBe(true);
    // Each part says whose it is.
    const joined = parts
      .map((part) => String(part.content).replace(/^\*\*lee \(customer\)(, continued)?:\*\* /, ''))
      .join(' ');
    expect(joined.replace(/\\/g, '')).toBe(long);

    const reply = Array.from({ length: 700 }, (_, n) => `step${n}`).join(' '); // about 5,600 > one Slack message
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: reply.slice(0, 4000) }],
      channelId: post,
      member: STAFF,
    });
    const sent = await rw.slack.waitForMessages(
      'C1',
      2,
      (message) => message.thread_ts === threadTs && /step\d/.test(String(message.text)),
    );
    expect(sent.every((message) => String(message.text).length <= 3000)).toBe(true);
    expect(sent.map((message) => message.text).join(' ')).toBe(`<@U8> ${reply.slice(0, 4000).trim()}`);
  });

  it('says that a file was attached and where to see it, without copying it', async () => {
    const shared = fileShare({
      channel: 'C1',
      user: 'U8',
      threadTs,
      typed: 'here is the error',
      files: [{ name: 'error.png' }],
    });
    await signedPost(bot.events, SECRET, eventCallback(shared), { json: true });
    const [relayed] = await waitInPost(post, (text) => text.includes('error.png'));
    expect(relayed?.content).toMatch(
      /^<@\d+> \*\*lee \(customer\):\*\* here is the error\n\(Attached a file, error\.png: see it in Slack at https:\/\/fake-workspace\.slack\.com\/files\//,
    );
    expect(rw.discord.calls.filter((call) => call.files && call.files.length > 0)).toEqual([]);
  });

  it('shows staff that a reply has not reached the customer yet while Slack is down, then that it has', async () => {
    rw.slack.outage(true);
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'Try port 993' }],
      channelId: post,
      member: STAFF,
    });
    await waitInPost(post, (text) => text.startsWith('*Not delivered to the customer yet: “Try port 993”'));
    rw.slack.outage(false);
    await waitInPost(post, (text) => text === '*Delivered to the customer now: “Try port 993”.*');
    expect(rw.slack.messages('C1').filter((message) => message.text === '<@U8> Try port 993')).toHaveLength(
      1,
    );
  });
});

/** What makes a message once: the delivery's key as Discord's enforced nonce. */
const once = (nonce: string) => ({ nonce, enforce_nonce: true });

describe('reminders', () => {
  it('mention whoever must act and nobody else: the staff role, whoever has the case, the lead', async () => {
    const rest = new REST({ api: rw.discord.apiUrl }).setToken('reminder-bot-token-0123456789');
    const log = createLogger(() => {});
    const staff = await discordStaffSide(rest, {
      forumId: rw.discord.forumId,
      staffRoleId: '700000000000000001',
      leadRoleId: '700000000000000002',
      log,
    });
    const post = postOf(0);
    const view = (await bot.relay.cases.findByStaffThread(`discord:${post}`)) as CaseView;
    const last = () =>
      rw.discord.calls.filter((c) => c.method === 'POST' && c.path === `/channels/${post}/messages`).at(-1)
        ?.body;
    const sent = async (reminder: Reminder, key: string) => {
      await staff.remind(view, reminder, key);
      return last();
    };
    const due = Date.UTC(2026, 11, 7, 10, 0);
    expect(await sent({ level: 'due-soon', what: 'first response', dueAt: due }, 'r1')).toEqual({
      content: `<@&700000000000000001> *The first response for this case is due* <t:${due / 1000}:R>`,
      allowed_mentions: { parse: [], roles: ['700000000000000001'] },
      ...once('r1'),
    });
    const dana = { dueAt: due, ping: '400000000000000001' };
    expect(await sent({ level: 'due-soon', what: 'next response', ...dana }, 'r2')).toEqual({
      content: `<@400000000000000001> *The next response for this case is due* <t:${due / 1000}:R>`,
      allowed_mentions: { parse: [], users: ['400000000000000001'] },
      ...once('r2'),
    });
    // Overdue goes to the lead, not to whoever has the case.
    expect(await sent({ level: 'overdue', what: 'resolution', ...dana }, 'r3')).toEqual({
      content: `<@&700000000000000002> *The resolution for this case is overdue: it was due* <t:${due / 1000}:R>`,
      allowed_mentions: { parse: [], roles: ['700000000000000002'] },
      ...once('r3'),
    });
  });
});

describe("Slack's pace", () => {
  it('keeps to about one message a second per channel after a short burst', async () => {
    const { threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test pop', {
      channel: 'C2PACEDCH',
      user: { id: 'U11', name: 'sam' },
    });
    const named = () => rw.discord.threads().find((thread) => String(thread.name).endsWith('· sam'));
    await expect.poll(() => named() !== undefined, { timeout: 10_000 }).toBe(true);
    const post = String(named()?.id);
    for (const n of [1, 2, 3, 4, 5, 6]) {
      rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'text', type: 3, value: `paced ${n}` }],
        channelId: post,
        member: STAFF,
      });
    }
    await rw.slack.waitForMessages(
      'C2PACEDCH',
      6,
      (message) => message.thread_ts === threadTs && String(message.text).startsWith('<@U11> paced'),
      15_000,
    );
    // Every post to the channel draws on its bucket, the opening message first: 3 at once, then one a second,
    // so the n-th post (from 0) comes at least (n − 2) s after the first, whenever the replies were sent.
    const times = rw.slack.posts
      .filter((call) => call.path === '/api/chat.postMessage' && call.body.channel === 'C2PACEDCH')
      .map((call) => call.at);
    expect(times.length).toBeGreaterThanOrEqual(7);
    for (const [index, at] of times.entries()) {
      if (index >= 3) expect(at - (times[0] as number)).toBeGreaterThanOrEqual((index - 2) * 1000 - 100);
    }
  });
});
