// The clocks of support cases end to end, through the real Bolt app and discord.js client on the loopback
// fakes, with a clock the test controls: business hours (a customer who asks when the team is away hears when
// it is back, and targets wait for it), response targets (nearly due: whoever has the case or the staff role;
// overdue: the lead), a quiet customer asked and the case closed, and a snooze.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  LEAD_ROLE,
  type RelayWorld,
  STAFF,
  STAFF_ROLE,
  startRelayWorld,
} from '../support/relay-world.js';

let rw: RelayWorld;
let bot: Bot;
let clock = Date.parse('2026-12-11T16:30:00Z'); // Friday 17:30 in Berlin: the team has gone home
const HOURS = {
  MAILSETTINGS_TIME_ZONE: 'Europe/Berlin',
  MAILSETTINGS_BUSINESS_HOURS: 'Mon-Fri 09:00-17:00',
  MAILSETTINGS_FIRST_RESPONSE_TARGET: '1h',
  MAILSETTINGS_FOLLOW_UP_AFTER: '3d',
  MAILSETTINGS_AUTO_RESOLVE_AFTER: '4d',
};

beforeAll(async () => {
  rw = await startRelayWorld();
  bot = await rw.startOnFreshSqlite({ now: () => clock, env: HOURS });
});
afterAll(async () => {
  await rw?.close();
});

type Message = { content?: string };
const inPost = (post: string, match: (content: string) => boolean) =>
  rw.discord.waitForMessages(post, 1, (message) => match(String((message as Message).content)), 10_000);
const unix = (iso: string) => Date.parse(iso) / 1000;

describe('the clocks of a case', () => {
  let post: string;
  let threadTs: string;

  it('tells a customer who asks while the team is away when it is back, and shows staff when a reply is due', async () => {
    const asked = await customerAsksForAPerson(rw, bot, 'direct.test pop', {
      user: { id: 'UCLK', name: 'kai' },
    });
    threadTs = asked.threadTs;
    expect(asked.confirmation).toMatch(
      /^Thanks: our support team has your question \(case \d+\) .* Our support team is away until Monday 14 December, 09:00 \(Europe\/Berlin\) and will reply then\.$/,
    );
    const opening = rw.slack.messages('C1').find((message) => message.ts === threadTs);
    expect(opening?.text).toContain('away until Monday 14 December, 09:00 (Europe/Berlin)');
    post = String(rw.discord.threads().at(-1)?.id);
    // Due an hour into Monday: 10:00 in Berlin.
    await expect
      .poll(() => JSON.stringify(rw.discord.messages(post)[0]))
      .toContain(`next reply due <t:${unix('2026-12-14T09:00:00Z')}:R>`);
  });

  it('stays quiet over the weekend, warns the staff role at 80 % on Monday, and the lead when overdue', async () => {
    clock = Date.parse('2026-12-13T20:00:00Z'); // Sunday night
    await new Promise((resolve) => setTimeout(resolve, 200)); // a few ticks of the clocks
    expect(JSON.stringify(rw.discord.messages(post))).not.toContain('is due');
    clock = Date.parse('2026-12-14T08:50:00Z'); // Monday 09:50: 50 business minutes of 60
    const [soon] = await inPost(post, (content) => content.includes('is due'));
    expect(soon?.content).toBe(
      `<@&${STAFF_ROLE}> *The first response for this case is due* <t:${unix('2026-12-14T09:00:00Z')}:R>`,
    );
    clock = Date.parse('2026-12-14T09:05:00Z');
    const [late] = await inPost(post, (content) => content.includes('overdue'));
    expect(late?.content).toBe(
      `<@&${LEAD_ROLE}> *The first response for this case is overdue: it was due* <t:${unix('2026-12-14T09:00:00Z')}:R>`,
    );
  });

  it('asks a quiet customer whether they still need help, closes the case after, and reopens it when they write', async () => {
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'Try port 995' }],
      channelId: post,
      member: STAFF,
    });
    await rw.slack.waitForMessages(
      'C1',
      1,
      (message) => message.thread_ts === threadTs && message.text === '<@UCLK> Try port 995',
    );
    clock += 3 * 24 * 3_600_000 + 60_000;
    const [asked] = await rw.slack.waitForMessages(
      'C1',
      1,
      (message) => message.thread_ts === threadTs && String(message.text).includes('still need help'),
    );
    expect(asked?.text).toMatch(
      /^<@UCLK> Do you still need help with case \d+\? Just reply here\. If I do not hear from you, I will close it in 4 days\.$/,
    );
    clock += 4 * 24 * 3_600_000 + 60_000;
    await rw.slack.waitForMessages(
      'C1',
      1,
      (message) => message.thread_ts === threadTs && String(message.text).includes('I closed case'),
    );
    await expect
      .poll(() => (rw.discord.channel(post) as { applied_tags: string[] }).applied_tags)
      .toEqual([rw.discord.tagId('Resolved')]);
    await customerWrites(bot, 'Sorry, I was travelling', threadTs, { user: 'UCLK' }).send();
    await expect
      .poll(() => (rw.discord.channel(post) as { applied_tags: string[] }).applied_tags)
      .toEqual([rw.discord.tagId('Claimed')]);
  });

  it('lets staff snooze a case from its post; whoever has it hears when the snooze is over', async () => {
    const press = rw.discord.sendButton({
      customId: 'case:snooze',
      channelId: post,
      member: STAFF,
      messageId: post,
    });
    const [asked] = await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${press.id}/`));
    expect(JSON.stringify(asked?.body)).toContain('case:snooze-for');
    // A value no menu offers, even one every object answers to, is refused plainly.
    const forged = rw.discord.sendSelect({
      customId: 'case:snooze-for',
      values: ['toString'],
      channelId: post,
      member: STAFF,
    });
    const [refused] = await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${forged.id}/`));
    expect(refused?.body).toMatchObject({ data: { content: 'Choose one of the times.' } });
    rw.discord.sendSelect({ customId: 'case:snooze-for', values: ['4h'], channelId: post, member: STAFF });
    await inPost(post, (content) => content.startsWith('*Dana snoozed this case until'));
    clock += 5 * 3_600_000;
    const [over] = await inPost(post, (content) => content.includes('snooze is over'));
    expect(over?.content).toMatch(/^<@\d+> \*The snooze is over: this case needs you again\.\*$/);
  });
});
