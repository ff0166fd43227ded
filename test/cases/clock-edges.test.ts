// The desk's clocks and what the lead's report reads of them, at their edges, driven through the case relay itself
// (in-memory sides, a clock the test holds) on SQLite: a snooze "until the next working day" in a zone whose
// daylight saving starts at midnight ends on the next day, not before it began; a staff reply ends a snooze, as
// the docs say; and a rating is for the resolution it was given for, not one after staff reopened the case.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CLOCK_DEFAULTS, snoozeUntil } from '../../src/cases/clocks.js';
import { type CaseView, createLeadDesk, createLogger, type Database, openDatabase } from '../../src/index.js';
import { ALWAYS_OPEN, assembleCases, parseBusinessHours } from '../../src/testing.js';
import { memorySides } from '../support/memory-sides.js';
import { freshSqlite, type TestDatabase } from '../support/sqlite-file.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const DANA = { id: 'D1', name: 'Dana' };
const LEE = { id: 'D2', name: 'Lee' };
const ALICE = { id: 'U1', name: 'alice' };
/** Monday 7 December 2026, 09:00 UTC. */
const MONDAY = Date.parse('2026-12-07T09:00:00Z');

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

describe('the case relay’s clocks and the report', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ records: [] });
  });
  afterAll(() => world?.close());
  let fresh: TestDatabase;
  let database: Database;
  let relay: ReturnType<typeof assembleCases>;
  let clock = MONDAY;
  let events = 0;
  const clocks = {
    hours: ALWAYS_OPEN,
    firstResponseMs: 15 * MIN,
    nextResponseMs: 30 * MIN,
    resolutionMs: 4 * 60 * MIN,
    followUpMs: DAY,
    autoResolveMs: DAY,
  };

  afterEach(async () => {
    await relay?.cases.stop();
    await database?.close();
    await fresh?.drop();
  });

  async function setUp(reminders: string[] = []) {
    fresh = await freshSqlite();
    database = await openDatabase(fresh.url);
    clock = MONDAY;
    const io = memorySides();
    relay = assembleCases({
      database,
      customer: io.customer,
      staff: {
        ...io.staff,
        remind: async (_view, reminder) => void reminders.push(reminder.level),
      },
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      clocks,
    });
  }
  const later = (minutes: number) => {
    clock += minutes * MIN;
  };
  async function open(): Promise<CaseView> {
    const opened = await relay.cases.open({
      place: 'slack:C1',
      customerId: ALICE.id,
      customerName: ALICE.name,
      question: 'example.com pop',
    });
    if (!opened.ok) throw new Error('not opened');
    await relay.outbox.drain();
    return (await relay.cases.findByStaffThread(
      (await relay.store.byId(opened.value.id)).staff_thread ?? '',
    )) as CaseView;
  }
  const staff = (view: CaseView, who = DANA) => ({
    key: `discord:${++events}`,
    staffThread: view.staffThread as string,
    staff: who,
  });

  it('ends a snooze when staff reply, as docs/cases.md says ("as does a staff reply")', async () => {
    const reminders: string[] = [];
    await setUp(reminders);
    const view = await open();
    await relay.cases.staffReply({ ...staff(view), text: 'Try port 995.' }); // waiting on the customer
    later(5);
    await relay.cases.snooze({ ...staff(view), preset: '3d' });
    later(5);
    await relay.cases.staffReply({ ...staff(view), text: 'One more thing: turn on SSL.' });
    expect.soft((await relay.store.byId(view.id)).snoozed_until).toBeNull();
    // Three days on, nobody should be told that a snooze the reply ended is over.
    later(3 * 24 * 60);
    await relay.clockTick.tick();
    await relay.outbox.drain();
    expect(reminders).not.toContain('snooze-over');
  });

  it('does not count a rating of an earlier resolution for a case staff reopened and resolved again', async () => {
    await setUp();
    const view = await open();
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
    expect((await relay.store.byId(view.id)).status).toBe('claimed');
    // The card of a case open again still says "rated not helpful" (the customer writing clears it; a claim not).
    expect.soft((await relay.store.byId(view.id)).rating).toBeNull();
    await relay.cases.staffReply({ ...staff(view, LEE), text: 'Fixed on our side.' });
    await relay.cases.resolve(staff(view, LEE));
    later(1);
    const lead = createLeadDesk({ database, clocks, log: createLogger(() => {}), now: () => clock });
    const report = await lead.report(1);
    expect(report.resolved).toBe(1);
    expect(report.ratings).toEqual({ helpful: 0, notHelpful: 0 });
  });
});
