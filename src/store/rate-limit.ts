// The per-user limits, shared by every replica through the database: whichever process a request reaches,
// it counts against the same window. One atomic upsert per question (no read-then-write race between
// replicas); the window is fixed per key, one minute by default, rather than the in-memory limiter's sliding one.
import type { Kysely } from 'kysely';
import type { RateVerdict } from '../model/rate-limit.js';
import { fail, ok } from '../model/result.js';
import type { Schema } from './schema.js';

export interface SharedRateLimitOptions {
  /** What is counted (questions, checks): keys of different limits never mix. */
  name: string;
  limit: number;
  /** @default 60_000 */
  windowMs?: number;
  now?: () => number;
}

export function createSharedRateLimiter(db: Kysely<Schema>, options: SharedRateLimitOptions) {
  const { name, limit, windowMs = 60_000, now = Date.now } = options;
  // Already loaded by openDatabase (database.ts): only the start-up of a bot without a database skips it.
  const kysely = import('kysely');
  let calls = 0;
  return async (user: string): Promise<RateVerdict> => {
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
  };
}
