// A per-user limit on questions (a sliding window of timestamps), so one user cannot turn the bot into a
// scanner or starve others. Keys live in a bounded LRU, so a flood of user ids cannot grow memory.
import { LRUCache } from 'lru-cache';

export interface RateLimitOptions {
  /** Questions allowed per window. @default 10 */
  limit?: number;
  /** @default 60_000 */
  windowMs?: number;
  /** Users tracked at once. @default 10_000 */
  maxKeys?: number;
  now?: () => number;
}

export type RateLimiter = (key: string) => { allowed: true } | { allowed: false; retryAfterMs: number };

export function createRateLimiter(options: RateLimitOptions = {}): RateLimiter {
  const { limit = 10, windowMs = 60_000, maxKeys = 10_000, now = Date.now } = options;
  const seen = new LRUCache<string, number[]>({ max: maxKeys });
  return (key) => {
    const at = now();
    const recent = (seen.get(key) ?? []).filter((time) => at - time < windowMs);
    if (recent.length >= limit) {
      seen.set(key, recent);
      return { allowed: false, retryAfterMs: windowMs - (at - (recent[0] as number)) };
    }
    recent.push(at);
    seen.set(key, recent);
    return { allowed: true };
  };
}

export function slowDownMessage(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return `You are asking faster than I can look things up. Please wait ${seconds} s and ask again.`;
}
