// A per-user limit on questions (a sliding window of timestamps), so one user cannot turn the bot into a
// scanner or starve others. Keys live in a bounded LRU, so a flood of user ids cannot grow memory.
import { LRUCache } from 'lru-cache';
import type { RateVerdict } from '../model/rate-limit.js';
import { fail, ok } from '../model/result.js';

export interface RateLimitOptions {
  /** Questions allowed per window. @default 10 */
  limit?: number;
  /** @default 60_000 */
  windowMs?: number;
  /** Users tracked at once. @default 10_000 */
  maxKeys?: number;
  now?: () => number;
}

export type { RateLimiter, RateVerdict } from '../model/rate-limit.js';

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
