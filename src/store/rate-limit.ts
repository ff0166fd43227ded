// The per-user limits, shared by every replica through the database: whichever process a request reaches,
// it counts against the same window. One atomic upsert per question (no read-then-write race between
// replicas); the window is fixed per key, one minute by default, rather than the in-memory limiter's sliding one.
// While the database is away each process counts in its own memory (`whileAway`), so questions are still answered.
import type { Kysely } from 'kysely';
import type { Logger } from '../model/logger.js';
import type { RateVerdict } from '../model/rate-limit.js';
import { fail, ok } from '../model/result.js';
import { withTimeout } from '../model/timeout.js';
import type { Schema } from './schema.js';
import { databaseTrouble, reasonOf } from './trouble.js';

export interface SharedRateLimitOptions {
  /** What is counted (questions, checks): keys of different limits never mix. */
  name: string;
  limit: number;
  /** @default 60_000 */
  windowMs?: number;
  now?: () => number;
  /** Counts while the database is away (this process's own limiter); without it, a question then fails. */
  whileAway?: (user: string) => RateVerdict;
  /** Told once when the database is away and the count falls back to `whileAway`. */
  log?: Logger;
}

/** How long a question waits for the shared count before it is counted in memory instead. */
const SILENT_MS = 1000;

export function createSharedRateLimiter(db: Kysely<Schema>, options: SharedRateLimitOptions) {
  const { name, limit, windowMs = 60_000, now = Date.now } = options;
  // Already loaded by openDatabase (database.ts): only the start-up of a bot without a database skips it.
  const kysely = import('kysely');
  let away = false;
  let calls = 0;
  return async (user: string): Promise<RateVerdict> => {
    try {
      const counting = count(user);
      counting.catch(() => {}); // once the answer went on without it, a late failure is of no interest
      // A database that went silent (a cut network) must not hold up Slack's 3-second acknowledgement.
      const verdict = await withTimeout(counting, SILENT_MS, () => 'silent' as const);
      if (verdict === 'silent')
        throw Object.assign(new Error(`no answer within ${SILENT_MS} ms`), { code: 'ETIMEDOUT' });
      away = false;
      return verdict;
    } catch (error) {
      if (!databaseTrouble(error) || !options.whileAway) throw error;
      if (!away)
        options.log?.warn('limits: the database is away; counting in this process until it is back', {
          limit: name,
          reason: reasonOf(error),
        });
      away = true;
      return options.whileAway(user);
    }
  };

  async function count(user: string): Promise<RateVerdict> {
    const { sql } = await kysely;
    const at = now();
    const expired = at - windowMs;
    const { rows } = await sql<{ count: number; window_start: number | string }>`
      INSERT INTO rate_limits (key, window_start, count) VALUES (${`${name}:${user}`}, ${at}, 1)
      ON CONFLICT (key) DO UPDATE SET
        count = CASE WHEN rate_limits.window_start <= ${expired} THEN 1 ELSE rate_limits.count + 1 END,
        window_start = CASE WHEN rate_limits.window_start <= ${expired} THEN ${at} ELSE rate_limits.window_start END
      RETURNING count, window_start`.execute(db);
    // Now and then, forget users whose window is long over, so the table stays the size of who is active.
    if (++calls % 1000 === 0)
      await db.deleteFrom('rate_limits').where('window_start', '<=', expired).execute();
    const [row] = rows;
    if (!row || Number(row.count) <= limit) return ok(undefined);
    return fail({ retryAfterMs: Math.max(1, Number(row.window_start) + windowMs - at) });
  }
}
