// Staff and customers acting on the same cases at the same instant, and two replicas' clocks on one
// database, on both engines: no error (no PostgreSQL deadlock), no lost update, each warning once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, type Database, openDatabase } from '../../src/index.js';
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
const MONDAY = Date.parse('2026-12-07T09:00:00Z');

describe.each(testEngines())('parallel case actions on $name', (engine) => {
  let fresh: TestDatabase;
  const databases: Database[] = [];
  const relays: ReturnType<typeof assembleCases>[] = [];
  let clock = MONDAY;
  let events = 0;
  let reminders: string[] = [];

  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.cases.stop();
    for (const database of databases.splice(0)) await database.close();
    await fresh?.drop();
  });

  /** SQLite is one process per file: its "replicas" are one. */
  async function replica() {
    if (engine.name === 'sqlite' && relays[0]) return relays[0];
    const database = await openDatabase(fresh.url);
    databases.push(database);
    const io = memorySides();
    const relay = assembleCases({
      database,
      customer: io.customer,
      staff: {
        ...io.staff,
        remind: async (view, reminder) =>
          void reminders.push(`${view.id} ${reminder.level} ${reminder.what}`),
      },
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      clocks: TEST_CLOCKS,
    });
    relays.push(relay);
    return relay;
  }

  const open = (relay: ReturnType<typeof assembleCases>, n: number) =>
    openCase(relay, { id: `U${n}`, name: `customer${n}` }, 'example.com pop');

  it.skipIf(engine.skip)(
    'lets exactly one of many staff claim a case at once, and one resolve it',
    async () => {
      fresh = await engine.fresh();
      clock = MONDAY;
      const [a, b] = [await replica(), await replica()];
      const view = await open(a, 1);
      const claims = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? a : b).cases.claim({
            key: `discord:c${++events}`,
            staffThread: view.staffThread as string,
            staff: { id: `D${i}`, name: `Staff${i}` },
          }),
        ),
      );
      expect(claims.filter((c) => c.ok)).toHaveLength(1);
      expect(claims.filter((c) => !c.ok).map((c) => !c.ok && c.error)).toEqual(
        Array(11).fill('claimed-by-other'),
      );
      const resolves = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          (i % 2 ? a : b).cases.resolve({
            key: `discord:r${++events}`,
            staffThread: view.staffThread as string,
            staff: { id: `D${i}`, name: `Staff${i}` },
          }),
        ),
      );
      expect(resolves.filter((r) => r.ok)).toHaveLength(1);
    },
  );

  it.skipIf(engine.skip)(
    'takes replies, customer messages, claims, resolves and snoozes on several cases at once without an error',
    async () => {
      fresh = await engine.fresh();
      clock = MONDAY;
      const [a, b] = [await replica(), await replica()];
      // Opened before the outboxes run: a drain of one replica never waits for the other's deliveries.
      const views = [await open(a, 1), await open(a, 2), await open(a, 3)];
      a.cases.start();
      b.cases.start();
      const work: Promise<unknown>[] = [];
      for (let round = 0; round < 10; round++)
        for (const [i, view] of views.entries()) {
          const relay = (round + i) % 2 ? a : b;
          const staff = { id: `D${round % 3}`, name: `Staff${round % 3}` };
          const on = { staffThread: view.staffThread as string, staff };
          work.push(
            relay.cases.staffReply({ key: `discord:${++events}`, ...on, text: `reply ${round}` }),
            relay.cases.customerMessage({
              key: `slack:${++events}`,
              customerThread: view.customerThread as string,
              message: `slack:C1:m${events}`,
              by: { id: `U${i + 1}`, name: `customer${i + 1}` },
              text: `words ${round}`,
            }),
            relay.cases.claim({ key: `discord:${++events}`, ...on, takeover: true }),
            relay.cases.resolve({ key: `discord:${++events}`, ...on }),
            relay.cases.snooze({ key: `discord:${++events}`, ...on, preset: '1h' }),
            relay.clockTick.tick(),
          );
        }
      const results = await Promise.allSettled(work);
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      expect(errors).toEqual([]);
      await a.outbox.drain();
      await b.outbox.drain();
      const messages = await databases[0]?.db.selectFrom('case_messages').select('id').execute();
      expect(messages).toHaveLength(60); // a reply and a customer message per round and case
    },
  );

  it.skipIf(engine.skip)('warns once when two replicas look at the clocks at the same moment', async () => {
    fresh = await engine.fresh();
    clock = MONDAY;
    reminders = [];
    const [a, b] = [await replica(), await replica()];
    const views = [await open(a, 1), await open(a, 2), await open(a, 3), await open(a, 4)];
    clock += 13 * MIN; // 80 % of the first response
    await Promise.all([a.clockTick.tick(), b.clockTick.tick(), a.clockTick.tick(), b.clockTick.tick()]);
    clock += 5 * MIN; // overdue
    await Promise.all([a.clockTick.tick(), b.clockTick.tick(), a.clockTick.tick(), b.clockTick.tick()]);
    await Promise.all([a.outbox.drain(), b.outbox.drain()]);
    await a.outbox.drain();
    expect(reminders.sort()).toEqual(
      views.flatMap((v) => [`${v.id} due-soon first response`, `${v.id} overdue first response`]).sort(),
    );
  });

  it.skipIf(engine.skip)(
    'takes the same interaction once when two replicas get it at the same moment',
    async () => {
      fresh = await engine.fresh();
      clock = MONDAY;
      const [a, b] = [await replica(), await replica()];
      const view = await open(a, 1);
      const event = {
        key: 'discord:same',
        staffThread: view.staffThread as string,
        staff: { id: 'D1', name: 'Dana' },
        text: 'once only',
      };
      const replies = await Promise.all([a, b, a, b].map((relay) => relay.cases.staffReply(event)));
      expect(replies.filter((r) => r.ok)).toHaveLength(1);
      const messages = await databases[0]?.db.selectFrom('case_messages').select('text').execute();
      expect(messages).toEqual([{ text: 'once only' }]);
    },
  );

  it.skipIf(engine.skip)(
    'does not take a rating pressed under an old "Resolved" message once the customer reopened the case',
    async () => {
      fresh = await engine.fresh();
      clock = MONDAY;
      const a = await replica();
      const view = await open(a, 1);
      const on = { staffThread: view.staffThread as string, staff: { id: 'D1', name: 'Dana' } };
      await a.cases.resolve({ key: 'discord:r1', ...on });
      // She writes again: the case is open again, its rating cleared…
      await a.cases.customerMessage({
        key: 'slack:w1',
        customerThread: view.customerThread as string,
        message: 'slack:C1:w1',
        by: { id: 'U1', name: 'customer1' },
        text: 'it broke again',
      });
      // …and then presses Helpful under the earlier "Resolved by Dana" (or the two cross in flight).
      const rated = await a.cases.rate({
        key: 'slack:rate1',
        customerThread: view.customerThread as string,
        customerId: 'U1',
        helpful: true,
      });
      const row = await a.store.byId(view.id);
      expect(row.status).toBe('claimed');
      expect(rated).toEqual({ ok: false, error: 'not-resolved' });
      expect(row.rating).toBeNull();
    },
  );
});
