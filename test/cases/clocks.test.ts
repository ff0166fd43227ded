// The clocks of support cases end to end, through the real Bolt app and discord.js client on the loopback
// fakes, with a clock the test controls: business hours (a customer who asks when the team is away hears when
// it is back, and targets wait for it), response targets (nearly due: whoever has the case or the staff role;
// overdue: the lead), a quiet customer asked and the case closed, a snooze (until when, and the resolution
// waiting for it), and a reopened case's resolution. Then the clocks' rules alone (src/cases/clocks.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_DEFAULTS, dueClocks, snoozeUntil } from '../../src/cases/clocks.js';
import { ALWAYS_OPEN, type CaseState, parseBusinessHours } from '../../src/testing.js';
import { NEW_CASE } from '../support/case-state.js';
import {
  type Bot,
  caseOf,
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

/** Berlin's clock in winter (UTC+1) as an instant. */
const berlin = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+01:00`);
const tagsOf = (post: string) => (rw.discord.channel(post) as { applied_tags: string[] }).applied_tags;
const resolutionWarning = (content: string) => content.includes('The resolution for this case');
const press = (customId: string, post: string) =>
  rw.discord.sendButton({ customId, channelId: post, member: STAFF, messageId: post });
const snoozeFor = (value: string, post: string) =>
  rw.discord.sendSelect({ customId: 'case:snooze-for', values: [value], channelId: post, member: STAFF });

describe('snoozes and reopened cases', () => {
  it('snoozes "until the next working day" to the start of that day, not to a time in it', async () => {
    clock = berlin('2026-12-28 22:00'); // Monday night
    const { post } = await caseOf(rw, bot, 'direct.test imap', { id: 'UNXT', name: 'nia' }, 'C2');
    snoozeFor('next-day', post);
    const [noted] = await inPost(post, (content) => content.includes('snoozed this case until'));
    expect(noted?.content).toBe('*Dana snoozed this case until Tuesday 29 December, 09:00 (Europe/Berlin).*');
  });

  it('does not count the time a case was snoozed toward its resolution', async () => {
    clock = berlin('2027-01-05 10:00'); // Tuesday
    const { post } = await caseOf(rw, bot, 'direct.test pop', { id: 'UWAIT', name: 'wim' }, 'C3');
    press('case:claim', post);
    await expect.poll(() => tagsOf(post)).toEqual([rw.discord.tagId('Claimed')]);
    snoozeFor('3d', post);
    await inPost(post, (content) => content.includes('until Friday 8 January, 10:00'));
    clock = berlin('2027-01-08 10:01');
    await inPost(post, (content) => content.includes('snooze is over'));
    // 24 business hours passed while snoozed, so the 24-hour target is due 24 business hours after the snooze:
    // Wednesday 10:00, and whoever has the case hears first at 80 %, on Tuesday at 13:12.
    clock = berlin('2027-01-12 13:20');
    const [first] = await inPost(post, resolutionWarning);
    expect(first?.content).toMatch(
      new RegExp(`^<@\\d+> \\*The resolution for this case is due\\* <t:${unix('2027-01-13T09:00:00Z')}:R>$`),
    );
  });

  it('measures a reopened case’s resolution from its reopening: the lead is not told at once', async () => {
    clock = berlin('2027-01-14 10:00');
    const { post, threadTs } = await caseOf(rw, bot, 'direct.test smtp', { id: 'UBACK', name: 'bo' }, 'C4');
    press('case:resolve', post);
    await expect.poll(() => tagsOf(post)).toEqual([rw.discord.tagId('Resolved')]);
    clock = berlin('2027-02-01 10:00'); // a fortnight later, long past the resolution target
    await customerWrites(bot, 'It stopped working again', threadTs, { channel: 'C4', user: 'UBACK' }).send();
    await expect.poll(() => tagsOf(post)).toEqual([rw.discord.tagId('Claimed')]);
    // Due 24 business hours after the reopening (Thursday 10:00); whoever has it hears first, on Wednesday.
    clock = berlin('2027-02-03 13:20');
    const [first] = await inPost(post, resolutionWarning);
    expect(first?.content).toMatch(
      new RegExp(`^<@\\d+> \\*The resolution for this case is due\\* <t:${unix('2027-02-04T09:00:00Z')}:R>$`),
    );
  });
});

describe('the clocks’ rules', () => {
  const parsed = parseBusinessHours('Mon-Fri 09:00-17:00', 'Europe/Berlin', '2026-12-21');
  if (!parsed.ok) throw new Error(parsed.error);
  const clocks = { ...CLOCK_DEFAULTS, hours: parsed.value };

  it.each([
    ['on Monday night: Tuesday 09:00', '2026-12-14 22:00', '2026-12-15 09:00'],
    [
      'on Tuesday before the team starts: Wednesday 09:00, the next day',
      '2026-12-15 08:00',
      '2026-12-16 09:00',
    ],
    ['on Tuesday afternoon: Wednesday 09:00', '2026-12-15 14:00', '2026-12-16 09:00'],
    ['on Friday, before a holiday Monday: Tuesday 09:00', '2026-12-18 15:00', '2026-12-22 09:00'],
  ])('snoozes until the next working day %s', (_name, chosen, until) => {
    expect(snoozeUntil('next-day', clocks, berlin(chosen))).toBe(berlin(until));
  });

  it('snoozes a team working around the clock until its next midnight', () => {
    const around = parseBusinessHours('', 'Europe/Berlin');
    if (!around.ok) throw new Error(around.error);
    expect(snoozeUntil('next-day', { ...clocks, hours: around.value }, berlin('2026-12-14 22:00'))).toBe(
      berlin('2026-12-15 00:00'),
    );
    const utc = { ...clocks, hours: ALWAYS_OPEN };
    expect(snoozeUntil('next-day', utc, Date.parse('2026-12-14T23:59:00Z'))).toBe(
      Date.parse('2026-12-15T00:00:00Z'),
    );
  });

  const state = (fields: Partial<CaseState>): CaseState => ({
    ...NEW_CASE,
    status: 'claimed',
    claimedBy: 'Dana',
    claimedById: 'D1',
    createdAt: berlin('2026-12-08 10:00'),
    staffTurnSince: null,
    ...fields,
  });
  const resolution = (of: CaseState, at: string) =>
    dueClocks(of, clocks, berlin(at)).filter(({ due }) => due.startsWith('resolution'));

  it('moves the resolution by the business time the case was snoozed', () => {
    // Opened Tuesday 10:00 and snoozed until Friday 10:00: 24 business hours, the whole target.
    const snoozed = state({ snoozes: [[berlin('2026-12-08 10:00'), berlin('2026-12-11 10:00')]] });
    expect(resolution(snoozed, '2026-12-11 10:01')).toEqual([]);
    expect(resolution(snoozed, '2026-12-15 13:12')).toEqual([
      { due: 'resolution-due-soon', dueAt: berlin('2026-12-16 10:00') },
    ]);
    expect(resolution(snoozed, '2026-12-16 10:00')).toEqual([
      { due: 'resolution-overdue', dueAt: berlin('2026-12-16 10:00') },
    ]);
    // Snoozed over a night only: the team was away then, so nothing moves.
    const overnight = state({ snoozes: [[berlin('2026-12-08 17:00'), berlin('2026-12-09 09:00')]] });
    expect(resolution(overnight, '2026-12-11 10:00')).toEqual([
      { due: 'resolution-overdue', dueAt: berlin('2026-12-11 10:00') },
    ]);
  });

  it('measures a reopened case’s resolution from its reopening', () => {
    const reopened = state({ reopenedAt: berlin('2026-12-14 10:00') });
    expect(resolution(reopened, '2026-12-14 10:01')).toEqual([]);
    expect(resolution(reopened, '2026-12-17 10:00')).toEqual([
      { due: 'resolution-overdue', dueAt: berlin('2026-12-17 10:00') },
    ]);
  });
});

describe('"Until the next working day" where daylight saving starts at midnight', () => {
  // Chile (and Paraguay, Cuba) move their clocks from 00:00 to 01:00: on Saturday 7 September 2024 at 23:30 in
  // Santiago the next working day (hours around the clock) begins at 01:00 on Sunday, the day's first instant.
  it.each([
    ['America/Santiago', '2024-09-07T23:30:00-04:00'],
    ['America/Asuncion', '2024-10-05T23:30:00-04:00'],
    ['America/Havana', '2024-03-09T23:30:00-05:00'],
  ])('ends after it was chosen, on the next day, in %s', (timeZone, local) => {
    const hours = parseBusinessHours('', timeZone);
    if (!hours.ok) throw new Error(hours.error);
    const now = Date.parse(local);
    const until = snoozeUntil('next-day', { ...CLOCK_DEFAULTS, hours: hours.value }, now);
    const dayOf = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
    expect(until).toBeGreaterThan(now);
    expect(dayOf(until)).not.toBe(dayOf(now));
  });
});
