// `npm start`: reads the configuration once and starts every front end whose credentials are set, side by
// side; with none set, the console front end, so the bot works out of the box on built-in defaults.
// SIGINT/SIGTERM stop the running front ends cleanly.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConfigError,
  createLogger,
  createRateLimiter,
  loadConfig,
  resolverFromConfig,
} from '../src/index.js';
import { runConsole } from './cli/console.js';
import { createSlackApp, isSlackConfigured } from './slack/app.js';

const log = createLogger();

async function main(): Promise<void> {
  const config = loadConfig();
  const resolver = await resolverFromConfig(config);
  const limiter = createRateLimiter({ limit: config.MAILSETTINGS_RATE_LIMIT });
  const running: { name: string; stop: () => Promise<unknown> }[] = [];

  if (isSlackConfigured(config)) {
    const app = createSlackApp(config, { resolver, limiter, log });
    if (config.SLACK_APP_TOKEN) {
      await app.start();
      log.info('slack: started', { mode: 'socket' });
    } else {
      const server = (await app.start(config.PORT)) as Server;
      log.info('slack: started', {
        mode: 'http',
        port: (server.address() as AddressInfo).port,
        path: '/slack/events',
      });
    }
    running.push({ name: 'slack', stop: () => app.stop() });
  }

  if (running.length === 0) {
    await runConsole(resolver, {
      input: process.stdin,
      output: process.stdout,
      log: (message, error) => log.error(message, { error }),
    });
    return;
  }
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, async () => {
      log.info('stopping', { signal });
      await Promise.allSettled(running.map((frontEnd) => frontEnd.stop()));
      process.exit(0);
    });
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else log.error('start-up failed', { error });
  process.exitCode = 1;
});
