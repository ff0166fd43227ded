// The lead's report measures the response targets as the case's live clocks run (a snooze ending or a reopening
// starts the clock over, a case resolved without a response measures none) and credits nobody with a case closed
// because its customer was forgotten or its thread refused: cases driven through the real case relay (in-memory
// sides) with a clock the test controls. SQLite only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type CaseView,
  type CustomerSide,
  createLeadDesk,
  createLogger,
  type Database,
  DeliveryRefused,
  openDatabase,
} from '../../src/index.js';
import { assembleCases } from '../../src/testing.js';
import { TEST_CLOCKS } from '../support/case-state.js';
import { migratedSqlite } from '../support/databases.js';
import { memorySides, openCase } from '../support/memory-sides.js';
import type { TestDatabase } from '../support/sqlite-file.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ records: [] });
});
afterAll(() => world?.close());

const MIN = 60_000;
const DANA = { id: 'D1', name: 'Dana' };
const ALICE = { id: 'U1', name: 'alice' };
const MONDAY = Date.parse('2026-12-07T09:00:00Z');

describe('the report against the live clocks', () => {
  let fresh: TestDatabase;
  let database: Database;
  let clock: number;
  let relay: ReturnType<typeof assembleCases>;
  let reminders: string[];
  let events = 0;
  const lead = () =>
    createLeadDesk({ database, clocks: TEST_CLOCKS, log: createLogger(() => {}), now: () => clock });

  afterEach(async () => {
    await relay?.cases.stop();
    await database?.close();
    await fresh?.drop();
  });

  async function setUp(customer: Partial<CustomerSide> = {}) {
    fresh = await migratedSqlite();
    database = await openDatabase(fresh.url);
    clock = MONDAY;
    reminders = [];
    const io = memorySides();
    relay = assembleCases({
      database,
      customer: { ...io.customer, ...customer },
      staff: {
        ...io.staff,
        remind: async (_view, reminder) => void reminders.push(`${reminder.level} ${reminder.what}`),
      },
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      clocks: TEST_CLOCKS,
    });
  }
  const later = (minutes: number) => {
    clock += minutes * MIN;
  };
  const open = (customer = ALICE, question = 'alice@example.com pop') => openCase(relay, customer, question);
  const staff = (view: CaseView, who = DANA) => ({
    key: `discord:${++events}`,
    staffThread: view.staffThread as string,
    staff: who,
  });
  const writes = (view: CaseView, text: string) =>
    relay.cases.customerMessage({
      key: `slack:e${++events}`,
      customerThread: view.customerThread as string,
      message: `slack:C1:m${events}`,
      by: ALICE,
      text,
    });
  /** Lets the clocks look every few minutes from now until `minutes` later. */
  async function ticksFor(minutes: number) {
    for (let i = 0; i < minutes; i += 1) {
      later(1);
      await relay.clockTick.tick();
      await relay.outbox.drain();
    }
  }

  it('counts a case whose Slack thread was refused as closed by nobody: no resolution time, no target met', async () => {
    await setUp({
      openThread: async () => {
        throw new DeliveryRefused('channel_not_found');
      },
    });
    await open();
    await ticksFor(5);
    const report = await lead().report(1);
    expect(report.resolved).toBe(1); // closed in the period
    expect(report.resolution.count).toBe(0);
    expect(report.targets.resolution).toMatchObject({ met: 0, missed: 0 });
    expect(report.targets.firstResponse).toMatchObject({ met: 0, missed: 0 });
  });

  it('counts the first response as met when a snooze restarted its clock and the reply came in time', async () => {
    await setUp();
    const view = await open();
    later(2);
    expect((await relay.cases.snooze({ ...staff(view), preset: '1h' })).ok).toBe(true); // until 10:02
    await ticksFor(61); // 10:03: the snooze is over, the response clock starts over (15 min target)
    await ticksFor(7); // 10:10
    await relay.cases.staffReply({ ...staff(view), text: 'Here you go.' });
    await relay.outbox.drain();
    await ticksFor(30);
    // The live clock never found the first response overdue...
    expect(reminders.filter((r) => r.includes('overdue'))).toEqual([]);
    // ...and neither should the report.
    const report = await lead().report(1);
    expect(report.targets.firstResponse).toMatchObject({ met: 1, missed: 0 });
  });

  it('counts no first-response target for a case resolved before anyone responded', async () => {
    await setUp();
    const view = await open();
    later(5);
    expect((await relay.cases.resolve(staff(view))).ok).toBe(true);
    await relay.outbox.drain();
    await ticksFor(60);
    expect(reminders.filter((r) => r.includes('first response'))).toEqual([]);
    const report = await lead().report(1);
    expect(report.targets.firstResponse).toMatchObject({ met: 0, missed: 0 });
  });

  it('counts the first response of a case reopened before any response from its reopening, as the live clock does', async () => {
    await setUp();
    const view = await open();
    later(5);
    await relay.cases.resolve(staff(view)); // resolved without a reply at 09:05
    await relay.outbox.drain();
    later(120);
    await writes(view, 'still broken'); // 11:05: reopened, the first response is due 11:20
    await relay.outbox.drain();
    await ticksFor(10);
    await relay.cases.staffReply({ ...staff(view), text: 'Sorry, here you go.' }); // 11:15, in time
    await relay.outbox.drain();
    await ticksFor(20);
    expect(reminders.filter((r) => r.includes('overdue'))).toEqual([]);
    const report = await lead().report(1);
    expect(report.targets.firstResponse).toMatchObject({ met: 1, missed: 0 });
  });

  it('credits nobody with a resolution for a reopened case that closed because its customer was forgotten', async () => {
    await setUp();
    const view = await open();
    later(5);
    await relay.cases.staffReply({ ...staff(view), text: 'Try 995.' });
    later(5);
    await relay.cases.resolve(staff(view)); // Dana resolves it...
    await relay.outbox.drain();
    later(30);
    await writes(view, 'it broke again'); // ...the customer reopens it...
    await relay.outbox.drain();
    later(5);
    await lead().forget('U1'); // ...and is forgotten: the case closes, by nobody.
    later(1);
    const report = await lead().report(1);
    expect(report.resolved).toBe(1);
    expect(report.staff.find((s) => s.id === 'D1')?.resolved).toBe(0);
  });
});
