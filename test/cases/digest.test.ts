// The weekly digest's period across a change of daylight saving: each digest reports the week before it on
// the team's clock, so consecutive digests cover the time between them exactly once, no hour counted in two
// digests and none in neither.
import { afterEach, describe, expect, it } from 'vitest';
import { createDigest, createLogger, type Database, openDatabase, type Report } from '../../src/index.js';
import { migratedSqlite, type TestDatabase } from '../support/databases.js';

let fresh: TestDatabase | undefined;
let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  await fresh?.drop();
});

/** The periods two digests one week apart (Mon 09:00, Europe/Berlin) report on, sent at `first` and `second`. */
async function twoDigests(first: string, second: string) {
  fresh = await migratedSqlite();
  database = await openDatabase(fresh.url);
  const periods: { since: number; until: number }[] = [];
  let clock = Date.parse(first);
  const digest = createDigest({
    db: database.db,
    timeZone: 'Europe/Berlin',
    schedule: { day: 1, minutes: 9 * 60 },
    report: async (period) => {
      periods.push(period);
      return { since: period.since, until: period.until } as Report;
    },
    send: async () => {},
    log: createLogger(() => {}),
    now: () => clock,
  });
  expect(await digest.tick()).toBe(true);
  clock = Date.parse(second);
  expect(await digest.tick()).toBe(true);
  return periods;
}

describe('the weekly digest across a change of daylight saving', () => {
  it('counts no hour twice in the week summer time begins (29 March 2026)', async () => {
    // Mon 23 March 09:00 CET = 08:00Z; Mon 30 March 09:00 CEST = 07:00Z: the week between is 167 hours.
    const [before, after] = await twoDigests('2026-03-23T08:01:00Z', '2026-03-30T07:01:00Z');
    expect(before?.until).toBe(Date.parse('2026-03-23T08:00:00Z'));
    expect(after?.until).toBe(Date.parse('2026-03-30T07:00:00Z'));
    // The second digest starts where the first ended.
    expect(new Date(after?.since ?? 0).toISOString()).toBe(new Date(before?.until ?? 0).toISOString());
  });

  it('leaves no hour out in the week summer time ends (25 October 2026)', async () => {
    // Mon 19 October 09:00 CEST = 07:00Z; Mon 26 October 09:00 CET = 08:00Z: the week between is 169 hours.
    const [before, after] = await twoDigests('2026-10-19T07:01:00Z', '2026-10-26T08:01:00Z');
    expect(new Date(after?.since ?? 0).toISOString()).toBe(new Date(before?.until ?? 0).toISOString());
  });
});
