// The lead's side in Discord, end to end through the real Bolt app and discord.js client on the fakes, with a
// clock the test controls: a case handled as an agent would, then /cases report (privately: the embed, the
// chart and the CSV arrive as multipart attachments, read back here), /cases forget with its confirmation
// (tried by someone who is not staff first), and the weekly digest in the report channel when its time comes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHANNEL_ID, type RestCall } from '../support/fake-discord.js';
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
import { parseCsv, pngSize } from '../support/report-files.js';

const MIN = 60_000;
/** Monday 7 December 2026, 08:00 UTC: an hour before the weekly digest is due. */
let clock = Date.parse('2026-12-07T08:00:00Z');
const MALLORY = { username: 'mallory', roles: [] as string[] };
/** The lead: staff with the lead role (DISCORD_LEAD_ROLE_ID), whose the report and forgetting are. */
const LEE = { username: 'lee', globalName: 'Lee', roles: [STAFF_ROLE, LEAD_ROLE] };
const EPHEMERAL = 64;

let rw: RelayWorld;
let bot: Bot;
let post: string;

beforeAll(async () => {
  rw = await startRelayWorld();
  bot = await rw.startOnFreshSqlite({
    now: () => clock,
    env: { MAILSETTINGS_DIGEST_AT: 'Mon 09:00' },
    discord: { DISCORD_REPORT_CHANNEL_ID: DEFAULT_CHANNEL_ID },
  });
  // A case as an agent handles it: the customer writes, is answered after 10 minutes, resolved 5 minutes later.
  const { threadTs } = await customerAsksForAPerson(rw, bot, 'alice@direct.test pop');
  await rw.discord.waitFor((call) => call.method === 'POST' && call.path.endsWith('/threads'), 1, 10_000);
  post = String((rw.discord.threads()[0] as { id: string }).id);
  await customerWrites(bot, 'My mail shows xyzzy42', threadTs).send();
  await rw.discord.waitForMessages(post, 1, (message) => /xyzzy42/.test(String(message.content)), 10_000);
  clock += 10 * MIN;
  rw.discord.sendCommand({
    name: 'reply',
    options: [{ name: 'text', type: 3, value: 'Use port 995.' }],
    channelId: post,
    member: STAFF,
  });
  await rw.slack.waitForMessages(
    'C1',
    1,
    (message) => message.thread_ts === threadTs && /995/.test(String(message.text)),
  );
  clock += 5 * MIN;
  rw.discord.sendButton({ customId: 'case:resolve', channelId: post, member: STAFF, messageId: post });
  await rw.slack.waitForMessages('C1', 1, (message) => /^<@U1> Resolved by Dana/.test(String(message.text)));
  clock += MIN;
}, 60_000);
afterAll(async () => {
  await rw?.close();
});

interface Callback {
  type: number;
  data?: {
    flags?: number;
    content?: string;
    components?: { components: { custom_id: string; label: string }[] }[];
  };
}
type Embed = { title: string; fields: { name: string; value: string }[]; image?: { url: string } };

const callbackOf = async (id: string) => {
  const [call] = await rw.discord.waitFor((c) => c.path.startsWith(`/interactions/${id}/`), 1, 10_000);
  return (call as RestCall).body as Callback;
};
const fileOf = (call: RestCall | undefined, name: string) =>
  call?.files?.find((file) => file.name === name)?.data ?? Buffer.alloc(0);
const fieldOf = (embed: Embed | undefined, name: string) => embed?.fields.find((f) => f.name === name)?.value;
const cases = (member: object, sub: string, options: { name: string; type: number; value: string }[]) =>
  rw.discord.sendCommand({ name: 'cases', options: [{ name: sub, type: 1, options }], member });

describe('/cases report', () => {
  it('answers the lead privately with the figures, the chart and the CSV, which read back', async () => {
    const asked = cases(LEE, 'report', [{ name: 'period', type: 3, value: '7d' }]);
    expect(await callbackOf(asked.id)).toMatchObject({ type: 5, data: { flags: EPHEMERAL } });
    const [edit] = await rw.discord.waitFor(
      (call) => call.method === 'PATCH' && call.path.includes(`/${asked.token}/messages/@original`),
      1,
      10_000,
    );
    const [embed] = (edit?.body as { embeds: Embed[] } | undefined)?.embeds ?? [];
    expect(embed?.title).toBe('Support report: last 7 days');
    expect(fieldOf(embed, 'Cases')).toBe('1 opened, 1 resolved (1 after one reply)');
    expect(fieldOf(embed, 'First response')).toBe('p50 10 min, p90 10 min (1 case)');
    expect(fieldOf(embed, 'Staff')).toBe('Dana: 1 resolved, 1 first response (median 10 min)');
    expect(fieldOf(embed, 'Top domains')).toBe('direct.test: 1');
    expect(fieldOf(embed, 'Busiest hours')).toBe('08:00 1');
    expect(embed?.image?.url).toBe('attachment://report.png');
    expect(edit?.files?.map((file) => file.name).sort()).toEqual(['report.csv', 'report.png']);

    const csv = parseCsv(fileOf(edit, 'report.csv').toString('utf8'));
    const value = (section: string, measure: string, item = '') =>
      csv.find((row) => row[0] === section && row[1]?.startsWith(item) && row[2] === measure)?.[3];
    expect(value('cases', 'opened')).toBe('1');
    expect(value('first response', 'p50 minutes')).toBe('10');
    expect(value('resolution', 'p50 minutes')).toBe('15');
    expect(value('staff', 'resolved', 'Dana (')).toBe('1');
    expect(value('hour', 'opened', '08')).toBe('1');
    expect(pngSize(fileOf(edit, 'report.png'))).toEqual({ width: 960, height: 420 });
  });

  it('refuses anyone who is not the lead, staff included, privately, with nothing attached', async () => {
    for (const member of [MALLORY, STAFF]) {
      const asked = cases(member, 'report', []);
      expect(await callbackOf(asked.id)).toMatchObject({
        type: 4,
        data: { flags: EPHEMERAL, content: 'Only the support lead can do this.' },
      });
    }
  });
});

describe('/cases forget', () => {
  const forget = (member: object, customer: string) =>
    cases(member, 'forget', [{ name: 'customer', type: 3, value: customer }]);

  it('asks first, saying what goes; only the lead can confirm; then the customer is gone and the post follows', async () => {
    expect((await callbackOf(forget(STAFF, 'U1').id)).data?.content).toBe(
      'Only the support lead can do this.',
    );
    const asked = await callbackOf(forget(LEE, '<@U1>').id);
    expect(asked.data?.flags).toBe(EPHEMERAL);
    expect(asked.data?.content).toMatch(
      /^Forget Alice \(U1\)\? Their name and id go from 1 case, and the words of their 1 message are erased/,
    );
    const buttons = asked.data?.components?.[0]?.components ?? [];
    expect(buttons.map((b) => [b.custom_id, b.label])).toEqual([
      ['cases:forget:U1', 'Forget them'],
      ['cases:forget-cancel', 'Cancel'],
    ]);

    for (const member of [MALLORY, STAFF]) {
      const tried = rw.discord.sendButton({ customId: 'cases:forget:U1', member });
      expect((await callbackOf(tried.id)).data?.content).toBe('Only the support lead can do this.');
    }
    const row = () =>
      bot.database.db
        .selectFrom('cases')
        .select(['customer_id', 'customer_name', 'question'])
        .executeTakeFirstOrThrow();
    expect(await row()).toMatchObject({ customer_id: 'U1', customer_name: 'Alice' });

    const confirmed = rw.discord.sendButton({ customId: 'cases:forget:U1', member: LEE });
    expect(await callbackOf(confirmed.id)).toMatchObject({
      type: 7,
      data: { content: 'Forgotten: U1. 1 case now show “(forgotten)”; 1 message erased.', components: [] },
    });
    expect(await row()).toMatchObject({ customer_name: '(forgotten)', question: 'direct.test pop' });
    // The post's title and card are drawn again without her name or address.
    await expect
      .poll(() => (rw.discord.channel(post) as { name: string }).name, { timeout: 10_000 })
      .toBe('direct.test (POP) · (forgotten)');
    await expect
      .poll(() => JSON.stringify((rw.discord.messages(post)[0] as { embeds: unknown }).embeds), {
        timeout: 10_000,
      })
      .toContain('(forgotten)');
    expect(JSON.stringify(rw.discord.messages(post)[0])).not.toMatch(/Alice|alice@/);

    expect((await callbackOf(forget(LEE, 'U1').id)).data?.content).toBe('Nothing is kept about U1.');
    expect((await callbackOf(forget(LEE, 'alice smith').id)).data?.content).toMatch(
      /^Name the customer by their id/,
    );
  });
});

describe('the weekly digest', () => {
  it('goes to the report channel once its time comes on the team’s clock, with the chart and the CSV', async () => {
    const before = rw.discord.messages(DEFAULT_CHANNEL_ID).length;
    clock = Date.parse('2026-12-07T09:00:30Z');
    const [sent] = await rw.discord.waitFor(
      (call) =>
        call.method === 'POST' &&
        call.path === `/channels/${DEFAULT_CHANNEL_ID}/messages` &&
        Boolean(call.files),
      1,
      10_000,
    );
    const body = sent?.body as { embeds: Embed[]; allowed_mentions: unknown };
    expect(body.embeds[0]?.title).toBe('Weekly support digest');
    expect(fieldOf(body.embeds[0], 'Cases')).toBe('1 opened, 1 resolved (1 after one reply)');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    const csv = parseCsv(fileOf(sent, 'report.csv').toString('utf8'));
    expect(csv.find((row) => row[0] === 'period' && row[2] === 'to')?.[3]).toBe('2026-12-07T09:00:00.000Z');
    expect(pngSize(fileOf(sent, 'report.png'))).toEqual({ width: 960, height: 420 });
    expect(rw.discord.messages(DEFAULT_CHANNEL_ID).length).toBe(before + 1);
    // Marked sent once Discord took it: no replica sends this week again.
    await expect
      .poll(() => bot.database.db.selectFrom('digests').selectAll().execute())
      .toEqual([expect.objectContaining({ week: '2026-12-07', sent_at: clock })]);
  });
});
