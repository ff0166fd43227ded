// The lead's report as data: a week of cases on a team that works Mon–Fri 09:00–17:00 in Berlin, every figure
// worked out by hand in business time; the CSV read back as a spreadsheet would; the digest's schedule on the
// team's clock (daylight saving included); and what each case step records for the report.
import { describe, expect, it } from 'vitest';
import { activityOf } from '../../src/cases/activity.js';
import { CLOCK_DEFAULTS } from '../../src/cases/clocks.js';
import { parseDigestAt } from '../../src/cases/digest.js';
import { percentile, type ReportActivity, type ReportCase } from '../../src/cases/report.js';
import { type CaseCard, reportToCsv, reportToText } from '../../src/index.js';
import { targetLine } from '../../src/messages/report.js';
import { lastWeekly } from '../../src/model/business-hours.js';
import { buildReport, parseBusinessHours, reportTable } from '../../src/testing.js';
import { parseCsv } from '../support/report-files.js';

/** An instant of Berlin's clock in December (UTC+1). */
const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}:00+01:00`);
const MIN = 60_000;
const hours = parseBusinessHours('Mon-Fri 09:00-17:00', 'Europe/Berlin');
if (!hours.ok) throw new Error(hours.error);
const clocks = { ...CLOCK_DEFAULTS, hours: hours.value };
const WEEK = { since: at('2026-12-07 00:00'), until: at('2026-12-14 00:00') };

const server = (hostname: string, port: number, type: 'imap' | 'smtp' = 'imap') => ({
  type,
  hostname,
  port,
  security: 'tls' as const,
  username: '%EMAILADDRESS%',
  authentication: ['password-cleartext'],
});
const gmail: CaseCard = {
  answer: {
    settings: {
      query: { input: 'example.com', domain: 'example.com', protocol: 'imap' },
      incoming: [server('imap.gmail.com', 993)],
      outgoing: [server('smtp.gmail.com', 465, 'smtp')],
      source: { kind: 'mx', detail: 'Mail for example.com goes to Google' },
      notes: [],
    },
    reports: [],
  },
};
const checked = (card: CaseCard): CaseCard => ({
  ...card,
  check: {
    settings: card.answer?.settings as NonNullable<CaseCard['answer']>['settings'],
    results: [
      { server: server('imap.gmail.com', 993), outcome: 'unreachable', mechanisms: [] },
      { server: server('smtp.gmail.com', 465, 'smtp'), outcome: 'ok', mechanisms: [] },
    ],
    advice: [],
    ms: 5,
  } as NonNullable<CaseCard['check']>,
});
const template: CaseCard = {
  answer: {
    settings: {
      ...(gmail.answer?.settings as NonNullable<CaseCard['answer']>['settings']),
      source: { kind: 'default', detail: 'Hosting template' },
    },
    reports: [],
  },
};

const DANA = { staffId: 'D1', staffName: 'Dana' };
const LEE = { staffId: 'D2', staffName: 'Lee' };
type Who = Pick<ReportActivity, 'staffId' | 'staffName'>;
const NOBODY: Who = { staffId: null, staffName: null };
const kase = (id: number, fields: Partial<ReportCase> & Pick<ReportCase, 'createdAt'>): ReportCase => ({
  id,
  status: 'resolved',
  question: 'example.com pop',
  card: undefined,
  rating: null,
  firstResponseAt: null,
  resolvedAt: null,
  ...fields,
});
const moment = (
  caseId: number,
  kind: ReportActivity['kind'],
  when: string,
  who = NOBODY,
): ReportActivity => ({
  caseId,
  kind,
  ...who,
  at: at(when),
});

/** The week: five cases, each exercising a different rule (see each comment). */
const rows = {
  cases: [
    // Answered in 30 min, a second reply in time, resolved and rated helpful.
    kase(1, {
      createdAt: at('2026-12-07 09:00'),
      firstResponseAt: at('2026-12-07 09:30'),
      resolvedAt: at('2026-12-07 12:00'),
      rating: 'helpful',
      card: checked(gmail),
    }),
    // Asked at 16:30 on Monday, answered Tuesday 10:00: 90 business minutes, the first-response target missed.
    kase(2, {
      question: 'alice@example.com imap',
      createdAt: at('2026-12-07 16:30'),
      firstResponseAt: at('2026-12-08 10:00'),
      resolvedAt: at('2026-12-08 10:30'),
      rating: 'not-helpful',
      card: checked(gmail),
    }),
    // Friday 16:00, still unanswered: its first response fell due at 17:00; its resolution is not due yet.
    kase(3, {
      status: 'new',
      question: 'other.org',
      createdAt: at('2026-12-11 16:00'),
      card: template,
    }),
    // Opened the week before; the customer wrote again Monday 13:00, the answer came Tuesday 09:30 (late).
    kase(4, {
      createdAt: at('2026-12-04 10:00'),
      firstResponseAt: at('2026-12-04 10:30'),
      resolvedAt: at('2026-12-08 10:00'),
    }),
    // Settings sent within 10 minutes, closed by itself exactly 24 business hours after it opened.
    kase(5, {
      question: 'example.com imap',
      createdAt: at('2026-12-08 10:00'),
      firstResponseAt: at('2026-12-08 10:10'),
      resolvedAt: at('2026-12-11 10:00'),
    }),
  ],
  activity: [
    moment(1, 'turn', '2026-12-07 09:00'),
    moment(1, 'response', '2026-12-07 09:30', DANA),
    moment(1, 'turn', '2026-12-07 10:00'),
    moment(1, 'response', '2026-12-07 11:00', DANA),
    moment(1, 'resolved', '2026-12-07 12:00', DANA),
    moment(2, 'turn', '2026-12-07 16:30'),
    moment(2, 'response', '2026-12-08 10:00', LEE),
    moment(2, 'resolved', '2026-12-08 10:30', LEE),
    moment(3, 'turn', '2026-12-11 16:00'),
    moment(4, 'turn', '2026-12-04 10:00'),
    moment(4, 'response', '2026-12-04 10:30', DANA),
    moment(4, 'turn', '2026-12-07 13:00'),
    moment(4, 'response', '2026-12-08 09:30', DANA),
    moment(4, 'resolved', '2026-12-08 10:00', DANA),
    moment(5, 'turn', '2026-12-08 10:00'),
    moment(5, 'response', '2026-12-08 10:10', LEE),
    moment(5, 'resolved', '2026-12-11 10:00'),
  ],
};

describe('a target’s share', () => {
  it('is never 100 % while one was missed, nor 0 % while one was met', () => {
    const hour = 3_600_000;
    expect(targetLine(199, 1, hour)).toBe('199 of 200 met (99 %, target 1 h)');
    expect(targetLine(1, 199, hour)).toBe('1 of 200 met (1 %, target 1 h)');
    expect(targetLine(2, 2, hour)).toBe('2 of 4 met (50 %, target 1 h)');
    expect(targetLine(3, 0, hour)).toBe('3 of 3 met (100 %, target 1 h)');
  });
});

describe('the report over a week', () => {
  const report = buildReport(rows, WEEK, clocks);

  it('counts cases opened and resolved in the period, and those resolved after one staff response', () => {
    expect(report).toMatchObject({ opened: 4, resolved: 4, oneTouch: 2, timeZone: 'Europe/Berlin' });
    expect(report.ratings).toEqual({ helpful: 1, notHelpful: 1 });
  });

  it('measures first responses and resolutions in business time (p50, p90 by nearest rank)', () => {
    expect(report.firstResponse).toEqual({ count: 3, p50Ms: 30 * MIN, p90Ms: 90 * MIN });
    expect(report.resolution).toEqual({ count: 4, p50Ms: 180 * MIN, p90Ms: 24 * 60 * MIN });
  });

  it('counts each target where it was met, or where it fell due unmet; one not yet due is left out', () => {
    expect(report.targets).toEqual({
      firstResponse: { targetMs: 60 * MIN, met: 2, missed: 2 },
      nextResponse: { targetMs: 240 * MIN, met: 1, missed: 1 },
      resolution: { targetMs: 24 * 60 * MIN, met: 4, missed: 0 },
    });
  });

  it('measures the resolution target as the case’s clock does: snoozes left out, a reopened case from then', () => {
    const measured = buildReport(
      {
        cases: [
          // Snoozed from Monday 10:00 to Thursday 10:00 (24 business hours), resolved Friday: in time.
          kase(6, {
            createdAt: at('2026-12-07 10:00'),
            snoozes: [[at('2026-12-07 10:00'), at('2026-12-10 10:00')]],
            resolvedAt: at('2026-12-11 16:00'),
          }),
          // Opened in November, reopened on Thursday and resolved on Friday: in time, and settled this week.
          kase(7, {
            createdAt: at('2026-11-02 10:00'),
            reopenedAt: at('2026-12-10 10:00'),
            resolvedAt: at('2026-12-11 12:00'),
          }),
        ],
        activity: [],
      },
      WEEK,
      clocks,
    );
    expect(measured.targets.resolution).toEqual({ targetMs: 24 * 60 * MIN, met: 2, missed: 0 });
  });

  it('credits each staff member by id: cases resolved, first responses and their median', () => {
    expect(report.staff).toEqual([
      { id: 'D1', name: 'Dana', resolved: 2, firstResponses: 1, medianFirstResponseMs: 30 * MIN },
      { id: 'D2', name: 'Lee', resolved: 1, firstResponses: 2, medianFirstResponseMs: 10 * MIN },
    ]);
  });

  it('lists the top domains, answer sources and failing checks of the cases opened, and their hours', () => {
    expect(report.domains).toEqual([
      { name: 'example.com', count: 3 },
      { name: 'other.org', count: 1 },
    ]);
    expect(report.sources).toEqual([
      { name: 'imap.gmail.com (mx)', count: 2 },
      { name: 'hosting template', count: 1 },
    ]);
    expect(report.failingChecks).toEqual([{ name: 'imap.gmail.com:993', outcome: 'unreachable', count: 2 }]);
    expect(report.hours.map((count, hour) => [hour, count]).filter(([, count]) => count)).toEqual([
      [9, 1],
      [10, 1],
      [16, 2],
    ]);
  });

  it('reads back from its CSV, row by row, as a spreadsheet would', () => {
    const csv = parseCsv(reportToCsv(report));
    expect(csv[0]).toEqual(['section', 'item', 'measure', 'value']);
    const value = (section: string, item: string, measure: string) =>
      csv.find((row) => row[0] === section && row[1] === item && row[2] === measure)?.[3];
    expect(value('period', '', 'from')).toBe('2026-12-06T23:00:00.000Z');
    expect(value('cases', '', 'opened')).toBe('4');
    expect(value('first response', '', 'p90 minutes')).toBe('90');
    expect(value('resolution', '', 'p50 minutes')).toBe('180');
    expect(value('target', 'next response', 'missed')).toBe('1');
    expect(value('staff', 'Lee (D2)', 'median first response minutes')).toBe('10');
    expect(value('failing check', 'imap.gmail.com:993', 'unreachable')).toBe('2');
    expect(value('hour', '16', 'opened')).toBe('2');
    expect(csv).toHaveLength(reportTable(report).length + 1);
  });

  it('keeps names a spreadsheet would run as formulas, or that hold commas and quotes, as text', () => {
    const hostile = buildReport(
      {
        cases: [kase(9, { createdAt: at('2026-12-07 09:00'), resolvedAt: at('2026-12-07 10:00') })],
        activity: [
          moment(9, 'resolved', '2026-12-07 10:00', { staffId: 'X', staffName: '=HYPERLINK("x","y")' }),
        ],
      },
      WEEK,
      clocks,
    );
    const staff = parseCsv(reportToCsv(hostile)).find((row) => row[0] === 'staff');
    expect(staff?.[1]).toBe(`'=HYPERLINK("x","y") (X)`);
    // A spreadsheet in a locale that separates cells with ';' must not find a formula after one either.
    const semicolon = buildReport(
      {
        cases: [kase(9, { createdAt: at('2026-12-07 09:00'), resolvedAt: at('2026-12-07 10:00') })],
        activity: [moment(9, 'resolved', '2026-12-07 10:00', { staffId: 'X', staffName: 'x;=2+5' })],
      },
      WEEK,
      clocks,
    );
    expect(reportToCsv(semicolon)).toContain('"x;=2+5 (X)"');
  });

  it('prints as text with the same figures', () => {
    const text = reportToText(report);
    expect(text).toContain('Support report: 7 Dec 2026, 00:00 – 14 Dec 2026, 00:00 (Europe/Berlin)');
    expect(text).toContain('Cases:           4 opened, 4 resolved (2 after one reply)');
    expect(text).toContain('First response:  p50 30 min, p90 1 h 30 min (3 cases)');
    expect(text).toContain('  first response: 2 of 4 met (50 %, target 1 h)');
    expect(text).toContain('  16:00  #################### 2');
    expect(text).toContain('  Lee: 1 resolved, 2 first responses (median 10 min)');
  });

  it('is empty but whole for a period without cases', () => {
    const empty = buildReport({ cases: [], activity: [] }, WEEK, clocks);
    expect(empty).toMatchObject({ opened: 0, resolved: 0, staff: [], domains: [] });
    expect(empty.firstResponse).toEqual({ count: 0, p50Ms: null, p90Ms: null });
    expect(reportToText(empty)).toContain('Ratings:         0 helpful, 0 not helpful');
    expect(percentile([], 0.5)).toBeNull();
  });
});

describe('the weekly digest’s schedule', () => {
  it('reads a day and a time of the team’s clock, and says how to write one', () => {
    expect(parseDigestAt('Mon 09:00')).toEqual({ ok: true, value: { day: 1, minutes: 540 } });
    expect(parseDigestAt('friday 16:30')).toEqual({ ok: true, value: { day: 5, minutes: 990 } });
    for (const wrong of ['Mon', '09:00', 'Mon 24:00', 'Someday 09:00'])
      expect(parseDigestAt(wrong)).toMatchObject({ ok: false, error: expect.stringContaining('Mon 09:00') });
  });

  it('finds the last time it was due, by the zone’s clock across a change of daylight saving', () => {
    expect(lastWeekly('Europe/Berlin', 1, 540, at('2026-12-09 12:00'))).toEqual({
      at: at('2026-12-07 09:00'),
      date: '2026-12-07',
    });
    expect(lastWeekly('Europe/Berlin', 1, 540, at('2026-12-07 09:00')).date).toBe('2026-12-07');
    expect(lastWeekly('Europe/Berlin', 1, 540, at('2026-12-07 08:59')).date).toBe('2026-11-30');
    // Summer time began on Sunday 29 March 2026: Monday 09:00 is then 07:00 UTC.
    expect(lastWeekly('Europe/Berlin', 1, 540, Date.parse('2026-03-31T12:00:00Z'))).toEqual({
      at: Date.parse('2026-03-30T07:00:00Z'),
      date: '2026-03-30',
    });
  });
});

describe('what each step of a case records for the report', () => {
  const dana = { id: 'D1', name: 'Dana' };
  it.each([
    ['opened', { type: 'opened' } as const, { staffTurnSince: 5 }, [{ kind: 'turn', at: 5 }]],
    [
      'a staff reply',
      { type: 'staff-replied', messageId: 1, staff: dana, text: 'hi' } as const,
      { status: 'waiting' as const },
      [{ kind: 'response', staffId: 'D1', at: 7 }],
    ],
    [
      'settings sent',
      { type: 'settings-sent', staff: dana, question: 'x', described: 'x' } as const,
      {},
      [{ kind: 'response', staffId: 'D1', at: 7 }],
    ],
    [
      'resolved by staff',
      { type: 'resolved', staff: dana } as const,
      { status: 'resolved' as const, resolvedAt: 7 },
      [{ kind: 'resolved', staffId: 'D1', at: 7 }],
    ],
    [
      'closed by itself',
      { type: 'clock', due: 'auto-resolve' } as const,
      { status: 'resolved' as const, resolvedAt: 7 },
      [{ kind: 'resolved', staffId: null, at: 7 }],
    ],
    [
      'a claim',
      { type: 'claimed', staff: dana } as const,
      { status: 'claimed' as const, claimedBy: 'Dana' },
      [],
    ],
  ])('%s', (_name, event, changes, expected) => {
    expect(activityOf(event, changes, 7)).toEqual(expected.map((row) => expect.objectContaining(row)));
  });
});
