// Sends the command definitions (/mailsettings, /reply, /snippet, /cases) to Discord, to one guild when
// DISCORD_GUILD_ID is set (instant, for testing) or globally, visible by default to members with
// DISCORD_STAFF_PERMISSION. Run it once per change, not on every start.
import { PermissionFlagsBits, REST, Routes } from 'discord.js';
import { ConfigError } from '../../src/index.js';
import { mailsettingsCommand, replyCommand } from './command.js';
import type { DiscordEnv } from './config.js';
import { casesCommand, snippetCommand } from './desk-command.js';
import { restOptions } from './rest.js';

export async function registerCommands(config: DiscordEnv): Promise<{ route: string; count: number }> {
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) {
    throw new ConfigError(
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register the command. See .env.example.',
    );
  }
  const staffPermission = PermissionFlagsBits[config.DISCORD_STAFF_PERMISSION];
  const rest = new REST(restOptions(config.DISCORD_API_URL)).setToken(token);
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(applicationId, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, {
    body: [mailsettingsCommand, replyCommand, snippetCommand, casesCommand].map((command) =>
      command(staffPermission).toJSON(),
    ),
  })) as unknown[];
  return { route, count: registered.length };
}
