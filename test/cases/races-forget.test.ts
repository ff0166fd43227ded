// Races between the customer's side (a message, its edit), data care (forget) and the outbox, on both
// engines. Each race is held open with a gate (a name lookup that waits, a delivery that waits, or on
// PostgreSQL a table lock held by the test), so the interleaving is the same every run.
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CaseView, createLeadDesk, createLogger, type Database, openDatabase } from '../../src/index.js';
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

const _MIN = 60_000;
const DANA = { id: 'D1', name: 'Dana' };
const ALICE = { id: 'U1', name: 'alice' };
const BOB = { id: 'U2', name: 'bob' };
const MONDAY = Date.parse('2026-12-07T09:00:00Z');

function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  let reached: () => void = () => {};
  const arrived = new Promise<void>((resolve) => {
    reached = resolve;
  });
  return {
    /** Waits at the gate (telling the test it got there). */
    async pass() {
      reached();
      await opened;
    },
    arrived,
    open,
  };
}

describe.each(testEngines())('races with data care on $name', (engine) => {
  let fresh: TestDatabase;
  let database: Database;
  let relay: ReturnType<typeof assembleCases>;
  let io: ReturnType<typeof memorySides>;
  let events = 0;
  const clock = MONDAY;
  /** What the staff side was asked to show, in order. */
  let shown: string[];

  afterEach(async () => {
    await relay?.cases.stop();
    await database?.close();
    await fresh?.drop();
  });

  async function setUp(staff: (played: typeof io.staff) => typeof io.staff = (played) => played) {
    fresh = await engine.fresh();
    database = await openDatabase(fresh.url);
    io = memorySides();
    shown = [];
    const played = staff(io.staff);
    relay = assembleCases({
      database,
      customer: io.customer,
      staff: {
        ...played,
        postCustomerMessage: async (view, message, parts) => {
          shown.push(`post ${message.text}`);
          return played.postCustomerMessage(view, message, parts);
        },
        editCustomerMessage: async (view, copy, message, key) => {
          shown.push(`edit ${message.text}`);
          return played.editCustomerMessage(view, copy, message, key);
        },
      },
      resolver: resolverIn(world),
      log: createLogger(() => {}),
      now: () => clock,
      clocks: TEST_CLOCKS,
    });
  }
  const lead = () =>
    createLeadDesk({
      database,
      clocks: TEST_CLOCKS,
      log: createLogger(() => {}),
      now: () => clock,
    });
  const open = (customer: { id: string; name: string }, question: string) =>
    openCase(relay, customer, question);
  const writes = (view: CaseView, by: { id: string; name: string }, text: string, message?: string) =>
    relay.cases.customerMessage({
      key: `slack:e${++events}`,
      customerThread: view.customerThread as string,
      message: message ?? `slack:C1:m${events}`,
      by,
      text,
    });
  /** Alice edits a message in Bob's thread; her name is looked up (a Slack users.info call) behind `naming`. */
  function aliceEdits(bobs: CaseView, message: string, text: string) {
    const naming = gate();
    const editing = relay.cases.customerChanged({
      key: `slack:edit-${message}`,
      customerThread: bobs.customerThread as string,
      message,
      by: {
        id: ALICE.id,
        name: async () => {
          await naming.pass();
          return ALICE.name;
        },
      },
      text,
    });
    return { naming, editing };
  }
  async function everything(): Promise<string> {
    const tables = ['cases', 'case_messages', 'outbox', 'inbox', 'case_activity'] as const;
    return JSON.stringify(
      await Promise.all(tables.map((table) => database.db.selectFrom(table).selectAll().execute())),
    );
  }

  it.skipIf(engine.skip)(
    'applies an edit that Slack delivers while its message is being taken in (someone else in the thread)',
    async () => {
      await setUp();
      const bobs = await open(BOB, 'example.org imap');
      // The edit comes first: its author's name is looked up (a Slack users.info call) while the message arrives.
      const { naming, editing } = aliceEdits(bobs, 'slack:C1:race1', 'same problem here, EDITED');
      await naming.arrived;
      const message = writes(bobs, ALICE, 'same problem here', 'slack:C1:race1');
      naming.open();
      await editing;
      expect((await message).ok).toBe(true);
      await relay.outbox.drain();
      // Staff end up seeing the message as it reads now (posted so, or posted then edited).
      expect(shown.at(-1)).toMatch(/^(post|edit) same problem here, EDITED$/);
    },
  );

  it.skipIf(engine.skip)(
    'writes nothing of a forgotten customer’s words back when their edit was under way as they were forgotten',
    async () => {
      await setUp();
      const bobs = await open(BOB, 'example.org imap');
      await writes(bobs, ALICE, 'EDITWORDS alice here', 'slack:C1:race2');
      await relay.outbox.drain();
      const { naming, editing } = aliceEdits(bobs, 'slack:C1:race2', 'EDITWORDS alice here, changed');
      await naming.arrived;
      await lead().forget(ALICE.id);
      shown.length = 0;
      naming.open();
      await editing;
      await relay.outbox.drain();
      expect.soft(shown, 'posted to staff after forgetting').toEqual([]);
      expect(await everything()).not.toContain('EDITWORDS');
    },
  );

  it.skipIf(engine.skip)(
    'sends none of a forgotten customer’s words that were still waiting when they were forgotten',
    async () => {
      let hold = false;
      const first = gate();
      await setUp((played) => ({
        ...played,
        postCustomerMessage: async (...args: Parameters<typeof played.postCustomerMessage>) => {
          if (hold) {
            hold = false;
            await first.pass();
          }
          return played.postCustomerMessage(...args);
        },
      }));
      const view = await open(ALICE, 'example.com pop');
      await writes(view, ALICE, 'FIRSTWORDS my mail');
      await writes(view, ALICE, 'SECONDWORDS still broken');
      await writes(view, ALICE, 'THIRDWORDS please help');
      hold = true;
      const delivering = relay.outbox.drain();
      await first.arrived; // the first is on its way to Discord
      await lead().forget(ALICE.id);
      shown.length = 0;
      first.open();
      await delivering;
      await relay.outbox.drain();
      // The outbox held the other two when she was forgotten: deleted, so never sent.
      expect(shown).toEqual([]);
    },
  );

  // Only PostgreSQL runs two transactions at once (SQLite's one connection takes them in turn): there only.
  if (engine.name === 'postgres')
    it.skipIf(engine.skip)(
      'closes, and erases, a case its customer reopens while they are being forgotten',
      async () => {
        await setUp();
        const view = await open(ALICE, 'example.com pop');
        await relay.cases.resolve({
          key: 'discord:r1',
          staffThread: view.staffThread as string,
          staff: DANA,
        });
        await relay.outbox.drain();
        const admin = new pg.Client({ connectionString: fresh.url });
        await admin.connect();
        const probe = new pg.Client({ connectionString: fresh.url });
        await probe.connect();
        try {
          const waiting = async (n: number) => {
            for (let i = 0; i < 500; i++) {
              const { rows } = await probe.query<{ n: number }>(
                `SELECT count(*)::int AS n FROM pg_stat_activity
                 WHERE datname = current_database() AND wait_event_type = 'Lock'`,
              );
              if ((rows[0]?.n ?? 0) >= n) return;
              await new Promise((resolve) => setTimeout(resolve, 10));
            }
            throw new Error(`never ${n} waiting`);
          };
          // Hold the customer's transaction after it locked and reopened the case, before it commits.
          await admin.query('BEGIN');
          await admin.query('LOCK TABLE case_activity IN SHARE MODE');
          const reopening = writes(view, ALICE, 'REOPENWORDS it broke again');
          await waiting(1);
          const forgetting = lead().forget(ALICE.id);
          await waiting(2); // forget waits for the case row
          await admin.query('COMMIT');
          await reopening;
          await forgetting;
        } finally {
          await admin.end();
          await probe.end();
        }
        const row = await relay.store.byId(view.id);
        expect.soft(row.status, 'a forgotten customer’s case stays open').toBe('resolved');
        const kept = await everything();
        expect.soft(kept, 'their words').not.toContain('REOPENWORDS');
        expect(kept, 'their id').not.toContain('"U1"');
      },
    );
});
