// Time in the team's zone, with the zone's offsets kept by quarter hour (src/model/business-hours.ts): the
// kept offsets give what Intl gives, minute by minute, across daylight-saving changes of zones whose offsets
// are whole hours, half hours and quarter hours.
import { describe, expect, it } from 'vitest';
import { hourInZone, lastWeekly } from '../../src/model/business-hours.js';

const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kathmandu',
];
const hourOf = (timeZone: string, at: number) =>
  Number(new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' }).format(at));

describe('time in a zone', () => {
  it.each(ZONES)(
    '%s: the hour shown every 7 minutes around its changes in 2026 is the one Intl shows',
    (zone) => {
      // The first Sundays of April and October and the last of March and October, and the day before each.
      const days = [
        '2026-03-28',
        '2026-03-29',
        '2026-04-04',
        '2026-04-05',
        '2026-09-26',
        '2026-09-27',
        '2026-10-04',
        '2026-10-25',
      ];
      for (const day of days)
        for (
          let at = Date.parse(`${day}T00:00:00Z`) - 12 * 3_600_000;
          at < Date.parse(`${day}T00:00:00Z`) + 36 * 3_600_000;
          at += 7 * 60_000
        ) {
          // Asked twice: once from Intl, once from what was kept.
          expect([hourInZone(zone, at), hourInZone(zone, at)]).toEqual([hourOf(zone, at), hourOf(zone, at)]);
        }
    },
  );

  it('finds the last Monday 09:00 in Berlin across the change to summer time', () => {
    const at = Date.parse('2026-03-30T12:00:00Z'); // Monday, after the change of Sunday 29 March
    expect(lastWeekly('Europe/Berlin', 1, 9 * 60, at)).toEqual({
      at: Date.parse('2026-03-30T07:00:00Z'),
      date: '2026-03-30',
    });
    expect(lastWeekly('Europe/Berlin', 1, 9 * 60, Date.parse('2026-03-30T06:00:00Z'))).toEqual({
      at: Date.parse('2026-03-23T08:00:00Z'),
      date: '2026-03-23',
    });
  });
});
