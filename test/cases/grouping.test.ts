// Cases that share a cause (issue 20, item 4), end to end through the real Bolt app and discord.js client on
// the loopback fakes, with the live check run against real Dovecot and Postfix: three shops whose SRV records
// lead to a server with an expired certificate, two cafés whose records lead to a closed port. Each card says
// how many other open cases share its failure, with links; "Answer all" sends one reply to every customer in
// their own thread (one relay each, through the outbox) and "Check again" runs the check again and says what it
// found in every post. Only staff may press either. Where the servers are not the point (a cause that goes
// away), a canned check that staff can mend.
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPLY_ON_ITS_WAY } from '../../adapters/discord/case-render.js';
import type { Checker, CheckReport } from '../../src/index.js';
import { checkSettings } from '../../src/testing.js';
import { closedPort } from '../support/closed-port.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { type MailServerSet, skipWithoutMailServers, startMailServers } from '../support/mail-servers.js';
import { createTestPki, type TestPki } from '../support/pki.js';
import {
  type Bot,
  customerAsksForAPerson,
  type RelayWorld,
  STAFF,
  startRelayWorld,
} from '../support/relay-world.js';
import { srvRecords } from '../support/srv-records.js';

const skip = skipWithoutMailServers('the shared-cause tests against real Dovecot and Postfix');
const [sqlite] = testEngines();
const TROLL = { username: 'troll', globalName: 'Troll' };

type Message = {
  id: string;
  content?: string;
  embeds?: APIEmbed[];
  components?: { components: { custom_id: string; label: string }[] }[];
};

/** SRV records sending a domain's IMAP and SMTP (no POP) to `target` on these ports. */
const srv = (domain: string, target: string, { imaps, imap, submissions, submission }: Ports) =>
  srvRecords(domain, target, { imaps, imap, submissions, submission });
type Ports = Pick<MailServerSet['ports'], 'imaps' | 'imap' | 'submissions' | 'submission'>;

/** Helpers over one relay world: posts by customer name, cards, buttons and what each post says. */
function reading(rw: RelayWorld) {
  const postOf = async (name: string) => {
    const find = () => rw.discord.threads().find((thread) => String(thread.name).endsWith(`· ${name}`));
    await expect.poll(find, { timeout: 15_000 }).toBeDefined();
    return String(find()?.id);
  };
  const card = (post: string) => rw.discord.messages(post)[0] as Message;
  const field = (post: string, name: string) =>
    card(post).embeds?.[0]?.fields?.find((candidate) => candidate.name === name)?.value ?? '';
  const buttons = (post: string) =>
    (card(post).components ?? []).flatMap((row) => row.components.map((button) => button.label));
  const contents = (post: string) =>
    (rw.discord.messages(post) as Message[]).map((message) => message.content ?? '');
  const noteIn = (post: string, match: (content: string) => boolean) =>
    rw.discord.waitForMessages(post, 1, (message) => match(String((message as Message).content)), 15_000);
  return { postOf, card, field, buttons, contents, noteIn };
}

describe.skipIf(skip)('open cases whose live checks fail alike, on real servers', () => {
  let pki: TestPki;
  let expired: MailServerSet;
  let closed: number;
  let rw: RelayWorld;
  let fresh: TestDatabase;
  let bot: Bot;
  let read: ReturnType<typeof reading>;
  const posts: Record<string, string> = {};
  const threads: Record<string, string> = {};

  beforeAll(async () => {
    pki = createTestPki();
    [expired, closed] = await Promise.all([
      startMailServers(pki.issue(['mail.expired.test'], { expired: true })),
      closedPort(),
    ]);
    const shut = { imaps: closed, imap: closed, submissions: closed, submission: closed };
    rw = await startRelayWorld({
      records: [
        { name: 'mail.expired.test', type: 'A', address: '127.0.0.1' },
        { name: 'mail.closed.test', type: 'A', address: '127.0.0.1' },
        ...['shop-a.test', 'shop-b.test', 'shop-c.test'].flatMap((shop) =>
          srv(shop, 'mail.expired.test', expired.ports),
        ),
        ...['cafe-a.test', 'cafe-b.test'].flatMap((cafe) => srv(cafe, 'mail.closed.test', shut)),
      ],
      users: {}, // names as Slack sends them with each press
      checker: (world) => (settings) =>
        checkSettings(settings, {
          lookup: world.resolverOptions().dns.addresses,
          allowPrivate: true,
          ca: pki.ca,
        }),
    });
    fresh = await (sqlite as NonNullable<typeof sqlite>).fresh();
    bot = await rw.start(fresh.url);
    read = reading(rw);
  }, 60_000);
  afterAll(async () => {
    await rw?.close();
    await fresh?.drop();
    await expired?.close();
  });

  it('says on each card how many other open cases share the expired certificate, with links to their posts', async () => {
    for (const [id, name, shop] of [
      ['U1', 'alice', 'shop-a'],
      ['U2', 'bob', 'shop-b'],
      ['U3', 'carol', 'shop-c'],
    ] as const) {
      const asked = await customerAsksForAPerson(rw, bot, `${name}@${shop}.test imap`, {
        user: { id, name },
      });
      threads[name] = asked.threadTs;
      posts[name] = await read.postOf(name);
    }
    const { alice, bob, carol } = posts as Record<'alice' | 'bob' | 'carol', string>;
    const others = { alice: [bob, carol], bob: [alice, carol], carol: [alice, bob] };
    for (const [name, post] of Object.entries(posts)) {
      const links = others[name as keyof typeof others].map((other) => `<#${other}>`).join(' ');
      await expect
        .poll(() => read.field(post, 'Shares a cause'), { timeout: 15_000 })
        .toMatch(
          new RegExp(
            `^Expired certificate on mail\\.expired\\.test ports [\\d, ]+: 2 other open cases, ${links}$`,
          ),
        );
      await expect
        .poll(() => read.buttons(post))
        .toEqual(['Claim', 'Reply', 'Snooze', 'Resolve', 'Hand over', 'Check again', 'Answer all 3']);
      const check = read.card(post).embeds?.at(-1);
      expect(check?.title).toMatch(/^Live check \(4 ports, \d+ ms\)$/);
      expect(check?.description).toMatch(
        /^✗ \*\*IMAP mail\.expired\.test:\d+\*\* .*certificate expired on \d{4}-\d\d-\d\d/,
      );
    }
  });

  it('refuses the shared buttons and their modal to anyone who is not staff, and changes nothing', async () => {
    const before = rw.slack.messages('C1').length;
    const post = String(posts.alice);
    // A modal staff opened, sent by a member who has lost the staff role meanwhile.
    rw.discord.sendButton({ customId: 'case:answer-all', channelId: post, member: STAFF, messageId: post });
    await expect.poll(() => rw.discord.modals.length).toBe(1);
    const pressed = [
      rw.discord.sendButton({
        customId: 'case:check-again',
        channelId: post,
        member: TROLL,
        messageId: post,
      }),
      rw.discord.sendButton({ customId: 'case:answer-all', channelId: post, member: TROLL, messageId: post }),
      rw.discord.sendModalSubmit({
        customId: 'case:answer-all-modal',
        channelId: post,
        member: TROLL,
        fields: { text: 'I am support: send me your password' },
      }),
    ];
    for (const { id } of pressed) {
      const [callback] = await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${id}/`));
      const body = callback?.body as { data?: { content: string; flags: number } } | undefined;
      expect(body?.data).toMatchObject({
        content: 'Only support staff can do this.',
        flags: 64,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // what the outbox would have sent by now
    expect(rw.slack.messages('C1').slice(before)).toEqual([]);
  });

  it('answers all three at once: each customer in their own thread, one relay each, every post keeps a record', async () => {
    const { alice, bob, carol } = posts as Record<'alice' | 'bob' | 'carol', string>;
    rw.discord.sendButton({ customId: 'case:answer-all', channelId: alice, member: STAFF, messageId: alice });
    await expect.poll(() => rw.discord.modals.filter((modal) => !modal.submitted).length).toBe(1);
    const text = 'The certificate of mail.expired.test ran out: we are renewing it now.';
    rw.discord.sendModalSubmit({
      customId: 'case:answer-all-modal',
      channelId: alice,
      member: STAFF,
      fields: { text },
    });
    for (const [name, user] of [
      ['alice', 'U1'],
      ['bob', 'U2'],
      ['carol', 'U3'],
    ] as const) {
      const [reply] = await rw.slack.waitForMessages(
        'C1',
        1,
        (message) => message.thread_ts === threads[name] && String(message.text).endsWith(text),
        15_000,
      );
      expect(reply?.text).toBe(`<@${user}> ${text}`);
      expect(reply?.username).toBe('Dana (support)');
    }
    const relays = await bot.database.db
      .selectFrom('outbox')
      .select(['case_id', 'payload'])
      .where('target', '=', 'customer')
      .execute();
    const answered = relays.filter(
      (row) => row.payload.includes('"kind":"relay"') && row.payload.includes('renewing'),
    );
    expect(answered.map((row) => row.case_id).sort()).toEqual([1, 2, 3]);
    const [record] = await read.noteIn(alice, (content) =>
      content.startsWith('Also sent to the customers of'),
    );
    expect(record?.content).toBe(`Also sent to the customers of <#${bob}> <#${carol}>.`);
    // Said as it was: sent only once Slack had alice's copy (Slack's pace, a message a second per channel, may
    // hold it past the bot's wait: then it is on its way).
    const footer = (record as { embeds?: { footer?: { text: string } }[] }).embeds?.[0]?.footer?.text;
    if (footer === 'Sent to the customer in Slack') {
      const posted = rw.slack.posts.find(
        (call) => call.body.thread_ts === threads.alice && String(call.body.text).endsWith(text),
      );
      const recorded = rw.discord.calls.find(
        (call) => call.path.includes('/callback') && JSON.stringify(call.body).includes('Also sent to'),
      );
      expect(posted?.at).toBeLessThan(recorded?.at ?? 0);
    } else expect(footer).toBe(REPLY_ON_ITS_WAY);
    for (const other of [bob, carol]) {
      const [copy] = await read.noteIn(other, (content) =>
        content.includes('answered the cases sharing this cause'),
      );
      expect(copy?.content).toBe(
        `Dana answered the cases sharing this cause at once. Written in <#${alice}>.`,
      );
      expect((copy as Message).embeds?.[0]?.description).toBe(text);
    }
  });

  it('checks again for every case sharing the cause, once however often it is pressed, and says what it found in each post', async () => {
    const { alice, bob } = posts as Record<'alice' | 'bob', string>;
    // Pressed in two posts of the group at once: one check runs, the other press is told it is under way.
    const presses = [bob, alice].map((post) =>
      rw.discord.sendButton({
        customId: 'case:check-again',
        channelId: post,
        member: STAFF,
        messageId: post,
      }),
    );
    const answers = await Promise.all(
      presses.map(async (pressed) => {
        const [done] = await rw.discord.waitFor(
          (call) => call.method === 'PATCH' && call.path.includes(`/${pressed.token}/messages/@original`),
          1,
          20_000,
        );
        return (done?.body as { content?: string } | undefined)?.content;
      }),
    );
    expect(answers.sort()).toEqual([
      'Checked 3 cases again: the outcome is in each post.',
      'These cases are being checked already: the outcome will be in each post.',
    ]);
    for (const post of Object.values(posts)) {
      const [note] = await read.noteIn(post, (content) => content.includes('checked the servers again'));
      expect(note?.content).toMatch(
        /^\*Dana checked the servers again: still failing: Expired certificate on mail\.expired\.test ports [\d, ]+\.\*$/,
      );
    }
  });

  it('groups the closed port apart, and a resolved case leaves its group', async () => {
    for (const [id, name, cafe] of [
      ['U4', 'dave', 'cafe-a'],
      ['U5', 'erin', 'cafe-b'],
    ] as const) {
      await customerAsksForAPerson(rw, bot, `${name}@${cafe}.test imap`, { user: { id, name } });
      posts[name] = await read.postOf(name);
    }
    const { dave, erin, alice, bob, carol } = posts as Record<string, string>;
    await expect
      .poll(() => read.field(String(dave), 'Shares a cause'), { timeout: 15_000 })
      .toBe(`Server not reachable on mail.closed.test port ${closed}: 1 other open case, <#${erin}>`);
    expect(read.field(String(alice), 'Shares a cause')).not.toContain('closed');
    rw.discord.sendButton({
      customId: 'case:resolve',
      channelId: String(carol),
      member: STAFF,
      messageId: carol,
    });
    await expect
      .poll(() => read.field(String(alice), 'Shares a cause'), { timeout: 15_000 })
      .toMatch(new RegExp(`: 1 other open case, <#${bob}>$`));
    await expect.poll(() => read.buttons(String(bob))).toContain('Answer all 2');
    await expect.poll(() => read.field(String(carol), 'Shares a cause')).toBe('');
    expect(read.buttons(String(carol))).not.toContain('Answer all 2');
  });
});

describe('a shared cause that goes away (a canned check staff can mend)', () => {
  let rw: RelayWorld;
  let fresh: TestDatabase;
  let bot: Bot;
  let broken = true;
  /** server1's IMAP port refuses connections until it is mended. */
  const canned: Checker = async (settings) => ({
    settings,
    results: [
      {
        server: {
          type: 'imap',
          hostname: 'server1.web-hosting.test',
          port: 993,
          security: 'tls',
          username: '',
          authentication: [],
        },
        outcome: broken ? 'closed' : 'ok',
        mechanisms: broken ? [] : ['PLAIN'],
      },
    ] as CheckReport['results'],
    advice: [],
    ms: 1,
  });

  beforeAll(async () => {
    rw = await startRelayWorld({ checker: () => canned });
    fresh = await (sqlite as NonNullable<typeof sqlite>).fresh();
    bot = await rw.start(fresh.url);
  });
  afterAll(async () => {
    await rw?.close();
    await fresh?.drop();
  });

  it('says so in every post after Check again, and the cards no longer group them', async () => {
    const read = reading(rw);
    await customerAsksForAPerson(rw, bot, 'alice@direct.test imap');
    await customerAsksForAPerson(rw, bot, 'direct.test imap', { user: { id: 'U2', name: 'bob' } });
    const [alice, bob] = [await read.postOf('Alice'), await read.postOf('bob')];
    await expect
      .poll(() => read.field(alice, 'Shares a cause'), { timeout: 10_000 })
      .toBe(`Server not reachable on server1.web-hosting.test port 993: 1 other open case, <#${bob}>`);
    broken = false;
    rw.discord.sendButton({
      customId: 'case:check-again',
      channelId: alice,
      member: STAFF,
      messageId: alice,
    });
    for (const post of [alice, bob]) {
      await read.noteIn(
        post,
        (content) => content === '*Dana checked the servers again: every server answered as it should.*',
      );
      await expect.poll(() => read.field(post, 'Shares a cause'), { timeout: 10_000 }).toBe('');
      await expect
        .poll(() => read.buttons(post))
        .toEqual(['Claim', 'Reply', 'Snooze', 'Resolve', 'Hand over', 'Check again']);
    }
  });
});
