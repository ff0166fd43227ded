// Saved replies and "Send to customer", end to end through the real discord.js client on the fake Discord and
// the real Bolt app on the fake Slack: staff keep replies with /snippet, send one from the Reply modal or
// /reply snippet:, filled in from the case's own answer; a reply the case cannot fill is refused before
// anything is sent; and the settings staff send carry the program's steps and the set-up link, in one Slack
// message. Tried as an attacker would: members who are not staff, and replies and names written as markup. And
// Discord's limits: a refusal naming hundreds of unknown placeholders fits one message, and the post's record of
// a staff reply keeps every word when escaping makes it longer than one embed.
import { embedLength } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffReplyMessage } from '../../adapters/discord/case-render.js';
import { verifySetupLink } from '../../src/testing.js';
import { type Bot, caseOf, LINKS, type RelayWorld, STAFF, startRelayWorld } from '../support/relay-world.js';

let rw: RelayWorld;
let bot: Bot;

beforeAll(async () => {
  rw = await startRelayWorld({ setupLinks: true });
  bot = await rw.startOnFreshSqlite();
});
afterAll(async () => {
  await rw?.close();
});

type Component = { type: number; custom_id?: string; label?: string; components?: Component[] };
type Callback = {
  type: number;
  data: {
    content?: string;
    flags?: number;
    components?: Component[];
    choices?: { name: string; value: string }[];
    allowed_mentions?: unknown;
    embeds?: { description?: string }[];
  };
};
/** Discord's limit for a message's content (an interaction response's too). */
const DISCORD_MAX_CONTENT = 2000;
const EPHEMERAL = 64;
const TROLL = { username: 'troll', globalName: 'Troll' };
const callbackOf = async (id: string) =>
  (await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${id}/`), 1, 10_000))[0]
    ?.body as Callback;
const buttonsOf = (callback: Callback) =>
  (callback.data.components ?? []).flatMap((row) => row.components ?? []).filter((part) => part.type === 2);
/** Each case's Slack channel, by its thread: a channel of its own keeps it clear of Slack's pace for others. */
const channelOf = new Map<string, string>();
const inThread = (threadTs: string, match: (text: string) => boolean) =>
  rw.slack.waitForMessages(
    channelOf.get(threadTs) ?? 'C1',
    1,
    (message) => message.thread_ts === threadTs && match(String(message.text)),
  );
const threadMessages = (threadTs: string) =>
  rw.slack.messages(channelOf.get(threadTs) ?? 'C1').filter((message) => message.thread_ts === threadTs);
let customers = 0;
let markers = 0;

/** A customer (a new one each time, in a channel of their own) asks for a person; their case's thread and post. */
async function aCase(question: string, name?: string) {
  const user = { id: `UR${++customers}`, name: name ?? `cust${customers}` };
  const asked = await caseOf(rw, bot, question, user, `CR${customers}`);
  channelOf.set(asked.threadTs, `CR${customers}`);
  return { ...asked, user };
}

/**
 * What reached the customer's thread after its first `before` messages and before a marker reply sent now:
 * the outbox delivers a case's messages in order, so whatever an earlier action sent would come first.
 */
async function sentBeforeMarker(post: string, threadTs: string, before: number): Promise<string[]> {
  const marker = `marker ${++markers}`;
  rw.discord.sendCommand({
    name: 'reply',
    options: [{ name: 'text', type: 3, value: marker }],
    channelId: post,
    member: STAFF,
  });
  await inThread(threadTs, (text) => text.endsWith(marker));
  return threadMessages(threadTs)
    .slice(before, -1)
    .map((message) => String(message.text));
}

/** `/snippet <sub> name:<name>` by `member`, in `channelId`. */
const snippetCommand = (sub: string, name?: string, member: object = STAFF, channelId?: string) =>
  rw.discord.sendCommand({
    name: 'snippet',
    options: [{ name: sub, type: 1, options: name ? [{ name: 'name', type: 3, value: name }] : [] }],
    member,
    ...(channelId ? { channelId } : {}),
  });

/** Saves a reply through /snippet add and its modal, as staff do. */
async function saveSnippet(name: string, text: string): Promise<Callback> {
  await callbackOf(snippetCommand('add', name).id);
  const submitted = rw.discord.sendModalSubmit({
    customId: `snippet:save:add:${name}`,
    member: STAFF,
    fields: { text },
  });
  return callbackOf(submitted.id);
}

describe('saved replies', () => {
  it('saves one from /snippet add in a modal, lists it, and edits it in a modal prefilled with its text', async () => {
    const asked = snippetCommand('add', 'Mail-Ports');
    expect((await callbackOf(asked.id)).type).toBe(9);
    const modal = rw.discord.modals.at(-1);
    expect(modal?.customId).toBe('snippet:save:add:mail-ports');
    const saved = await saveSnippet(
      'mail-ports',
      'Hi {customer}, use {imap.host} port {imap.port} ({imap.security}).\nSMTP: {smtp.host} port {smtp.port}.',
    );
    expect(saved.data).toMatchObject({ content: 'Saved the reply mail-ports.', flags: EPHEMERAL });

    const listed = await callbackOf(snippetCommand('list').id);
    expect(listed.data.flags).toBe(EPHEMERAL);
    expect(listed.data.content).toContain(
      '• **mail-ports**: Hi {customer}, use {imap.host} port {imap.port} ({imap.security}).',
    );
    expect(listed.data.content).toContain('{setup\\_link}'); // the placeholders, escaped for Discord
    expect(listed.data.content).not.toContain('SMTP:'); // the first line only

    await callbackOf(snippetCommand('edit', 'mail-ports').id);
    const editing = rw.discord.modals.at(-1);
    expect(editing?.customId).toBe('snippet:save:edit:mail-ports');
    expect(JSON.stringify(editing?.components)).toContain('SMTP: {smtp.host} port {smtp.port}.');
    // Left as it was, the prefilled text is saved as it was; changed, it is the new text.
    const kept = rw.discord.sendModalSubmit({
      customId: 'snippet:save:edit:mail-ports',
      member: STAFF,
      fields: {},
    });
    expect((await callbackOf(kept.id)).data.content).toBe('Saved the reply mail-ports.');
  });

  it('refuses a taken name, a name that is no slug, an unknown name, and placeholders nobody knows', async () => {
    await saveSnippet('taken', 'Hello');
    expect((await callbackOf(snippetCommand('add', 'taken').id)).data.content).toBe(
      'There is a saved reply called taken already: change it with /snippet edit.',
    );
    expect((await callbackOf(snippetCommand('add', 'two words').id)).data.content).toMatch(
      /^A saved reply's name is a short slug/,
    );
    expect((await callbackOf(snippetCommand('edit', 'nothing-here').id)).data.content).toBe(
      'There is no saved reply called nothing-here: /snippet list shows them.',
    );
    const unknown = await saveSnippet('password', 'Your password is {password}, your host {imap.hots}.');
    expect(unknown.data.content).toMatch(/^Not saved: \{password\}, \{imap.hots\} are not placeholders\./);
    const removed = await callbackOf(snippetCommand('remove', 'taken').id);
    expect(removed.data.content).toBe('Removed the saved reply taken.');
  });

  it('offers the names as staff type them, and none to anyone else', async () => {
    await saveSnippet('imap-help', 'Open {imap.host}');
    const typed = (member: object, command: string, options: object[]) =>
      rw.discord.sendAutocomplete({ name: command, options: options as never, member });
    const offered = await callbackOf(
      typed(STAFF, 'reply', [{ name: 'snippet', type: 3, value: 'IMAP', focused: true }]).id,
    );
    expect(offered).toEqual({
      type: 8,
      data: { choices: [{ name: 'imap-help: Open {imap.host}', value: 'imap-help' }] },
    });
    const inEdit = await callbackOf(
      typed(STAFF, 'snippet', [
        { name: 'edit', type: 1, options: [{ name: 'name', type: 3, value: 'help', focused: true }] },
      ]).id,
    );
    expect(inEdit.data.choices?.map((choice) => choice.value)).toEqual(['imap-help']);
    const troll = await callbackOf(
      typed(TROLL, 'reply', [{ name: 'snippet', type: 3, value: '', focused: true }]).id,
    );
    expect(troll).toEqual({ type: 8, data: { choices: [] } });
  });

  it('sends one chosen in the Reply modal, filled in from the case’s own answer', async () => {
    const { post, threadTs, user } = await aCase('alice@direct.test imap', 'Zoe');
    rw.discord.sendButton({ customId: 'case:reply', channelId: post, member: STAFF, messageId: post });
    await expect.poll(() => rw.discord.modals.at(-1)?.channelId).toBe(post);
    const modal = rw.discord.modals.at(-1);
    // The saved replies in a string select inside a Label; the words optional beside one.
    expect(modal?.components[0]).toMatchObject({
      type: 18,
      label: 'Saved reply',
      component: { type: 3, custom_id: 'snippet', required: false },
    });
    expect(JSON.stringify(modal?.components[0])).toContain('"value":"mail-ports"');
    expect(modal?.components[1]).toMatchObject({ type: 18, component: { type: 4, required: false } });
    rw.discord.sendModalSubmit({
      customId: 'case:reply-modal',
      channelId: post,
      member: STAFF,
      fields: { snippet: ['mail-ports'] },
    });
    const expected =
      'Hi Zoe, use server1.web-hosting.test port 993 (SSL/TLS).\nSMTP: server1.web-hosting.test port 465.';
    const [sent] = await inThread(threadTs, (text) => text === `<@${user.id}> ${expected}`);
    expect(sent?.username).toBe('Dana (support)');
    await rw.discord.waitForMessages(post, 1, (message) =>
      JSON.stringify(message).includes('server1.web-hosting.test port 993'),
    );
  });

  it('sends one with /reply snippet:, the staff member’s words after it', async () => {
    const { post, threadTs, user } = await aCase('direct.test imap');
    const command = rw.discord.sendCommand({
      name: 'reply',
      options: [
        { name: 'text', type: 3, value: 'Write back if it still fails.' },
        { name: 'snippet', type: 3, value: 'imap-help' },
      ],
      channelId: post,
      member: STAFF,
    });
    await callbackOf(command.id);
    await inThread(
      threadTs,
      (text) => text === `<@${user.id}> Open server1.web-hosting.test\n\nWrite back if it still fails.`,
    );
  });

  it('refuses, privately and before sending anything, a reply this case cannot fill', async () => {
    const { post, threadTs } = await aCase('direct.test pop');
    await saveSnippet('pop-and-imap', 'POP {pop.host}, or IMAP {imap.host}');
    const before = threadMessages(threadTs).length;
    const refused = await callbackOf(
      rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'snippet', type: 3, value: 'pop-and-imap' }],
        channelId: post,
        member: STAFF,
      }).id,
    );
    expect(refused.data).toMatchObject({ flags: EPHEMERAL });
    expect(refused.data.content).toMatch(
      /^Nothing was sent: this case has nothing to fill \{imap.host\} with\./,
    );
    const nothing = await callbackOf(
      rw.discord.sendCommand({ name: 'reply', options: [], channelId: post, member: STAFF }).id,
    );
    expect(nothing.data.content).toBe('Nothing was sent: choose a saved reply or write a reply.');
    const missing = await callbackOf(
      rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'snippet', type: 3, value: 'no-such-reply' }],
        channelId: post,
        member: STAFF,
      }).id,
    );
    expect(missing.data.content).toBe(
      'There is no saved reply called no-such-reply: /snippet list shows them.',
    );
    expect(await sentBeforeMarker(post, threadTs, before)).toEqual([]);
  });
});

describe('saved replies tried as an attacker would', () => {
  it('refuses /snippet and /reply snippet: to a member who is not staff, and saves and sends nothing', async () => {
    const { post, threadTs } = await aCase('direct.test imap');
    const before = threadMessages(threadTs).length;
    const tries = [
      snippetCommand('add', 'evil', TROLL),
      snippetCommand('remove', 'mail-ports', TROLL),
      snippetCommand('list', undefined, TROLL),
      rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'snippet', type: 3, value: 'mail-ports' }],
        channelId: post,
        member: TROLL,
      }),
    ];
    for (const { id } of tries)
      expect((await callbackOf(id)).data).toMatchObject({
        content: 'Only support staff can do this.',
        flags: EPHEMERAL,
      });
    expect(rw.discord.modals.some((modal) => modal.customId === 'snippet:save:add:evil')).toBe(false);
    const listed = await callbackOf(snippetCommand('list').id);
    expect(listed.data.content).toContain('**mail-ports**');
    expect(await sentBeforeMarker(post, threadTs, before)).toEqual([]);
  });

  it('keeps a reply written as markup, and a customer named as a placeholder, as plain text everywhere', async () => {
    await saveSnippet(
      'sneaky',
      '@everyone <!channel> [Reset your password](https://evil.test) for {customer}',
    );
    const listed = await callbackOf(snippetCommand('list').id);
    expect(listed.data.content).toContain(
      '@everyone \\<!channel\\> \\[Reset your password\\](https://evil.test)',
    );
    expect(listed.data.allowed_mentions).toEqual({ parse: [] });
    const { post, threadTs, user } = await aCase('direct.test imap', '{setup_link} <!here>');
    await callbackOf(
      rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'snippet', type: 3, value: 'sneaky' }],
        channelId: post,
        member: STAFF,
      }).id,
    );
    // In Slack: no broadcast, no disguised link, the name not filled in again.
    await inThread(
      threadTs,
      (text) =>
        text ===
        `<@${user.id}> @everyone &lt;!channel&gt; [Reset your password](https://evil.test) for {setup_link} &lt;!here&gt;`,
    );
    // In the post's record of it: escaped, mentioning nobody.
    const [record] = await rw.discord.waitForMessages(post, 1, (message) =>
      JSON.stringify(message).includes('Reset your password'),
    );
    expect(JSON.stringify(record)).toContain('\\\\[Reset your password\\\\](https://evil.test)');
    const call = rw.discord.calls.find(
      (candidate) =>
        candidate.path.includes('/callback') &&
        JSON.stringify(candidate.body ?? null).includes('Reset your password'),
    );
    expect((call?.body as Callback | undefined)?.data.allowed_mentions).toEqual({ parse: [] });
  });
});

describe('"Send to customer"', () => {
  it('sends the settings, the program’s steps and the set-up link, as one Slack message', async () => {
    const { post, threadTs, user } = await aCase('alice@direct.test imap');
    const answer = await callbackOf(
      rw.discord.sendCommand({
        options: [
          { name: 'domain', type: 3, value: 'alice@direct.test' },
          { name: 'protocol', type: 3, value: 'imap' },
          { name: 'client', type: 3, value: 'thunderbird' },
        ],
        channelId: post,
        member: STAFF,
      }).id,
    );
    // In a case post the customer is in Slack: only "Send to customer" (no "Post for customer" into Discord).
    const labels = buttonsOf(answer).map((button) => button.label);
    expect(labels).toContain('Send to customer');
    expect(labels).not.toContain('Post for customer');
    const send = buttonsOf(answer).find((button) => button.label === 'Send to customer');
    expect(send?.custom_id).toBe('case:send:alice@direct.test imap thunderbird');
    const before = threadMessages(threadTs).length;
    rw.discord.sendButton({ customId: send?.custom_id ?? '', channelId: post, member: STAFF });
    const [sent] = await inThread(threadTs, (text) =>
      text.startsWith(`<@${user.id}> Mail settings for direct.test (IMAP)`),
    );
    const blocks = JSON.stringify(sent?.blocks);
    expect(blocks).toContain('Sent by Dana (support)');
    expect(blocks).toContain('Thunderbird'); // the program's steps
    const link = /https:\/\/bot\.example\.test\/setup\/([\w.-]+)/.exec(blocks);
    expect(link).not.toBeNull();
    expect(verifySetupLink(link?.[1] ?? '', LINKS.secret)).toMatchObject({
      ok: true,
      value: { question: { domain: 'direct.test', email: 'alice@direct.test', protocol: 'imap' } },
    });
    await rw.discord.waitForMessages(post, 1, (message) =>
      String(message.content).includes(
        'Dana is sending the settings for alice@direct.test (IMAP) with the steps for Thunderbird to the customer.',
      ),
    );
    expect(await sentBeforeMarker(post, threadTs, before)).toEqual([sent?.text]); // one message, not three
  });

  it('keeps the answer private in a case post even with share:true, and offers "Post for customer" elsewhere', async () => {
    const { post } = await aCase('direct.test imap');
    const shared = await callbackOf(
      rw.discord.sendCommand({
        options: [
          { name: 'domain', type: 3, value: 'direct.test' },
          { name: 'share', type: 5, value: true },
        ],
        channelId: post,
        member: STAFF,
      }).id,
    );
    expect(shared.data.flags).toBe(EPHEMERAL);
    expect(buttonsOf(shared).map((button) => button.label)).toContain('Send to customer');
    const elsewhere = await callbackOf(
      rw.discord.sendCommand({ options: [{ name: 'domain', type: 3, value: 'direct.test' }], member: STAFF })
        .id,
    );
    expect(buttonsOf(elsewhere).map((button) => button.label)).toEqual(
      expect.arrayContaining(['Post for customer']),
    );
    expect(buttonsOf(elsewhere).map((button) => button.label)).not.toContain('Send to customer');
  });
});

describe('Discord’s limits on what the desk says', () => {
  it('says why a reply with many unknown placeholders is not saved in a message Discord accepts', async () => {
    // A text a staff member pasted from a template language: many {names}, none of them ours, 4000 characters.
    let text = '';
    for (let n = 0; `${text}{v${n}}`.length <= 4000; n++) text += `{v${n}}`;
    await callbackOf(
      rw.discord.sendCommand({
        name: 'snippet',
        options: [{ name: 'add', type: 1, options: [{ name: 'name', type: 3, value: 'template' }] }],
        member: STAFF,
      }).id,
    );
    const saved = await callbackOf(
      rw.discord.sendModalSubmit({ customId: 'snippet:save:add:template', member: STAFF, fields: { text } })
        .id,
    );
    expect(saved.data.content).toMatch(/^Not saved: /);
    expect(saved.data.content?.length).toBeLessThanOrEqual(DISCORD_MAX_CONTENT);
  });

  it('keeps every word the customer got, even when escaping makes it longer than one embed', async () => {
    const user = { id: 'UREC1', name: 'rec1' };
    const { post, threadTs } = await caseOf(rw, bot, 'direct.test imap', user, 'CREC1');
    // 3,988 characters, within /reply's 4,000; every underscore doubles when escaped for Discord.
    const text = `${'snake_case_'.repeat(362)}THE-END`;
    expect(text.length).toBeLessThanOrEqual(4000);
    const answered = await callbackOf(
      rw.discord.sendCommand({
        name: 'reply',
        options: [{ name: 'text', type: 3, value: text }],
        channelId: post,
        member: STAFF,
      }).id,
    );
    // The customer got all of it, in Slack.
    const sent = await rw.slack.waitForMessages('CREC1', 1, (message) =>
      String(message.text).endsWith('THE-END'),
    );
    expect(sent[0]?.thread_ts).toBe(threadTs);
    // Colleagues reading the post see all of it, over two embeds, within one message's 6,000 characters.
    const embeds = answered.data.embeds ?? [];
    expect(embeds).toHaveLength(2);
    expect(embeds.map((embed) => embed.description ?? '').join('')).toBe(text.replaceAll('_', '\\_'));
    // At worst (markup only, every character escaped) the record is cut at what one message holds.
    const worst = staffReplyMessage('Dana', '*'.repeat(4000));
    expect(worst.embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(6000);
  });
});
