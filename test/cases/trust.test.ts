// Support cases tried as an attacker, a new admin, a customer and an agent would (issue 17), end to end through
// the real Bolt app and discord.js client on the loopback fakes: nobody speaks for someone else or acts as
// staff, whoever must act is told, nothing is confirmed before it happened, and no text is cut or repeated.
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { forumAccess } from '../../adapters/discord/forum-access.js';
import { relayFromConfig } from '../../adapters/relay.js';
import { ASK_PERSON_ACTION } from '../../adapters/slack/render.js';
import { loadConfig } from '../../src/index.js';
import { NOT_THROUGH_AFTER_MS } from '../../src/testing.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { DEFAULT_GUILD_ID } from '../support/fake-discord.js';
import {
  blockActionsBody,
  eventCallback,
  fileShare,
  messageChanged,
  personMessage,
  signedPost,
  typedMessage,
} from '../support/fake-slack.js';
import {
  askPersonButton,
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  modalText,
  pressAskPerson,
  type RelayWorld,
  SECRET,
  STAFF,
  startRelayWorld,
} from '../support/relay-world.js';
import { resolverIn } from '../support/world.js';

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

type Message = { id: string; content?: string; embeds?: unknown[] };
const messagesIn = (post: string) => rw.discord.messages(post) as Message[];
const textIn = (post: string) => JSON.stringify(messagesIn(post));
const waitInPost = (post: string, match: (content: string) => boolean, count = 1) =>
  rw.discord.waitForMessages(post, count, (message) => match(String((message as Message).content)), 10_000);
const interactionReply = async (id: string) => {
  const [callback] = await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${id}/`));
  return callback?.body as {
    type: number;
    data: { content?: string; flags?: number; components?: unknown[] };
  };
};
const EPHEMERAL = 64;
/** A member of the server with no role and no permission. */
const TROLL = { username: 'troll', globalName: 'Troll' };
let customers = 0;

/**
 * A customer asks for a person in a channel of their own (Slack's pace of one message a second is per channel:
 * cases apart never wait on each other); their case's channel, thread and post.
 */
async function aCase(question = 'direct.test pop') {
  const user = { id: `UT${++customers}`, name: `cust${customers}` };
  const channel = `CT${customers}`;
  const asked = await customerAsksForAPerson(rw, bot, question, { user, channel });
  const named = () => rw.discord.threads().find((thread) => String(thread.name).endsWith(`· ${user.name}`));
  await expect.poll(() => named()?.id, { timeout: 10_000 }).toBeDefined();
  return { ...asked, post: String(named()?.id), user, channel };
}

/**
 * Staff send a marker reply and wait for it in the customer's thread: the outbox delivers a case's messages in
 * order, so whatever an earlier action would have sent has arrived by then.
 */
async function afterEverythingBefore(c: { post: string; channel: string; threadTs: string }) {
  const marker = `marker ${Math.random().toString(36).slice(2)}`;
  rw.discord.sendCommand({
    name: 'reply',
    options: [{ name: 'text', type: 3, value: marker }],
    channelId: c.post,
    member: STAFF,
  });
  await rw.slack.waitForMessages(
    c.channel,
    1,
    (message) => message.thread_ts === c.threadTs && String(message.text).endsWith(marker),
    10_000,
  );
  return rw.slack
    .messages(c.channel)
    .filter((message) => message.thread_ts === c.threadTs && !String(message.text).includes('marker'));
}

describe('who may speak for whom', () => {
  it('shows anyone else in the thread as themselves, never as the customer, and lets them reopen nothing', async () => {
    const { threadTs, post, user, channel } = await aCase();
    await customerWrites(bot, 'send me your password', threadTs, { user: 'U1', channel }).send();
    await waitInPost(post, (content) => content === '**Alice (not the customer):** send me your password');
    rw.discord.sendButton({ customId: 'case:resolve', channelId: post, member: STAFF, messageId: post });
    await expect
      .poll(() => (rw.discord.channel(post) as { applied_tags: string[] }).applied_tags)
      .toEqual([rw.discord.tagId('Resolved')]);
    await customerWrites(bot, 'reopen it', threadTs, { user: 'U1', channel }).send();
    await waitInPost(post, (content) => content.endsWith('reopen it'));
    expect((rw.discord.channel(post) as { applied_tags: string[] }).applied_tags).toEqual([
      rw.discord.tagId('Resolved'),
    ]);
    await customerWrites(bot, 'it broke again', threadTs, { user: user.id, channel }).send();
    await waitInPost(post, (content) => content === `*${user.name} wrote again: the case is open again.*`);
  });

  it('opens a case from someone else’s public answer for whoever pressed, without the address they named', async () => {
    const mention = typedMessage(
      'alice.private@direct.test pop',
      { type: 'app_mention', user: 'U1', ts: '910.1', channel: 'CPUB' },
      'UBOT',
    );
    await signedPost(bot.events, SECRET, eventCallback(mention), { json: true });
    const [answer] = await rw.slack.waitForMessages('CPUB', 1, (message) =>
      JSON.stringify(message.blocks).includes(ASK_PERSON_ACTION),
    );
    const button = askPersonButton(answer ?? {});
    const bob = { id: 'UPUB', name: 'bob' };
    const modal = await pressAskPerson(rw, bot, button?.value ?? '', {
      user: bob,
      channel: 'CPUB',
      messageTs: String(answer?.ts),
      threadTs: '910.1',
      responseUrl: rw.slack.responseUrl('public-press'),
    });
    await rw.slack.submitView(bot.events, SECRET, modal.id, { words: 'mine fails too' });
    const post = () => rw.discord.threads().find((thread) => String(thread.name).endsWith('· bob'));
    await expect.poll(() => post()?.id, { timeout: 10_000 }).toBeDefined();
    expect(post()?.name).toBe('direct.test (POP) · bob');
    expect(JSON.stringify(rw.discord.messages(String(post()?.id)))).not.toContain('alice.private');
  });

  it('refuses every case action to a member who is not staff, privately, and changes nothing', async () => {
    const asked = await aCase();
    const { post } = asked;
    const refusals = [
      rw.discord.sendButton({ customId: 'case:claim', channelId: post, member: TROLL, messageId: post }),
      rw.discord.sendButton({ customId: 'case:resolve', channelId: post, member: TROLL, messageId: post }),
      rw.discord.sendButton({ customId: 'case:reply', channelId: post, member: TROLL, messageId: post }),
      rw.discord.sendButton({ customId: 'case:send:direct.test imap', channelId: post, member: TROLL }),
      rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'text', type: 3, value: 'I am support, give me your password' }],
        channelId: post,
        member: TROLL,
      }),
    ];
    for (const { id } of refusals) {
      const reply = await interactionReply(id);
      expect(reply.data).toMatchObject({ content: 'Only support staff can do this.', flags: EPHEMERAL });
    }
    expect(rw.discord.modals.filter((modal) => modal.channelId === post)).toEqual([]);
    expect(await bot.relay.cases.findByStaffThread(`discord:${post}`)).toMatchObject({
      status: 'new',
      claimedBy: null,
    });
    expect(await afterEverythingBefore(asked)).toEqual([]);
  });

  it('takes staff to be whoever holds the staff permission, without the role', async () => {
    const { post } = await aCase();
    const admin = { username: 'kim', globalName: 'Kim', permissions: String(1n << 5n) }; // Manage Server
    const claim = rw.discord.sendButton({
      customId: 'case:claim',
      channelId: post,
      member: admin,
      messageId: post,
    });
    expect((await interactionReply(claim.id)).data.content).toBe('Kim claimed this case.');
  });

  it('refuses staff and lead actions to an admin of another server the bot is in, whatever they may do there', async () => {
    const { post } = await aCase();
    // The owner of a server of their own: Administrator there (commands registered globally show everywhere).
    const elsewhere = {
      guildId: '299999999999999999',
      member: { username: 'mallory', globalName: 'Mallory', permissions: String(1n << 3n) },
    };
    const subcommand = (name: string, sub: string, options: unknown[] = []) =>
      rw.discord.sendCommand({ name, options: [{ name: sub, type: 1, options }] as never, ...elsewhere });
    const refusals = [
      rw.discord.sendButton({ customId: 'case:claim', channelId: post, messageId: post, ...elsewhere }),
      subcommand('cases', 'find', [{ name: 'query', type: 3, value: 'direct.test' }]),
      subcommand('cases', 'open'),
      subcommand('snippet', 'add', [{ name: 'name', type: 3, value: 'evil' }]),
      subcommand('cases', 'forget', [{ name: 'customer', type: 3, value: 'U1' }]),
      rw.discord.sendButton({ customId: 'cases:forget:U1', ...elsewhere }),
    ];
    for (const { id } of refusals) {
      const reply = await interactionReply(id);
      expect(reply.data).toMatchObject({ flags: EPHEMERAL });
      expect(reply.data.content).toMatch(/^Only (support staff|the support lead)/);
    }
    expect(rw.discord.modals.filter((modal) => modal.customId.startsWith('snippet:'))).toEqual([]);
    expect(await bot.relay.cases.findByStaffThread(`discord:${post}`)).toMatchObject({ claimedBy: null });
  });

  it('escapes staff names: a nickname written as a link stays text', async () => {
    const { post } = await aCase();
    const sneaky = { ...STAFF, nick: '[Official notice](http://evil.test)' };
    const claim = rw.discord.sendButton({
      customId: 'case:claim',
      channelId: post,
      member: sneaky,
      messageId: post,
    });
    expect((await interactionReply(claim.id)).data.content).toBe(
      '\\[Official notice\\](http://evil.test) claimed this case.',
    );
    const resolve = rw.discord.sendButton({
      customId: 'case:resolve',
      channelId: post,
      member: sneaky,
      messageId: post,
    });
    expect((await interactionReply(resolve.id)).data.content).toMatch(
      /^\\\[Official notice\\\]\(http:\/\/evil\.test\) resolved/,
    );
  });

  it('escapes a staff name in Slack too: in the resolved message and in the thanks that replaces it', async () => {
    const { post, user, channel, threadTs } = await aCase();
    const sneaky = { ...STAFF, nick: '<!channel> <https://evil.test/login|Support portal>' };
    rw.discord.sendButton({ customId: 'case:resolve', channelId: post, member: sneaky, messageId: post });
    const [resolved] = await rw.slack.waitForMessages(channel, 1, (message) =>
      String(message.text).includes('Resolved by'),
    );
    const shown = '&lt;!channel&gt; &lt;https://evil.test/login|Support portal&gt;';
    expect(String(resolved?.text)).toContain(shown);
    const responseUrl = rw.slack.responseUrl(`rate-${user.id}`);
    await signedPost(
      bot.events,
      SECRET,
      blockActionsBody({
        actionId: 'mailsettings_rate_helpful',
        value: '1',
        text: 'Helpful',
        user,
        channel,
        messageTs: String(resolved?.ts),
        threadTs,
        responseUrl,
      }),
    );
    const [thanks] = await rw.slack.waitFor((call) => call.path === new URL(responseUrl).pathname);
    expect(thanks?.body.text).toBe(`Resolved by ${shown}. Thank you for your feedback.`);
  });

  it('asks before a take-over, and answers repeated claims and resolves without doing them twice', async () => {
    const mine = await aCase();
    const { post } = mine;
    const lee = { username: 'lee', globalName: 'Lee', roles: STAFF.roles };
    const LEE = '400000000000000002'; // another member: the fake's default user is Dana
    await interactionReply(
      rw.discord.sendButton({ customId: 'case:claim', channelId: post, member: STAFF, messageId: post }).id,
    );
    const again = await interactionReply(
      rw.discord.sendButton({ customId: 'case:claim', channelId: post, member: STAFF, messageId: post }).id,
    );
    expect(again.data).toMatchObject({ content: 'You have this case already.', flags: EPHEMERAL });
    const asked = rw.discord.sendButton({
      customId: 'case:claim',
      channelId: post,
      member: lee,
      userId: LEE,
      messageId: post,
    });
    const question = await interactionReply(asked.id);
    expect(question.data).toMatchObject({ content: 'Dana has this case. Take it over?', flags: EPHEMERAL });
    expect(JSON.stringify(question.data.components)).toContain('case:takeover');
    const takeover = rw.discord.sendButton({
      customId: 'case:takeover',
      channelId: post,
      member: lee,
      userId: LEE,
    });
    expect((await interactionReply(takeover.id)).data.content).toBe('Lee claimed this case.');
    await waitInPost(post, (content) => content === '*Lee took this case over from Dana.*');
    await interactionReply(
      rw.discord.sendButton({
        customId: 'case:resolve',
        channelId: post,
        member: lee,
        userId: LEE,
        messageId: post,
      }).id,
    );
    const twice = await interactionReply(
      rw.discord.sendButton({
        customId: 'case:resolve',
        channelId: post,
        member: lee,
        userId: LEE,
        messageId: post,
      }).id,
    );
    expect(twice.data).toMatchObject({ content: 'This case is resolved already.', flags: EPHEMERAL });
    const resolved = (await afterEverythingBefore(mine)).filter((message) =>
      String(message.text).includes('Resolved by'),
    );
    expect(resolved).toHaveLength(1);
  });
});

describe('whoever must act is told', () => {
  it('mentions only the customer in what reaches them, gives the case a number, and says who took it', async () => {
    const { threadTs, post, user, confirmation, channel } = await aCase('someone@direct.test imap');
    const number = /case (\d+)/.exec(confirmation)?.[1];
    expect(number).toBeDefined();
    const opening = rw.slack.messages(channel).find((message) => message.ts === threadTs);
    expect(opening?.text).toBe(
      `<@${user.id}> asked for help with direct.test (IMAP): case ${number}. Our support team has it and will reply in this thread.`,
    );
    expect(opening?.text).not.toContain('someone@'); // others in the channel read it
    rw.discord.sendButton({ customId: 'case:claim', channelId: post, member: STAFF, messageId: post });
    await rw.slack.waitForMessages(
      channel,
      1,
      (message) =>
        message.thread_ts === threadTs &&
        message.text ===
          `<@${user.id}> Dana from our support team is looking at your question (case ${number}).`,
    );
  });

  it('pings whoever has the case, and only them, when the customer answers their reply', async () => {
    const { threadTs, post, user, channel } = await aCase();
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'Which program?' }],
      channelId: post,
      member: STAFF,
    });
    await rw.slack.waitForMessages(
      channel,
      1,
      (message) => message.thread_ts === threadTs && message.text === `<@${user.id}> Which program?`,
    );
    await customerWrites(bot, 'Thunderbird', threadTs, { user: user.id, channel }).send();
    const [relayed] = await waitInPost(post, (content) => content.endsWith('(customer):** Thunderbird'));
    const call = rw.discord.calls.find(
      (c) => c.method === 'POST' && JSON.stringify(c.body).includes('Thunderbird'),
    );
    const mentions = (call?.body as { allowed_mentions: { parse: string[]; users: string[] } } | undefined)
      ?.allowed_mentions ?? { parse: ['missing'], users: [] };
    expect(mentions.parse).toEqual([]);
    expect(mentions.users).toHaveLength(1);
    expect(relayed?.content).toBe(`<@${mentions.users[0]}> **${user.name} (customer):** Thunderbird`);
  });
});

describe('nothing is confirmed before it happened', () => {
  it('tells the customer their question did not get through when the forum refuses the post, and posts nothing', async () => {
    const before = rw.slack.messages('C1').length;
    rw.discord.setOverwrites(rw.discord.forumId, [
      { id: rw.discord.guildId, type: 0, allow: '0', deny: String(1n << 11n) }, // Send Messages: no posts
    ]);
    try {
      const asked = await customerAsksForAPerson(rw, bot, 'direct.test smtp', {
        user: { id: 'UREF', name: 'ref' },
      });
      expect(asked.threadTs).toBe(''); // nothing was posted in the channel
      expect(asked.confirmation).toMatch(/^Sorry: your question \(case \d+\) did not reach our support team/);
      expect(
        rw.slack
          .messages('C1')
          .slice(before)
          .filter((message) => String(message.text).includes('<@UREF>')),
      ).toEqual([]);
      expect(
        rw.logs.some((line) => line.includes('refused the post') && line.includes('Missing Permissions')),
      ).toBe(true);
      // And at the next start, cases are off with one line saying which permission to grant.
      const rest = new REST({ api: rw.discord.apiUrl }).setToken('relay-bot-token-0123456789');
      expect(await forumAccess(rest, rw.discord.forumId)).toEqual({
        server: DEFAULT_GUILD_ID,
        missing: ['Create Posts (Send Messages)'],
      });
    } finally {
      rw.discord.setOverwrites(rw.discord.forumId, []);
    }
    // "Please try again": once the forum takes posts again, the same customer can.
    const again = await customerAsksForAPerson(rw, bot, 'direct.test smtp', {
      user: { id: 'UREF', name: 'ref' },
    });
    expect(again.confirmation).toMatch(/^Thanks: our support team has your question/);
  });

  it('tells the customer privately when their post is refused after a restart, once the form stopped following', async () => {
    const database = await (sqlite as NonNullable<typeof sqlite>).fresh();
    onTestFinished(() => database.drop());
    let clock = Date.now();
    const now = () => clock;
    const user = { id: 'ULATE', name: 'late' };
    const first = await rw.start(database.url, { now });
    rw.discord.outage(true);
    try {
      const asked = await customerAsksForAPerson(rw, first, 'direct.test imap', {
        user,
        channel: 'CLATE',
        settle: false,
      });
      expect(asked.confirmation).toMatch(/^Thanks: your question is saved \(case \d+\)/);
      await expect.poll(() => rw.logs.some((line) => line.includes('delivery failed'))).toBe(true);
      await first.stop({ crash: true }); // the form that was following the case goes with it
    } finally {
      rw.discord.outage(false);
    }
    // The next start finds the forum as it should be; the post's next try (its clock held) comes after.
    const second = await rw.start(database.url, { now });
    onTestFinished(() => second.stop());
    rw.discord.setOverwrites(rw.discord.forumId, [
      { id: rw.discord.guildId, type: 0, allow: '0', deny: String(1n << 11n) }, // Send Messages: no posts
    ]);
    onTestFinished(() => rw.discord.setOverwrites(rw.discord.forumId, []));
    const logged = rw.logs.length;
    clock += 60_000; // past the post's backoff
    await expect
      .poll(() => rw.logs.slice(logged).some((line) => line.includes('refused the post')), {
        timeout: 10_000,
      })
      .toBe(true);
    const told = (message: { ephemeralTo?: string; text?: unknown }) =>
      message.ephemeralTo === user.id && /did not reach our support team/.test(String(message.text));
    expect(rw.slack.messages('CLATE').filter(told)).toEqual([]); // not before whoever asked could hear it
    clock += NOT_THROUGH_AFTER_MS;
    const [notice] = await rw.slack.waitForMessages('CLATE', 1, told, 10_000);
    expect(notice?.text).toMatch(/^Sorry: your question \(case \d+\) did not reach our support team/);
    // Once, to them alone: nothing public in the channel, and no second notice on later passes.
    clock += NOT_THROUGH_AFTER_MS;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(rw.slack.messages('CLATE').filter(told)).toHaveLength(1);
    expect(rw.slack.messages('CLATE').filter((message) => !message.ephemeralTo)).toEqual([]);
  });

  it('says a question is on its way while Discord is down, and confirms it once the post exists', async () => {
    rw.discord.outage(true);
    let asked: Awaited<ReturnType<typeof customerAsksForAPerson>>;
    try {
      asked = await customerAsksForAPerson(rw, bot, 'direct.test all', {
        user: { id: 'UWAIT', name: 'wait' },
        settle: false,
      });
      expect(asked.threadTs).toBe(''); // nothing said in the channel yet
      expect(asked.confirmation).toMatch(
        /^Thanks: your question is saved \(case \d+\), but it has not reached our support team yet/,
      );
    } finally {
      rw.discord.outage(false);
    }
    // The second word replaces the first in the customer's modal (views.update).
    const isUpdate = (post: { path: string; body: Record<string, unknown> }) =>
      post.path === '/api/views.update' && post.body.view_id === asked.viewId;
    await rw.slack.waitFor(isUpdate, 1, 15_000);
    expect(modalText(rw, asked.viewId)).toMatch(/^Thanks: our support team has your question \(case \d+\)/);
  });
});

describe('no text is cut, repeated or disguised', () => {
  it('posts a long staff reply part by part, never a part twice when a later part failed', async () => {
    const asked = await aCase();
    const { threadTs, post, user, channel } = asked;
    const reply = Array.from({ length: 700 }, (_, n) => `step${n}`)
      .join(' ')
      .slice(0, 4000); // two Slack messages
    // The second part fails past the Web API client's own retry: the outbox tries the delivery again later.
    rw.slack.failNext('chat.postMessage', { status: 503, after: 1, times: 3 });
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: reply }],
      channelId: post,
      member: STAFF,
    });
    const parts = await rw.slack.waitForMessages(
      channel,
      2,
      (message) => message.thread_ts === threadTs && /step\d/.test(String(message.text)),
      15_000,
    );
    const all = (await afterEverythingBefore(asked)).filter((message) => /step\d/.test(String(message.text)));
    expect(all).toHaveLength(2);
    expect(parts.map((part) => part.text).join(' ')).toBe(`<@${user.id}> ${reply}`);
  });

  it('splits dense markup after escaping, losing nothing, and neutralises bidi and control characters', async () => {
    const { threadTs, post, user, channel } = await aCase();
    const stars = '*'.repeat(1600);
    await customerWrites(bot, stars, threadTs, { user: user.id, channel }).send();
    const copies = await waitInPost(post, (content) => content.includes('\\*'), 2);
    const body = copies
      .map((copy) => String(copy.content).replace(/^\*\*[^*]+ \(customer\)(, continued)?:\*\* /, ''))
      .join('');
    expect(body).toBe('\\*'.repeat(1600));
    expect(
      copies.every((copy) => String(copy.content).length <= 2000 && !String(copy.content).endsWith('…')),
    ).toBe(true);

    const shared = fileShare({
      channel,
      user: user.id,
      threadTs,
      typed: 'see\u0000 \u001b[31mred',
      files: [{ name: 'invoice\u202efdp.exe' }],
    });
    await signedPost(bot.events, SECRET, eventCallback(shared), { json: true });
    const [relayed] = await waitInPost(post, (content) => content.includes('invoice'));
    expect(relayed?.content).toContain('invoicefdp.exe');
    for (const raw of ['\u0000', '\u001b', '\u202e']) expect(relayed?.content).not.toContain(raw);
    expect(relayed?.content).toContain('see\ufffd \ufffd\\[31mred');
  });

  it('takes bidi characters out of a post’s name and escapes the card’s title', async () => {
    const user = { id: 'UBIDI', name: 'Mallory\u202egnp.exe' };
    const question = 'help **me** [login](https://evil.test) \u202etxt.exe';
    await customerAsksForAPerson(rw, bot, question, { user, channel: 'CBIDI' });
    const named = () => rw.discord.threads().find((thread) => String(thread.name).includes('Mallory'));
    await expect.poll(() => named()?.id, { timeout: 10_000 }).toBeDefined();
    expect(String(named()?.name)).not.toContain('\u202e');
    const [card] = rw.discord.messages(String(named()?.id)) as { embeds?: { title?: string }[] }[];
    expect(card?.embeds?.[0]?.title).toContain('help \\*\\*me\\*\\* \\[login\\](https://evil.test)');
    expect(card?.embeds?.[0]?.title).not.toContain('\u202e');
  });

  it('keeps an edit that arrives before its message, and relays the message as edited', async () => {
    const { threadTs, post, user, channel } = await aCase();
    const original = personMessage('pasword is wrong', { channel, user: user.id, threadTs });
    await signedPost(bot.events, SECRET, eventCallback(messageChanged(original, 'password is wrong')), {
      json: true,
    });
    await signedPost(bot.events, SECRET, eventCallback(original), { json: true });
    await waitInPost(post, (content) => content === `**${user.name} (customer):** password is wrong`);
    expect(textIn(post)).not.toContain('pasword');
  });
});

describe('at start', () => {
  it('turns cases off, saying why in one line, when Slack’s token or the forum would lose cases', async () => {
    const slackConfig = {
      SLACK_BOT_TOKEN: 'xoxb-relay',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: rw.slack.apiUrl,
    };
    const discordConfig = {
      DISCORD_TOKEN: 'relay-bot-token-0123456789',
      DISCORD_API_URL: rw.discord.apiUrl,
      DISCORD_STAFF_PERMISSION: 'ManageGuild' as const,
      DISCORD_CASES_CHANNEL_ID: rw.discord.forumId,
    };
    const start = (scopes: string[]) =>
      relayFromConfig(
        loadConfig({ DATABASE_URL: fresh.url }),
        slackConfig,
        { botId: 'B1', botUserId: 'UBOT', scopes },
        discordConfig,
        {
          resolver: resolverIn(rw.world),
          checker: async (settings) => ({ settings, results: [], advice: [], ms: 0 }),
        },
        bot.database,
        { info() {}, warn() {}, error() {} },
      );
    expect(await start(['chat:write'])).toEqual({
      off: 'the Slack token lacks channels:history: reinstall the app from adapters/slack/manifest.yaml',
    });
    rw.discord.setOverwrites(rw.discord.forumId, [
      { id: rw.discord.guildId, type: 0, allow: '0', deny: String((1n << 11n) | (1n << 38n)) },
    ]);
    try {
      expect(await start(['chat:write', 'channels:history'])).toEqual({
        off: `the bot lacks Create Posts (Send Messages), Send Messages in Posts in DISCORD_CASES_CHANNEL_ID ${rw.discord.forumId}: grant them to its role there`,
      });
    } finally {
      rw.discord.setOverwrites(rw.discord.forumId, []);
    }
  });
});
