// What a rate limit answers, whether it counts in this process's memory (src/conversation) or in the database
// every replica shares (src/store).
import type { Result } from './result.js';

/** Allowed, or how long until the next question would be. */
export type RateVerdict = Result<void, { retryAfterMs: number }>;
/** A limit per key. */
export type RateLimiter = (key: string) => RateVerdict | Promise<RateVerdict>;
