// Discord's own configuration (its variables, read through the core's parseEnv). Discord starts only when
// DISCORD_TOKEN is set; registering the command needs the application id too.
import * as z from 'zod/mini';
import { httpUrl, parseEnv } from '../../src/index.js';

const snowflake = (what: string) => z.optional(z.string().check(z.regex(/^\d{15,22}$/, `must be ${what}`)));

/**
 * The permissions that may make staff: those a server grants as a whole, never a channel (Discord's permissions
 * table). A command's member permissions are the ones in the channel it runs in, so a permission a channel can
 * grant would make staff of whoever holds it in any one channel.
 */
export const STAFF_PERMISSIONS = [
  'ManageGuild',
  'Administrator',
  'KickMembers',
  'BanMembers',
  'ModerateMembers',
  'ManageNicknames',
  'ViewAuditLog',
  'ManageGuildExpressions',
  'ViewGuildInsights',
] as const;

export const discordEnvSchema = z.object({
  /** Discord starts when this is set (Bot token, "Bot" page of the application). */
  DISCORD_TOKEN: z.optional(z.string().check(z.minLength(20, 'must be the bot token from the "Bot" page'))),
  /** Needed by `npm run discord:register`. */
  DISCORD_APPLICATION_ID: snowflake('the numeric Application ID'),
  /** Register the command to this guild only (instant); otherwise globally. */
  DISCORD_GUILD_ID: snowflake('a numeric server (guild) ID'),
  /** Permission that makes a member staff and shows them the commands (a PermissionFlagsBits name). */
  DISCORD_STAFF_PERMISSION: z._default(
    z.enum(STAFF_PERMISSIONS, {
      error: `must be a server-wide Discord permission: ${STAFF_PERMISSIONS.join(', ')}. One a channel can grant (ManageMessages, ManageThreads…) would make a moderator of any channel staff there; give staff a role instead (DISCORD_STAFF_ROLE_ID)`,
    }),
    'ManageGuild',
  ),
  /** The forum channel where support cases become posts; the relay between Slack and Discord needs it. */
  DISCORD_CASES_CHANNEL_ID: snowflake('the numeric id of a forum channel'),
  /** The staff role: who may act on cases, and who a reminder mentions when nobody has the case. */
  DISCORD_STAFF_ROLE_ID: snowflake('the numeric id of a role'),
  /** The role told when a case misses a response or resolution target (otherwise the staff role). */
  DISCORD_LEAD_ROLE_ID: snowflake('the numeric id of a role'),
  /** The channel the weekly support digest goes to (MAILSETTINGS_DIGEST_AT); none: no digest. */
  DISCORD_REPORT_CHANNEL_ID: snowflake('the numeric id of a text channel'),
  /** REST base, for a proxy or a test server. @default https://discord.com/api */
  /** As discord.js takes it: without a trailing slash (it appends /v10/…). */
  DISCORD_API_URL: z.optional(
    z.pipe(
      httpUrl,
      z.transform((url: string) => url.replace(/\/+$/, '')),
    ),
  ),
});
export type DiscordEnv = z.infer<typeof discordEnvSchema>;
export type DiscordConfig = Omit<DiscordEnv, 'DISCORD_TOKEN'> & { DISCORD_TOKEN: string };

export function loadDiscordEnv(env: NodeJS.ProcessEnv): DiscordEnv {
  return parseEnv(discordEnvSchema, env, new Set(['DISCORD_TOKEN']));
}

/** Discord's configuration, or undefined when Discord is not configured (it then does not start). */
export function loadDiscordConfig(env: NodeJS.ProcessEnv): DiscordConfig | undefined {
  const parsed = loadDiscordEnv(env);
  const token = parsed.DISCORD_TOKEN;
  return token ? { ...parsed, DISCORD_TOKEN: token } : undefined;
}
