// A report (report.ts) as one table of (section, item, measure, value) rows, which is what the CSV holds and
// what the command line prints as text. Durations in the CSV are minutes of business time, so a spreadsheet
// can add them up; the text says them in words.
import * as words from '../messages/report.js';
import type { Report, Times } from './report.js';

export interface ReportRow {
  section: string;
  item: string;
  measure: string;
  value: string | number;
}

const minutes = (ms: number | null) => (ms === null ? '' : Math.round(ms / 6000) / 10);

export function reportTable(report: Report): ReportRow[] {
  const row = (section: string, item: string, measure: string, value: string | number): ReportRow => ({
    section,
    item,
    measure,
    value,
  });
  const timed = (section: string, times: Times) => [
    row(section, '', 'cases', times.count),
    row(section, '', 'p50 minutes', minutes(times.p50Ms)),
    row(section, '', 'p90 minutes', minutes(times.p90Ms)),
  ];
  return [
    row('period', '', 'from', new Date(report.since).toISOString()),
    row('period', '', 'to', new Date(report.until).toISOString()),
    row('period', '', 'time zone', report.timeZone),
    row('cases', '', 'opened', report.opened),
    row('cases', '', 'resolved', report.resolved),
    row('cases', '', 'resolved after one reply', report.oneTouch),
    row('cases', '', 'rated helpful', report.ratings.helpful),
    row('cases', '', 'rated not helpful', report.ratings.notHelpful),
    ...timed('first response', report.firstResponse),
    ...timed('resolution', report.resolution),
    ...(['firstResponse', 'nextResponse', 'resolution'] as const).flatMap((name) => {
      const target = report.targets[name];
      return [
        row('target', words.TARGET_NAMES[name], 'target minutes', minutes(target.targetMs)),
        row('target', words.TARGET_NAMES[name], 'met', target.met),
        row('target', words.TARGET_NAMES[name], 'missed', target.missed),
      ];
    }),
    ...report.staff.flatMap((staff) => {
      const who = staff.id ? `${staff.name} (${staff.id})` : staff.name;
      return [
        row('staff', who, 'resolved', staff.resolved),
        row('staff', who, 'first responses', staff.firstResponses),
        row('staff', who, 'median first response minutes', minutes(staff.medianFirstResponseMs)),
      ];
    }),
    ...report.domains.map(({ name, count }) => row('domain', name, 'cases', count)),
    ...report.sources.map(({ name, count }) => row('answer source', name, 'cases', count)),
    ...report.failingChecks.map(({ name, outcome, count }) => row('failing check', name, outcome, count)),
    ...report.hours.map((count, hour) => row('hour', String(hour).padStart(2, '0'), 'opened', count)),
  ];
}

/**
 * RFC 4180 CSV, one header line and CRLF line ends. A cell a spreadsheet would read as a formula (starting
 * with =, +, -, @, a tab or a carriage return: names and domains come from people) gets a leading apostrophe.
 */
export function reportToCsv(report: Report): string {
  const cell = (value: string | number) => {
    if (typeof value === 'number') return String(value);
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    // `;` too: spreadsheets set to a locale that separates cells with it would split the cell there.
    return /[",;\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const lines = reportTable(report).map((row) =>
    [row.section, row.item, row.measure, row.value].map(cell).join(','),
  );
  return `${['section,item,measure,value', ...lines].join('\r\n')}\r\n`;
}

/** The report as lines of text, for a terminal. */
export function reportToText(report: Report): string {
  const day = (at: number) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: report.timeZone,
      dateStyle: 'medium',
      timeStyle: 'short',
      hourCycle: 'h23',
    }).format(at);
  const list = (items: string[]) =>
    items.length === 0 ? [`  ${words.NOTHING}`] : items.map((i) => `  ${i}`);
  const { targets } = report;
  const busiest = Math.max(...report.hours);
  return [
    `${words.TITLE}: ${day(report.since)} – ${day(report.until)} (${report.timeZone})`,
    '',
    `Cases:           ${words.casesLine(report.opened, report.resolved, report.oneTouch)}`,
    `First response:  ${words.timesLine(report.firstResponse.count, report.firstResponse.p50Ms, report.firstResponse.p90Ms)}`,
    `Resolution:      ${words.timesLine(report.resolution.count, report.resolution.p50Ms, report.resolution.p90Ms)}`,
    `Ratings:         ${words.ratingsLine(report.ratings.helpful, report.ratings.notHelpful)}`,
    'Targets:',
    ...(['firstResponse', 'nextResponse', 'resolution'] as const).map(
      (name) =>
        `  ${`${words.TARGET_NAMES[name]}:`.padEnd(16)}${words.targetLine(targets[name].met, targets[name].missed, targets[name].targetMs)}`,
    ),
    'Staff:',
    ...list(
      report.staff.map(
        (s) => `${s.name}: ${words.staffLine(s.resolved, s.firstResponses, s.medianFirstResponseMs)}`,
      ),
    ),
    'Top domains:',
    ...list(report.domains.map(({ name, count }) => `${name}: ${count}`)),
    'Answer sources:',
    ...list(report.sources.map(({ name, count }) => `${name}: ${count}`)),
    'Failing checks:',
    ...list(report.failingChecks.map(({ name, outcome, count }) => `${name} ${outcome}: ${count}`)),
    `${words.hoursNote(report.timeZone)}:`,
    ...list(
      report.hours.flatMap((count, hour) =>
        count === 0
          ? []
          : [
              `${String(hour).padStart(2, '0')}:00  ${'#'.repeat(Math.round((20 * count) / busiest))} ${count}`,
            ],
      ),
    ),
    '',
    words.EXPLAINED,
  ].join('\n');
}
