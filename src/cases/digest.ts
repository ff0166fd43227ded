// The weekly digest: once a week at a time of the team's clock ("Mon 09:00"), the report of the seven days
// before it goes to whoever `send` reaches. Every replica looks every minute; the week is claimed in the
// database first (held for a while, then marked sent), so only one sends it, and another takes over when the
// sender died before it was through. A digest more than a day late (the bot was down) is skipped.
import type { Kysely } from 'kysely';
import { lastWeekly } from '../model/business-hours.js';
import type { Logger } from '../model/logger.js';
import { fail, ok, type Result } from '../model/result.js';
import type { Schema } from '../store/schema.js';
import type { Report } from './report.js';

export interface DigestSchedule {
  /** 0 = Sunday … 6. */
  day: number;
  /** Minutes past local midnight. */
  minutes: number;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_MS = 86_400_000;
/** How long a replica holds a week while it sends; after that another may. */
const HOLD_MS = 10 * 60_000;

/** Reads "Mon 09:00". */
export function parseDigestAt(text: string): Result<DigestSchedule, string> {
  const match = /^([a-z]{3})[a-z]*\s+(\d{1,2}):(\d{2})$/i.exec(text.trim());
  const day = DAYS.indexOf(match?.[1]?.toLowerCase() ?? '');
  const minutes = Number(match?.[2]) * 60 + Number(match?.[3]);
  if (!match || day < 0 || Number(match[2]) > 23 || Number(match[3]) > 59)
    return fail('must be a day and a time of the team’s clock, like "Mon 09:00"');
  return ok({ day, minutes });
}

export interface DigestOptions {
  db: Kysely<Schema>;
  timeZone: string;
  schedule: DigestSchedule;
  report(period: { since: number; until: number }): Promise<Report>;
  send(report: Report): Promise<void>;
  log: Logger;
  now: () => number;
  /** @default 60_000 */
  everyMs?: number;
}

export function createDigest(options: DigestOptions) {
  const { db, timeZone, schedule, log, now } = options;
  let timer: NodeJS.Timeout | undefined;

  /** Sends the week's digest when it is due and nobody sent it; true when this call sent it. */
  async function tick(): Promise<boolean> {
    const due = lastWeekly(timeZone, schedule.day, schedule.minutes, now());
    if (now() - due.at > DAY_MS) return false;
    const at = now();
    const claimed = await db
      .insertInto('digests')
      .values({ week: due.date, held_until: at + HOLD_MS, sent_at: null })
      .onConflict((conflict) =>
        conflict
          .column('week')
          .doUpdateSet({ held_until: at + HOLD_MS })
          .where('digests.sent_at', 'is', null)
          .where('digests.held_until', '<', at),
      )
      .executeTakeFirst();
    if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) return false;
    // The week on the team's clock: from the digest before (167 or 169 hours when daylight saving changes).
    const since = lastWeekly(timeZone, schedule.day, schedule.minutes, due.at - 1).at;
    await options.send(await options.report({ since, until: due.at }));
    await db.updateTable('digests').set({ sent_at: now() }).where('week', '=', due.date).execute();
    log.info('cases: weekly digest sent', { week: due.date });
    return true;
  }

  return {
    tick,
    start(): void {
      const run = () =>
        void tick().catch((error: unknown) => log.error('cases: the weekly digest failed', { error }));
      run();
      timer = setInterval(run, options.everyMs ?? 60_000);
      timer.unref();
    },
    stop(): void {
      clearInterval(timer);
    },
  };
}
export type Digest = ReturnType<typeof createDigest>;
