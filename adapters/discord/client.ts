// Builds the discord.js client from the configuration. Only the Guilds intent: slash commands and buttons
// arrive as interactions and need no privileged intents. Gateway reconnects are left to discord.js.
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { Config } from '../../src/index.js';
import { type DiscordDeps, handleInteraction } from './handlers.js';

export type DiscordConfig = Pick<Config, 'DISCORD_TOKEN' | 'DISCORD_APPLICATION_ID' | 'DISCORD_API_URL'>;

export function createDiscordClient(config: DiscordConfig, deps: DiscordDeps): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    ...(config.DISCORD_API_URL ? { rest: { api: config.DISCORD_API_URL } } : {}),
  });
  client.on(Events.InteractionCreate, (interaction) => void handleInteraction(interaction, deps));
  client.on(Events.Error, (error) => deps.log.error('discord: client error', { error }));
  client.on(Events.ShardDisconnect, (_event, shard) =>
    deps.log.warn('discord: gateway disconnected', { shard }),
  );
  return client;
}

/** Logs in and resolves once the gateway session is ready. */
export async function startDiscord(client: Client, token: string): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(token);
  await ready;
}
