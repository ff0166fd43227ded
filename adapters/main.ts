// `npm start`: reads the configuration once and starts every front end whose credentials are set, side by
// side, all the same way (each is a FrontEnd); with none set, the console, so the bot works out of the box on
// built-in defaults. SIGINT/SIGTERM stop the running front ends cleanly. A front end that cannot start stops
// the others and the process with one line saying why.
import {
  ConfigError,
  conversationFromConfig,
  createLogger,
  type FrontEnd,
  loadConfig,
  StartError,
  servicesFromConfig,
} from '../src/index.js';
import { runConsole } from './cli/console.js';
import { discordFrontEnd } from './discord/client.js';
import { loadDiscordConfig } from './discord/config.js';
import { slackFrontEnd } from './slack/app.js';
import { loadSlackConfig } from './slack/config.js';

const log = createLogger();
const running: (() => Promise<void>)[] = [];

async function main(): Promise<void> {
  const config = loadConfig();
  const slack = loadSlackConfig(process.env);
  const discord = loadDiscordConfig(process.env);
  const services = await servicesFromConfig(config);
  const deps = { conversation: conversationFromConfig(config, services, log), log };
  const frontEnds: FrontEnd[] = [
    ...(slack ? [slackFrontEnd(slack, deps)] : []),
    ...(discord ? [discordFrontEnd(discord, deps)] : []),
  ];

  if (frontEnds.length === 0) {
    await runConsole(
      services.resolver,
      {
        input: process.stdin,
        output: process.stdout,
        log: (message, error) => log.error(message, { error }),
      },
      services.checker,
    );
    // An answer abandoned with Ctrl-C may still be looking up; nobody waits for it any more.
    process.exit();
  }
  for (const frontEnd of frontEnds) running.push(await frontEnd.start());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      log.info('stopping', { signal });
      await Promise.allSettled(running.map((stop) => stop()));
      process.exit(0);
    });
  }
}

main().catch(async (error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartError) console.error(error.message);
  else log.error('start-up failed', { error });
  await Promise.allSettled(running.map((stop) => stop()));
  process.exitCode = 1;
});
