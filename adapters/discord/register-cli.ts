// `npm run discord:register`: registers /mailsettings with Discord once (see register.ts).
import { ConfigError } from '../../src/index.js';
import { loadDiscordEnv } from './config.js';
import { registerCommands } from './register.js';

try {
  const config = loadDiscordEnv(process.env);
  const { route, count } = await registerCommands(config);
  const where = config.DISCORD_GUILD_ID
    ? `guild ${config.DISCORD_GUILD_ID}`
    : 'all guilds (global commands can take up to an hour to appear)';
  console.log(`Registered ${count} command(s) for ${where} at ${route}.`);
} catch (error) {
  console.error(
    error instanceof ConfigError ? error.message : `Registration failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
