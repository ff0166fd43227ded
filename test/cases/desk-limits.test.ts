// The agent's desk in Discord against Discord's limits, end to end through the real discord.js client on the fake
// Discord and the real Bolt app on the fake Slack: a saved reply refused for many unknown placeholders is told
// in one message Discord accepts (it refuses more than 2,000 characters, 50035), and the post's record of a
// staff reply keeps every word the customer got when escaping makes it longer than one embed.
import { embedLength } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staffReplyMessage } from '../../adapters/discord/case-render.js';
import { type Bot, caseOf, type RelayWorld, STAFF, startRelayWorld } from '../support/relay-world.js';

let rw: RelayWorld;
let bot: Bot;

beforeAll(async () => {
  rw = await startRelayWorld();
  bot = await rw.startOnFreshSqlite();
});
afterAll(async () => {
  await rw?.close();
});

type Callback = {
  type: number;
  data: { content?: string; flags?: number; embeds?: { description?: string }[] };
};
/** Discord's limit for a message's content (an interaction response's too). */
const MAX_CONTENT = 2000;
const callbackOf = async (id: string) =>
  (await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${id}/`), 1, 10_000))[0]
    ?.body as Callback;

describe('saved replies', () => {
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
    expect(saved.data.content?.length).toBeLessThanOrEqual(MAX_CONTENT);
  });
});

describe('the post’s record of a staff reply', () => {
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
