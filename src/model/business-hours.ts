// Business hours: when the support team works (the days and hours of a week in one IANA time zone, less the
// holidays), and time measured in them. Response targets run only while the team works; a customer who asks
// outside the hours is told when the team is back. Wall-clock times are turned into instants with the
// platform's own time-zone data (Intl, ICU), so daylight-saving changes fall where the zone says.
import { fail, ok, type Result } from './result.js';

export interface BusinessHours {
  timeZone: string;
  /** Open minutes of each weekday (0 = Sunday … 6), since local midnight; undefined: closed all day. */
  week: readonly ({ from: number; to: number } | undefined)[];
  /** Local dates (YYYY-MM-DD) the team does not work. */
  holidays: ReadonlySet<string>;
}

/** Around the clock, every day: the default when no hours are configured. */
export const ALWAYS_OPEN: BusinessHours = {
  timeZone: 'UTC',
  week: Array.from({ length: 7 }, () => ({ from: 0, to: 24 * 60 })),
  holidays: new Set(),
};

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;

/**
 * Reads "Mon-Fri 09:00-17:00; Sat 10:00-14:00" (empty: around the clock), an IANA time zone and holidays
 * "2026-12-24, 2026-12-25"; an error says what was wrong.
 */
export function parseBusinessHours(
  spec: string,
  timeZone = 'UTC',
  holidays = '',
): Result<BusinessHours, string> {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    return fail(`"${timeZone}" is not an IANA time zone (like Europe/Berlin or America/New_York)`);
  }
  const dates = holidays
    .split(',')
    .map((date) => date.trim())
    .filter(Boolean);
  // A date that exists: 2026-02-30 or a month and day swapped (2026-24-12) would never match a day.
  const exists = (date: string) => {
    const at = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
    return !Number.isNaN(at) && new Date(at).toISOString().startsWith(date);
  };
  const wrongDate = dates.find((date) => !exists(date));
  if (wrongDate) return fail(`holiday "${wrongDate}" must be a date like 2026-12-24`);
  if (spec.trim() === '') return ok({ ...ALWAYS_OPEN, timeZone, holidays: new Set(dates) });
  const week: ({ from: number; to: number } | undefined)[] = Array.from({ length: 7 }, () => undefined);
  for (const group of spec
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/i.exec(group);
    const [first, last = first] = [match?.[1]?.toLowerCase() ?? '', match?.[2]?.toLowerCase()];
    const from = Number(match?.[3]) * 60 + Number(match?.[4]);
    const to = Number(match?.[5]) * 60 + Number(match?.[6]);
    const start = DAYS.indexOf(first);
    const end = DAYS.indexOf(last);
    if (!match || start < 0 || end < 0 || !(from < to && to <= 24 * 60))
      return fail(`"${group}" must read like "Mon-Fri 09:00-17:00" (days Mon…Sun, a 24-hour range)`);
    for (let day = start; ; day = (day + 1) % 7) {
      week[day] = { from, to };
      if (day === end) break;
    }
  }
  return ok({ timeZone, week, holidays: new Set(dates) });
}

/** Business time between two instants, in milliseconds. */
export function businessMsBetween(hours: BusinessHours, from: number, to: number): number {
  let total = 0;
  for (const [open, close] of openings(hours, from)) {
    if (open >= to) break;
    total += Math.max(0, Math.min(close, to) - Math.max(open, from));
  }
  return total;
}

/** The instant `ms` of business time after `from`. */
export function addBusinessMs(hours: BusinessHours, from: number, ms: number): number {
  let left = ms;
  for (const [open, close] of openings(hours, from)) {
    const start = Math.max(open, from);
    if (close - start >= left) return start + left;
    left -= Math.max(0, close - start);
  }
  return Number.POSITIVE_INFINITY;
}

/** When the team works next: `at` itself while it is open. */
export function nextOpening(hours: BusinessHours, at: number): number {
  for (const [open, close] of openings(hours, at)) if (close > at) return Math.max(open, at);
  return Number.POSITIVE_INFINITY;
}

export const isOpen = (hours: BusinessHours, at: number) => nextOpening(hours, at) === at;

/** The first instant of the day after the one the zone's clock shows at `at` (its next local midnight). */
export const nextLocalMidnight = (timeZone: string, at: number): number =>
  zonedTime(timeZone, nextDay(localDate(timeZone, at)), 0);

/** "Monday 8 December, 09:00 (Europe/Berlin)": an instant as the team's own clock shows it. */
export function formatInZone(hours: BusinessHours, at: number): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone: hours.timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
  return `${text.replace(/ at /, ', ')} (${hours.timeZone})`;
}

/** The hour of the day (0–23) the zone's clock shows at `at`. */
export const hourInZone = (timeZone: string, at: number): number => wallClock(timeZone, at).getUTCHours();

/**
 * The last time at or before `at` that the zone's clock showed `minutes` past midnight on `day` of the week
 * (0 = Sunday), with that local date (`2026-12-07`): when a weekly event was last due.
 */
export function lastWeekly(
  timeZone: string,
  day: number,
  minutes: number,
  at: number,
): { at: number; date: string } {
  const today = localDate(timeZone, at);
  for (let back = 0; back <= 7; back++) {
    const earlier = new Date(Date.UTC(today.year, today.month - 1, today.day) - back * DAY_MS);
    const date = {
      year: earlier.getUTCFullYear(),
      month: earlier.getUTCMonth() + 1,
      day: earlier.getUTCDate(),
    };
    const due = zonedTime(timeZone, date, minutes);
    if (weekday(date) === day && due <= at) return { at: due, date: isoDate(date) };
  }
  throw new Error('a week has every weekday');
}

/** The open intervals [open, close) from the day of `from` on, day by day, for at most ten years. */
function* openings(hours: BusinessHours, from: number): Generator<[number, number]> {
  let day = localDate(hours.timeZone, from);
  for (let n = 0; n < 3660; n++, day = nextDay(day)) {
    const open = hours.week[weekday(day)];
    if (!open || hours.holidays.has(isoDate(day))) continue;
    const close = zonedTime(hours.timeZone, day, open.to);
    if (close <= from) continue;
    yield [zonedTime(hours.timeZone, day, open.from), close];
  }
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function partsOf(timeZone: string, at: number): Record<string, number> {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return Object.fromEntries(
    format
      .formatToParts(at)
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  );
}

const localDate = (timeZone: string, at: number): LocalDate => {
  const wall = wallClock(timeZone, at);
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
};
const nextDay = ({ year, month, day }: LocalDate): LocalDate => {
  const next = new Date(Date.UTC(year, month - 1, day) + DAY_MS);
  return { year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate() };
};
const weekday = ({ year, month, day }: LocalDate) => new Date(Date.UTC(year, month - 1, day)).getUTCDay();
const isoDate = ({ year, month, day }: LocalDate) =>
  `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

/** What the zone's clock shows at `at`, as the fields of a UTC date. */
const wallClock = (timeZone: string, at: number) => new Date(at + offsetAt(timeZone, at));

/**
 * Offsets by zone and quarter hour: asking Intl costs microseconds, and every case shown asks several times
 * (when the team is back, when a reply is due). Since 1980 every zone has changed its offset on a quarter hour,
 * so one quarter hour has one offset; earlier times are asked of Intl each time.
 */
const QUARTER_HOUR = 15 * 60_000;
const SINCE = Date.UTC(1980, 0, 1);
/** Offsets kept at most: the bot asks about now and the next days, a few hundred quarter hours per zone. */
const OFFSETS_KEPT = 10_000;
const offsets = new Map<string, number>();

/** How far the zone's clock is ahead of UTC at `at`, in milliseconds. */
function offsetAt(timeZone: string, at: number): number {
  const key = at >= SINCE ? `${timeZone}\0${Math.floor(at / QUARTER_HOUR)}` : undefined;
  const known = key === undefined ? undefined : offsets.get(key);
  if (known !== undefined) return known;
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = partsOf(timeZone, at);
  const offset = Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(at / 1000) * 1000;
  if (key !== undefined) {
    if (offsets.size >= OFFSETS_KEPT) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The instant the zone's clock shows `minutes` past midnight of `date` (a gap's time moves forward). */
function zonedTime(timeZone: string, date: LocalDate, minutes: number): number {
  const wall = Date.UTC(date.year, date.month - 1, date.day) + minutes * 60_000;
  const first = wall - offsetAt(timeZone, wall);
  const second = wall - offsetAt(timeZone, first);
  const shows = (at: number) => at + offsetAt(timeZone, at) === wall;
  if (shows(second)) return second;
  if (shows(first)) return first;
  // In a gap (clocks moved forward) no instant shows that time: the first one after it, which is the later one.
  return Math.max(first, second);
}
