// The core's configuration: every MAILSETTINGS_* variable, read once at start-up (src/app/env.ts). Each front
// end reads its own variables with its own schema (adapters/*/config.ts). Defaults come from the modules
// they configure, so each is written once.
import { CLOCK_DEFAULTS } from '../cases/clocks.js';
import { parseDigestAt } from '../cases/digest.js';
import { CHECK_DEADLINE_MS } from '../check/limits.js';
import { CONVERSATION_DEFAULTS } from '../conversation/conversation.js';
import { parseBusinessHours } from '../model/business-hours.js';
import * as z from '../model/zod.js';
import { DNS_TIMEOUT_MS, isDnsServer } from '../resolve/lookup/dns.js';
import { RESOLVER_DEFAULTS } from '../resolve/resolver.js';
import { DEFAULT_DATABASE_URL } from '../store/database.js';
import { baseUrl, count, duration, flag, httpUrl, milliseconds, parseEnv, port } from './env.js';

const dnsServer = z
  .string()
  .check(
    z.refine(
      isDnsServer,
      'must be IP addresses with optional ports from 1 to 65535, like 127.0.0.1:53,[::1]:53',
    ),
  );
/** "a, b,,c" → ["a", "b", "c"] */
const commaList = z.pipe(
  z.string(),
  z.transform((value) =>
    value
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean),
  ),
);

export const envSchema = z.object({
  /** YAML or JSON file describing the operator's own mail servers. */
  MAILSETTINGS_PROFILE: z.optional(z.string()),
  /** Whole resolution, in ms. */
  MAILSETTINGS_DEADLINE_MS: milliseconds(RESOLVER_DEFAULTS.deadlineMs),
  /** Comma-separated `host[:port]`. @default the system's resolvers */
  MAILSETTINGS_DNS_SERVERS: z._default(z.pipe(commaList, z.array(dnsServer)), []),
  /** Per DNS query try, in ms (two tries); short enough to move on from a dead first server in time. */
  MAILSETTINGS_DNS_TIMEOUT_MS: milliseconds(DNS_TIMEOUT_MS),
  /** Base URL the domain is appended to. @default Thunderbird's public ISP database */
  MAILSETTINGS_ISPDB_URL: z._default(baseUrl, RESOLVER_DEFAULTS.ispdbUrl),
  /** Lift the private-address refusal (internal deployments only). @default false */
  MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: z._default(flag, false),
  /** Domains kept in the answer cache. */
  MAILSETTINGS_CACHE_SIZE: count(RESOLVER_DEFAULTS.cacheSize, 1, 1_000_000),
  /** How long a complete answer is reused, in ms. */
  MAILSETTINGS_CACHE_TTL_MS: count(RESOLVER_DEFAULTS.cacheTtlMs, 1, Number.MAX_SAFE_INTEGER),
  /** Per-user questions per minute in chat. */
  MAILSETTINGS_RATE_LIMIT: count(CONVERSATION_DEFAULTS.questionsPerMinute, 1, 10_000),
  /** The whole live check (`example.com check`), in ms. */
  MAILSETTINGS_CHECK_DEADLINE_MS: milliseconds(CHECK_DEADLINE_MS),
  /** Who may run live checks from Slack (customers): `staff` keeps them to Discord and the CLI. @default staff */
  MAILSETTINGS_CHECK_AUDIENCE: z._default(
    z.enum(['staff', 'everyone'], { error: 'must be staff or everyone' }),
    'staff',
  ),
  /** Live checks per chat user per minute. */
  MAILSETTINGS_CHECK_RATE_LIMIT: count(CONVERSATION_DEFAULTS.checksPerMinute, 1, 1000),
  /** Where cases are kept: `file:<path>` (SQLite, created on first start) or `postgres://…` (several replicas). */
  DATABASE_URL: z._default(
    z
      .string()
      .check(
        z.regex(/^(file:|postgres(ql)?:\/\/)/, 'must be file:<path> (SQLite) or postgres://… (PostgreSQL)'),
      ),
    DEFAULT_DATABASE_URL,
  ),
  /** The support team's time zone (IANA), for business hours, holidays and the times customers are told. */
  MAILSETTINGS_TIME_ZONE: z._default(
    z
      .string()
      .check(
        z.refine((zone) => parseBusinessHours('', zone).ok, 'must be an IANA time zone like Europe/Berlin'),
      ),
    'UTC',
  ),
  /** When the team works, "Mon-Fri 09:00-17:00; Sat 10:00-14:00". @default around the clock */
  MAILSETTINGS_BUSINESS_HOURS: z._default(
    z
      .string()
      .check(
        z.refine(
          (hours) => parseBusinessHours(hours).ok,
          'must read like "Mon-Fri 09:00-17:00; Sat 10:00-14:00"',
        ),
      ),
    '',
  ),
  /** Days the team does not work, "2026-12-24,2026-12-25". */
  MAILSETTINGS_HOLIDAYS: z._default(
    z
      .string()
      .check(
        z.refine(
          (dates) => parseBusinessHours('', 'UTC', dates).ok,
          'must be dates like 2026-12-24,2026-12-25',
        ),
      ),
    '',
  ),
  /** Response targets, in business time. */
  MAILSETTINGS_FIRST_RESPONSE_TARGET: duration(CLOCK_DEFAULTS.firstResponseMs, { days: false }),
  MAILSETTINGS_NEXT_RESPONSE_TARGET: duration(CLOCK_DEFAULTS.nextResponseMs, { days: false }),
  MAILSETTINGS_RESOLUTION_TARGET: duration(CLOCK_DEFAULTS.resolutionMs, { days: false }),
  /** After a staff reply, a quiet customer is asked whether they still need help (calendar time)… */
  MAILSETTINGS_FOLLOW_UP_AFTER: duration(CLOCK_DEFAULTS.followUpMs),
  /** …and the case resolves itself this long after that. */
  MAILSETTINGS_AUTO_RESOLVE_AFTER: duration(CLOCK_DEFAULTS.autoResolveMs),
  /** Words of case messages are erased after this many days; counts and times stay. @default kept */
  MAILSETTINGS_RETENTION_DAYS: z.optional(
    z.coerce
      .number({ error: 'must be a number of days' })
      .check(
        z.int('must be a whole number of days'),
        z.minimum(1, 'must be at least 1 day'),
        z.maximum(36_500, 'must be at most 36500 days'),
      ),
  ),
  /** When the weekly digest goes out, by the team's clock (with DISCORD_REPORT_CHANNEL_ID). @default Mon 09:00 */
  MAILSETTINGS_DIGEST_AT: z._default(
    z.string().check(z.refine((text) => parseDigestAt(text).ok, 'must be a day and a time like "Mon 09:00"')),
    'Mon 09:00',
  ),
  /** Signs set-up page links (HMAC-SHA256). With MAILSETTINGS_PUBLIC_URL: links in answers, the page, autoconfig. */
  MAILSETTINGS_LINK_SECRET: z.optional(
    z.string().check(z.minLength(32, 'must be at least 32 characters (make one with: openssl rand -hex 32)')),
  ),
  /** The bot's public base URL, where set-up links point: https://mailsettings.example.com */
  MAILSETTINGS_PUBLIC_URL: z.optional(httpUrl),
  /** The set-up page's own port, when Slack's HTTP mode does not serve it. */
  MAILSETTINGS_HTTP_PORT: port(8080),
});
export type Config = z.infer<typeof envSchema>;

/** One without the other would sign links nobody can open, or serve a page that cannot check them. */
const withLinksTogether = envSchema.check(
  z.superRefine((env, context) => {
    const [secret, url] = [env.MAILSETTINGS_LINK_SECRET, env.MAILSETTINGS_PUBLIC_URL];
    if (Boolean(secret) === Boolean(url)) return;
    context.addIssue({
      code: 'custom',
      path: [secret ? 'MAILSETTINGS_PUBLIC_URL' : 'MAILSETTINGS_LINK_SECRET'],
      message: `must be set together with ${secret ? 'MAILSETTINGS_LINK_SECRET' : 'MAILSETTINGS_PUBLIC_URL'} for set-up links`,
    });
  }),
);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(withLinksTogether, env, new Set(['MAILSETTINGS_LINK_SECRET']));
}
