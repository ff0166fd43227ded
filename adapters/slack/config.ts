// Slack's own configuration (its variables, read through the core's parseEnv): Socket Mode when an app token
// is set, otherwise HTTP mode on PORT with the signing secret. Slack starts only when it is configured.
import * as z from 'zod/mini';
import { httpUrl, parseEnv, port } from '../../src/index.js';

const token = (prefix: string, what: string) =>
  z.optional(z.string().check(z.startsWith(prefix, `must be ${what} (it starts with ${prefix})`)));

export const slackEnvSchema = z
  .object({
    /** Slack starts when this is set, with SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode). */
    SLACK_BOT_TOKEN: token('xoxb-', 'the Bot User OAuth Token'),
    SLACK_SIGNING_SECRET: z.optional(z.string()),
    /** Socket Mode when set: no public URL needed. */
    SLACK_APP_TOKEN: token('xapp-', 'an app-level token with connections:write'),
    /** Slack Web API base (GovSlack, or a test server). @default https://slack.com/api/ */
    SLACK_API_URL: z.optional(
      z.pipe(
        httpUrl,
        z.transform((url) => (url.endsWith('/') ? url : `${url}/`)),
      ),
    ),
    /** HTTP mode listens here, at /slack/events. */
    PORT: port(3000),
  })
  .check(
    z.superRefine((env, context) => {
      if (env.SLACK_BOT_TOKEN && !env.SLACK_SIGNING_SECRET && !env.SLACK_APP_TOKEN) {
        context.addIssue({
          code: 'custom',
          path: ['SLACK_SIGNING_SECRET'],
          message:
            'or SLACK_APP_TOKEN must be set with SLACK_BOT_TOKEN (signing secret for HTTP mode, app token for Socket Mode)',
        });
      }
    }),
  );
export type SlackEnv = z.infer<typeof slackEnvSchema>;
/** A configured Slack: the token and one way of receiving events. */
export type SlackConfig = Pick<SlackEnv, 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL'> & {
  SLACK_BOT_TOKEN: string;
  PORT?: number;
};

const SECRETS = new Set(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN']);

export function loadSlackEnv(env: NodeJS.ProcessEnv): SlackEnv {
  return parseEnv(slackEnvSchema, env, SECRETS);
}

/** Slack's configuration, or undefined when Slack is not configured (it then does not start). */
export function loadSlackConfig(env: NodeJS.ProcessEnv): SlackConfig | undefined {
  const parsed = loadSlackEnv(env);
  const token = parsed.SLACK_BOT_TOKEN;
  return token ? { ...parsed, SLACK_BOT_TOKEN: token } : undefined;
}
