// The desk's lists over more cases than a query reads at once (core queries, rendered as Discord shows them): the
// open ones in status order whatever their age, and a search's count of what it does not show. SQLite only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCasesContent } from '../../adapters/discord/desk-render.js';
import {
  type CustomerSide,
  createLogger,
  type Database,
  openDatabase,
  type StaffSide,
} from '../../src/index.js';
import { assembleCases } from '../../src/testing.js';
import { migratedSqlite } from '../support/databases.js';
import type { TestDatabase } from '../support/sqlite-file.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
let fresh: TestDatabase;
let database: Database;
let parts: ReturnType<typeof assembleCases>;
const unused = new Proxy({}, { get: () => () => Promise.reject(new Error('not delivered')) });
const T0 = Date.parse('2026-12-07T09:00:00Z');

beforeAll(async () => {
  world = await startWorld({ records: [] });
  fresh = await migratedSqlite();
  database = await openDatabase(fresh.url);
  parts = assembleCases({
    database,
    customer: unused as CustomerSide,
    staff: unused as StaffSide,
    resolver: resolverIn(world),
    log: createLogger(() => {}),
    now: () => T0,
  });
  const row = (i: number, status: 'new' | 'waiting') => ({
    status,
    customer_place: 'slack:C1',
    customer_thread: `slack:C1:${1_700_000_000 + i}.000100`,
    customer_id: `U${i}`,
    customer_name: `cust${i}`,
    question: 'busy.example pop',
    domain: 'busy.example',
    staff_thread: `discord:${900_000 + i}`,
    claimed_by: status === 'waiting' ? 'Dana' : null,
    claimed_by_id: status === 'waiting' ? 'D1' : null,
    created_at: T0 + i * 60_000,
    updated_at: T0 + i * 60_000,
  });
  // 600 old cases waiting on their customers, then one new case nobody has.
  const rows = Array.from({ length: 600 }, (_, i) => row(i, 'waiting'));
  for (let i = 0; i < rows.length; i += 100)
    await database.db
      .insertInto('cases')
      .values(rows.slice(i, i + 100))
      .execute();
  await database.db.insertInto('cases').values(row(1000, 'new')).execute();
}, 60_000);
afterAll(async () => {
  await database?.close();
  await fresh?.drop();
  await world?.close();
});

describe('the desk’s lists over very many cases', () => {
  it('lists a new case nobody has first, however many older cases wait on their customers', async () => {
    const list = await parts.cases.openCases(60);
    expect(list.cases[0]?.view.status).toBe('new');
    expect(openCasesContent(list)).toMatch(/^\*\*New\*\*\n• <#901000> case 601/);
  });

  it('counts every case a search found beyond what it shows', async () => {
    const list = await parts.cases.findCases('busy.example', 60);
    // 601 cases asked about busy.example: 60 listed, 541 more.
    expect(list.cases.length + list.more).toBe(601);
  });
});
