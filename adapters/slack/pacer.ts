// Slack's pace for posting: chat.postMessage allows "1 per second per channel, short bursts allowed" (Slack's
// rate limits page), so the customer side waits for its turn per channel instead of being refused.
import { LRUCache } from 'lru-cache';

/** A token bucket per channel: `burst` messages at once, then `perSecond`; waits for a token when there is none. */
export function channelPacer(perSecond: number, burst: number): (channel: string) => Promise<void> {
  const buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 10_000 });
  return async (channel) => {
    for (;;) {
      const now = Date.now();
      const bucket = buckets.get(channel) ?? { tokens: burst, at: now };
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      buckets.set(channel, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, ((1 - bucket.tokens) / perSecond) * 1000));
    }
  };
}
