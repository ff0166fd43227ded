// The case relay's own rules, on both database engines, with the sides played by in-memory ports that record
// what they were asked to send (and can be made to fail), and a clock the test controls. The real Slack and
// Discord adapters are tested end to end in test/cases/relay.test.ts and test/cases/trust.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadReportRows } from '../../src/cases/report-store.js';
import {
  type CaseView,
  type CustomerSide,
  createLogger,
  type Database,
  DeliveryRefused,
  openDatabase,
  type StaffSide,
} from '../../src/index.js';
import {
  assembleCases,
  NOT_THROUGH_AFTER_MS,
  type Parts,
  parseBusinessHours,
  toView,
} from '../../src/testing.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ records: [] });
});
afterAll(() => world?.close());

/**
 * Both sides in memory: what was sent, in order, and switches to make either side fail. A text with `|` in it
 * takes one message per piece, as a long one does; `failPart` makes the piece with that text fail once.
 */
function platforms() {
  const sent: string[] = [];
  let n = 0;
  const down = { slack: undefined as Error | undefined, discord: undefined as Error | undefined };
  const failPart = new Set<string>();
  const send = (side: 'slack' | 'discord', line: string) => {
    const error = down[side];
    if (error) throw error;
    sent.push(`${side} ${line}`);
    return side === 'slack' ? `slack:C1:${1_700_000_000 + ++n}.000100` : `discord:${++n}`;
  };
  async function inParts(side: 'slack' | 'discord', label: string, text: string, parts: Parts) {
    const posted = [...parts.done];
    for (const piece of text.split('|').slice(posted.length)) {
      if (failPart.delete(piece)) throw new Error(`503 on ${piece}`);
      posted.push(send(side, `${label}: ${piece}`));
      await parts.record(posted.at(-1) as string);
    }
    return posted.join(',');
  }
  const customer: CustomerSide = {
    name: 'Slack',
    threadLink: (view) => (view.customerThread ? `link:${view.customerThread}` : undefined),
    openThread: async (view) => send('slack', `open @${view.customerId} case ${view.id}: ${view.question}`),
    postReply: (_view, reply, parts) => inParts('slack', `reply ${reply.author}`, reply.text, parts),
    postSettings: async (_view, answer, staff) =>
      send('slack', `settings ${answer.settings.query.domain} by ${staff}`),
    postResolved: async (_view, staff) => send('slack', `resolved by ${staff}`),
    postNotice: async (view, text) => send('slack', `notice @${view.customerId}: ${text}`),
    tellPrivately: async (view, text) => void send('slack', `privately @${view.customerId}: ${text}`),
  };
  const staff: StaffSide = {
    name: 'Discord',
    createPost: async (view) =>
      send('discord', `post ${view.question} answer=${view.card?.answer?.settings.source.kind}`),
    updateStatus: async (view) =>
      void send(
        'discord',
        `status ${view.status}${view.claimedBy ? ` ${view.claimedBy}` : ''}${view.customerThreadLink ? ' linked' : ''}`,
      ),
    postCustomerMessage: (_view, message, parts) =>
      inParts(
        'discord',
        `message ${message.author}${message.notCustomer ? ' (not the customer)' : ''}${message.ping ? ` @${message.ping}` : ''}`,
        message.text,
        parts,
      ),
    editCustomerMessage: async (_view, copy, message) => {
      send('discord', `edit ${copy} ${message.text}`);
      return copy;
    },
    markDeleted: async (_view, copy) => void send('discord', `deleted ${copy}`),
    postNote: async (_view, text) => void send('discord', `note ${text}`),
    postSent: async (_view, sent) =>
      void send('discord', `sent ${sent.author} from ${sent.from}: ${sent.text}`),
    remind: async (view, { level, what, ping }) =>
      void send('discord', `remind ${view.id} ${level} ${what}${ping ? ` @${ping}` : ''}`),
  };
  return { sent, down, failPart, customer, staff };
}

const DANA = { id: 'D1', name: 'Dana' };
const LEE = { id: 'D2', name: 'Lee' };
const ALICE = { id: 'U1', name: 'alice' };
const MALLORY = { id: 'U9', name: 'mallory' };

describe.each(testEngines())('cases on $name', (engine) => {
  let fresh: TestDatabase;
  let database: Database;
  let parts: ReturnType<typeof assembleCases>;
  let cases: ReturnType<typeof assembleCases>['cases'];
  let clock: number;
  let io: ReturnType<typeof platforms>;
  const opened: Database[] = [];

  async function start(url = fresh.url, options: Partial<Parameters<typeof assembleCases>[0]> = {}) {
    database = await openDatabase(url);
    opened.push(database);
    parts = assembleCases({
      database,
      customer: io.customer,
      staff: io.staff,
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      warnAfterMs: 60_000,
      ...options,
    });
    cases = parts.cases;
  }
  const drain = () => parts.outbox.drain();

  /** The customer asks for a person in C1: their case's id, nothing delivered yet. */
  async function ask(question = 'example.com pop', customer = ALICE): Promise<number> {
    const result = await cases.open({
      place: 'slack:C1',
      customerId: customer.id,
      customerName: customer.name,
      question,
    });
    if (!result.ok) throw new Error('not opened');
    return result.value.id;
  }

  async function openCase(question = 'example.com pop', customer = ALICE): Promise<CaseView> {
    const id = await ask(question, customer);
    await drain();
    return toView(await parts.store.byId(id));
  }
  let events = 0;
  const writes = (view: CaseView, by: { id: string; name: string }, text: string, message = `m${++events}`) =>
    cases.customerMessage({
      key: `slack:${message}`,
      customerThread: view.customerThread as string,
      message: `slack:C1:${message}`,
      by,
      text,
    });
  const staffEvent = (view: CaseView, staff = DANA) => ({
    key: `discord:${++events}`,
    staffThread: view.staffThread as string,
    staff,
  });
  const sentSince = (mark: number) => io.sent.slice(mark);

  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close();
    await fresh?.drop();
  });

  async function setUp() {
    fresh = await engine.fresh();
    clock = 1_000_000;
    io = platforms();
    await start();
  }

  describe.skipIf(engine.skip)('opening', () => {
    it('makes the staff post first, then the thread that says so, then links the card to it', async () => {
      await setUp();
      const view = await openCase();
      expect(view.staffThread).toMatch(/^discord:/);
      expect(view.customerThread).toMatch(/^slack:C1:/);
      expect(io.sent).toEqual([
        'discord post example.com pop answer=default',
        `slack open @U1 case ${view.id}: example.com pop`,
        'discord status new linked',
      ]);
    });

    it('keeps one open case per customer and place', async () => {
      await setUp();
      const view = await openCase();
      const again = await cases.open({
        place: 'slack:C1',
        customerId: 'U1',
        customerName: 'alice',
        question: 'x',
      });
      expect(again).toMatchObject({
        ok: false,
        error: { problem: 'already-open', existing: { id: view.id } },
      });
    });

    it('tells whoever asked when staff will never see it, and forgets the case', async () => {
      await setUp();
      io.down.discord = new DeliveryRefused('Missing Permissions');
      const id = await ask('q');
      expect(await cases.firstDelivery(id)).toMatchObject({ status: 'refused', side: 'staff' });
      expect(io.sent).toEqual([]); // nothing in the customer's channel: nobody was told staff have it
      expect(await parts.store.find(id)).toBeUndefined();
      // Whoever asked heard it then: the private notice for those nobody follows went with the case.
      clock += NOT_THROUGH_AFTER_MS;
      await drain();
      expect(io.sent).toEqual([]);
    });

    it('tells the customer privately, a minute later, when their post was refused after nobody followed it', async () => {
      await setUp();
      io.down.discord = new DeliveryRefused('Missing Permissions');
      const id = await ask('q');
      await drain(); // refused, with no "Ask a person" form reading the outcome (a restart, a long outage)
      clock += NOT_THROUGH_AFTER_MS - 1;
      await drain();
      expect(io.sent).toEqual([]);
      clock += 1;
      await drain();
      expect(io.sent).toEqual([
        `slack privately @U1: Sorry: your question (case ${id}) did not reach our support team, and they have been told why. Please try again in a little while, or reach us another way.`,
      ]);
      await drain();
      expect(io.sent).toHaveLength(1); // once
      // "Please try again": the refused case keeps them from nothing.
      io.down.discord = undefined;
      const again = await cases.open({
        place: 'slack:C1',
        customerId: 'U1',
        customerName: 'alice',
        question: 'q',
      });
      expect(again.ok).toBe(true);
    });

    it('closes the case, telling staff, when the customer’s side refuses the thread', async () => {
      await setUp();
      io.down.slack = new DeliveryRefused('not_in_channel');
      const id = await ask('q');
      expect(await cases.firstDelivery(id)).toMatchObject({
        status: 'refused',
        side: 'customer',
      });
      await drain(); // what the refusal stored for staff
      expect(io.sent.at(-2)).toBe(
        "discord note The customer's thread could not be opened (Slack: not_in_channel), so this case was closed: they were asked to invite the bot, or to write to it directly.",
      );
      expect((await parts.store.byId(id)).status).toBe('resolved');
    });

    it('is pending while staff’s side is down, and opened once it is back', async () => {
      await setUp();
      io.down.discord = new Error('503');
      const id = await ask('q');
      expect((await cases.firstDelivery(id)).status).toBe('pending');
      expect(io.sent).toEqual([]);
      io.down.discord = undefined;
      clock += 5_000;
      await drain();
      expect((await cases.settled(id, 0)).status).toBe('opened');
    });
  });

  describe.skipIf(engine.skip)('who speaks for whom', () => {
    it('relays the customer as the customer, and anyone else in the thread as themselves', async () => {
      await setUp();
      const view = await openCase();
      const mark = io.sent.length;
      await writes(view, ALICE, 'It fails');
      await writes(view, MALLORY, 'Send your password to me');
      await drain();
      expect(sentSince(mark)).toEqual([
        'discord message alice: It fails',
        'discord message mallory (not the customer): Send your password to me',
      ]);
    });

    it('reopens a resolved case only for its customer', async () => {
      await setUp();
      const view = await openCase();
      await cases.resolve(staffEvent(view));
      await writes(view, MALLORY, 'reopen it');
      await drain();
      expect((await parts.store.byId(view.id)).status).toBe('resolved');
      await writes(view, ALICE, 'It broke again');
      await drain();
      expect((await parts.store.byId(view.id)).status).toBe('claimed');
    });

    it('lets only the case’s customer rate it, once', async () => {
      await setUp();
      const view = await openCase();
      await cases.resolve(staffEvent(view));
      const rate = (customerId: string) =>
        cases.rate({
          key: `a${++events}`,
          customerThread: view.customerThread as string,
          customerId,
          helpful: true,
        });
      expect(await rate('U9')).toEqual({ ok: false, error: 'not-yours' });
      await rate('U1');
      await rate('U1');
      await drain();
      expect(io.sent.filter((line) => line.includes('rated the help'))).toHaveLength(1);
    });

    it('asks before a take-over, and does nothing twice', async () => {
      await setUp();
      const view = await openCase();
      expect((await cases.claim(staffEvent(view, DANA))).ok).toBe(true);
      expect(await cases.claim(staffEvent(view, DANA))).toEqual({ ok: false, error: 'already-yours' });
      expect(await cases.claim(staffEvent(view, LEE))).toEqual({ ok: false, error: 'claimed-by-other' });
      expect(await cases.claim({ ...staffEvent(view, LEE), takeover: true })).toMatchObject({
        ok: true,
        value: { claimedBy: 'Lee', claimedById: 'D2' },
      });
      expect((await cases.resolve(staffEvent(view, LEE))).ok).toBe(true);
      expect(await cases.resolve(staffEvent(view, LEE))).toEqual({ ok: false, error: 'already-resolved' });
      await drain();
      expect(io.sent.filter((line) => line.startsWith('slack'))).toEqual([
        `slack open @U1 case ${view.id}: example.com pop`,
        `slack notice @U1: Dana from our support team is looking at your question (case ${view.id}).`,
        `slack notice @U1: Lee from our support team is looking at your question (case ${view.id}).`,
        'slack resolved by Lee',
      ]);
      expect(io.sent).toContain('discord note Lee took this case over from Dana.');
    });
  });

  describe.skipIf(engine.skip)('whoever must act is told', () => {
    it('pings whoever has the case when the customer answers their reply, and when it reopens', async () => {
      await setUp();
      const view = await openCase();
      await cases.claim(staffEvent(view));
      await cases.staffReply({ ...staffEvent(view), text: 'Which program?' });
      await writes(view, ALICE, 'Outlook');
      await writes(view, ALICE, 'Version 2024'); // still the staff's turn: pinged once for it
      await cases.resolve(staffEvent(view));
      await writes(view, ALICE, 'Broken again');
      await drain();
      expect(io.sent.filter((line) => line.startsWith('discord message'))).toEqual([
        'discord message alice @D1: Outlook',
        'discord message alice: Version 2024',
        'discord message alice @D1: Broken again',
      ]);
    });

    it('warns before a response is due and tells the lead once it is overdue, once each turn', async () => {
      await setUp();
      const view = await openCase(); // first response target: 1 hour, around the clock (the defaults)
      clock += 50 * 60_000; // past 80 % of the target
      await parts.clockTick.tick();
      await parts.clockTick.tick();
      clock += 15 * 60_000;
      await parts.clockTick.tick();
      await cases.claim(staffEvent(view));
      await cases.staffReply({ ...staffEvent(view), text: 'Try 993' });
      clock += 60 * 60_000;
      await parts.clockTick.tick(); // waiting on the customer: no response is due
      await writes(view, ALICE, 'Still broken');
      clock += 3 * 60 * 60_000 + 20 * 60_000; // next response target: 4 hours
      await parts.clockTick.tick();
      await drain();
      expect(io.sent.filter((line) => line.startsWith('discord remind'))).toEqual([
        `discord remind ${view.id} due-soon first response`,
        `discord remind ${view.id} overdue first response`,
        `discord remind ${view.id} due-soon next response @D1`,
      ]);
    });

    it('asks a quiet customer whether they still need help, then closes the case; writing reopens it', async () => {
      await setUp();
      const view = await openCase();
      await cases.staffReply({ ...staffEvent(view), text: 'Try 993' });
      clock += 71 * 60 * 60_000;
      await parts.clockTick.tick(); // not quite three days
      clock += 2 * 60 * 60_000;
      await parts.clockTick.tick();
      clock += 4 * 24 * 60 * 60_000;
      await parts.clockTick.tick();
      await drain();
      expect(io.sent.filter((line) => line.startsWith('slack notice'))).toEqual([
        `slack notice @U1: Do you still need help with case ${view.id}? Just reply here. If I do not hear from you, I will close it in 4 days.`,
        `slack notice @U1: I closed case ${view.id} because I did not hear back. If you still need help, just write here and it opens again.`,
      ]);
      expect((await parts.store.byId(view.id)).status).toBe('resolved');
      await writes(view, ALICE, 'Sorry, I was away');
      expect((await parts.store.byId(view.id)).status).toBe('claimed');
    });

    it('keeps a snoozed case quiet until the snooze is over, then tells whoever has it', async () => {
      await setUp();
      const view = await openCase();
      await cases.claim(staffEvent(view));
      expect((await cases.snooze({ ...staffEvent(view), preset: '4h' })).ok).toBe(true);
      clock += 3 * 60 * 60_000; // the response would be overdue: the snooze holds it
      await parts.clockTick.tick();
      clock += 90 * 60_000;
      await parts.clockTick.tick();
      await drain();
      expect(io.sent.filter((line) => line.startsWith('discord remind') || line.includes('snoozed'))).toEqual(
        [
          expect.stringMatching(
            /^discord note Dana snoozed this case until \w+day \d+ \w+, \d\d:\d\d \(UTC\)\.$/,
          ),
          `discord remind ${view.id} snooze-over first response @D1`,
        ],
      );
    });

    it('holds the resolution while a case is snoozed, and starts it over when the case is reopened', async () => {
      await setUp();
      const view = await openCase(); // resolution target: 24 hours, around the clock (the defaults)
      const opened = clock;
      await cases.claim(staffEvent(view));
      await cases.snooze({ ...staffEvent(view), preset: '3d' });
      clock += 72 * 60 * 60_000 + 60_000;
      await parts.clockTick.tick(); // the snooze is over
      await parts.clockTick.tick(); // 73 hours since it opened, but only a minute of it counts
      const resolution = () =>
        io.sent.filter((line) => line.startsWith('discord remind') && line.includes('resolution'));
      expect(resolution()).toEqual([]);
      clock += 19 * 60 * 60_000 + 20 * 60_000; // past 80 % of the 24 hours not snoozed
      await parts.clockTick.tick();
      await drain();
      expect(resolution()).toEqual([`discord remind ${view.id} due-soon resolution @D1`]);
      await cases.resolve(staffEvent(view));
      const { cases: reported } = await loadReportRows(database.db, { since: 0, until: clock + 1 });
      expect(reported).toEqual([
        expect.objectContaining({ reopenedAt: null, snoozes: [[opened, opened + 72 * 60 * 60_000]] }),
      ]);
      clock += 10 * 24 * 60 * 60_000;
      await writes(view, ALICE, 'Broken again');
      const reopenedAt = clock;
      await parts.clockTick.tick(); // measured from the reopening: nothing due yet
      clock += 20 * 60 * 60_000;
      await parts.clockTick.tick();
      await drain();
      expect(resolution()).toEqual([
        `discord remind ${view.id} due-soon resolution @D1`,
        `discord remind ${view.id} due-soon resolution @D1`,
      ]);
      expect(await parts.store.byId(view.id)).toMatchObject({ reopened_at: reopenedAt, snoozes: '[]' });
    });

    it('counts targets in business time: a case asked on Friday evening is due on Monday', async () => {
      fresh = await engine.fresh();
      io = platforms();
      clock = Date.parse('2026-12-11T16:30:00Z'); // Friday 17:30 in Berlin: the team has left
      const hours = parseBusinessHours('Mon-Fri 09:00-17:00', 'Europe/Berlin');
      if (!hours.ok) throw new Error(hours.error);
      await start(fresh.url, { clocks: { hours: hours.value } });
      const id = await ask('q');
      const first = await cases.firstDelivery(id);
      expect(first.status === 'opened' && first.view.awayUntil).toBe(
        'Monday 14 December, 09:00 (Europe/Berlin)',
      );
      expect(first.status === 'opened' && first.view.nextReplyDue).toBe(Date.parse('2026-12-14T09:00:00Z'));
      clock = Date.parse('2026-12-13T12:00:00Z'); // all of Sunday passed: still nothing due
      await parts.clockTick.tick();
      clock = Date.parse('2026-12-14T08:50:00Z'); // Monday 09:50: 50 minutes of business time
      await parts.clockTick.tick();
      await drain();
      expect(io.sent.filter((line) => line.startsWith('discord remind'))).toEqual([
        `discord remind ${id} due-soon first response`,
      ]);
    });

    it('tells staff when a reply has not reached the customer yet, and when it has', async () => {
      await setUp();
      const view = await openCase();
      io.down.slack = new Error('service_unavailable');
      await cases.staffReply({ ...staffEvent(view), text: 'Try port 993' });
      await drain();
      clock += 61_000;
      await drain(); // second failure, a minute after the reply: staff are told
      io.down.slack = undefined;
      clock += 120_000;
      await drain();
      await drain();
      expect(io.sent.filter((line) => line.startsWith('discord note'))).toEqual([
        'discord note Not delivered to the customer yet: “Try port 993” (Slack: service_unavailable). The bot keeps trying.',
        'discord note Delivered to the customer now: “Try port 993”.',
      ]);
      expect(io.sent.filter((line) => line.startsWith('slack reply'))).toEqual([
        'slack reply Dana: Try port 993',
      ]);
    });

    it('gives up on a delivery the customer’s side refused for good, and says so', async () => {
      await setUp();
      const view = await openCase();
      io.down.slack = new DeliveryRefused('channel_not_found');
      await cases.staffReply({ ...staffEvent(view), text: 'Hi' });
      await drain();
      await drain();
      expect(io.sent.at(-1)).toBe(
        'discord note Could not be delivered to the customer: “Hi” (Slack: channel_not_found). Reach them another way.',
      );
    });

    it('tells the customer when staff’s side refused their message for good', async () => {
      await setUp();
      const view = await openCase();
      io.down.discord = new DeliveryRefused('Blocked by AutoMod');
      await writes(view, ALICE, 'my password is hunter2');
      await drain();
      await drain(); // what the refusal stored for the customer
      expect(io.sent.at(-1)).toBe(
        // A password a customer writes in the thread is never kept: not even the notice repeats it.
        'slack notice @U1: Your message “my password is [removed]” did not reach our support team (Discord: Blocked by AutoMod). Please write it again in other words, or reach us another way.',
      );
    });
  });

  describe.skipIf(engine.skip)('delivery', () => {
    it('relays a message once, whether the event is retried or not', async () => {
      await setUp();
      const view = await openCase();
      const message = {
        customerThread: view.customerThread as string,
        message: 'slack:C1:1.1',
        by: ALICE,
        text: 'it fails',
      };
      expect((await cases.customerMessage({ ...message, key: 'slack:Ev1' })).ok).toBe(true);
      expect(await cases.customerMessage({ ...message, key: 'slack:Ev1' })).toEqual({
        ok: false,
        error: 'duplicate',
      });
      await cases.customerMessage({ ...message, key: 'slack:Ev1-other-delivery' }); // same message, new event id
      await drain();
      expect(io.sent.filter((line) => line.includes('it fails'))).toEqual([
        'discord message alice: it fails',
      ]);
    });

    it("relays a thread's messages in the order they came in, even when taken in at once", async () => {
      await setUp();
      const view = await openCase();
      const texts = Array.from({ length: 20 }, (_, i) => `message ${i + 1}`);
      // As the Slack adapter calls it for events acknowledged one after another: none waits for the last.
      await Promise.all(texts.map((text, i) => writes(view, ALICE, text, `order${i}`)));
      await drain();
      expect(io.sent.filter((line) => line.includes(': message '))).toEqual(
        texts.map((text) => `discord message alice: ${text}`),
      );
    });

    it('ignores threads that are not cases', async () => {
      await setUp();
      const result = await cases.customerMessage({
        key: 'k',
        customerThread: 'slack:C1:9.9',
        message: 'slack:C1:9.10',
        by: ALICE,
        text: 'hi',
      });
      expect(result).toEqual({ ok: false, error: 'not-a-case' });
    });

    it('walks a case through claim, reply, answer, settings, resolve, rating and reopening', async () => {
      await setUp();
      const view = await openCase();
      const mark = io.sent.length;
      const steps = [
        () => cases.claim(staffEvent(view)),
        () => cases.staffReply({ ...staffEvent(view), text: 'Which program do you use?' }),
        () => writes(view, ALICE, 'Outlook'),
        () => cases.sendSettings({ ...staffEvent(view), question: 'example.com imap' }),
        () => cases.resolve(staffEvent(view)),
        () =>
          cases.rate({
            key: 'a1',
            customerThread: view.customerThread as string,
            customerId: 'U1',
            helpful: true,
          }),
        () => writes(view, ALICE, 'Again broken'),
      ];
      for (const step of steps) {
        await step();
        await drain();
      }
      const on = (side: string) => sentSince(mark).filter((line) => line.startsWith(side));
      expect(on('slack')).toEqual([
        `slack notice @U1: Dana from our support team is looking at your question (case ${view.id}).`,
        'slack reply Dana: Which program do you use?',
        'slack settings example.com by Dana',
        'slack resolved by Dana',
      ]);
      expect(on('discord')).toEqual([
        'discord status claimed Dana linked',
        'discord status waiting Dana linked',
        'discord message alice @D1: Outlook',
        'discord status claimed Dana linked',
        'discord note Dana is sending the settings for example.com (IMAP) to the customer.',
        'discord status waiting Dana linked',
        'discord status resolved Dana linked',
        'discord note alice rated the help: helpful.',
        'discord status resolved Dana linked',
        'discord message alice @D1: Again broken',
        'discord note alice wrote again: the case is open again.',
        'discord status claimed Dana linked',
      ]);
    });

    it('delivers everything once and in order after staff’s side was down, with backoff', async () => {
      await setUp();
      const view = await openCase();
      io.down.discord = new Error('503 Service Unavailable');
      for (const n of [1, 2, 3]) await writes(view, ALICE, `m${n}`, `down${n}`);
      for (let round = 0; round < 3; round++) {
        await drain();
        clock += 120_000;
      }
      expect(io.sent.filter((line) => /: m\d/.test(line))).toEqual([]);
      io.down.discord = undefined;
      await drain();
      expect(io.sent.filter((line) => /: m\d/.test(line))).toEqual([
        'discord message alice: m1',
        'discord message alice: m2',
        'discord message alice: m3',
      ]);
    });

    it('never posts a part of a long message twice when a later part failed', async () => {
      await setUp();
      const view = await openCase();
      io.failPart.add('part two');
      await writes(view, ALICE, 'part one|part two|part three');
      await drain();
      clock += 2_000;
      await drain();
      expect(io.sent.filter((line) => line.includes('part'))).toEqual([
        'discord message alice: part one',
        'discord message alice: part two',
        'discord message alice: part three',
      ]);
    });

    it('finishes after a restart what was stored but not delivered', async () => {
      await setUp();
      const view = await openCase();
      await writes(view, ALICE, 'stored');
      await database.close(); // the process stops before the outbox ran
      opened.pop();
      await start();
      await drain();
      expect(io.sent.filter((line) => line.includes('stored'))).toEqual(['discord message alice: stored']);
    });

    it('relays edits and marks deletions, and keeps one that came before its message', async () => {
      await setUp();
      const view = await openCase();
      await writes(view, ALICE, 'typo', 'edited');
      await drain();
      const change = (message: string, text?: string) =>
        cases.customerChanged({
          key: `slack:change${++events}`,
          customerThread: view.customerThread as string,
          message: `slack:C1:${message}`,
          by: ALICE,
          ...(text === undefined ? {} : { text }),
        });
      await change('edited', 'fixed');
      await change('edited');
      // Slack delivered these changes before the messages themselves.
      await change('early', 'second thoughts');
      await change('gone');
      await writes(view, ALICE, 'first thoughts', 'early');
      await writes(view, ALICE, 'never mind', 'gone');
      await drain();
      const copy = io.sent.indexOf('discord message alice: typo');
      expect(io.sent.slice(copy)).toEqual([
        'discord message alice: typo',
        expect.stringMatching(/^discord edit discord:\d+ fixed$/),
        expect.stringMatching(/^discord deleted discord:\d+$/),
        'discord message alice: second thoughts',
      ]);
    });
  });
});
