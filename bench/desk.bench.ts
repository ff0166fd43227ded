// The agent's desk against a store with many cases: /cases open, /cases find by domain (a scan of the
// questions, the costliest query) and by customer, and a saved reply filled in for a case, each timed as the
// core runs it for an interaction that must be answered within Discord's 3 s. Baseline: finding a case by its
// post (what every button on a case does), on the same database in the same run. SQLite, and PostgreSQL when
// a server is at hand (as bench/relay.bench.ts finds one).
import { type CustomerSide, createLogger, openDatabase, type StaffSide } from '../src/index.js';
import { assembleCases } from '../src/testing.js';
import { resolverIn, startWorld } from '../test/support/world.js';
import { databaseEngines } from './relay.bench.js';
import { ms, printTable, type Row, ratio, sample, stats } from './table.js';

const SIZES = [1_000, 50_000];
const DOMAINS = 2_000;
const CUSTOMERS = 10_000;
const ROUNDS = { count: 200, maxMs: 5_000 };
const STATUSES = [
  'resolved',
  'resolved',
  'resolved',
  'resolved',
  'resolved',
  'resolved',
  'new',
  'claimed',
  'waiting',
] as const;
/** Sides nothing here delivers to: the outbox is never started. */
const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not delivered here')) });

export async function benchDesk(): Promise<void> {
  const engines = await databaseEngines();
  const world = await startWorld({ records: [] });
  const rows: Row[] = [];
  try {
    for (const engine of engines.list)
      for (const size of SIZES) {
        const fresh = await engine.fresh();
        const database = await openDatabase(fresh.url);
        try {
          const { cases, store } = assembleCases({
            database,
            customer: unused as CustomerSide,
            staff: unused as StaffSide,
            resolver: resolverIn(world),
            log: createLogger(() => {}),
            setup: {
              links: { secret: 'desk-bench-secret-0123456789abcdef0123', baseUrl: 'https://bot.test' },
            },
          });
          await fill(database.db, size);
          await cases.snippets.add('ports', 'Hi {customer}: {domain}, case {case}, {setup_link}', {
            id: 'D1',
            name: 'Dana',
          });
          const post = (i: number) => `staff:${(i * 7919) % size}`;
          const timed = async (what: string, run: (i: number) => Promise<unknown>) => ({
            what,
            ...stats((await sample(run, ROUNDS)).times),
          });
          const baseline = await timed('a case by its post (baseline)', (i) => store.byStaffThread(post(i)));
          const measured = [
            await timed('/cases open (60)', () => cases.openCases(60)),
            await timed('/cases find by domain', (i) => cases.findCases(`domain${i % DOMAINS}.test`, 60)),
            await timed('/cases find by customer', (i) => cases.findCases(`U${i % CUSTOMERS}`, 60)),
            await timed('saved reply filled in', (i) =>
              cases.fillSnippet({ staffThread: post(i), staff: { id: 'D1', name: 'Dana' }, name: 'ports' }),
            ),
          ];
          for (const row of [baseline, ...measured])
            rows.push({
              engine: engine.name,
              cases: size.toLocaleString('en-US'),
              query: row.what,
              p50: ms(row.p50),
              p99: ms(row.p99),
              'p50 vs baseline': ratio(row.p50 / baseline.p50),
              'p99 of 3 s': `${((row.p99 / 3000) * 100).toFixed(2)} %`,
            });
        } finally {
          await database.close();
          await fresh.drop();
        }
      }
    printTable(
      `The agent's desk: queries for an interaction (${ROUNDS.count} sequential calls each, a third of the cases open)`,
      rows,
      [
        `${DOMAINS} domains, ${CUSTOMERS} customers; the saved reply's case has no card, so {setup_link} is refused after the reads.`,
        ...engines.notes,
      ].join('\n'),
    );
  } finally {
    await world.close();
    await engines.close();
  }
}

/** `size` cases in one go, a third of them open, spread over domains and customers, each with its post. */
async function fill(db: Parameters<typeof assembleCases>[0]['database']['db'], size: number) {
  for (let start = 0; start < size; start += 500) {
    const batch = Array.from({ length: Math.min(500, size - start) }, (_, n) => {
      const i = start + n;
      return {
        status: STATUSES[i % STATUSES.length] ?? 'new',
        customer_place: 'chat:C1',
        customer_thread: `chat:C1:${i}`,
        customer_id: `U${i % CUSTOMERS}`,
        customer_name: `customer ${i % CUSTOMERS}`,
        question: `user${i}@domain${i % DOMAINS}.test imap`,
        staff_thread: `staff:${i}`,
        card: null,
        claimed_by: null,
        claimed_by_id: null,
        resolved_by: i % 3 === 0 ? 'Dana' : null,
        rating: null,
        reminded_at: null,
        staff_turn_since: i,
        created_at: 1_700_000_000_000 + i * 1000,
        updated_at: 1_700_000_000_000 + i * 1000,
      };
    });
    await db.insertInto('cases').values(batch).execute();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchDesk();
