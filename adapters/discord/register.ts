// Sends the /mailsettings command definition to Discord, to one guild when
// DISCORD_GUILD_ID is set (instant, for testing) or globally. Run it once per change, not on every start.
import { REST, Routes } from 'discord.js';
import { type Config, ConfigError } from '../../src/index.js';
import { mailsettingsCommand } from './command.js';

export async function registerCommands(config: Config): Promise<{ route: string; count: number }> {
  const token = config.DISCORD_TOKEN;
  const applicationId = config.DISCORD_APPLICATION_ID;
  if (!token || !applicationId) {
    throw new ConfigError(
      'DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register the command. See .env.example.',
    );
  }
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(token);
  const route = config.DISCORD_GUILD_ID
    ? Routes.applicationGuildCommands(applicationId, config.DISCORD_GUILD_ID)
    : Routes.applicationCommands(applicationId);
  const registered = (await rest.put(route, { body: [mailsettingsCommand.toJSON()] })) as unknown[];
  return { route, count: registered.length };
}
