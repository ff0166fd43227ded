// The outbox's own rules on both database engines, with a clock the test controls and deliveries played by a
// function that records them (and fails on demand): only due rows are read, each case gets its turn however
// many rows are stuck, a delivery that keeps failing is recorded as failed after its last try (whoever waits is
// told, for either side) and its case goes on, and a replica killed mid-delivery holds nothing.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Delivery, Outgoing } from '../../src/cases/deliveries.js';
import { toCustomer, toStaff } from '../../src/cases/deliveries.js';
import { createOutbox } from '../../src/cases/outbox.js';
import { createOutboxStore, enqueue } from '../../src/cases/outbox-store.js';
import { type Database, DeliveryRefused, openDatabase, PlatformAway } from '../../src/index.js';
import type { OutboxRow } from '../../src/store/schema.js';
import { type TestDatabase, testEngines } from '../support/databases.js';

const QUIET = { info: () => {}, warn: () => {}, error: () => {} };
const ROOT = new URL('../..', import.meta.url).pathname;

describe.each(testEngines())('the outbox on $name', (engine) => {
  let fresh: TestDatabase | undefined;
  let database: Database | undefined;
  let clock = 1_000_000;
  let customers = 0;
  const now = () => clock;

  afterEach(async () => {
    await database?.close();
    await fresh?.drop();
    database = fresh = undefined;
  });

  async function setUp(): Promise<Database> {
    fresh = await (engine as NonNullable<typeof engine>).fresh();
    database = await openDatabase(fresh.url);
    clock = 1_000_000;
    return database;
  }

  /** `count` cases, each with what it has to send; their ids. */
  async function addCases(db: Database, count: number, outgoing: Outgoing[]): Promise<number[]> {
    const cases = Array.from({ length: count }, () => ++customers).map((n) => ({
      status: 'new' as const,
      customer_place: 'slack:C1',
      customer_thread: `slack:C1:${clock}.${n}`,
      customer_id: `U${n}`,
      customer_name: `customer ${n}`,
      question: 'example.com',
      created_at: clock,
      updated_at: clock,
    }));
    const ids = (await db.db.insertInto('cases').values(cases).returning('id').execute()).map(
      (row) => row.id,
    );
    for (const id of ids) await enqueue(db.db, id, outgoing, clock);
    return ids;
  }

  /** An outbox whose deliveries `deliver` plays; `told` is what its trouble callback heard. */
  function outboxOn(
    db: Database,
    deliver: (row: OutboxRow, delivery: Delivery) => Promise<void>,
    options: { statusDelayMs?: number; pollMs?: number; maxAttempts?: number } = {},
  ) {
    const told: string[] = [];
    const outbox = createOutbox({
      rows: createOutboxStore(db.db, now, db.locks),
      deliver,
      trouble: async (row, delivery, state, error) => {
        told.push(`${state} ${row.target} ${delivery.kind}${error ? `: ${error}` : ''}`);
      },
      log: QUIET,
      now,
      ...options,
    });
    return { outbox, told };
  }

  const describeDelivery = (row: OutboxRow, delivery: Delivery) =>
    `${row.case_id} ${delivery.kind}${'text' in delivery ? ` ${delivery.text}` : ''}`;

  it.skipIf(engine.skip)('gives a new case its turn while hundreds of stuck rows wait', async () => {
    const db = await setUp();
    // 300 cases whose post Discord keeps refusing, each with a message waiting behind it.
    const stuck = new Set(
      await addCases(db, 300, [toStaff({ kind: 'create-post' }), toStaff({ kind: 'note', text: 'behind' })]),
    );
    const tried: number[] = [];
    const sent: string[] = [];
    const { outbox } = outboxOn(db, async (row, delivery) => {
      if (stuck.has(row.case_id)) {
        tried.push(row.id);
        throw new Error('Discord said no');
      }
      sent.push(describeDelivery(row, delivery));
    });
    await outbox.drain();
    expect(tried).toHaveLength(300); // each stuck case's first row, once; nothing behind them
    const [newCase] = await addCases(db, 1, [
      toCustomer({ kind: 'open-thread' }),
      toStaff({ kind: 'create-post' }),
    ]);
    await outbox.drain();
    expect(sent.sort()).toEqual([`${newCase} create-post`, `${newCase} open-thread`]);
    expect(tried).toHaveLength(300); // none of the stuck rows was due again yet, so none was read
    clock += 1000; // their first retry comes due
    await outbox.drain();
    expect(tried).toHaveLength(600);
    expect(new Set(tried).size).toBe(300);
  });

  it.skipIf(engine.skip)(
    'records a delivery as failed after its last try, tells either side, and goes on with the case',
    async () => {
      const db = await setUp();
      const [id] = await addCases(db, 1, [
        toStaff({ kind: 'note', text: 'first' }),
        toStaff({ kind: 'note', text: 'second' }),
        toCustomer({ kind: 'resolved', staff: 'Dana' }),
        toCustomer({ kind: 'settings', question: 'example.com', staff: 'Dana' }),
      ]);
      const sent: string[] = [];
      const { outbox, told } = outboxOn(db, async (row, delivery) => {
        if ((delivery.kind === 'note' && delivery.text === 'first') || delivery.kind === 'resolved')
          throw new Error('400 a refusal the side does not know');
        sent.push(describeDelivery(row, delivery));
      });
      for (let attempt = 1; attempt < 16; attempt++) {
        await outbox.drain();
        clock += 61_000;
      }
      expect(sent).toEqual([]); // nothing overtakes the message before it
      expect(told.sort()).toEqual([
        'late customer resolved: 400 a refusal the side does not know',
        'late staff note: 400 a refusal the side does not know',
      ]);
      await outbox.drain(); // the 16th try
      expect(sent.sort()).toEqual([`${id} note second`, `${id} settings`]);
      expect(told.slice(2).sort()).toEqual([
        'refused customer resolved: gave up after 16 tries: 400 a refusal the side does not know',
        'refused staff note: gave up after 16 tries: 400 a refusal the side does not know',
      ]);
      const failed = await db.db
        .selectFrom('outbox')
        .select(['state', 'attempts'])
        .where('state', '=', 'failed')
        .execute();
      expect(failed).toEqual([
        { state: 'failed', attempts: 16 },
        { state: 'failed', attempts: 16 },
      ]);
    },
  );

  it.skipIf(engine.skip)(
    'tries a delivery while its platform is away, past the tries a refusal gets, and delivers it once it is back',
    async () => {
      const db = await setUp();
      const [id] = await addCases(db, 1, [toStaff({ kind: 'note', text: 'written during the outage' })]);
      let away = true;
      const sent: string[] = [];
      // Three tries for a refusal the side does not know; more than that while the platform is away.
      const { outbox, told } = outboxOn(
        db,
        async (row, delivery) => {
          if (away) throw new PlatformAway('Discord: 503 Service Unavailable');
          sent.push(describeDelivery(row, delivery));
        },
        { maxAttempts: 3 },
      );
      for (let attempt = 1; attempt <= 5; attempt++) {
        await outbox.drain();
        clock += 61_000;
      }
      expect(told).toEqual(['late staff note: Discord: 503 Service Unavailable']); // told it is late, once
      away = false;
      await outbox.drain();
      expect(sent).toEqual([`${id} note written during the outage`]);
    },
  );

  it.skipIf(engine.skip)(
    'gives a delivery up after a day of its platform away, tells it, and goes on with the case',
    async () => {
      const db = await setUp();
      const [id] = await addCases(db, 1, [
        toStaff({ kind: 'note', text: 'only this payload fails' }),
        toStaff({ kind: 'note', text: 'after it' }),
      ]);
      const sent: string[] = [];
      const { outbox, told } = outboxOn(
        db,
        async (row, delivery) => {
          if (delivery.kind === 'note' && delivery.text.startsWith('only'))
            throw new PlatformAway('Slack: internal_error');
          sent.push(describeDelivery(row, delivery));
        },
        { maxAttempts: 3 },
      );
      for (let attempt = 1; attempt <= 3; attempt++) {
        await outbox.drain();
        clock += 61_000;
      }
      expect(sent).toEqual([]); // still waited for after the tries a refusal gets
      clock += 24 * 60 * 60 * 1000; // a day later, the next try
      await outbox.drain();
      expect(told).toEqual([
        'late staff note: Slack: internal_error',
        'refused staff note: gave up after 4 tries: Slack: internal_error',
      ]);
      expect(sent).toEqual([`${id} note after it`]);
    },
  );

  it.skipIf(engine.skip)('records a refusal for good at once and goes on with the case', async () => {
    const db = await setUp();
    const [id] = await addCases(db, 1, [
      toStaff({ kind: 'note', text: 'blocked by AutoMod' }),
      toStaff({ kind: 'note', text: 'after it' }),
    ]);
    const sent: string[] = [];
    const { outbox, told } = outboxOn(db, async (row, delivery) => {
      if (delivery.kind === 'note' && delivery.text === 'blocked by AutoMod')
        throw new DeliveryRefused('Message was blocked by automatic moderation');
      sent.push(describeDelivery(row, delivery));
    });
    await outbox.drain();
    expect(sent).toEqual([`${id} note after it`]);
    expect(told).toEqual(['refused staff note: Message was blocked by automatic moderation']);
  });

  it.skipIf(engine.skip)('lets the next replica deliver at once what a killed one was sending', async () => {
    const db = await setUp();
    const [id] = await addCases(db, 1, [toStaff({ kind: 'note', text: 'mid-delivery' })]);
    // Another replica takes the row and dies (SIGKILL) before the platform answered.
    const replica = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/support/outbox-child.ts', (fresh as TestDatabase).url, String(clock)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      replica.stdout?.on('data', (chunk) => String(chunk).includes('delivering') && resolve());
      replica.once('exit', (code) => reject(new Error(`the replica exited (${code}) before delivering`)));
    });
    const gone = new Promise((resolve) => replica.once('exit', resolve));
    replica.kill('SIGKILL');
    await gone;
    const sent: string[] = [];
    const { outbox } = outboxOn(db, async (row, delivery) => void sent.push(describeDelivery(row, delivery)));
    // Same clock: a lease the dead replica took would still run for a minute. PostgreSQL notices the closed
    // connection within moments.
    await expect
      .poll(
        async () => {
          await outbox.drain();
          return sent;
        },
        { timeout: 5000, interval: 50 },
      )
      .toEqual([`${id} note mid-delivery`]);
  });

  it.skipIf(engine.skip)(
    'delivers a case the moment it is woken, while another case is still being sent',
    async () => {
      const db = await setUp();
      const [slow] = await addCases(db, 1, [toStaff({ kind: 'note', text: 'slow' })]);
      const sent: string[] = [];
      let answer: (() => void) | undefined;
      const { outbox } = outboxOn(
        db,
        async (row, delivery) => {
          if (row.case_id === slow) await new Promise<void>((resolve) => (answer = resolve));
          sent.push(describeDelivery(row, delivery));
        },
        { pollMs: 60_000 }, // only the start's look and the wake below
      );
      outbox.start();
      try {
        await expect.poll(() => answer).toBeDefined(); // the slow case's send is under way
        const [quick] = await addCases(db, 1, [toStaff({ kind: 'note', text: 'quick' })]);
        outbox.wake([{ caseId: quick as number, target: 'staff' }]);
        await expect.poll(() => sent).toEqual([`${quick} note quick`]);
        answer?.();
        await expect.poll(() => sent).toEqual([`${quick} note quick`, `${slow} note slow`]);
      } finally {
        answer?.();
        await outbox.stop();
      }
    },
  );

  it.skipIf(engine.skip)("lets a case's text go before its status updates until they are due", async () => {
    const db = await setUp();
    const [id] = await addCases(db, 1, [
      toStaff({ kind: 'relay', messageId: 1, author: 'alice', text: 'first' }),
      toStaff({ kind: 'status' }),
    ]);
    await enqueue(db.db, id as number, [toStaff({ kind: 'status' })], clock + 10);
    await enqueue(
      db.db,
      id as number,
      [toStaff({ kind: 'relay', messageId: 2, author: 'alice', text: 'second' })],
      clock + 10,
    );
    const sent: string[] = [];
    const { outbox } = outboxOn(
      db,
      async (row, delivery) => void sent.push(describeDelivery(row, delivery)),
      {
        statusDelayMs: 1000,
      },
    );
    clock += 10;
    await outbox.drain();
    expect(sent).toEqual([`${id} relay first`, `${id} relay second`]);
    clock += 1000;
    await outbox.drain();
    expect(sent.slice(2)).toEqual([`${id} status`, `${id} status`]);
  });
});
