// The lead's report over a period, computed from stored rows alone (report-store.ts reads them): cases opened
// and resolved, first response and resolution times in business time, targets met, ratings, one-touch
// resolutions, each staff member's share, the top domains, answer sources and failing checks, and the hours
// cases come in. Pure: the same rows and period give the same report, whatever the clock says.
import { addBusinessMs, type BusinessHours, businessMsBetween, hourInZone } from '../model/business-hours.js';
import { parseQuery } from '../question/parse-question.js';
import type { CaseActivityTable, CaseStatus } from '../store/schema.js';
import { type ClockSettings, resolutionSince, snoozedMs } from './clocks.js';
import type { CaseCard } from './ports.js';

/** A case as the report reads it. */
export interface ReportCase {
  id: number;
  status: CaseStatus;
  question: string;
  card: CaseCard | undefined;
  rating: 'helpful' | 'not-helpful' | null;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  /** When it was last reopened, and its snoozes since (case-state.ts): the resolution target is measured so. */
  reopenedAt?: number | null;
  snoozes?: [number, number][];
}

/** One moment of a case (activity.ts). */
export interface ReportActivity {
  caseId: number;
  kind: CaseActivityTable['kind'];
  staffId: string | null;
  staffName: string | null;
  at: number;
}

export interface ReportRows {
  cases: ReportCase[];
  activity: ReportActivity[];
}

/** p50 and p90 of a set of business-time durations (nearest rank); null when there were none. */
export interface Times {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
}

/** How often a target was met or missed among those settled in the period. */
export interface Target {
  targetMs: number;
  met: number;
  missed: number;
}

export interface StaffShare {
  id: string | null;
  name: string;
  resolved: number;
  firstResponses: number;
  medianFirstResponseMs: number | null;
}

export interface Counted {
  name: string;
  count: number;
}

export interface Report {
  since: number;
  until: number;
  timeZone: string;
  opened: number;
  resolved: number;
  firstResponse: Times;
  resolution: Times;
  targets: { firstResponse: Target; nextResponse: Target; resolution: Target };
  ratings: { helpful: number; notHelpful: number };
  /** Resolved after exactly one staff response. */
  oneTouch: number;
  staff: StaffShare[];
  domains: Counted[];
  /** Where the card's answer came from (its source, and the server it named). */
  sources: Counted[];
  /** The card's live check: results that were not ok, by server:port and outcome. */
  failingChecks: (Counted & { outcome: string })[];
  /** Cases opened per hour of the day (0–23), in the team's time zone. */
  hours: number[];
}

/** How many of each list a report keeps. */
export const TOP = 5;

export function buildReport(
  rows: ReportRows,
  period: { since: number; until: number },
  clocks: ClockSettings,
): Report {
  const { since, until } = period;
  const within = (at: number | null): at is number => at !== null && at >= since && at < until;
  const business = (from: number, to: number) => businessMsBetween(clocks.hours, from, to);
  const momentsOf = groupBy(rows.activity, (moment) => moment.caseId);
  // Cases closed because their customer was forgotten or their thread refused: counted as closed, by nobody, but
  // none of their clocks settles after that (nobody could answer them), and no time, rating or one touch is a
  // resolution's.
  const closedAt = new Map(rows.activity.filter((m) => m.kind === 'closed').map((m) => [m.caseId, m.at]));
  const opened = rows.cases.filter((row) => within(row.createdAt));
  const resolved = rows.cases.filter((row) => row.status === 'resolved' && within(row.resolvedAt));
  const solved = resolved.filter((row) => !closedAt.has(row.id));
  const answered = rows.cases.filter((row) => within(row.firstResponseAt));
  const responsesOf = (row: ReportCase) =>
    (momentsOf.get(row.id) ?? []).filter((moment) => moment.kind === 'response');

  const settle = targetsIn(period, clocks.hours);
  // The response clock's runs, read once: before the first response (its target's) and after it (the next ones').
  const runs = rows.cases.flatMap((row) =>
    responseRuns(momentsOf.get(row.id) ?? [], row.createdAt).map((run) => ({ ...run, caseId: row.id })),
  );
  const runsOf = (first: boolean) =>
    runs
      .filter((run) => run.first === first)
      .map((run): Span => [run.start, run.end, 0, closedAt.get(run.caseId)]);
  const targets = {
    firstResponse: settle(clocks.firstResponseMs, runsOf(true)),
    nextResponse: settle(clocks.nextResponseMs, runsOf(false)),
    // As the case's own clock measures it: from its last reopening, less the business time it was snoozed.
    resolution: settle(
      clocks.resolutionMs,
      rows.cases.map((row) => {
        const end = row.status === 'resolved' && !closedAt.has(row.id) ? row.resolvedAt : null;
        const paused = snoozedMs(clocks.hours, row.snoozes ?? [], end ?? undefined);
        return [resolutionSince(row), end, paused, closedAt.get(row.id)];
      }),
    ),
  };

  const staff = new Map<string, StaffShare & { times: number[] }>();
  const shareOf = (moment: ReportActivity | undefined) => {
    if (!moment?.staffName) return undefined;
    const key = moment.staffId ?? `name:${moment.staffName}`;
    const share = staff.get(key) ?? {
      id: moment.staffId,
      name: moment.staffName,
      resolved: 0,
      firstResponses: 0,
      medianFirstResponseMs: null,
      times: [],
    };
    staff.set(key, share);
    return share;
  };
  for (const row of solved) {
    const last = (momentsOf.get(row.id) ?? []).filter((moment) => moment.kind === 'resolved').at(-1);
    const share = shareOf(last);
    if (share) share.resolved += 1;
  }
  for (const row of answered) {
    const share = shareOf(responsesOf(row)[0]);
    if (!share || row.firstResponseAt === null) continue;
    share.firstResponses += 1;
    share.times.push(business(row.createdAt, row.firstResponseAt));
  }

  return {
    since,
    until,
    timeZone: clocks.hours.timeZone,
    opened: opened.length,
    resolved: resolved.length,
    firstResponse: times(
      answered.map((row) => business(row.createdAt, row.firstResponseAt ?? row.createdAt)),
    ),
    resolution: times(solved.map((row) => business(row.createdAt, row.resolvedAt ?? row.createdAt))),
    targets,
    ratings: {
      helpful: solved.filter((row) => row.rating === 'helpful').length,
      notHelpful: solved.filter((row) => row.rating === 'not-helpful').length,
    },
    oneTouch: solved.filter((row) => responsesOf(row).length === 1).length,
    staff: [...staff.values()]
      .map(({ times: spent, ...share }) => ({ ...share, medianFirstResponseMs: percentile(spent, 0.5) }))
      .sort(
        (a, b) =>
          b.resolved - a.resolved || b.firstResponses - a.firstResponses || a.name.localeCompare(b.name),
      ),
    domains: top(opened.map((row) => domainOf(row.question))),
    sources: top(opened.map((row) => sourceOf(row.card))),
    failingChecks: top(
      opened.flatMap((row) =>
        (row.card?.check?.results ?? [])
          .filter((result) => result.outcome !== 'ok')
          .map((result) => `${result.server.hostname}:${result.server.port} ${result.outcome}`),
      ),
    ).map(({ name, count }) => {
      const [server = name, outcome = ''] = name.split(' ');
      return { name: server, outcome, count };
    }),
    hours: Array.from(
      { length: 24 },
      (_, hour) => opened.filter((row) => hourInZone(clocks.hours.timeZone, row.createdAt) === hour).length,
    ),
  };
}

/** A clock's span: started, ended (null: not yet), business time it waited besides, when it stopped for good. */
type Span = [start: number, end: number | null, pausedMs?: number, stoppedAt?: number];

/**
 * A target counts in the period where it was settled: met when the response came in time (at the response),
 * missed once its due time passed without one (at the due time). Not yet due and not yet answered: not counted.
 * A span may name business time its target waits for besides (a resolution's snoozes), and when its clock
 * stopped for good without an end (a case closed: its customer forgotten, its thread refused): due after that,
 * it never counts.
 */
function targetsIn(period: { since: number; until: number }, hours: BusinessHours) {
  return (targetMs: number, spans: Span[]): Target => {
    const target: Target = { targetMs, met: 0, missed: 0 };
    for (const [start, end, pausedMs = 0, stoppedAt] of spans) {
      const due = addBusinessMs(hours, start, targetMs + pausedMs);
      if (end === null && stoppedAt !== undefined && due > stoppedAt) continue;
      const [settledAt, met] = end !== null && end <= due ? [end, true] : [due, false];
      if (settledAt >= period.since && settledAt < period.until && (met || due < period.until))
        target[met ? 'met' : 'missed'] += 1;
    }
    return target;
  };
}

type Run = { first: boolean; start: number; end: number | null };

/**
 * The response clock's runs, as the lifecycle's clock runs: from the case's opening, each until the response
 * that ended it (null while none has). A later staff turn (the customer writing, a snooze ending, a reopening)
 * starts the clock over; a turn the case was resolved or closed in without a response is not measured.
 * `first`: before the case's first response.
 */
function responseRuns(moments: ReportActivity[], createdAt: number): Run[] {
  const runs: Run[] = [];
  let [start, first]: [number | undefined, boolean] = [createdAt, true];
  for (const moment of [...moments].sort((a, b) => a.at - b.at)) {
    if (moment.kind === 'turn') {
      start = moment.at;
      continue;
    }
    if (moment.kind === 'response') {
      if (start !== undefined) runs.push({ first, start, end: moment.at });
      first = false;
    }
    start = undefined; // a response, a resolution or a closing ends the turn
  }
  if (start !== undefined) runs.push({ first, start, end: null });
  return runs;
}

function times(durations: number[]): Times {
  return { count: durations.length, p50Ms: percentile(durations, 0.5), p90Ms: percentile(durations, 0.9) };
}

/** Nearest rank: the smallest value with at least `share` of the values at or below it. */
export function percentile(values: number[], share: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(share * sorted.length) - 1)] ?? null;
}

/** The question's domain; a question the bot does not understand counts under its own words' lack. */
function domainOf(question: string): string | undefined {
  const parsed = parseQuery(question);
  return parsed.ok ? parsed.value.query.domain : undefined;
}

/** Where the answer came from: the source, and the server it named when that says who the provider is. */
function sourceOf(card: CaseCard | undefined): string | undefined {
  const settings = card?.answer?.settings;
  if (!settings) return undefined;
  const { kind } = settings.source;
  if (kind === 'default') return 'hosting template';
  if (kind === 'missing') return 'domain does not exist';
  const server = settings.incoming[0] ?? settings.outgoing[0];
  return server ? `${server.hostname} (${kind})` : kind;
}

/** The most frequent names, most first (ties by name), at most TOP. */
function top(names: (string | undefined)[]): Counted[] {
  const counts = new Map<string, number>();
  for (const name of names) if (name !== undefined) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name))
    .slice(0, TOP);
}

function groupBy<T, K>(items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
