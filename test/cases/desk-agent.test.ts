// Handing a case over and finding cases, end to end through the real discord.js client on the fake Discord
// and the real Bolt app on the fake Slack: "Hand over" on the card asks privately whom (a user select), the
// member chosen must be staff (checked from what Discord resolves about them), the new owner is pinged and the
// card, tags and customer follow; /cases open and /cases find answer privately with links to the posts. Tried
// as an attacker would: a member who is not staff pressing or choosing, and a bot or non-staff member chosen.
import { PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Bot,
  caseOf,
  type RelayWorld,
  STAFF,
  STAFF_ROLE,
  startRelayWorld,
} from '../support/relay-world.js';

let rw: RelayWorld;
let bot: Bot;

const SAM = '400000000000000021';
const PAT = '400000000000000022';
const HELPER = '400000000000000023';
const KIM = '400000000000000024';

beforeAll(async () => {
  rw = await startRelayWorld();
  bot = await rw.startOnFreshSqlite();
  rw.discord.addMember(SAM, {
    username: 'sam',
    globalName: 'Sam',
    nick: 'Sam [support](https://evil.test)',
    roles: [STAFF_ROLE],
  });
  rw.discord.addMember(PAT, { username: 'pat', globalName: 'Pat' });
  rw.discord.addMember(HELPER, { username: 'helper', globalName: 'Helper', bot: true, roles: [STAFF_ROLE] });
  rw.discord.addMember(KIM, { username: 'kim', globalName: 'Kim' });
});
afterAll(async () => {
  await rw?.close();
});

type Component = { type: number; custom_id?: string; label?: string; components?: Component[] };
type Callback = {
  type: number;
  data: { content?: string; flags?: number; components?: Component[]; allowed_mentions?: unknown };
};
const EPHEMERAL = 64;
const TROLL = { username: 'troll', globalName: 'Troll' };
const SAM_SHOWN = 'Sam \\[support\\](https://evil.test)';
const callbackOf = async (id: string) =>
  (await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${id}/`), 1, 10_000))[0]
    ?.body as Callback;
const tagsOf = (post: string) => (rw.discord.channel(post) as { applied_tags: string[] }).applied_tags;
const cardOf = (post: string) => JSON.stringify(rw.discord.messages(post)[0]);
let customers = 0;

/**
 * What reached the customer's thread, and the notes in the post, before a reply Dana sends now (which claims
 * the case for her): the outbox delivers a case's messages in order, so whatever came before it came first.
 */
async function beforeDanasReply({
  post,
  channel,
  threadTs,
}: {
  post: string;
  channel: string;
  threadTs: string;
}) {
  const marker = `marker ${customers}`;
  rw.discord.sendCommand({
    name: 'reply',
    options: [{ name: 'text', type: 3, value: marker }],
    channelId: post,
    member: STAFF,
  });
  const inThread = () => rw.slack.messages(channel).filter((message) => message.thread_ts === threadTs);
  await rw.slack.waitForMessages(
    channel,
    1,
    (message) => message.thread_ts === threadTs && String(message.text).endsWith(marker),
  );
  await expect.poll(() => cardOf(post)).toContain('claimed by Dana');
  return {
    customer: inThread()
      .slice(0, -1)
      .map((message) => String(message.text)),
    notes: rw.discord
      .messages(post)
      .map((message) => String(message.content))
      .filter((text) => text.includes('*')),
  };
}

/** A customer (a new one each time) asks for a person; their case's thread and post. */
async function aCase(question = 'direct.test imap') {
  const user = { id: `UA${++customers}`, name: `agent${customers}` };
  const channel = `CA${customers}`; // its own: clear of Slack's pace for other cases' posts
  return { ...(await caseOf(rw, bot, question, user, channel)), user, channel };
}

/** "Hand over" pressed by `member`: the private answer with the user select, and its interaction id. */
async function pressHandOver(post: string, member: object = STAFF) {
  const pressed = rw.discord.sendButton({
    customId: 'case:handover',
    channelId: post,
    member,
    messageId: post,
  });
  return { id: pressed.id, callback: await callbackOf(pressed.id) };
}
const choose = (post: string, asked: string, who: string, member: object = STAFF) =>
  callbackOf(
    rw.discord.sendUserSelect({
      customId: 'case:handover-to',
      values: [who],
      channelId: post,
      member,
      onResponseOf: asked,
    }).id,
  );

describe('handing a case over', () => {
  it('puts "Hand over" on the card, and asks privately whom, with a user select', async () => {
    const { post } = await aCase();
    const card = rw.discord.messages(post)[0] as { components: Component[] };
    expect(card.components[0]?.components?.map((button) => button.label)).toContain('Hand over');
    const { callback } = await pressHandOver(post);
    expect(callback.data).toMatchObject({
      content: 'Who takes this case? Choose a member of the support staff.',
      flags: EPHEMERAL,
      components: [{ type: 1, components: [{ type: 5, custom_id: 'case:handover-to' }] }],
    });
  });

  it('hands it to a staff member: they are pinged, alone; the card, tags and the customer follow', async () => {
    const { post, threadTs, user, channel } = await aCase();
    const { id } = await pressHandOver(post);
    const chosen = await choose(post, id, SAM);
    expect(chosen).toMatchObject({
      type: 7,
      data: { content: `The case is ${SAM_SHOWN}'s now; they have been told.`, components: [] },
    });
    const [note] = await rw.discord.waitForMessages(post, 1, (message) =>
      String(message.content).includes('handed this case over'),
    );
    expect(note?.content).toBe(`<@${SAM}> *Dana handed this case over to ${SAM_SHOWN}.*`);
    const sent = rw.discord.calls.find((call) =>
      JSON.stringify(call.body ?? null).includes('handed this case over'),
    );
    expect((sent?.body as { allowed_mentions?: unknown } | undefined)?.allowed_mentions).toEqual({
      parse: [],
      users: [SAM],
    });
    await expect.poll(() => tagsOf(post)).toEqual([rw.discord.tagId('Claimed')]);
    await expect.poll(() => cardOf(post)).toContain(`claimed by ${SAM_SHOWN.replaceAll('\\', '\\\\')}`);
    // The customer hears who has their case now, by the name as written: Slack's escaping keeps it text.
    const number = /Case (\d+):/.exec(cardOf(post))?.[1];
    await rw.slack.waitForMessages(
      channel,
      1,
      (message) =>
        message.thread_ts === threadTs &&
        message.text ===
          `<@${user.id}> Sam [support](https://evil.test) from our support team is looking at your question (case ${number}).`,
    );
    // Handing it to whoever has it changes nothing, and says so.
    const again = await pressHandOver(post);
    expect((await choose(post, again.id, SAM)).data.content).toBe(`${SAM_SHOWN} has this case already.`);
  });

  it('takes a member holding the staff permission where the case is, without the role', async () => {
    const { post } = await aCase();
    rw.discord.setOverwrites(rw.discord.forumId, [
      { id: KIM, type: 1, allow: String(PermissionFlagsBits.ManageGuild), deny: '0' },
    ]);
    try {
      const { id } = await pressHandOver(post);
      expect((await choose(post, id, KIM)).data.content).toBe("The case is Kim's now; they have been told.");
    } finally {
      rw.discord.setOverwrites(rw.discord.forumId, []);
    }
  });

  it('refuses a member who is not staff, and a bot, and lets the staff member choose again', async () => {
    const kase = await aCase();
    const { post } = kase;
    const { id } = await pressHandOver(post);
    for (const [who, name] of [
      [PAT, 'Pat'],
      [HELPER, 'Helper'],
    ] as const) {
      const refused = await choose(post, id, who);
      expect(refused.data).toMatchObject({
        content: `${name} is not support staff, so the case stays where it is: choose a member of the support staff.`,
        components: [{ type: 1, components: [{ type: 5, custom_id: 'case:handover-to' }] }],
      });
    }
    expect(tagsOf(post)).toEqual([rw.discord.tagId('New')]);
    const before = await beforeDanasReply(kase);
    expect(before.customer.filter((text) => text.includes('is looking at'))).toEqual([]);
    expect(before.notes.filter((text) => text.includes('handed'))).toEqual([]);
  });

  it('refuses "Hand over" and a forged choice to a member who is not staff, and changes nothing', async () => {
    const kase = await aCase();
    const { post, channel, threadTs } = kase;
    const before = rw.slack.messages(channel).filter((message) => message.thread_ts === threadTs).length;
    const pressed = await pressHandOver(post, TROLL);
    expect(pressed.callback.data).toMatchObject({
      content: 'Only support staff can do this.',
      flags: EPHEMERAL,
    });
    // A select sent without the bot's question (crafted): the troll hands the case to a staff member.
    const forged = rw.discord.sendUserSelect({
      customId: 'case:handover-to',
      values: [SAM],
      channelId: post,
      member: TROLL,
    });
    expect((await callbackOf(forged.id)).data).toMatchObject({ content: 'Only support staff can do this.' });
    expect(tagsOf(post)).toEqual([rw.discord.tagId('New')]);
    expect((await beforeDanasReply(kase)).customer).toHaveLength(before);
  });

  it('does not hand over a resolved case', async () => {
    const { post } = await aCase();
    rw.discord.sendButton({ customId: 'case:resolve', channelId: post, member: STAFF, messageId: post });
    await expect.poll(() => tagsOf(post)).toEqual([rw.discord.tagId('Resolved')]);
    const { id } = await pressHandOver(post);
    expect((await choose(post, id, SAM)).data.content).toBe(
      'This case is resolved: claim it to open it again first.',
    );
  });
});

describe('finding cases', () => {
  const cases = (sub: string, options: object[] = [], member: object = STAFF) =>
    rw.discord.sendCommand({ name: 'cases', options: [{ name: sub, type: 1, options }] as never, member });

  it('/cases open lists the open cases by status and age, privately, with links to their posts', async () => {
    const first = await aCase('direct.test pop');
    const second = await aCase('direct.test smtp');
    rw.discord.sendButton({
      customId: 'case:claim',
      channelId: second.post,
      member: STAFF,
      messageId: second.post,
    });
    await expect.poll(() => tagsOf(second.post)).toEqual([rw.discord.tagId('Claimed')]);
    const listed = await callbackOf(cases('open').id);
    expect(listed.data.flags).toBe(EPHEMERAL);
    expect(listed.data.allowed_mentions).toEqual({ parse: [] });
    const content = listed.data.content ?? '';
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(content).toMatch(/^\*\*New\*\*\n• <#\d+> case \d+: /);
    expect(content.indexOf('**New**')).toBeLessThan(content.indexOf('**Claimed**'));
    expect(content).toContain(`• <#${first.post}> case `);
    expect(content).toMatch(
      new RegExp(
        `<#${second.post}> case \\d+: direct\\.test \\(SMTP\\), ${second.user.name}, with Dana, opened <t:\\d+:R>`,
      ),
    );
    expect(content).not.toContain('Resolved');
  });

  it('/cases find finds past cases by domain, address or customer, with date, status and who resolved them', async () => {
    const resolved = await aCase('bob@direct.test imap');
    rw.discord.sendButton({
      customId: 'case:resolve',
      channelId: resolved.post,
      member: STAFF,
      messageId: resolved.post,
    });
    await expect.poll(() => tagsOf(resolved.post)).toEqual([rw.discord.tagId('Resolved')]);
    const found = (term: string) => callbackOf(cases('find', [{ name: 'query', type: 3, value: term }]).id);
    const byAddress = await found('bob@direct.test');
    expect(byAddress.data.flags).toBe(EPHEMERAL);
    expect(byAddress.data.content).toMatch(
      new RegExp(
        `^\\*\\*Cases for bob@direct\\.test\\*\\*\\n• <#${resolved.post}> case \\d+, <t:\\d+:d>: bob@direct\\.test \\(IMAP\\), ${resolved.user.name}; resolved by Dana <t:\\d+:R>$`,
      ),
    );
    expect((await found(resolved.user.id)).data.content).toContain(`<#${resolved.post}>`);
    const byDomain = (await found('direct.test')).data.content ?? '';
    expect(byDomain.match(/^• /gm)?.length).toBeGreaterThan(3);
    expect(byDomain).toContain(`<#${resolved.post}>`);
    expect((await found('[x](https://evil.test)')).data.content).toBe(
      "No cases found for \\[x\\](https://evil.test). Search by a domain, an email address, or the customer's id or name.",
    );
  });

  it('refuses /cases to a member who is not staff', async () => {
    for (const { id } of [
      cases('open', [], TROLL),
      cases('find', [{ name: 'query', type: 3, value: 'direct.test' }], TROLL),
    ])
      expect((await callbackOf(id)).data).toMatchObject({
        content: 'Only support staff can do this.',
        flags: EPHEMERAL,
      });
  });
});
