// A per-user limit on questions (a sliding window of timestamps), so one user cannot turn the bot into a
// scanner or starve others. Keys live in a bounded LRU, so a flood of user ids cannot grow memory.
import { LRUCache } from 'lru-cache';
import { fail, ok, type Result } from '../model/result.js';

export interface RateLimitOptions {
  /** Questions allowed per window. @default 10 */
  limit?: number;
  /** @default 60_000 */
  windowMs?: number;
  /** Users tracked at once. @default 10_000 */
  maxKeys?: number;
  now?: () => number;
}

/** Allowed, or how long until the next question would be. */
export type RateVerdict = Result<void, { retryAfterMs: number }>;
/** A limit per key: in this process's memory, or shared by replicas through the database (store/). */
export type RateLimiter = (key: string) => RateVerdict | Promise<RateVerdict>;

export function createRateLimiter(options: RateLimitOptions = {}): (key: string) => RateVerdict {
  const { limit = 10, windowMs = 60_000, maxKeys = 10_000, now = Date.now } = options;
  const seen = new LRUCache<string, number[]>({ max: maxKeys });
  return (key) => {
    const at = now();
    const recent = (seen.get(key) ?? []).filter((time) => at - time < windowMs);
    if (recent.length >= limit) {
      seen.set(key, recent);
      return fail({ retryAfterMs: windowMs - (at - (recent[0] as number)) });
    }
    recent.push(at);
    seen.set(key, recent);
    return ok(undefined);
  };
}
