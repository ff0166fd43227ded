// Builds the discord.js client from the configuration. Only the Guilds intent: slash commands and buttons
// arrive as interactions and need no privileged intents. Gateway reconnects are left to discord.js.
import { Client, DiscordAPIError, Events, GatewayIntentBits } from 'discord.js';
import { type FrontEnd, type Lease, maskUrl, StartError } from '../../src/index.js';
import type { DiscordConfig } from './config.js';
import { type DiscordDeps, handleInteraction } from './interactions.js';
import { restOptions } from './rest.js';
import { staffAccessOf } from './staff-access.js';

/**
 * Discord as `npm start` runs it: logs in (one clear line if it cannot), then answers interactions. With a
 * lease (several replicas), only the replica holding it logs in: the others wait, and take over when the
 * holder dies, so exactly one gateway session answers each interaction. The holder keeps the gateway while the
 * database is away (a restart ends the lease's connection) and stops it only when another replica took the
 * lease meanwhile (src/store/lease.ts).
 */
export function discordFrontEnd(config: DiscordConfig, deps: DiscordDeps, lease?: Lease): FrontEnd {
  const connect = async () => {
    const client = createDiscordClient(config, deps);
    await startDiscord(client, config.DISCORD_TOKEN);
    deps.log.info('discord: started', { user: client.user?.tag });
    return client;
  };
  return {
    name: 'discord',
    async start() {
      if (!lease) {
        const client = await connect();
        return () => client.destroy();
      }
      let client: Client | undefined;
      let stopped = false;
      const serve = async (): Promise<void> => {
        deps.log.info('discord: waiting for the gateway lease (another replica may hold it)');
        await lease.hold();
        if (stopped) return;
        try {
          client = await connect();
        } catch (error) {
          // Not able to log in while holding the lease: let another replica try.
          deps.log.error('discord: could not start while holding the gateway lease', { error });
          await lease.release();
          if (!stopped) setTimeout(() => void serve(), 5000).unref();
        }
      };
      // Another replica holds the lease now: its gateway session answers; this one must not.
      lease.onLost(() => {
        void client?.destroy();
        client = undefined;
        if (!stopped) void serve();
      });
      void serve();
      return async () => {
        stopped = true;
        await client?.destroy();
        await lease.release();
      };
    },
  };
}

export function createDiscordClient(config: Partial<DiscordConfig>, deps: DiscordDeps): Client {
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: restOptions(config.DISCORD_API_URL),
  });
  const staff = deps.staff ?? staffAccessOf(config, deps.staffServer);
  client.on(
    Events.InteractionCreate,
    (interaction) => void handleInteraction(interaction, { ...deps, staff }),
  );
  client.on(Events.Error, (error) => deps.log.error('discord: client error', { error }));
  client.on(Events.ShardDisconnect, (_event, shard) =>
    deps.log.warn('discord: gateway disconnected', { shard }),
  );
  return client;
}

/**
 * Logs in and resolves once the gateway session is ready. An unreachable API or gateway, or a refused token,
 * stops the start with one clear line (a StartError) within `readyWithinMs`, the client destroyed.
 */
export async function startDiscord(client: Client, token: string, readyWithinMs = 30_000): Promise<void> {
  const api = client.options.rest?.api ?? 'https://discord.com/api';
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    client.once(Events.ClientReady, () => resolve());
    const seconds = readyWithinMs / 1000;
    const silent = `Discord's gateway opened no session within ${seconds} s: check that this host may open WebSockets to Discord. Discord was not started.`;
    timer = setTimeout(() => reject(new StartError(silent)), readyWithinMs);
  });
  const login = client.login(token);
  // Settled or not, a login the timeout overtook must not surface later as an unhandled rejection.
  login.catch(() => {});
  try {
    await Promise.race([login, ready]);
    await ready;
  } catch (error) {
    clearTimeout(timer);
    await client.destroy();
    throw error instanceof StartError
      ? error
      : new StartError(discordStartFailure(error, api), { cause: error });
  }
  clearTimeout(timer);
}

/** The one line a start that met `error` at Discord ends with: a refused token, or a Discord out of reach. */
export function discordStartFailure(error: unknown, api: string): string {
  const refused =
    (error instanceof DiscordAPIError && error.status === 401) ||
    (error as { code?: string }).code === 'TokenInvalid';
  if (refused)
    return 'Discord refused DISCORD_TOKEN: reset the token on the Bot page of the application and copy it again.';
  const reason = (error as { code?: string }).code ?? (error as Error).message;
  return maskUrl(
    `Discord at ${api} cannot be reached (${reason}): check the network and DISCORD_API_URL. Discord was not started.`,
  );
}
