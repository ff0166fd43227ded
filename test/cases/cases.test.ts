// The case relay's own rules, on both database engines, with the platforms played by in-memory ports that
// record what they were asked to send (and can be made to fail). The real Slack and Discord adapters are
// tested end to end in test/cases/relay.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaseView,
  type CustomerSide,
  createLogger,
  type Database,
  DeliveryRefused,
  openDatabase,
  type StaffSide,
} from '../../src/index.js';
import { assembleCases } from '../../src/testing.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ records: [] });
});
afterAll(() => world?.close());

/** Both platforms in memory: what was sent, in order, and a switch to make either side fail. */
function platforms() {
  const sent: string[] = [];
  let ts = 0;
  let discordId = 0;
  const down = { slack: undefined as Error | undefined, discord: undefined as Error | undefined };
  const slack = (line: string) => {
    if (down.slack) throw down.slack;
    sent.push(`slack ${line}`);
    return `${1700000000 + ++ts}.000100`;
  };
  const discord = (line: string) => {
    if (down.discord) throw down.discord;
    sent.push(`discord ${line}`);
    return String(++discordId);
  };
  const customer: CustomerSide = {
    name: 'Slack',
    threadLink: (view) => `slack://${view.customerThread}`,
    openThread: async (view) => slack(`open ${view.customerName}: ${view.question} in ${view.customerPlace}`),
    postReply: async (_view, reply) => slack(`reply ${reply.author}: ${reply.text}`),
    postSettings: async (_view, answer, staff) =>
      slack(`settings ${answer.settings.query.domain} by ${staff}`),
    postResolved: async (_view, staff) => slack(`resolved by ${staff}`),
  };
  const staff: StaffSide = {
    createPost: async (view) =>
      discord(
        `post ${view.question} answer=${view.card?.answer?.settings.source.kind} link=${view.customerThreadLink}`,
      ),
    updateStatus: async (view) =>
      void discord(`status ${view.status}${view.claimedBy ? ` ${view.claimedBy}` : ''}`),
    postCustomerMessage: async (_view, message) => discord(`message ${message.author}: ${message.text}`),
    editCustomerMessage: async (_view, copy, message) => {
      discord(`edit ${copy} ${message.text}`);
      return copy;
    },
    markDeleted: async (_view, copy) => void discord(`deleted ${copy}`),
    postNote: async (_view, text) => void discord(`note ${text}`),
    remind: async (view) => void discord(`remind ${view.id}`),
  };
  return { sent, down, customer, staff };
}

const DANA = { id: 'D1', name: 'Dana' };

describe.each(testEngines())('cases on $name', (engine) => {
  let fresh: TestDatabase;
  let database: Database;
  let parts: ReturnType<typeof assembleCases>;
  let cases: ReturnType<typeof assembleCases>['cases'];
  let clock: number;
  let io: ReturnType<typeof platforms>;
  const opened: Database[] = [];

  async function start(url = fresh.url, options: { reminderMs?: number } = {}) {
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
  /** What a case looks like once everything due has been delivered. */
  async function deliverNow(id: number): Promise<CaseView> {
    await drain();
    return parts.store
      .byId(id)
      .then((row) => ({ ...row, view: undefined }))
      .then(() => viewOf(id));
  }
  async function viewOf(id: number): Promise<CaseView> {
    const row = await parts.store.byId(id);
    return (await cases.findByStaffThread(row.staff_thread ?? '')) ?? ({ id } as CaseView);
  }

  async function openCase(question = 'example.com pop'): Promise<CaseView> {
    const result = await cases.open({ place: 'slack:C1', customerId: 'U1', customerName: 'Alice', question });
    if (!result.ok) throw new Error('not opened');
    return deliverNow(result.value.id);
  }

  afterEach(async () => {
    for (const each of opened.splice(0)) await each.close();
    await fresh?.drop();
  });

  async function setUp() {
    if (engine.skip) return false;
    fresh = await engine.fresh();
    clock = 1_000_000;
    io = platforms();
    await start();
    return true;
  }

  it.skipIf(engine.skip)('opens the Slack thread, then the forum post with the answer', async () => {
    await setUp();
    const view = await openCase();
    expect(view.customerThread).toMatch(/^\d+\.\d+$/);
    expect(view.staffThread).toBe('1');
    expect(io.sent).toEqual([
      'slack open Alice: example.com pop in slack:C1',
      'discord post example.com pop answer=default link=slack://1700000001.000100',
    ]);
  });

  it.skipIf(engine.skip)('keeps one open case per customer and conversation', async () => {
    await setUp();
    const view = await openCase();
    const again = await cases.open({
      place: 'slack:C1',
      customerId: 'U1',
      customerName: 'Alice',
      question: 'x.com',
    });
    expect(again).toMatchObject({ ok: false, error: { problem: 'already-open', existing: { id: view.id } } });
  });

  it.skipIf(engine.skip)(
    'relays a customer message once, whether Slack retries the event or not',
    async () => {
      await setUp();
      const view = await openCase();
      const message = {
        customerThread: view.customerThread as string,
        message: 'slack:C1:1.1',
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
        'discord message Alice: it fails',
      ]);
    },
  );

  it.skipIf(engine.skip)(
    "relays a thread's messages in the order they came in, even when they are taken in at once",
    async () => {
      await setUp();
      const view = await openCase();
      const customerThread = view.customerThread as string;
      const texts = Array.from({ length: 20 }, (_, i) => `message ${i + 1}`);
      // As the Slack adapter calls it for events acknowledged one after another: none waits for the last.
      await Promise.all(
        texts.map((text, i) =>
          cases.customerMessage({
            key: `slack:Ev${i}`,
            customerThread,
            message: `slack:C1:3.${i + 1}`,
            text,
          }),
        ),
      );
      await drain();
      expect(io.sent.filter((line) => line.includes(': message '))).toEqual(
        texts.map((text) => `discord message Alice: ${text}`),
      );
    },
  );

  it.skipIf(engine.skip)('ignores threads that are not cases', async () => {
    await setUp();
    const result = await cases.customerMessage({
      key: 'k',
      customerThread: 'slack:C1:9.9',
      message: 'slack:C1:9.10',
      text: 'hi',
    });
    expect(result).toEqual({ ok: false, error: 'not-a-case' });
  });

  it.skipIf(engine.skip)(
    'walks a case through claim, reply, customer answer, settings, resolve, rating and reopening',
    async () => {
      await setUp();
      const view = await openCase();
      const post = view.staffThread as string;
      const thread = view.customerThread as string;
      const steps = [
        () => cases.claim({ key: 'i1', staffThread: post, staff: DANA }),
        () =>
          cases.staffReply({ key: 'i2', staffThread: post, staff: DANA, text: 'Which program do you use?' }),
        () =>
          cases.customerMessage({
            key: 'e1',
            customerThread: thread,
            message: 'slack:C1:2.1',
            text: 'Outlook',
          }),
        () => cases.sendSettings({ key: 'i3', staffThread: post, staff: DANA, question: 'example.com imap' }),
        () => cases.resolve({ key: 'i4', staffThread: post, staff: DANA }),
        () => cases.rate({ key: 'a1', customerThread: thread, customerId: 'U1', helpful: true }),
        () =>
          cases.customerMessage({
            key: 'e2',
            customerThread: thread,
            message: 'slack:C1:2.2',
            text: 'Again broken',
          }),
      ];
      for (const step of steps) {
        await step();
        await drain();
      }
      expect(
        await cases.rate({ key: 'a0', customerThread: thread, customerId: 'U2', helpful: false }),
      ).toEqual({
        ok: false,
        error: 'not-yours',
      });
      const on = (platform: string) => io.sent.slice(2).filter((line) => line.startsWith(platform));
      expect(on('slack')).toEqual([
        'slack reply Dana: Which program do you use?',
        'slack settings example.com by Dana',
        'slack resolved by Dana',
      ]);
      expect(on('discord')).toEqual([
        'discord status claimed Dana',
        'discord status waiting Dana',
        'discord message Alice: Outlook',
        'discord status claimed Dana',
        'discord note Dana sent the settings for example.com (IMAP) to the customer.',
        'discord status waiting Dana',
        'discord status resolved Dana',
        'discord note Alice rated the help: helpful.',
        'discord status resolved Dana',
        'discord message Alice: Again broken',
        'discord note Alice wrote again: the case is open again.',
        'discord status claimed Dana',
      ]);
    },
  );

  it.skipIf(engine.skip)('the first staff reply claims an unclaimed case', async () => {
    await setUp();
    const view = await openCase();
    await cases.staffReply({
      key: 'i1',
      staffThread: view.staffThread as string,
      staff: DANA,
      text: 'Hello',
    });
    await drain();
    expect(await cases.findByStaffThread(view.staffThread as string)).toMatchObject({
      status: 'waiting',
      claimedBy: 'Dana',
    });
  });

  it.skipIf(engine.skip)(
    'delivers everything once and in order after Discord was down, with backoff',
    async () => {
      await setUp();
      const view = await openCase();
      io.down.discord = new Error('503 Service Unavailable');
      for (const n of [1, 2, 3]) {
        await cases.customerMessage({
          key: `e${n}`,
          customerThread: view.customerThread as string,
          message: `slack:C1:3.${n}`,
          text: `m${n}`,
        });
      }
      for (let round = 0; round < 3; round++) {
        await drain();
        clock += 120_000;
      }
      expect(io.sent.filter((line) => /m\d/.test(line))).toEqual([]);
      io.down.discord = undefined;
      await drain();
      expect(io.sent.filter((line) => /m\d/.test(line))).toEqual([
        'discord message Alice: m1',
        'discord message Alice: m2',
        'discord message Alice: m3',
      ]);
    },
  );

  it.skipIf(engine.skip)(
    'tells staff when a reply has not reached the customer yet, and when it has',
    async () => {
      await setUp();
      const view = await openCase();
      io.down.slack = new Error('service_unavailable');
      await cases.staffReply({
        key: 'i1',
        staffThread: view.staffThread as string,
        staff: DANA,
        text: 'Try port 993',
      });
      await drain();
      clock += 61_000;
      await drain(); // second failure, a minute after the reply: staff are told
      io.down.slack = undefined;
      clock += 120_000;
      await drain();
      await drain();
      const notes = io.sent.filter((line) => line.startsWith('discord note'));
      expect(notes).toEqual([
        'discord note Not delivered to the customer yet: “Try port 993” (Slack: service_unavailable). The bot keeps trying.',
        'discord note Delivered to the customer now: “Try port 993”.',
      ]);
      expect(io.sent.filter((line) => line.startsWith('slack reply'))).toEqual([
        'slack reply Dana: Try port 993',
      ]);
    },
  );

  it.skipIf(engine.skip)('gives up on a delivery Slack refused for good, and says so', async () => {
    await setUp();
    const view = await openCase();
    io.down.slack = new DeliveryRefused('channel_not_found');
    await cases.staffReply({ key: 'i1', staffThread: view.staffThread as string, staff: DANA, text: 'Hi' });
    await drain();
    await drain();
    expect(io.sent.at(-1)).toBe(
      'discord note Could not be delivered to the customer: “Hi” (Slack: channel_not_found). Reach them another way.',
    );
  });

  it.skipIf(engine.skip)('finishes after a restart what was stored but not delivered', async () => {
    await setUp();
    const view = await openCase();
    await cases.customerMessage({
      key: 'e1',
      customerThread: view.customerThread as string,
      message: 'slack:C1:4.1',
      text: 'stored',
    });
    await database.close(); // the process stops before the outbox ran
    opened.pop();
    await start();
    await drain();
    expect(io.sent.filter((line) => line.includes('stored'))).toEqual(['discord message Alice: stored']);
  });

  it.skipIf(engine.skip)('relays edits and marks deletions of customer messages', async () => {
    await setUp();
    const view = await openCase();
    const thread = view.customerThread as string;
    await cases.customerMessage({ key: 'e1', customerThread: thread, message: 'slack:C1:5.1', text: 'typo' });
    await drain();
    await cases.customerChanged({ key: 'e2', message: 'slack:C1:5.1', text: 'fixed' });
    await cases.customerChanged({ key: 'e3', message: 'slack:C1:5.1' });
    await drain();
    expect(io.sent.slice(-3)).toEqual([
      'discord message Alice: typo',
      'discord edit 2 fixed',
      'discord deleted 2',
    ]);
  });

  it.skipIf(engine.skip)('reminds staff once about a case nobody claimed', async () => {
    await setUp();
    const view = await openCase();
    clock += 16 * 60_000;
    await parts.reminders.remindDue();
    await parts.reminders.remindDue();
    await drain();
    expect(io.sent.filter((line) => line.startsWith('discord remind'))).toEqual([
      `discord remind ${view.id}`,
    ]);
  });
});
