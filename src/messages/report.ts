// Every word of the lead's report and of data care, for every place they are shown (the command line's text,
// the CSV's labels, a chat's embed and confirmation). Numbers come in already counted; durations in ms.

/** "45 min", "3 h 05 min", "—" when nothing was measured. Business time, so hours may pass 24. */
export function duration(ms: number | null): string {
  if (ms === null) return '—';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return `${Math.floor(minutes / 60)} h${rest ? ` ${String(rest).padStart(2, '0')} min` : ''}`;
}

export const TITLE = 'Support report';
export const DIGEST_TITLE = 'Weekly support digest';
export const TARGET_NAMES = {
  firstResponse: 'first response',
  nextResponse: 'next response',
  resolution: 'resolution',
} as const;

export const casesLine = (opened: number, resolved: number, oneTouch: number) =>
  `${opened} opened, ${resolved} resolved (${oneTouch} after one reply)`;
export const timesLine = (count: number, p50: number | null, p90: number | null) =>
  count === 0
    ? 'none'
    : `p50 ${duration(p50)}, p90 ${duration(p90)} (${count} ${count === 1 ? 'case' : 'cases'})`;
export const targetLine = (met: number, missed: number, targetMs: number) =>
  met + missed === 0
    ? `none settled (target ${duration(targetMs)})`
    : `${met} of ${met + missed} met (${percent(met, met + missed)} %, target ${duration(targetMs)})`;
/** A share in whole percents, never 100 while one is missing nor 0 while one is there (199 of 200: 99 %). */
const percent = (part: number, whole: number) =>
  Math.min(Math.max(Math.round((100 * part) / whole), part > 0 ? 1 : 0), part < whole ? 99 : 100);
export const ratingsLine = (helpful: number, notHelpful: number) =>
  `${helpful} helpful, ${notHelpful} not helpful`;
export const staffLine = (resolved: number, first: number, median: number | null) =>
  `${resolved} resolved, ${first} first ${first === 1 ? 'response' : 'responses'}${first ? ` (median ${duration(median)})` : ''}`;
export const NOBODY = 'nobody yet';
export const NOTHING = 'none';
export const hoursNote = (timeZone: string) => `Cases opened by hour of the day (${timeZone})`;
export const EXPLAINED =
  'Times are business time (the team’s hours). A target counts where it was met, or where it fell due unmet.';

// Data care.
export const FORGOTTEN_NAME = '(forgotten)';
export const nothingKept = (customer: string) => `Nothing is kept about ${customer}.`;
export const onlyWaiting = (customer: string) =>
  `${customer} has no case and no message here. Forget what may still wait about them (an event not yet handled, their question counters)?`;
export const forgetAsk = (customer: string, cases: number, messages: number) =>
  `Forget ${customer}? Their name and id go from ${cases} case${cases === 1 ? '' : 's'}, and the words of their ${messages} message${messages === 1 ? '' : 's'} are erased, here and in what the bot keeps of deliveries and events. The cases stay as counts in the report. This cannot be undone.`;
export const forgotten = (customer: string, cases: number, messages: number) =>
  `Forgotten: ${customer}. ${cases} case${cases === 1 ? '' : 's'} now show “${FORGOTTEN_NAME}”; ${messages} message${messages === 1 ? '' : 's'} erased.`;
export const FORGET_CANCELLED = 'Nothing was forgotten.';
export const FORGET_BUTTON = 'Forget them';
export const CANCEL_BUTTON = 'Cancel';
export const CUSTOMER_ID_HELP =
  'Name the customer by their id as the customer’s side shows it (a Slack member id like U0123ABCD, or <@U0123ABCD>).';
