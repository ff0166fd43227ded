// Discord's rate limits and failures on loopback (developers/topics/rate-limits.mdx): every answer carries
// X-RateLimit-Limit / -Remaining / -Reset / -Reset-After / -Bucket for its bucket (the route, per top-level
// resource: channel, guild, webhook id + token, interaction), and a bucket spent before it resets answers
// 429 like Discord, so @discordjs/rest's bucket handling does real work. Scripted failures (failRest, outage)
// answer 429 with Retry-After / retry_after / global, or a 5xx.
import { createHash } from 'node:crypto';

type Json = Record<string, unknown>;

export interface RateLimitRule {
  /** Requests per bucket per window. @default 50 */
  limit: number;
  /** @default 1000 */
  windowMs: number;
}

/**
 * A scripted failure for the calls `match` accepts. 429 carries Retry-After (whole seconds, rounded up as in
 * Discord's example) and the exact `retry_after` in its body; `retryAfter: 0` keeps a test fast.
 */
export interface RestFailure {
  status: 429 | 500 | 502 | 503;
  /** @default 1 */
  times?: number;
  /** Seconds. @default 1 */
  retryAfter?: number;
  /** A global rate limit: X-RateLimit-Global and scope global, no per-route headers. */
  global?: boolean;
  /**
   * A 5xx only: Discord carried the call out, then its edge answered the failure (a 502 after the origin made
   * the message). The caller cannot tell this from a call that was not made.
   */
  carriedOut?: boolean;
}

export interface Refusal {
  status: number;
  headers: Record<string, string>;
  body: Json;
  /** The call was carried out all the same (RestFailure.carriedOut). */
  carriedOut?: boolean;
}

const SNOWFLAKE = /^\d{15,20}$/;

/** The bucket of a request: its route with ids elided, and the top-level resource it is counted per. */
function bucketOf(method: string, path: string): { route: string; major: string } {
  const parts = path.split('/').slice(1);
  const [top, id, token] = parts;
  const major =
    top === 'webhooks' || top === 'interactions'
      ? `${id}/${token}`
      : top === 'channels' || top === 'guilds'
        ? (id ?? '')
        : '';
  const route = parts
    .map((part, index) =>
      SNOWFLAKE.test(part) ? ':id' : index === 2 && major.includes('/') ? ':token' : part,
    )
    .join('/');
  return { route: `${method} /${route}`, major };
}

const hash = (route: string) => createHash('sha256').update(route).digest('hex').slice(0, 32);

export function createLimits(rule: RateLimitRule = { limit: 50, windowMs: 1000 }) {
  const buckets = new Map<string, { remaining: number; resetAt: number }>();
  const failures: { match: (method: string, path: string) => boolean; failure: RestFailure; left: number }[] =
    [];
  let down = false;

  /** Spends one request of the bucket; the headers to send, or a 429 when it was spent already. */
  const spend = (method: string, path: string): { headers: Record<string, string>; refusal?: Refusal } => {
    const { route, major } = bucketOf(method, path);
    const key = `${route} ${major}`;
    const now = Date.now();
    let bucket = buckets.get(key);
    if (!bucket || bucket.resetAt <= now) {
      bucket = { remaining: rule.limit, resetAt: now + rule.windowMs };
      buckets.set(key, bucket);
    }
    const exceeded = bucket.remaining === 0;
    if (!exceeded) bucket.remaining -= 1;
    const resetAfter = (bucket.resetAt - now) / 1000;
    const headers = {
      'x-ratelimit-limit': String(rule.limit),
      'x-ratelimit-remaining': String(bucket.remaining),
      'x-ratelimit-reset': (bucket.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-bucket': hash(route),
    };
    if (!exceeded) return { headers };
    return { headers, refusal: tooMany(headers, resetAfter, false) };
  };

  /** A scripted failure or outage for this request, if any. */
  const scripted = (method: string, path: string): Refusal | undefined => {
    if (down) return serverError(503);
    const index = failures.findIndex((entry) => entry.match(method, path));
    const entry = failures[index];
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left === 0) failures.splice(index, 1);
    const { failure } = entry;
    if (failure.status !== 429)
      return { ...serverError(failure.status), ...(failure.carriedOut ? { carriedOut: true } : {}) };
    const retryAfter = failure.retryAfter ?? 1;
    if (failure.global) return tooMany({ 'x-ratelimit-global': 'true' }, retryAfter, true);
    const { route } = bucketOf(method, path);
    const headers = {
      'x-ratelimit-limit': String(rule.limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': (Date.now() / 1000 + retryAfter).toFixed(3),
      'x-ratelimit-reset-after': retryAfter.toFixed(3),
      'x-ratelimit-bucket': hash(route),
    };
    return tooMany(headers, retryAfter, false);
  };

  return {
    spend,
    scripted,
    fail: (match: (method: string, path: string) => boolean, failure: RestFailure) => {
      failures.push({ match, failure, left: failure.times ?? 1 });
    },
    outage: (on: boolean) => {
      down = on;
    },
  };
}

function tooMany(headers: Record<string, string>, retryAfter: number, global: boolean): Refusal {
  return {
    status: 429,
    headers: {
      ...headers,
      'retry-after': String(Math.ceil(retryAfter)),
      'x-ratelimit-scope': global ? 'global' : 'user',
    },
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global },
  };
}

function serverError(status: number): Refusal {
  const text = { 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' }[status];
  return { status, headers: {}, body: { message: `${status}: ${text}`, code: 0 } };
}
