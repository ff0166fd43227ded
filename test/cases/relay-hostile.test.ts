// The support case relay tried as a hostile customer, or a hostile third party in the customer's Slack channel,
// would: through the real Bolt app and discord.js client on the loopback fakes. Whose words a staff post shows,
// links that stay links, long messages split without breaking a character or opening markup, and text
// PostgreSQL cannot keep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { eventCallback, fileShare, messageChanged, signedPost } from '../support/fake-slack.js';
import {
  type Bot,
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
  rw = await startRelayWorld({
    users: {
      U1: { name: 'alice', realName: 'Alice Example', displayName: 'Alice' },
      UBOB: { name: 'bob', realName: 'Bob Other', displayName: 'Bob' },
    },
  });
  fresh = await (sqlite as NonNullable<typeof sqlite>).fresh();
  bot = await rw.start(fresh.url);
});
afterAll(async () => {
  await rw?.close();
  await fresh?.drop();
});

type Message = { id: string; content?: string; flags?: number };
const waitInPost = (post: string, match: (content: string) => boolean, count = 1) =>
  rw.discord.waitForMessages(post, count, (message) => match(String((message as Message).content)), 10_000);
let customers = 0;
/** No lone surrogate: every character whole (String.prototype.isWellFormed, ES2024). */
const wellFormed = (text: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);

async function aCase(question = 'direct.test pop', words?: string) {
  const user = { id: `UR${++customers}`, name: `cust${customers}` };
  const channel = `CR${customers}`;
  const asked = await customerAsksForAPerson(rw, bot, question, {
    user,
    channel,
    ...(words ? { words } : {}),
  });
  const named = () => rw.discord.threads().find((thread) => String(thread.name).endsWith(`· ${user.name}`));
  await expect.poll(() => named()?.id, { timeout: 10_000 }).toBeDefined();
  return { ...asked, post: String(named()?.id), user, channel };
}

describe('who the staff post says wrote what', () => {
  it('never shows a third party’s words, grown by an edit, as the continuation of the customer’s message', async () => {
    const { threadTs, post, user, channel } = await aCase();
    // Bob, anyone else in the channel, says something short in the customer's thread.
    const bob = customerWrites(bot, 'hi', threadTs, { user: 'UBOB', channel });
    await bob.send();
    await waitInPost(post, (content) => content === '**Bob (not the customer):** hi');
    // The customer writes after him.
    await customerWrites(bot, 'my mail still fails', threadTs, { user: user.id, channel }).send();
    await waitInPost(post, (content) => content.endsWith(`**${user.name} (customer):** my mail still fails`));
    // Bob edits his short message into a long one: its tail is the instruction he wants staff to follow.
    const filler = Array.from({ length: 400 }, (_, n) => `w${n}`).join(' '); // about 2,000 characters
    const tail = 'PLEASE SEND THE NEW PASSWORD TO bob at evil dot test INSTEAD';
    await signedPost(bot.events, SECRET, eventCallback(messageChanged(bob.event, `hi ${filler} ${tail}`)), {
      json: true,
    });
    const [carrying] = await waitInPost(post, (content) => content.includes('PLEASE SEND'));
    // The part the edit added comes after the customer's message: it says whose it is.
    expect(String(carrying?.content)).toMatch(/^\*\*Bob \(not the customer\), continued:\*\* /);
  });
});

describe('what the customer wrote in the form', () => {
  it('is in the post whole when escaping makes it longer than the card can hold', async () => {
    const dense = `${'*'.repeat(500)}${'_'.repeat(499)}!`; // 1,000 characters, 1,999 once escaped
    const { post } = await aCase('direct.test pop', dense);
    const parts = await waitInPost(post, (content) => content.includes('\\_'), 1);
    const after = rw.discord.messages(post).slice(1) as Message[];
    const text = after
      .map((message) => String(message.content).replace(/^\*\*cust\d+ \(customer\)(, continued)?:\*\* /, ''))
      .join('')
      .replaceAll('\\', '');
    expect(parts.length).toBeGreaterThan(0);
    expect(text).toBe(dense);
  });
});

describe('links relayed into the staff post', () => {
  it('does not let a customer’s link become a rich preview in the staff post', async () => {
    const { threadTs, post, user, channel } = await aCase();
    await customerWrites(bot, 'see https://evil.test/discord-staff-verification', threadTs, {
      user: user.id,
      channel,
    }).send();
    await waitInPost(post, (content) => content.includes('evil.test'));
    const call = rw.discord.calls.find(
      (c) =>
        c.method === 'POST' &&
        c.path === `/channels/${post}/messages` &&
        JSON.stringify(c.body).includes('evil.test'),
    );
    const body = call?.body as { content?: string; flags?: number } | undefined;
    // Discord embeds every link in a message (a bot's too) unless the message has SUPPRESS_EMBEDS (1 << 2) or
    // the link is written as <url>: the preview's title, text and image are the attacker's page.
    const suppressed =
      ((body?.flags ?? 0) & 4) === 4 || /<https:\/\/evil\.test[^>]*>/.test(body?.content ?? '');
    expect(suppressed).toBe(true);
  });
});

describe('long messages split into parts', () => {
  it('never turns a URL cut between two Discord messages into a masked link in the second', async () => {
    const { threadTs, post, user, channel } = await aCase();
    // A URL as long as a message's room (no space to split at), then a masked link inside the same URL: whole,
    // Discord reads it all as one link; cut, the second part would start with the masked link.
    const url = `https://a.test/${'x'.repeat(1800 - 'https://a.test/'.length)}`;
    const typed = `${url}[support.web-hosting.test/login](https://evil.test/login)`;
    await customerWrites(bot, typed, threadTs, { user: user.id, channel }).send();
    const [continued] = await waitInPost(post, (content) => content.includes('continued'));
    expect(String(continued?.content)).toContain('\\[support.web-hosting.test/login\\]');
    for (const message of rw.discord.messages(post) as Message[])
      expect(String(message.content)).not.toMatch(/(^|[^\\])\[[^\]]*\]\(https?:\/\//);
  });

  it('never splits a character in two (an emoji’s surrogate pair) between Discord messages', async () => {
    const { threadTs, post, user, channel } = await aCase();
    const typed = `x${'😀'.repeat(1500)}`; // no space to split at: the split falls inside a pair
    await customerWrites(bot, typed, threadTs, { user: user.id, channel }).send();
    const parts = await waitInPost(
      post,
      (content) => content.includes('😀') || /[\ud800-\udfff]/.test(content),
      2,
    );
    for (const part of parts) expect(wellFormed(String(part.content))).toBe(true);
  });

  it('never splits an emoji in two between Slack messages of a long staff reply', async () => {
    const { threadTs, post, channel } = await aCase();
    const reply = `x${'😀'.repeat(1990)}`; // 3,981 UTF-16 units, one Slack split near 3,000
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: reply }],
      channelId: post,
      member: STAFF,
    });
    const parts = () =>
      rw.slack
        .messages(channel)
        .filter(
          (message) => message.thread_ts === threadTs && /😀|[\ud800-\udfff]/.test(String(message.text)),
        );
    const refused = () => rw.logs.filter((line) => line.includes('delivery failed')).length;
    await expect.poll(() => parts().length + refused(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect({ reachedSlack: parts().length, failedAttempts: refused() }).toEqual({
      reachedSlack: 2,
      failedAttempts: 0,
    });
    for (const message of parts()) expect(wellFormed(String(message.text))).toBe(true);
  });
});

// PostgreSQL refuses NUL in text: the message is kept with U+FFFD in its place, on both engines alike.
describe.each(testEngines())('text only SQLite could keep, on $name', (engine) => {
  let own: TestDatabase | undefined;
  let on: Bot;
  beforeAll(async () => {
    if (engine.skip) return;
    own = await engine.fresh();
    on = await rw.start(own.url);
  });
  afterAll(async () => {
    await on?.stop();
    await own?.drop();
  });

  it.skipIf(engine.skip)('relays a message with a NUL character and acknowledges the event', async () => {
    const user = { id: `UNUL${engine.name}`, name: `nul${engine.name}` };
    const channel = `CNUL${engine.name}`;
    const { threadTs } = await customerAsksForAPerson(rw, on, 'direct.test pop', { user, channel });
    const named = () => rw.discord.threads().find((thread) => String(thread.name).endsWith(`· ${user.name}`));
    await expect.poll(() => named()?.id, { timeout: 10_000 }).toBeDefined();
    const post = String(named()?.id);
    // The same event relay.test.ts sends on SQLite ("neutralises bidi and control characters").
    const shared = fileShare({
      channel,
      user: user.id,
      threadTs,
      typed: 'see\u0000 \u001b[31mred',
      files: [{ name: 'error.png' }],
    });
    const answered = await signedPost(on.events, SECRET, eventCallback(shared), { json: true });
    const logged = rw.logs
      .filter((line) => line.includes('could not store'))
      .map((line) => line.slice(0, 200));
    expect({ status: answered.status, logged }).toEqual({ status: 200, logged: [] });
    await rw.discord.waitForMessages(
      post,
      1,
      (message) => String((message as { content?: string }).content).includes('error.png'),
      10_000,
    );
  });
});
