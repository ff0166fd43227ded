// A forgotten customer's case stays closed (docs/cases.md, "Forgetting a customer": "a case still open is closed
// (nobody could answer a customer the bot no longer knows)"): Claim, Hand over, a reply or settings in its post
// are refused, so its clocks never run again and nothing is sent to the tombstone that stands for the customer.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLeadDesk, createLogger, type Database, openDatabase } from '../../src/index.js';
import { assembleCases } from '../../src/testing.js';
import { TEST_CLOCKS } from '../support/case-state.js';
import { migratedSqlite, type TestDatabase } from '../support/databases.js';
import { memorySides } from '../support/memory-sides.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

const MIN = 60_000;
const DANA = { id: 'D1', name: 'Dana' };
const ALICE = { id: 'U1', name: 'alice' };

let world: World;
beforeAll(async () => {
  world = await startWorld({ records: [] });
});
afterAll(() => world?.close());

describe('a forgotten customer’s case', () => {
  let fresh: TestDatabase;
  let database: Database;
  let relay: ReturnType<typeof assembleCases>;
  let clock = Date.parse('2026-12-07T09:00:00Z');
  let events = 0;
  const notices: string[] = [];

  afterEach(async () => {
    await relay?.cases.stop();
    await database?.close();
    await fresh?.drop();
  });

  async function forgottenCase() {
    fresh = await migratedSqlite();
    database = await openDatabase(fresh.url);
    const io = memorySides();
    relay = assembleCases({
      database,
      customer: {
        ...io.customer,
        postNotice: async (view, text) => {
          notices.push(`${view.customerPlace}: ${text}`);
          return 'slack:C1:1.1';
        },
      },
      staff: io.staff,
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      clocks: TEST_CLOCKS,
    });
    const opened = await relay.cases.open({
      place: 'slack:C1',
      customerId: ALICE.id,
      customerName: ALICE.name,
      question: 'alice@example.com pop',
    });
    if (!opened.ok) throw new Error('not opened');
    await relay.outbox.drain();
    const row = await relay.store.byId(opened.value.id);
    const lead = createLeadDesk({
      database,
      clocks: TEST_CLOCKS,
      log: createLogger(() => {}),
      now: () => clock,
    });
    clock += MIN;
    await lead.forget(ALICE.id);
    await relay.outbox.drain();
    notices.length = 0;
    return { id: row.id, staffThread: row.staff_thread as string };
  }

  it('is closed by forgetting (guard)', async () => {
    const { id } = await forgottenCase();
    expect((await relay.store.byId(id)).status).toBe('resolved');
  });

  it('is not opened again by Claim in its post, and nobody is told anything', async () => {
    const { id, staffThread } = await forgottenCase();
    clock += MIN;
    await relay.cases.claim({ key: `discord:${++events}`, staffThread, staff: DANA });
    await relay.outbox.drain();
    expect(notices).toEqual([]);
    expect((await relay.store.byId(id)).status).toBe('resolved');
  });

  it('is not opened again by a staff reply in its post', async () => {
    const { id, staffThread } = await forgottenCase();
    clock += MIN;
    await relay.cases.staffReply({ key: `discord:${++events}`, staffThread, staff: DANA, text: 'Hello?' });
    await relay.outbox.drain();
    const row = await relay.store.byId(id);
    expect(row.status).toBe('resolved');
    // Otherwise three days later the bot "asks" the tombstone whether it still needs help.
    clock += 3 * 24 * 60 * MIN;
    await relay.clockTick.tick();
    await relay.outbox.drain();
    expect(notices).toEqual([]);
  });
});
