// Reads the environment once, at start-up, through one schema (t3-env style): empty strings count as
// unset, and a wrong value stops the start with a message naming the variable and how to fix it.
import { z } from 'zod';
import { ConfigError } from '../model/errors.js';
import { escapeControls } from '../model/escape-controls.js';

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((value) => ['true', '1', 'yes'].includes(value));
const milliseconds = (fallback: number) =>
  z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(50, 'must be at least 50 ms')
    .max(120_000, 'must be at most 120000 ms (two minutes)')
    .default(fallback);
const dnsServer = /^(\[[0-9a-f:.]+\]|[0-9a-f:.]+)(:\d{1,5})?$/i;

const token = (prefix: string, what: string) =>
  z.string().startsWith(prefix, `must be ${what} (it starts with ${prefix})`).optional();

export const envSchema = z
  .object({
    /** YAML or JSON file describing the operator's own mail servers. */
    MAILSETTINGS_PROFILE: z.string().optional(),
    /** Whole resolution, in ms. @default 2500 */
    MAILSETTINGS_DEADLINE_MS: milliseconds(2500),
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
    /** Per DNS query try, in ms (two tries); short enough to move on from a dead first server in time. @default 500 */
    MAILSETTINGS_DNS_TIMEOUT_MS: milliseconds(500),
    /** Base URL the domain is appended to. @default Thunderbird's public ISP database */
    MAILSETTINGS_ISPDB_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => (url.endsWith('/') ? url : `${url}/`))
      .default('https://autoconfig.thunderbird.net/v1.1/'),
    /** Lift the private-address refusal (internal deployments only). @default false */
    MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: flag.default(false),
    /** Domains kept in the answer cache. @default 5000 */
    MAILSETTINGS_CACHE_SIZE: z.coerce
      .number({ error: 'must be a number' })
      .int()
      .min(0)
      .max(1_000_000)
      .default(5000),
    /** How long a complete answer is reused, in ms. @default 600000 */
    MAILSETTINGS_CACHE_TTL_MS: z.coerce.number({ error: 'must be a number' }).int().min(0).default(600_000),
    /** Per-user questions per minute in chat. @default 10 */
    MAILSETTINGS_RATE_LIMIT: z.coerce
      .number({ error: 'must be a number' })
      .int()
      .min(1)
      .max(10_000)
      .default(10),

    /** The whole live check (`example.com check`), in ms. @default 8000 */
    MAILSETTINGS_CHECK_DEADLINE_MS: milliseconds(8000),
    /** Who may run live checks from Slack (customers): `staff` keeps them to Discord and the CLI. @default staff */
    MAILSETTINGS_CHECK_AUDIENCE: z
      .enum(['staff', 'everyone'], { error: 'must be staff or everyone' })
      .default('staff'),
    /** Live checks per chat user per minute. @default 3 */
    MAILSETTINGS_CHECK_RATE_LIMIT: z.coerce
      .number({ error: 'must be a number' })
      .int()
      .min(1)
      .max(1000)
      .default(3),

    /** Slack starts when this is set, with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode). */
    SLACK_BOT_TOKEN: token('xoxb-', 'the Bot User OAuth Token'),
    SLACK_SIGNING_SECRET: z.string().optional(),
    /** Socket Mode when set: no public URL needed. */
    SLACK_APP_TOKEN: token('xapp-', 'an app-level token with connections:write'),
    /** Slack Web API base (GovSlack, or a test server). @default https://slack.com/api/ */
    SLACK_API_URL: z
      .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
      .transform((url) => (url.endsWith('/') ? url : `${url}/`))
      .optional(),
    /** Discord starts when this is set (Bot token, "Bot" page of the application). */
    DISCORD_TOKEN: z.string().min(20, 'must be the bot token from the "Bot" page').optional(),
    /** Needed by `npm run discord:register`. */
    DISCORD_APPLICATION_ID: z
      .string()
      .regex(/^\d{15,22}$/, 'must be the numeric Application ID')
      .optional(),
    /** Register the command to this guild only (instant); otherwise globally. */
    DISCORD_GUILD_ID: z
      .string()
      .regex(/^\d{15,22}$/, 'must be a numeric server (guild) ID')
      .optional(),
    /** Permission a member needs to see /mailsettings (a PermissionFlagsBits name). @default ManageGuild */
    DISCORD_STAFF_PERMISSION: z
      .string()
      .regex(/^[A-Za-z]+$/, 'must be a permission name')
      .default('ManageGuild'),
    /** REST base, for a proxy or a test server. @default https://discord.com/api */
    DISCORD_API_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
    /** HTTP mode listens here, at /slack/events. @default 3000 */
    PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65535).default(3000),
  })
  .superRefine((env, context) => {
    if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
      context.addIssue({
        code: 'custom',
        path: ['SLACK_SIGNING_SECRET'],
        message:
          'or SLACK_APP_TOKEN must be set with SLACK_BOT_TOKEN (signing secret for HTTP mode, app token for Socket Mode)',
      });
    }
  });
export type Config = z.infer<typeof envSchema>;

/** Never echoed in an error message: a start-up log must not leak them. */
const SECRETS = new Set(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'DISCORD_TOKEN']);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  throw new ConfigError(
    `${name} ${issue?.message ?? 'is invalid'} (${describeValue(name, env[name] ?? '')}). See .env.example.`,
  );
}

/** The value as given, but never a secret: tokens show only their public kind (xoxp-…), URLs no password. */
function describeValue(name: string, value: string): string {
  if (value.trim() === '') return 'it is not set';
  if (!SECRETS.has(name)) return `got "${escapeControls(value.replace(/\/\/[^/@]*@/, '//…@'))}"`;
  const prefix = /^x(?:ox[a-z]|app)-/.exec(value)?.[0];
  return prefix ? `got a value starting with ${prefix}, the rest not shown` : 'the value is not shown';
}
