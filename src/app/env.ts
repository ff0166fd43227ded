// Reads environment variables through a zod schema, t3-env style: empty strings count as unset, and a wrong
// value stops the start with one message naming the variable, what it must be, and what was given (never
// a secret's value). The core's schema (config.ts) and each front end's own schema all go through here.
import { ConfigError } from '../model/errors.js';
import { escapeControls } from '../model/escape-controls.js';
import * as z from '../model/zod.js';
import { editDistance } from '../question/suggest.js';

/** The variables the bot reads. */
const OURS = /^(?:MAILSETTINGS_|SLACK_|DISCORD_)|^(?:DATABASE_URL|PORT)$/;

/** Parses `env` with `schema`; `secrets` are the variables whose values must never be shown. */
export function parseEnv<S extends z.ZodMiniType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  secrets: ReadonlySet<string> = new Set(),
): z.infer<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  // Docker's --env-file (and some process managers) keep quotes that a shell would take off.
  const quoted = Object.entries(present).find(
    ([name, value]) => OURS.test(name) && /^(["']).*\1$/s.test(String(value).trim()),
  );
  if (quoted)
    throw new ConfigError(
      `${quoted[0]} is wrapped in quotes, which Docker's --env-file and some process managers keep: remove them. See .env.example.`,
    );
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const value = describeValue(env[name] ?? '', secrets.has(name));
  throw new ConfigError(`${name} ${issue?.message ?? 'is invalid'} (${value}). See .env.example.`);
}

/** The value as given, but never a secret: tokens show only their public kind (xoxp-…), URLs no password. */
function describeValue(value: string, secret: boolean): string {
  if (value.trim() === '') return 'it is not set';
  // A URL's login is everything up to its last "@" (a password may hold "/" or "@").
  if (!secret) return `got "${escapeControls(value.replace(/\/\/.*@/s, '//…@'))}"`;
  const prefix = /^x(?:ox[a-z]|app)-/.exec(value)?.[0];
  return prefix ? `got a value starting with ${prefix}, the rest not shown` : 'the value is not shown';
}

export const flag = z.pipe(
  z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' }),
  z.transform((value) => ['true', '1', 'yes'].includes(value)),
);

export const milliseconds = (fallback: number) =>
  z._default(
    z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .check(
        z.int('must be a whole number of milliseconds'),
        z.minimum(50, 'must be at least 50 ms'),
        z.maximum(120_000, 'must be at most 120000 ms (two minutes)'),
      ),
    fallback,
  );

export const count = (fallback: number, min: number, max: number) => {
  const range = `must be a whole number from ${min} to ${max}`;
  return z._default(
    z.coerce.number({ error: range }).check(z.int(range), z.minimum(min, range), z.maximum(max, range)),
    fallback,
  );
};

export const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
/** A base URL that paths are appended to. */
export const baseUrl = z.pipe(
  httpUrl,
  z.transform((url: string) => (url.endsWith('/') ? url : `${url}/`)),
);

export const port = (fallback: number) => {
  const range = 'must be a port number from 0 to 65535';
  return z._default(
    z.coerce
      .number({ error: 'must be a port number' })
      .check(z.int(range), z.minimum(0, range), z.maximum(65535, range)),
    fallback,
  );
};

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * A duration like "90m", "4h" or "3d" (a day is 24 hours), in milliseconds. Without `days`, only minutes and
 * hours: for targets in business time, where a "day" would be ambiguous.
 */
export const duration = (fallbackMs: number, { days = true } = {}) =>
  z._default(
    z.pipe(
      z.string(),
      z.transform((value: string, context) => {
        const match = /^(\d+)\s*([mhd])$/.exec(value.trim());
        const unit = match?.[2] as keyof typeof UNIT_MS | undefined;
        if (!match || !unit || (unit === 'd' && !days) || Number(match[1]) === 0) {
          context.issues.push({
            code: 'custom',
            input: value,
            message: `must be a duration like ${days ? '90m, 4h or 3d' : '90m or 4h (business time: no days)'}`,
          });
          return z.NEVER;
        }
        return Number(match[1]) * UNIT_MS[unit];
      }),
    ),
    fallbackMs,
  );

/**
 * Variables of ours that no schema reads, each with the name it likely meant (MAILSETTINGS_RATE_LIMITS for
 * MAILSETTINGS_RATE_LIMIT): set, they change nothing. The test suite's own (MAILSETTINGS_TEST_…) are not ours.
 */
export function unknownVariables(env: NodeJS.ProcessEnv, known: readonly string[]): string[] {
  return Object.keys(env)
    .filter((name) => OURS.test(name) && !name.startsWith('MAILSETTINGS_TEST_') && !known.includes(name))
    .map((name) => {
      const [closest] = known
        .map((other) => ({ other, distance: editDistance(name, other, 4) }))
        .filter(({ distance }) => distance <= 3)
        .sort((a, b) => a.distance - b.distance);
      return `${name} is not a variable the bot reads, so it changes nothing${closest ? `: did you mean ${closest.other}?` : '.'}`;
    });
}
