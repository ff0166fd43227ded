// The support-case store alone, on each engine, the platforms played by no-op ports: customer messages taken
// in, inbox records and outbox deliveries per second, one at a time and 16 in flight, against a one-row INSERT
// of the same body on the same database (part of bench/relay.bench.ts).
import { sql } from 'kysely';
import { type CustomerSide, createInbox, createLogger, openDatabase, type StaffSide } from '../src/index.js';
import { assembleCases } from '../src/testing.js';
import { eventCallback, personMessage } from '../test/support/fake-slack.js';
import { resolverIn, type World } from '../test/support/world.js';
import { durability, type Engine } from './databases.js';
import { ms, perSecond, pool, printTable, type Row, ratio, sample, stats } from './table.js';

/** Cases open at once. */
const CASES = 50;
const CHANNEL = 'C1';
/** Store rows: each gets a turn of at most STORE_CHUNK calls or STORE_MAX_MS in each of STORE_ROUNDS rounds. */
const STORE_ROUNDS = 8;
const STORE_CHUNK = 125;
const STORE_MAX_MS = 2500;
const STORE_WARMUP = 100;
/** One-row commits before anything is timed: SQLite's WAL grows to its checkpoint size (1,000 pages) first. */
const WAL_FILL = 1500;
const IN_FLIGHT = 16;

/** Both platforms in memory, answering at once (as test/cases/cases.test.ts plays them). */
function noOpPorts(): { customer: CustomerSide; staff: StaffSide } {
  let n = 0;
  const id = async () => String(++n);
  const ts = async () => `${1_700_000_000 + ++n}.000100`;
  return {
    customer: {
      name: 'Slack',
      threadLink: () => undefined,
      openThread: ts,
      postReply: ts,
      postSettings: ts,
      postResolved: ts,
      postNotice: ts,
      tellPrivately: async () => {},
    },
    staff: {
      name: 'Discord',
      createPost: id,
      updateStatus: async () => {},
      postCustomerMessage: id,
      editCustomerMessage: async (_view, copy) => copy,
      markDeleted: async () => {},
      postNote: async () => {},
      postSent: async () => {},
      remind: async () => {},
    },
  };
}

async function storeOn(engine: Engine, world: World): Promise<{ rows: Row[]; note: string }> {
  const fresh = await engine.fresh();
  const database = await openDatabase(fresh.url);
  try {
    const { db } = database;
    await sql`CREATE TABLE bench_floor (n INTEGER NOT NULL, body TEXT NOT NULL)`.execute(db);
    const { cases, outbox, store } = assembleCases({
      database,
      ...noOpPorts(),
      resolver: resolverIn(world),
      log: createLogger(() => {}),
    });
    const threads: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const opened = await cases.open({
        place: `slack:${CHANNEL}`,
        customerId: `U${i}`,
        customerName: `customer${i}`,
        question: 'example.com pop',
      });
      if (!opened.ok) throw new Error('case not opened');
      await outbox.drain();
      threads.push(String((await store.byId(opened.value.id)).customer_thread));
    }
    const inbox = createInbox(db);
    // What the inbox stores for each Slack message event: its whole JSON body.
    const body = eventCallback(
      personMessage('Still failing', { channel: CHANNEL, user: 'U0', threadTs: threads[0] }),
    );
    let n = 0;
    const jobs = {
      'baseline: one-row INSERT (same body)': async () => {
        await sql`INSERT INTO bench_floor (n, body) VALUES (${n++}, ${body})`.execute(db);
      },
      'inbox.record()': async () => {
        await inbox.record(`slack:Ev${n++}`, body);
      },
      'cases.customerMessage()': async () => {
        const i = n++;
        const taken = await cases.customerMessage({
          key: `slack:EvM${i}`,
          customerThread: threads[i % CASES] as string,
          message: `slack:${CHANNEL}:${1_800_000_000 + i}.000100`,
          by: { id: `U${i % CASES}`, name: `customer${i % CASES}` },
          text: 'Still failing',
        });
        if (!taken.ok) throw new Error(`customer message not taken: ${taken.error}`);
      },
    };
    const delivered = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('state', '=', 'done')
            .executeTakeFirstOrThrow()
        ).n,
      );
    type Job = keyof typeof jobs;
    const names = Object.keys(jobs) as Job[];
    // Until the WAL has reached its size, each commit also grows the file, which costs more than the steady state.
    await sample(jobs['baseline: one-row INSERT (same body)'], { count: WAL_FILL, maxMs: 20_000 });
    const rows: Row[] = [];
    for (const inFlight of [1, IN_FLIGHT]) {
      for (const name of names) await pool(STORE_WARMUP, inFlight, STORE_MAX_MS, jobs[name]); // JIT; not counted
      await outbox.drain();
      const totals = new Map(names.map((name) => [name, { times: [] as number[], wallMs: 0 }]));
      const deliveries = { count: 0, wallMs: 0 };
      // Every row takes a turn in each round, in an order that rotates, so they share the machine's drift.
      for (let round = 0; round < STORE_ROUNDS; round++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(k + round) % names.length] as Job;
          const chunk =
            inFlight === 1
              ? await sample(jobs[name], { count: STORE_CHUNK, maxMs: STORE_MAX_MS })
              : await pool(STORE_CHUNK, inFlight, STORE_MAX_MS, jobs[name]);
          const total = totals.get(name) as { times: number[]; wallMs: number };
          total.times.push(...chunk.times);
          total.wallMs += chunk.wallMs;
        }
        // What this round's customer messages stored: one relay row each, delivered 16 cases at a time.
        const before = await delivered();
        const started = performance.now();
        await outbox.drain();
        deliveries.wallMs += performance.now() - started;
        deliveries.count += (await delivered()) - before;
      }
      const baseline = totals.get(names[0] as Job) as { times: number[]; wallMs: number };
      const baseRate = (baseline.times.length / baseline.wallMs) * 1000;
      for (const [what, total] of totals) {
        const s = stats(total.times);
        const rate = (s.n / total.wallMs) * 1000;
        rows.push({
          engine: engine.name,
          what,
          'in flight': inFlight,
          n: s.n,
          'per second': perSecond(rate),
          p50: ms(s.p50),
          p99: ms(s.p99),
          'vs baseline': ratio(rate / baseRate),
        });
      }
      const rate = (deliveries.count / deliveries.wallMs) * 1000;
      rows.push({
        engine: engine.name,
        what: 'outbox deliveries (drain)',
        'in flight': `${IN_FLIGHT} cases`,
        n: deliveries.count,
        'per second': perSecond(rate),
        p50: '-',
        p99: '-',
        'vs baseline': ratio(rate / baseRate),
      });
    }
    return { rows, note: await durability(db, database.engine) };
  } finally {
    await database.close();
    await fresh.drop();
  }
}

export async function benchRelayStore(engines: Engine[], world: World): Promise<void> {
  const storeRows: Row[] = [];
  const storeNotes: string[] = [];
  for (const engine of engines) {
    const { rows, note } = await storeOn(engine, world);
    storeRows.push(...rows);
    storeNotes.push(note);
  }
  printTable(
    `Store throughput (${STORE_ROUNDS} rounds of at most ${STORE_CHUNK} calls or ${STORE_MAX_MS / 1000} s per row; ${CASES} open cases, no-op platform ports)`,
    storeRows,
    `${storeNotes.join('\n')}\n"vs baseline" compares per-second rates with the baseline row of the same engine and in-flight count.`,
  );
}
