// Builds the Bolt app from the configuration: Socket Mode when an app token is set (no public URL needed),
// otherwise HTTP mode on PORT at /slack/events with Slack's request signatures verified by Bolt.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Config, Logger } from '../../src/index.js';
import { register, type SlackDeps } from './listeners.js';

export type SlackConfig = Pick<
  Config,
  'SLACK_BOT_TOKEN' | 'SLACK_SIGNING_SECRET' | 'SLACK_APP_TOKEN' | 'SLACK_API_URL'
>;

export function isSlackConfigured(config: SlackConfig): boolean {
  return Boolean(config.SLACK_BOT_TOKEN && (config.SLACK_SIGNING_SECRET || config.SLACK_APP_TOKEN));
}

export function createSlackApp(config: SlackConfig, deps: SlackDeps): App {
  const common = {
    token: config.SLACK_BOT_TOKEN,
    logger: boltLogger(deps.log),
    clientOptions: config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {},
    // No listener keeps conversation state; Bolt's default store would cost a map entry and timer per request.
    convoStore: false as const,
  };
  const app = config.SLACK_APP_TOKEN
    ? new App({ ...common, appToken: config.SLACK_APP_TOKEN, socketMode: true })
    : new App({ ...common, signingSecret: config.SLACK_SIGNING_SECRET ?? '' });
  register(app, deps);
  return app;
}

/** Starts the app (Socket Mode, or HTTP on PORT) and returns how to stop it. */
export async function startSlack(
  app: App,
  config: SlackConfig & Pick<Config, 'PORT'>,
  log: Logger,
): Promise<() => Promise<unknown>> {
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
  return () => app.stop();
}

/** Bolt logs through ours, at warn and above: its debug output can include request bodies. */
function boltLogger(log: Logger): BoltLogger {
  let level = LogLevel.WARN;
  return {
    debug: () => {},
    info: () => {},
    warn: (...messages) => log.warn('slack', { detail: messages.map(String).join(' ') }),
    error: (...messages) => log.error('slack', { detail: messages.map(String).join(' ') }),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
