// The lead's report and data care on both database engines, over cases driven through the case relay itself
// (sides played by in-memory ports that record what they were asked to show) with a clock the test controls:
// the report counts what the relay recorded; forgetting leaves no trace of the customer's words or identity
// anywhere the bot keeps data, while the counts stay; the export holds what is kept; the retention period
// erases old words only; and a weekly digest is sent by one replica only.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaseView,
  createDigest,
  createLeadDesk,
  createLogger,
  type Database,
  DeliveryRefused,
  openDatabase,
  type Report,
} from '../../src/index.js';
import { assembleCases } from '../../src/testing.js';
import { TEST_CLOCKS } from '../support/case-state.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { memorySides, openCase } from '../support/memory-sides.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ records: [] });
});
afterAll(() => world?.close());

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const DANA = { id: 'D1', name: 'Dana' };
const LEE = { id: 'D2', name: 'Lee' };
const ALICE = { id: 'U1', name: 'alice' };
const BOB = { id: 'U2', name: 'bob' };
/** Monday 7 December 2026, 09:00 UTC. */
const MONDAY = Date.parse('2026-12-07T09:00:00Z');

describe.each(testEngines())('the lead’s desk on $name', (engine) => {
  let fresh: TestDatabase;
  let database: Database;
  let clock: number;
  let relay: ReturnType<typeof assembleCases>;
  let io: ReturnType<typeof memorySides>;
  let events = 0;
  const lead = (retentionDays?: number) =>
    createLeadDesk({
      database,
      clocks: TEST_CLOCKS,
      log: createLogger(() => {}),
      now: () => clock,
      ...(retentionDays ? { retentionDays } : {}),
    });

  afterEach(async () => {
    await relay?.cases.stop();
    await database?.close();
    await fresh?.drop();
  });

  /** `staff`: the staff side as the in-memory one plays it, changed where a test says. */
  async function setUp(staff: (played: typeof io.staff) => typeof io.staff = (played) => played) {
    fresh = await engine.fresh();
    database = await openDatabase(fresh.url);
    clock = MONDAY;
    io = memorySides();
    relay = assembleCases({
      database,
      customer: io.customer,
      staff: staff(io.staff),
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      clocks: TEST_CLOCKS,
    });
  }
  const later = (minutes: number) => {
    clock += minutes * MIN;
  };
  const open = (
    customer: { id: string; name: string },
    question: string,
    said: { words?: string; email?: string } = {},
  ) => openCase(relay, customer, question, said);
  const writes = (view: CaseView, by: { id: string; name: string }, text: string) =>
    relay.cases.customerMessage({
      key: `slack:e${++events}`,
      customerThread: view.customerThread as string,
      message: `slack:C1:m${events}`,
      by,
      text,
    });
  const staff = (view: CaseView, who = DANA) => ({
    key: `discord:${++events}`,
    staffThread: view.staffThread as string,
    staff: who,
  });

  /**
   * Alice's case: answered in 10 minutes, a second answer 20 minutes after she wrote again, resolved by Dana
   * and rated helpful. Bob's: settings sent by Lee after 10 minutes, resolved by Lee. Alice also wrote in
   * Bob's thread, and the bot holds an event of hers it has not finished, and her question count.
   */
  async function aWeek() {
    const alice = await open(ALICE, 'Alice@Example.com pop', {
      words: 'Outlook keeps asking, plugh',
      email: 'alice.profile@example.net',
    });
    later(5);
    const bob = await open(BOB, 'bob@example.org imap');
    await writes(alice, ALICE, 'My mail shows xyzzy42 and nothing works');
    later(5);
    await relay.cases.staffReply({ ...staff(alice), text: 'Hello alice, try port 995.' });
    later(10);
    await relay.cases.sendSettings({ ...staff(bob, LEE), question: 'bob@example.org imap' });
    await writes(alice, ALICE, 'Still failing, alice@example.com');
    await writes(bob, ALICE, 'alice here: same problem as Bob');
    await writes(bob, BOB, 'Thanks, that worked');
    later(20);
    await relay.cases.staffReply({ ...staff(alice), text: 'Turn on SSL.' });
    later(5);
    await relay.cases.resolve(staff(alice));
    await relay.cases.rate({
      key: `slack:r${++events}`,
      customerThread: alice.customerThread as string,
      customerId: 'U1',
      helpful: true,
    });
    await relay.cases.resolve(staff(bob, LEE));
    await relay.outbox.drain();
    await database.db
      .insertInto('inbox')
      .values([
        {
          key: 'slack:Ev1',
          body: JSON.stringify({ event: { user: 'U1', text: 'xyzzy42 again' } }),
          state: 'pending',
          received_at: clock,
        },
        {
          key: 'slack:Ev2',
          body: JSON.stringify({ event: { user: 'U2', text: 'hi' } }),
          state: 'pending',
          received_at: clock,
        },
      ])
      .execute();
    await database.db
      .insertInto('rate_limits')
      .values([
        { key: 'questions:U1', window_start: clock, count: 2 },
        { key: 'questions:U12', window_start: clock, count: 1 },
      ])
      .execute();
    return { alice, bob };
  }

  /**
   * Every row the bot keeps, as text, and on SQLite every byte of its files (the database and its WAL, which
   * holds earlier versions of changed pages): where a forgotten customer must not be found.
   */
  async function everything(): Promise<string> {
    const tables = ['cases', 'case_messages', 'outbox', 'inbox', 'rate_limits', 'case_activity'] as const;
    const dumps = await Promise.all(
      tables.map((table) => database.db.selectFrom(table).selectAll().execute()),
    );
    const path = fresh.url.startsWith('file:') ? fresh.url.slice('file:'.length) : undefined;
    const files = path
      ? [path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file).toString('latin1'))
      : [];
    return JSON.stringify(dumps) + files.join('');
  }

  it.skipIf(engine.skip)('reports what the relay recorded: times, targets, staff, one-touch', async () => {
    await setUp();
    await aWeek();
    later(1);
    const report: Report = await lead().report(1);
    expect(report).toMatchObject({
      opened: 2,
      resolved: 2,
      oneTouch: 1,
      ratings: { helpful: 1, notHelpful: 0 },
    });
    expect(report.firstResponse).toEqual({ count: 2, p50Ms: 10 * MIN, p90Ms: 15 * MIN });
    expect(report.targets.firstResponse).toMatchObject({ met: 2, missed: 0 });
    expect(report.targets.nextResponse).toMatchObject({ met: 1, missed: 0 });
    expect(report.staff).toEqual([
      { id: 'D1', name: 'Dana', resolved: 1, firstResponses: 1, medianFirstResponseMs: 10 * MIN },
      { id: 'D2', name: 'Lee', resolved: 1, firstResponses: 1, medianFirstResponseMs: 15 * MIN },
    ]);
    expect(report.domains).toEqual([
      { name: 'example.com', count: 1 },
      { name: 'example.org', count: 1 },
    ]);
    // A period that ended before the cases opened counts none of them.
    expect(await lead().reportFor({ since: MONDAY - DAY, until: MONDAY })).toMatchObject({
      opened: 0,
      resolved: 0,
    });
  });

  it.skipIf(engine.skip)(
    'exports what is kept about a customer: their cases, the conversation, their words elsewhere',
    async () => {
      await setUp();
      const { alice, bob } = await aWeek();
      const exported = await lead().export('U1');
      expect(exported.customer).toEqual({ id: 'U1', names: ['alice'] });
      expect(exported.cases).toHaveLength(1);
      expect(exported.cases[0]).toMatchObject({
        id: alice.id,
        question: 'Alice@Example.com pop',
        whatHappens: 'Outlook keeps asking, plugh',
        email: 'alice@example.com', // the question's address comes before the profile's
        status: 'resolved',
        rating: 'helpful',
        resolvedBy: 'Dana',
        openedAt: new Date(MONDAY).toISOString(),
      });
      expect(exported.cases[0]?.messages.map((m) => `${m.from} ${m.author}: ${m.text}`)).toEqual([
        'customer alice: My mail shows xyzzy42 and nothing works',
        'staff Dana: Hello alice, try port 995.',
        'customer alice: Still failing, alice@example.com',
        'staff Dana: Turn on SSL.',
      ]);
      // Her words in Bob's case, and nothing of Bob's own.
      expect(exported.messagesInOtherCases).toEqual([
        expect.objectContaining({ caseId: bob.id, text: 'alice here: same problem as Bob' }),
      ]);
      expect(JSON.stringify(exported)).not.toContain('Thanks, that worked');
      expect(exported.eventsNotYetHandled).toHaveLength(1);
    },
  );

  it.skipIf(engine.skip)(
    'forgets a customer everywhere the bot keeps data; the counts stay and the card is redrawn',
    async () => {
      await setUp();
      const { alice, bob } = await aWeek();
      const desk = lead();
      const before = await desk.report(1);
      expect(await desk.kept('U1')).toEqual({ cases: 1, messages: 3, names: ['alice'] });
      expect(await desk.forget('U1')).toEqual({ cases: 1, messages: 3, names: ['alice'] });

      const kept = await everything();
      for (const trace of [
        'xyzzy42',
        'plugh',
        'alice@',
        'Alice@',
        '"U1"',
        'same problem',
        'Hello alice',
        'questions:U1"',
      ])
        expect.soft(kept, trace).not.toContain(trace);
      // Bob keeps his own: his words, his pending event, the other limit whose key only starts like hers.
      for (const trace of ['Thanks, that worked', '"U2"', 'questions:U12']) expect(kept).toContain(trace);
      const row = await relay.store.byId(alice.id);
      expect(row).toMatchObject({
        customer_name: '(forgotten)',
        question: 'example.com pop',
        customer_thread: null,
      });
      expect(row.customer_id).toMatch(/^forgotten:[0-9a-f-]{36}$/);
      expect((await relay.store.byId(bob.id)).customer_id).toBe('U2');
      expect(await desk.report(1)).toEqual(before);

      await relay.outbox.drain();
      expect(io.drawn.at(-1)).toBe(`${alice.id} resolved (forgotten)`);
      expect(await desk.forget('U1')).toEqual({ cases: 0, messages: 0, names: [] });
      expect((await desk.export('U1')).cases).toEqual([]);
    },
  );

  it.skipIf(engine.skip)(
    'forgets the part of the address before the @ where the card names it as the username',
    async () => {
      await setUp();
      // bol.com.br's username is that part alone: the diagnosis of their words says so in its fix.
      const view = await open(ALICE, 'zaphod.beeblebrox@bol.com.br pop', {
        words: 'Outlook says: Your server rejected your login. 0x800CCC90',
      });
      expect((await relay.store.byId(view.id)).card).toContain('zaphod.beeblebrox as the username');
      await lead().forget('U1');
      expect((await relay.store.byId(view.id)).card).not.toContain('zaphod.beeblebrox');
    },
  );

  it.skipIf(engine.skip)(
    'writes nothing of their words again when a delivery under way as they are forgotten then fails',
    async () => {
      let posting: () => void = () => {};
      const posted = new Promise<void>((resolve) => {
        posting = resolve;
      });
      let refuse: () => void = () => {};
      const refused = new Promise<void>((resolve) => {
        refuse = resolve;
      });
      let hold = false;
      await setUp((played) => ({
        ...played,
        postCustomerMessage: async (...args: Parameters<typeof played.postCustomerMessage>) => {
          if (!hold) return played.postCustomerMessage(...args);
          posting();
          await refused;
          throw new DeliveryRefused('Discord: Missing Access');
        },
      }));
      const view = await open(ALICE, 'example.com pop');
      hold = true;
      await writes(view, ALICE, 'RACEWORDS still broken');
      const delivering = relay.outbox.drain();
      await posted;
      await lead().forget('U1');
      refuse();
      await delivering;
      await relay.outbox.drain();
      expect(await everything()).not.toContain('RACEWORDS');
    },
  );

  it.skipIf(engine.skip)(
    'keeps nothing of an edit or deletion Slack sends later of a message by someone since forgotten',
    async () => {
      await setUp();
      const bobs = await open(BOB, 'example.org imap');
      await writes(bobs, ALICE, 'EDITWORDS alice here, same problem');
      const written = `slack:C1:m${events}`;
      await relay.outbox.drain();
      await lead().forget('U1');
      for (const text of ['EDITWORDS alice here, same problem!', undefined])
        await relay.cases.customerChanged({
          key: `slack:e${++events}`,
          customerThread: bobs.customerThread as string,
          message: written,
          by: ALICE,
          ...(text === undefined ? {} : { text }),
        });
      await relay.outbox.drain();
      const kept = await everything();
      for (const trace of ['EDITWORDS', '"U1"', '"alice"']) expect.soft(kept, trace).not.toContain(trace);
      expect(await lead().kept('U1')).toEqual({ cases: 0, messages: 0, names: [] });
    },
  );

  it.skipIf(engine.skip)(
    'forgets what waits about a customer who has no case: an event not yet handled, their counters',
    async () => {
      await setUp();
      await database.db
        .insertInto('inbox')
        .values({
          key: 'slack:Ev9',
          body: JSON.stringify({ event: { user: 'U9', text: 'carol.private@example.com pop' } }),
          state: 'pending',
          received_at: clock,
        })
        .execute();
      await database.db
        .insertInto('rate_limits')
        .values({ key: 'questions:U9', window_start: clock, count: 3 })
        .execute();
      expect(await lead().forget('U9')).toEqual({ cases: 0, messages: 0, names: [] });
      const kept = await everything();
      for (const trace of ['carol.private', 'questions:U9']) expect.soft(kept, trace).not.toContain(trace);
    },
  );

  it.skipIf(engine.skip)(
    'forgets only the events the customer sent: others that name them, or a word given as an id, keep theirs',
    async () => {
      await setUp();
      const waiting = (key: string, event: Record<string, unknown>) => ({
        key,
        body: JSON.stringify({ type: 'event_callback', team_id: 'T1', event: { type: 'message', ...event } }),
        state: 'pending' as const,
        received_at: clock,
      });
      const others = [
        // Bob's reply in Carol's thread names her as its thread's author; Dave mentions her.
        waiting('slack:Ev10', { user: 'U2', parent_user_id: 'U9', text: 'bob.private: same here' }),
        waiting('slack:Ev11', { user: 'U3', text: '<@U9> dave.private has this too' }),
      ];
      const hers = [
        waiting('slack:Ev12', { user: 'U9', text: 'carol.private@example.com pop' }),
        waiting('slack:Ev13', {
          subtype: 'message_changed',
          message: { user: 'U9', text: 'carol.edited' },
          previous_message: { user: 'U9', text: 'carol.private' },
        }),
      ];
      await database.db
        .insertInto('inbox')
        .values([...others, ...hers])
        .execute();
      // A lead's slip: a word every event holds, given as an id, erases nothing.
      await lead().forget('message');
      await lead().forget('U9');
      const rows = await database.db
        .selectFrom('inbox')
        .select(['key', 'body', 'state'])
        .orderBy('key')
        .execute();
      expect(rows).toEqual([
        ...others.map(({ key, body }) => ({ key, body, state: 'pending' })),
        ...hers.map(({ key }) => ({ key, body: null, state: 'done' })),
      ]);
      // What the export lists as waiting is hers alone too.
      expect((await lead().export('U2')).eventsNotYetHandled).toHaveLength(1);
    },
  );

  it.skipIf(engine.skip)(
    'counts a case forgotten while open in the report of the day it was closed, however long it was quiet',
    async () => {
      await setUp();
      await open(ALICE, 'example.com pop');
      later(10 * 24 * 60);
      await lead().forget('U1');
      later(1);
      expect(await lead().report(1)).toMatchObject({ opened: 0, resolved: 1, staff: [] });
    },
  );

  it.skipIf(engine.skip)(
    'settles no target of a case after it was closed because its customer was forgotten, and times no resolution',
    async () => {
      await setUp();
      const alices = await open(ALICE, 'example.com pop');
      await lead().forget('U1'); // long before any of its targets is due
      const quiet = await open(BOB, 'example.net imap');
      await writes(quiet, BOB, 'anyone?');
      later(14 * 24 * 60);
      const report = await lead().report(15);
      expect(report).toMatchObject({ opened: 2, resolved: 1, oneTouch: 0 });
      expect(report.resolution.count).toBe(0);
      // Bob's case, still open, missed its targets; Alice's was no one's to answer any more.
      expect(report.targets.firstResponse).toMatchObject({ met: 0, missed: 1 });
      expect(report.targets.resolution).toMatchObject({ met: 0, missed: 1 });
      expect((await relay.store.byId(alices.id)).status).toBe('resolved');
    },
  );

  it.skipIf(engine.skip)(
    'closes a forgotten customer’s open case, and the report counts it as closed by nobody',
    async () => {
      await setUp();
      const view = await open(ALICE, 'example.com pop');
      await writes(view, ALICE, 'hello');
      await lead().forget('U1');
      expect((await relay.store.byId(view.id)).status).toBe('resolved');
      later(1);
      const report = await lead().report(1);
      expect(report).toMatchObject({ opened: 1, resolved: 1, staff: [] });
      // Its clocks stop: nothing is due for a case nobody could answer any more.
      later(60 * 24);
      await relay.clockTick.tick();
      await relay.outbox.drain();
      expect(
        (await database.db.selectFrom('outbox').select('payload').execute()).map((r) => r.payload),
      ).toEqual([JSON.stringify({ kind: 'status' })]);
    },
  );

  it.skipIf(engine.skip)(
    'erases the words older than the retention period, and only those; counts and times stay',
    async () => {
      await setUp();
      await aWeek();
      const week = { since: MONDAY - DAY, until: MONDAY + 7 * DAY };
      const oldReport = await lead().reportFor(week);
      later(31 * 24 * 60);
      const fresh = await open(BOB, 'example.net imap');
      await writes(fresh, BOB, 'A new question');
      await relay.outbox.drain();
      const erased = await lead(30)
        .retain()
        .then(() => everything());
      for (const trace of ['xyzzy42', 'same problem', 'Turn on SSL', 'Thanks, that worked'])
        expect(erased).not.toContain(trace);
      expect(erased).toContain('A new question');
      const events = await database.db.selectFrom('inbox').select(['key', 'body', 'state']).execute();
      expect(events.filter((event) => event.key.startsWith('slack:Ev'))).toEqual([
        { key: 'slack:Ev1', body: null, state: 'done' },
        { key: 'slack:Ev2', body: null, state: 'done' },
      ]);
      const texts = await database.db.selectFrom('case_messages').select(['text', 'created_at']).execute();
      expect(texts.filter((m) => m.text !== null).map((m) => m.text)).toEqual(['A new question']);
      expect(texts).toHaveLength(7);
      expect(await lead().reportFor(week)).toEqual(oldReport);
    },
  );

  it.skipIf(engine.skip)(
    'sends each week’s digest once, from one of two replicas, and again when a sender died',
    async () => {
      await setUp();
      await aWeek();
      const sent: { by: string; report: Report }[] = [];
      let failing = false;
      const replica = (by: string) =>
        createDigest({
          db: database.db,
          timeZone: 'UTC',
          schedule: { day: 1, minutes: 9 * 60 },
          report: lead().reportFor,
          send: async (report) => {
            if (failing) throw new Error('Discord is down');
            sent.push({ by, report });
          },
          log: createLogger(() => {}),
          now: () => clock,
        });
      const [a, b] = [replica('a'), replica('b')];
      clock = MONDAY + 7 * DAY - MIN; // Monday 08:59: not yet
      expect(await Promise.all([a.tick(), b.tick()])).toEqual([false, false]);
      clock = MONDAY + 7 * DAY + 2 * MIN;
      expect((await Promise.all([a.tick(), b.tick()])).filter(Boolean)).toHaveLength(1);
      expect(await Promise.all([a.tick(), b.tick()])).toEqual([false, false]);
      expect(sent).toHaveLength(1);
      expect(sent[0]?.report).toMatchObject({
        since: MONDAY,
        until: MONDAY + 7 * DAY,
        opened: 2,
        resolved: 2,
      });

      // The next week, the first sender fails: the week stays held a while, then another replica sends it.
      clock = MONDAY + 14 * DAY;
      failing = true;
      await expect(a.tick()).rejects.toThrow('Discord is down');
      failing = false;
      expect(await b.tick()).toBe(false);
      clock += 11 * MIN;
      expect(await b.tick()).toBe(true);
      expect(sent).toHaveLength(2);
      expect(sent[1]?.by).toBe('b');
      // More than a day late (the bot was down), a week's digest is skipped.
      clock = MONDAY + 21 * DAY + DAY + MIN;
      expect(await a.tick()).toBe(false);
    },
  );

  it.skipIf(engine.skip)(
    'ends a snooze when staff reply, as the docs say ("as does a staff reply")',
    async () => {
      const reminders: string[] = [];
      await setUp((played) => ({
        ...played,
        remind: async (_view, reminder) => void reminders.push(reminder.level),
      }));
      const view = await open(ALICE, 'example.com pop');
      await relay.cases.staffReply({ ...staff(view), text: 'Try port 995.' }); // waiting on the customer
      later(5);
      await relay.cases.snooze({ ...staff(view), preset: '3d' });
      later(5);
      await relay.cases.staffReply({ ...staff(view), text: 'One more thing: turn on SSL.' });
      expect((await relay.store.byId(view.id)).snoozed_until).toBeNull();
      // Three days on, nobody is told that a snooze the reply ended is over.
      later(3 * 24 * 60);
      await relay.clockTick.tick();
      await relay.outbox.drain();
      expect(reminders).not.toContain('snooze-over');
    },
  );

  it.skipIf(engine.skip)(
    'does not count a rating of an earlier resolution for a case staff reopened and resolved again',
    async () => {
      await setUp();
      const view = await open(ALICE, 'example.com pop');
      await relay.cases.staffReply({ ...staff(view), text: 'Try port 995.' });
      await relay.cases.resolve(staff(view));
      await relay.cases.rate({
        key: `slack:r${++events}`,
        customerThread: view.customerThread as string,
        customerId: ALICE.id,
        helpful: false,
      });
      // Lee claims it again (a resolved case reopens on Claim), answers and resolves it; the customer never rates.
      later(10);
      await relay.cases.claim(staff(view, LEE));
      expect(await relay.store.byId(view.id)).toMatchObject({ status: 'claimed', rating: null });
      await relay.cases.staffReply({ ...staff(view, LEE), text: 'Fixed on our side.' });
      await relay.cases.resolve(staff(view, LEE));
      later(1);
      const report = await lead().report(1);
      expect(report.resolved).toBe(1);
      expect(report.ratings).toEqual({ helpful: 0, notHelpful: 0 });
    },
  );
});
