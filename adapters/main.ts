// `npm start`: reads the configuration once and starts every front end whose credentials are set, side by
// side; with none set, the console front end, so the bot works out of the box on built-in defaults.
// SIGINT/SIGTERM stop the running front ends cleanly. A front end that cannot start stops the others and the
// process with one line saying why.
import {
  ConfigError,
  createLogger,
  createRateLimiter,
  loadConfig,
  StartError,
  servicesFromConfig,
} from '../src/index.js';
import { runConsole } from './cli/console.js';
import { createDiscordClient, startDiscord } from './discord/client.js';
import { createSlackApp, identifySlackBot, isSlackConfigured, startSlack } from './slack/app.js';

const log = createLogger();
const running: { name: string; stop: () => Promise<unknown> }[] = [];

async function main(): Promise<void> {
  const config = loadConfig();
  const { resolver, checker } = await servicesFromConfig(config);
  const limiter = createRateLimiter({ limit: config.MAILSETTINGS_RATE_LIMIT });
  // Live checks open connections to other hosts, so they have their own, stricter limit.
  const check = { run: checker, limiter: createRateLimiter({ limit: config.MAILSETTINGS_CHECK_RATE_LIMIT }) };

  const deps = { resolver, limiter, log };
  if (isSlackConfigured(config)) {
    const customersMayCheck = config.MAILSETTINGS_CHECK_AUDIENCE === 'everyone';
    const identity = await identifySlackBot(config);
    const app = createSlackApp(config, customersMayCheck ? { ...deps, check } : deps, identity);
    running.push({ name: 'slack', stop: await startSlack(app, config, log) });
  }
  if (config.DISCORD_TOKEN) {
    const client = createDiscordClient(config, { ...deps, check });
    await startDiscord(client, config.DISCORD_TOKEN);
    log.info('discord: started', { user: client.user?.tag });
    running.push({ name: 'discord', stop: () => client.destroy() });
  }

  if (running.length === 0) {
    await runConsole(
      resolver,
      {
        input: process.stdin,
        output: process.stdout,
        log: (message, error) => log.error(message, { error }),
      },
      checker,
    );
    // An answer abandoned with Ctrl-C may still be looking up; nobody waits for it any more.
    process.exit();
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      log.info('stopping', { signal });
      await Promise.allSettled(running.map((frontEnd) => frontEnd.stop()));
      process.exit(0);
    });
  }
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartError) console.error(error.message);
  else log.error('start-up failed', { error });
  await Promise.allSettled(running.map((frontEnd) => frontEnd.stop()));
  process.exitCode = 1;
});
