// The case card end to end (issue 19, items 1–3; issue 20's case parts), through the real Bolt app and
// discord.js client on the loopback fakes: "Ask a person" opens a modal preset with the question's program;
// what the customer writes and chooses there opens the case and goes on the card, which reads who, what and
// where first, then their words, then short settings, diagnostics and check, within Discord's limits; the card
// lists earlier cases; an error the customer writes in the thread becomes a staff note; /mailsettings error:
// in the post puts the diagnosis on the card. Passwords are never kept; only staff change the card.
import type { APIEmbed } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseCardMessage, caseSummaryEmbed } from '../../adapters/discord/card-render.js';
import {
  embedLength,
  MAX_FIELD_VALUE,
  MAX_FIELDS,
  MAX_TITLE,
  MAX_TOTAL,
} from '../../adapters/discord/embeds.js';
import { threadIdOf } from '../../adapters/discord/refs.js';
import { ASK_PERSON_ACTION } from '../../adapters/slack/render.js';
import { type CaseCard, type CaseView, type CheckReport, cardWords } from '../../src/index.js';
import { parseQuery } from '../../src/testing.js';
import { blockActionsBody, DEFAULT_SCOPES, signedPost } from '../support/fake-slack.js';
import {
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  modalText,
  type RelayWorld,
  SECRET,
  STAFF,
  startRelayWorld,
} from '../support/relay-world.js';
import { resolverIn, TEST_PROFILE } from '../support/world.js';

let rw: RelayWorld;
let bot: Bot;

beforeAll(async () => {
  rw = await startRelayWorld({
    scopes: [...DEFAULT_SCOPES, 'users:read', 'users:read.email', 'chat:write.customize'],
    users: {
      U1: { name: 'alice', displayName: 'Alice', email: 'alice@example.org' },
      U2: { name: 'bob', displayName: 'Bob', email: 'bob@example.org' },
      U3: { name: 'carol', displayName: 'Carol' },
    },
  });
  bot = await rw.startOnFreshSqlite();
});
afterAll(async () => {
  await rw?.close();
});

type Message = { id: string; content?: string; embeds?: APIEmbed[]; components?: unknown[] };
/** The post of the customer called `name` (the newest, when they have several). */
const postOf = async (name: string, count = 1) => {
  await expect
    .poll(() => rw.discord.threads().filter((thread) => String(thread.name).endsWith(`· ${name}`)).length, {
      timeout: 10_000,
    })
    .toBeGreaterThanOrEqual(count);
  return String(
    rw.discord.threads().filter((thread) => String(thread.name).endsWith(`· ${name}`))[count - 1]?.id,
  );
};
const cardIn = (post: string) => (rw.discord.messages(post)[0] as Message).embeds ?? [];
const textOf = (embeds: APIEmbed[]) =>
  embeds
    .flatMap((embed) => [
      embed.title,
      embed.description,
      ...(embed.fields ?? []).flatMap((field) => [field.name, field.value]),
    ])
    .join('\n');
const waitForCard = (post: string, match: (text: string) => boolean) =>
  expect.poll(() => match(textOf(cardIn(post))), { timeout: 10_000 }).toBe(true);
const contentsIn = (post: string) =>
  (rw.discord.messages(post) as Message[]).map((message) => message.content ?? '');
const sizeOf = (embeds: APIEmbed[]) => embeds.reduce((sum, embed) => sum + embedLength(embed), 0);

describe('the card, read at a glance', () => {
  let alicePost: string;

  it('opens a modal preset with the program the question named, and keeps the question for the case', async () => {
    await customerAsksForAPerson(rw, bot, 'alice@direct.test pop outlook', {
      words: 'Outlook keeps asking for my password since Monday.',
    });
    const opened = rw.slack.posts.filter((post) => post.path === '/api/views.open').at(-1)?.body.view as {
      private_metadata: string;
      blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[];
    };
    expect(JSON.parse(opened.private_metadata)).toEqual({ q: 'alice@direct.test pop', c: 'C1', u: 'U1' });
    expect(opened.blocks.find((block) => block.block_id === 'program')?.element?.initial_option?.value).toBe(
      'outlook',
    );
    alicePost = await postOf('Alice');
  });

  it('reads who (name, address, thread), the domain, the program and what the bot sent, then their words', async () => {
    await waitForCard(alicePost, (text) => text.includes('[Slack thread](https://fake-workspace.slack.com/'));
    const [summary, ...rest] = cardIn(alicePost);
    expect(summary?.title).toBe('Case 1: alice@direct.test (POP)');
    const [who, what, sent] = String(summary?.description).split('\n');
    // The question's address comes first; the profile's (users:read.email) only when the question has none.
    expect(who).toMatch(
      /^\*\*Alice \(U1\)\*\* · alice@direct\.test · \[Slack thread\]\(https:\/\/fake-workspace/,
    );
    expect(what).toMatch(
      /^\*\*Domain\*\* direct\.test · \*\*Program\*\* Outlook for Windows · \*\*Status\*\* New, next reply due <t:\d+:R>$/,
    );
    expect(sent).toBe(
      '**The bot sent** the settings from Hosted by Example Web Hosting on server1.web-hosting.test (MX server1.web-hosting.test is that server)',
    );
    expect(summary?.fields?.[0]).toEqual({
      name: 'What they say',
      value: 'Outlook keeps asking for my password since Monday.',
    });
    expect(rest.map((embed) => embed.title)).toEqual([
      'Settings the bot sent',
      'Diagnostics',
      'Live check (0 ports, 3 ms)',
    ]);
    expect(rest[0]?.description).toContain('**POP** server1.web-hosting.test 995 SSL/TLS (or 110 STARTTLS)');
    // The sources the resolver stopped once the company's own server answered were not late: not needed
    // (which of them had finished by then depends on the machine; card-text.test.ts has the exact lines).
    expect(rest[1]?.description).toMatch(/^\*\*profile\*\* found: Hosted by Example Web Hosting/);
    expect(textOf(cardIn(alicePost))).not.toContain('still running at the deadline');
  });

  it('runs Check again as often as live checks a minute allow each staff member, then says when to press again', async () => {
    const erin = { userId: '400000000000000777', member: { ...STAFF, username: 'erin', globalName: 'Erin' } };
    const checkedNotes = () =>
      contentsIn(alicePost).filter((content) => content.includes('checked the servers again'));
    const before = checkedNotes().length;
    const said: (string | undefined)[] = [];
    for (let press = 0; press < 4; press++) {
      const pressed = rw.discord.sendButton({
        customId: 'case:check-again',
        channelId: alicePost,
        messageId: alicePost,
        ...erin,
      });
      const [done] = await rw.discord.waitFor(
        (call) => call.method === 'PATCH' && call.path.includes(`/${pressed.token}/messages/@original`),
      );
      said.push((done?.body as { content?: string } | undefined)?.content);
    }
    // MAILSETTINGS_CHECK_RATE_LIMIT is 3 a minute by default: the fourth press probes nobody's servers.
    expect(said).toEqual([...Array(3).fill(cardWords.checkedCases(1)), cardWords.CHECKS_SLOW_DOWN]);
    await expect.poll(checkedNotes, { timeout: 10_000 }).toHaveLength(before + 3);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a fourth note would be there by now
    expect(checkedNotes()).toHaveLength(before + 3);
  });

  it('stays within every Discord limit and far shorter than before', () => {
    const embeds = cardIn(alicePost);
    for (const embed of embeds) {
      expect(String(embed.title).length).toBeLessThanOrEqual(MAX_TITLE);
      expect((embed.fields ?? []).length).toBeLessThanOrEqual(MAX_FIELDS);
      for (const field of embed.fields ?? []) expect(field.value.length).toBeLessThanOrEqual(MAX_FIELD_VALUE);
    }
    // The card before this layout: 1,918 characters for this case with no check results, about 5,000 with them.
    expect(sizeOf(embeds)).toBeLessThan(1400);
  });

  it('shows the profile’s email address when the question has none, and the program chosen in the modal', async () => {
    await customerAsksForAPerson(rw, bot, 'direct.test imap', {
      user: { id: 'U2', name: 'bob' },
      program: 'thunderbird',
    });
    const post = await postOf('Bob');
    // The thread's link comes with the card's first redraw, once the thread is open.
    await waitForCard(post, (text) => text.includes('bob@example.org') && text.includes('[Slack thread]'));
    const [who, what] = String(cardIn(post)[0]?.description).split('\n');
    expect(who).toMatch(/^\*\*Bob \(U2\)\*\* · bob@example\.org · /);
    expect(what).toContain('**Program** Thunderbird');
    expect(cardIn(post)[0]?.fields?.map((field) => field.name)).not.toContain('What they say');
  });

  it('keeps no password a customer writes in the modal, and reads the error in their words', async () => {
    await customerAsksForAPerson(rw, bot, 'direct.test smtp', {
      user: { id: 'U3', name: 'carol' },
      words: 'my password is hunter2 and Outlook says 0x800CCC92',
      program: null,
    });
    const post = await postOf('Carol');
    await waitForCard(post, (text) => text.includes('Diagnosis'));
    const [summary] = cardIn(post);
    expect(summary?.fields?.[0]?.value).toBe('my password is \\[removed\\] and Outlook says 0x800CCC92');
    expect(summary?.fields?.[1]?.name).toBe('Diagnosis: Wrong username or password');
    expect(summary?.fields?.[1]?.value).toMatch(/^not checked · from Carol · recognised: 0x800CCC92\n/);
    expect(String(summary?.description)).toContain('**Program** not named');
    const rows = await bot.database.db.selectFrom('cases').select(['customer_words', 'card']).execute();
    expect(JSON.stringify(rows)).not.toContain('hunter2');
  });

  it('opens nothing for a submission by someone the modal was not opened for', async () => {
    const before = rw.discord.threads().length;
    const views = rw.slack.views().length;
    await signedPost(
      bot.events,
      SECRET,
      blockActionsBody({
        actionId: ASK_PERSON_ACTION,
        value: 'direct.test pop',
        text: 'Ask a person',
        user: { id: 'U7', name: 'dave' },
        channel: 'C1',
        messageTs: '1700000000.000000',
        ephemeral: true,
        responseUrl: rw.slack.responseUrl('forged'),
      }),
    );
    await expect.poll(() => rw.slack.views().length).toBe(views + 1);
    const modal = rw.slack.views().at(-1);
    await rw.slack.submitView(bot.events, SECRET, String(modal?.id), {}, { id: 'U9', name: 'mallory' });
    expect(modalText(rw, String(modal?.id))).toBe(
      'Only the person who opened this form can send it: press "Ask a person" yourself.',
    );
    await new Promise((resolve) => setTimeout(resolve, 300)); // what the outbox would have posted by now
    expect(rw.discord.threads()).toHaveLength(before);
  });

  it('lists the customer’s and the domain’s earlier cases, with who resolved them and links to their posts', async () => {
    rw.discord.sendButton({
      customId: 'case:resolve',
      channelId: alicePost,
      member: STAFF,
      messageId: alicePost,
    });
    await waitForCard(alicePost, (text) => text.includes('Resolved, claimed by Dana, resolved by Dana'));
    await customerAsksForAPerson(rw, bot, 'alice@direct.test imap');
    const second = await postOf('Alice', 2);
    await waitForCard(second, (text) => text.includes('Earlier cases'));
    const earlier = cardIn(second)[0]?.fields?.find((field) => field.name === 'Earlier cases')?.value ?? '';
    const bob = await postOf('Bob');
    const carol = await postOf('Carol');
    expect(earlier.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^<t:\\d+:d> · New · <#${carol}> · same domain$`)),
      expect.stringMatching(new RegExp(`^<t:\\d+:d> · New · <#${bob}> · same domain$`)),
      expect.stringMatching(new RegExp(`^<t:\\d+:d> · Resolved by Dana · <#${alicePost}>$`)),
    ]);
  });
});

describe('what the customer writes in the thread, and what staff paste in the post', () => {
  it('turns an error the customer writes into a note only staff see, and keeps no password from it', async () => {
    const { threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test pop', {
      user: { id: 'U4', name: 'erin' },
    });
    const post = await postOf('erin');
    await customerWrites(
      bot,
      'Now it says: 535 5.7.8 Error: authentication failed. pass=Secret123',
      threadTs,
      {
        user: 'U4',
      },
    ).send();
    const [note] = await rw.discord.waitForMessages(
      post,
      1,
      (message) => String((message as Message).content).includes('reads as an error'),
      10_000,
    );
    expect((note as Message).content).toBe(
      "*erin's message reads as an error: Wrong username or password (password, recognised by 5.7.8). The server turned down the username or password. The live check could not look into it: nothing could be checked. What to do: Type the password again in your mail program (it is case-sensitive) with your full email address (name@domain) as the username. If you changed the password lately, change it in the program too. It had a password in it: the copy here has it cut out; the customer should change that password. (Only staff see this note.)*",
    );
    expect(contentsIn(post).some((content) => content.includes('pass=\\[removed\\]'))).toBe(true);
    await customerWrites(bot, 'thanks, trying again now', threadTs, { user: 'U4' }).send();
    await customerWrites(bot, '535 5.7.8 here too', threadTs, { user: 'U1' }).send(); // not the case's customer
    await rw.discord.waitForMessages(post, 1, (message) =>
      String((message as Message).content).includes('here too'),
    );
    expect(contentsIn(post).filter((content) => content.includes('reads as an error'))).toHaveLength(1);
    const everywhere = JSON.stringify([rw.slack.posts, rw.discord.calls]);
    expect(everywhere).not.toContain('Secret123');
    expect(
      rw.slack.messages('C1').some((message) => String(message.text).includes('reads as an error')),
    ).toBe(false);
    const kept = await bot.database.db.selectFrom('case_messages').select('text').execute();
    expect(JSON.stringify(kept)).not.toContain('Secret123');
  });

  it('puts the diagnosis of /mailsettings error: on the card when staff ask in the post, not when others do', async () => {
    await customerAsksForAPerson(rw, bot, 'alice@direct.test smtp', { user: { id: 'U5', name: 'fay' } });
    const post = await postOf('fay');
    const ask = (member: typeof STAFF | { username: string }) =>
      rw.discord.sendCommand({
        options: [
          { name: 'domain', type: 3, value: 'alice@direct.test' },
          { name: 'error', type: 3, value: 'Error: certificate has expired (CERT_HAS_EXPIRED)' },
        ],
        channelId: post,
        member,
      });
    const troll = ask({ username: 'troll' });
    await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${troll.id}/`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(textOf(cardIn(post))).not.toContain('Diagnosis');
    ask(STAFF);
    await waitForCard(post, (text) => text.includes('Diagnosis: Expired certificate'));
    const diagnosis = cardIn(post)[0]?.fields?.find((field) => field.name.startsWith('Diagnosis'));
    expect(diagnosis?.value).toMatch(
      /^not checked · from Dana · recognised: CERT\\_HAS\\_EXPIRED\n/, // no live check in this relay's conversation
    );
    await rw.discord.waitForMessages(post, 1, (message) =>
      String((message as Message).content).includes('Dana put a diagnosis on the card: Expired certificate.'),
    );
  });
});

describe('a card at its largest', () => {
  it('keeps every Discord limit with a hostile name, words, history, shared causes and check', async () => {
    const question = parseQuery('alice@direct.test all');
    if (!question.ok) throw new Error('the question must parse');
    const real: CaseCard = {
      answer: await resolverIn(rw.world, { profile: TEST_PROFILE }).answer(question.value.query),
    };
    const markup = '[x](https://evil.test) <@&1> **`|'.repeat(40);
    const probe = (port: number): CheckReport['results'][number] => ({
      server: {
        type: 'imap',
        hostname: `mail.${'x'.repeat(200)}.test`,
        port,
        security: 'tls',
        username: '',
        authentication: [],
      },
      outcome: 'failed',
      mechanisms: [],
      error: markup,
    });
    const view: CaseView = {
      id: 99,
      status: 'claimed',
      customerPlace: 'slack:C1',
      customerThread: 'slack:C1:1.2',
      customerThreadLink: 'https://fake-workspace.slack.com/archives/C1/p12',
      customerId: 'U1',
      customerName: markup,
      question: `${'q'.repeat(900)}.test pop`,
      customerWords: markup.slice(0, 1000),
      program: 'outlook',
      customerEmail: `${'a'.repeat(300)}@example.org`,
      staffThread: 'discord:1',
      claimedBy: markup,
      claimedById: '1',
      resolvedBy: null,
      rating: null,
      snoozedUntil: Date.UTC(2026, 11, 8, 9),
      nextReplyDue: Date.UTC(2026, 11, 8, 10),
      card: {
        ...real,
        check: {
          settings: real.answer?.settings as CheckReport['settings'],
          results: Array.from({ length: 12 }, (_, n) => probe(n + 1)),
          advice: [markup, markup],
          ms: 9,
        },
        diagnosis: {
          cause: 'certificate-expired',
          confirmed: true,
          summary: markup,
          fix: markup,
          recognised: markup,
          by: markup,
        },
        history: Array.from({ length: 5 }, (_, n) => ({
          id: n,
          at: 0,
          status: 'resolved' as const,
          resolvedBy: markup,
          staffThread: `discord:${n}`,
          sameCustomer: n % 2 === 0,
        })),
        shared: Array.from({ length: 8 }, (_, n) => ({
          host: `mail${n}.${'y'.repeat(200)}.test`,
          port: 993,
          cause: 'unreachable' as const,
          cases: Array.from({ length: 40 }, (_, id) => ({ id, staffThread: `discord:${1000 + id}` })),
        })),
      },
    };
    const message = caseCardMessage(view);
    // What the customer typed in the form (1,000 characters at most) shows whole when it is plain text.
    const plain = 'My mail stopped working. '.repeat(40);
    const words = caseSummaryEmbed({ ...view, customerWords: plain }).fields?.[0];
    expect(words).toEqual({ name: 'What they say', value: plain });
    for (const embed of message.embeds) {
      expect(String(embed.title).length).toBeLessThanOrEqual(MAX_TITLE);
      expect(String(embed.description ?? '').length).toBeLessThanOrEqual(4096);
      expect((embed.fields ?? []).length).toBeLessThanOrEqual(MAX_FIELDS);
      for (const field of embed.fields ?? []) {
        expect(field.name.length).toBeLessThanOrEqual(256);
        expect(field.value.length).toBeLessThanOrEqual(MAX_FIELD_VALUE);
      }
    }
    expect(sizeOf(message.embeds)).toBeLessThanOrEqual(MAX_TOTAL);
    for (const row of message.components) expect(row.components.length).toBeLessThanOrEqual(5);
    const labels = message.components.flatMap((row) =>
      row.components.map((button) => ('label' in button ? button.label : '')),
    );
    expect(labels).toEqual([
      'Claim',
      'Reply',
      'Snooze',
      'Resolve',
      'Hand over',
      'Check again',
      'Answer all 41',
    ]);
    expect(JSON.stringify(message)).not.toMatch(/[^\\]\[x\]\(https/); // no masked link survives
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(threadIdOf('discord:5')).toBe('5');
  });
});
