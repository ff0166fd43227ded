// The case core on SQLite with sides that record the thread each call went to: an outage never closes a case
// or puts its messages at the top of the channel, a long reply's part taken while the database was away is not
// posted again, and a case staff cannot see keeps no clocks running.
import { sql } from 'kysely';
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
import { assembleCases, type Parts, toView } from '../../src/testing.js';
import { TEST_CLOCKS } from '../support/case-state.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
beforeAll(async () => {
  world = await startWorld({ records: [] });
});
afterAll(() => world?.close());

const DANA = { id: 'D1', name: 'Dana' };
const ALICE = { id: 'U1', name: 'alice' };

/** Both sides in memory, recording each call with the thread it was made in. */
function recordingSides() {
  const sent: string[] = [];
  let n = 0;
  const down = { slack: undefined as Error | undefined, discord: undefined as Error | undefined };
  const hooks: { afterPart?: () => Promise<void> } = {};
  const slack = (view: CaseView, line: string) => {
    if (down.slack) throw down.slack;
    sent.push(`slack [${view.customerThread ?? 'NO THREAD: top level of the channel'}] ${line}`);
    return `slack:C1:${1_700_000_000 + ++n}.000100`;
  };
  const discord = (line: string) => {
    if (down.discord) throw down.discord;
    sent.push(`discord ${line}`);
    return `discord:${++n}`;
  };
  const customer: CustomerSide = {
    name: 'Slack',
    threadLink: () => undefined,
    openThread: async (view) => slack(view, `open case ${view.id}`),
    // A text with `|` in it takes one message per piece, as a long one does.
    postReply: async (view, reply, parts: Parts) => {
      const posted = [...parts.done];
      for (const piece of reply.text.split('|').slice(posted.length)) {
        posted.push(slack(view, `reply ${reply.author}: ${piece}`));
        await hooks.afterPart?.();
        await parts.record(posted.at(-1) as string);
      }
      return posted[0] as string;
    },
    postSettings: async (view, _answer, staff) => slack(view, `settings by ${staff}`),
    postResolved: async (view, staff) => slack(view, `resolved by ${staff}`),
    postNotice: async (view, text) => slack(view, `notice: ${text}`),
    tellPrivately: async (view, text) => void slack(view, `privately: ${text}`),
  };
  const staff: StaffSide = {
    name: 'Discord',
    createPost: async (view) => discord(`post ${view.id}`),
    updateStatus: async (view) => void discord(`status ${view.status}`),
    postCustomerMessage: async (_view, message) => discord(`message ${message.author}: ${message.text}`),
    editCustomerMessage: async (_view, copy, message) => {
      discord(`edit ${copy} ${message.text}`);
      return copy;
    },
    markDeleted: async (_view, copy) => void discord(`deleted ${copy}`),
    postNote: async (_view, text) => void discord(`note ${text}`),
    postSent: async () => {},
    remind: async (_view, { level, what }) => void discord(`remind ${level} ${what}`),
  };
  return { sent, down, hooks, customer, staff };
}

const [sqlite] = testEngines();

describe('the case core', () => {
  let fresh: TestDatabase;
  let database: Database;
  let parts: ReturnType<typeof assembleCases>;
  let clock: number;
  let io: ReturnType<typeof recordingSides>;
  let events = 0;

  async function setUp() {
    fresh = await (sqlite as NonNullable<typeof sqlite>).fresh();
    clock = 1_000_000;
    io = recordingSides();
    database = await openDatabase(fresh.url);
    parts = assembleCases({
      database,
      customer: io.customer,
      staff: io.staff,
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      clocks: TEST_CLOCKS,
      warnAfterMs: 60_000,
    });
  }
  afterEach(async () => {
    await database?.close();
    await fresh?.drop();
  });
  const drain = () => parts.outbox.drain();
  /** Alice asks for a person in C1: her case's id (nothing delivered yet). */
  async function ask(question: string): Promise<number> {
    const opened = await parts.cases.open({
      place: 'slack:C1',
      customerId: ALICE.id,
      customerName: ALICE.name,
      question,
    });
    if (!opened.ok) throw new Error('not opened');
    return opened.value.id;
  }
  const staffEvent = (view: CaseView, staff = DANA) => ({
    key: `discord:${++events}`,
    staffThread: view.staffThread as string,
    staff,
  });

  it('never posts a case message at the top level of the channel when the thread could not be opened', async () => {
    await setUp();
    const id = await ask('alice@example.com pop');
    // Slack answers 503 for a while: the staff post exists, the customer's thread does not yet.
    io.down.slack = new Error('503 service unavailable');
    await drain();
    const view = toView(await parts.store.byId(id));
    expect(view.staffThread).not.toBeNull();
    expect(view.customerThread).toBeNull();
    // Staff see the post and answer meanwhile.
    await parts.cases.claim(staffEvent(view));
    await parts.cases.staffReply({
      ...staffEvent(view),
      text: 'Your password for alice@example.com is wrong',
    });
    // Slack stays down through the outbox's tries (about ten minutes), then comes back.
    for (let i = 0; i < 20; i++) {
      clock += 61_000;
      await drain();
    }
    io.down.slack = undefined;
    for (let i = 0; i < 3; i++) {
      clock += 61_000;
      await drain();
    }
    // Nothing meant for the customer's thread may land at the top of the channel, where everyone reads it: only
    // the "asked for help" message that starts the thread is posted there, and then all goes into the thread.
    expect(
      io.sent.filter((line) => line.includes('NO THREAD') && !line.endsWith(`open case ${view.id}`)),
    ).toEqual([]);
    expect(io.sent.filter((line) => line.includes('reply Dana'))).toHaveLength(1);
    // Staff were told the thread was not there yet, and then that it was.
    expect(
      io.sent.filter((line) =>
        /note (Not delivered|Delivered) to the customer( yet| now): the message that starts/.test(line),
      ),
    ).toHaveLength(2);
    expect((await parts.store.byId(view.id)).status).not.toBe('resolved');
  });

  it('does not post a part of a long reply again when the database was away as Slack took it', async () => {
    await setUp();
    const id = await ask('example.com pop');
    await drain();
    const view = toView(await parts.store.byId(id));
    // The database goes away just after Slack took the first part of a long reply.
    let once = true;
    io.hooks.afterPart = async () => {
      if (!once) return;
      once = false;
      await sql`ALTER TABLE outbox RENAME TO outbox_away`.execute(database.db);
    };
    await parts.cases.staffReply({ ...staffEvent(view), text: 'part one|part two' });
    await drain().catch(() => {});
    // …and comes back.
    io.hooks.afterPart = undefined;
    await sql`ALTER TABLE outbox_away RENAME TO outbox`.execute(database.db);
    for (let i = 0; i < 3; i++) {
      clock += 61_000;
      await drain();
    }
    const replies = io.sent.filter((line) => line.includes('reply Dana'));
    expect(replies).toEqual([
      expect.stringContaining('reply Dana: part one'),
      expect.stringContaining('reply Dana: part two'),
    ]);
  });

  it('keeps no clocks running on a case whose post Discord refused for good', async () => {
    await setUp();
    io.down.discord = new DeliveryRefused('Missing Permissions');
    const id = await ask('example.com pop');
    await drain(); // refused; nobody follows the form (the bot restarted)
    clock += 61_000;
    await drain(); // the customer is told privately that it did not get through
    io.down.discord = undefined;
    // Hours go by: the first response and the resolution come due on a case no staff member can ever see.
    for (let i = 0; i < 10; i++) {
      clock += 30 * 60_000;
      await parts.clockTick.tick();
      await drain();
    }
    const queued = await database.db
      .selectFrom('outbox')
      .select(['payload', 'state', 'last_error'])
      .where('case_id', '=', id)
      .where('target', '=', 'staff')
      .execute();
    expect(queued.filter((row) => row.payload.includes('remind'))).toEqual([]);
  });
});
