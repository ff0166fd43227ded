// The core's configuration: every MAILSETTINGS_* variable, read once at start-up (src/app/env.ts). Each front
// end reads its own variables with its own schema (adapters/*/config.ts). Defaults come from the modules
// they configure, so each is written once.
import { z } from 'zod';
import { CASE_DEFAULTS } from '../cases/cases.js';
import { CHECK_DEADLINE_MS } from '../check/check.js';
import { CONVERSATION_DEFAULTS } from '../conversation/conversation.js';
import { DNS_TIMEOUT_MS } from '../resolve/lookup/dns.js';
import { RESOLVER_DEFAULTS } from '../resolve/resolver.js';
import { DEFAULT_DATABASE_URL } from '../store/database.js';
import { baseUrl, count, flag, milliseconds, parseEnv } from './env.js';

const dnsServer = /^(\[[0-9a-f:.]+\]|[0-9a-f:.]+)(:\d{1,5})?$/i;

export const envSchema = z.object({
  /** YAML or JSON file describing the operator's own mail servers. */
  MAILSETTINGS_PROFILE: z.string().optional(),
  /** Whole resolution, in ms. */
  MAILSETTINGS_DEADLINE_MS: milliseconds(RESOLVER_DEFAULTS.deadlineMs),
  /** Comma-separated `host[:port]`. @default the system's resolvers */
  MAILSETTINGS_DNS_SERVERS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z.string().regex(dnsServer, 'must be IP addresses with optional ports, like 127.0.0.1:53,[::1]:53'),
      ),
    )
    .default([]),
  /** Per DNS query try, in ms (two tries); short enough to move on from a dead first server in time. */
  MAILSETTINGS_DNS_TIMEOUT_MS: milliseconds(DNS_TIMEOUT_MS),
  /** Base URL the domain is appended to. @default Thunderbird's public ISP database */
  MAILSETTINGS_ISPDB_URL: baseUrl.default(RESOLVER_DEFAULTS.ispdbUrl),
  /** Lift the private-address refusal (internal deployments only). @default false */
  MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: flag.default(false),
  /** Domains kept in the answer cache. */
  MAILSETTINGS_CACHE_SIZE: count(RESOLVER_DEFAULTS.cacheSize, 0, 1_000_000),
  /** How long a complete answer is reused, in ms. */
  MAILSETTINGS_CACHE_TTL_MS: count(RESOLVER_DEFAULTS.cacheTtlMs, 0, Number.MAX_SAFE_INTEGER),
  /** Per-user questions per minute in chat. */
  MAILSETTINGS_RATE_LIMIT: count(CONVERSATION_DEFAULTS.questionsPerMinute, 1, 10_000),
  /** The whole live check (`example.com check`), in ms. */
  MAILSETTINGS_CHECK_DEADLINE_MS: milliseconds(CHECK_DEADLINE_MS),
  /** Who may run live checks from Slack (customers): `staff` keeps them to Discord and the CLI. @default staff */
  MAILSETTINGS_CHECK_AUDIENCE: z
    .enum(['staff', 'everyone'], { error: 'must be staff or everyone' })
    .default('staff'),
  /** Live checks per chat user per minute. */
  MAILSETTINGS_CHECK_RATE_LIMIT: count(CONVERSATION_DEFAULTS.checksPerMinute, 1, 1000),
  /** Where cases are kept: `file:<path>` (SQLite, created on first start) or `postgres://…` (several replicas). */
  DATABASE_URL: z
    .string()
    .regex(/^(file:|postgres(ql)?:\/\/)/, 'must be file:<path> (SQLite) or postgres://… (PostgreSQL)')
    .default(DEFAULT_DATABASE_URL),
  /** A case nobody claimed gets one reminder after this many minutes. */
  MAILSETTINGS_CASE_REMINDER_MINUTES: count(CASE_DEFAULTS.reminderMinutes, 1, 7 * 24 * 60),
});
export type Config = z.infer<typeof envSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return parseEnv(envSchema, env);
}
