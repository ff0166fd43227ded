// Builds the Bolt app from the configuration: Socket Mode when an app token is set (no public URL needed),
// otherwise HTTP mode on PORT at /slack/events with Slack's request signatures verified by Bolt (receiver.ts)
// and the port's limits on size, time and connections (src/app/http-limits.ts); there the same server also
// serves the set-up page and autoconfig (Bolt's customRoutes), when they are configured.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, type CustomRoute, webApi } from '@slack/bolt';
import {
  type FrontEnd,
  HTTP_LIMITS,
  type HttpLimits,
  type Logger,
  limitServer,
  maskUrl,
  type SetupHandler,
  StartError,
  serverOptions,
  serveSetup,
} from '../../src/index.js';
import { type BoltLogger, boltLogger } from './bolt-logger.js';
import { relayToCase } from './case-listeners.js';
import type { SlackConfig } from './config.js';
import {
  answerEventsOnce,
  keepFinishingEvents,
  replayStoredEvents,
  storeEventsFirst,
  type TakeFirst,
} from './inbox.js';
import { register, type SlackDeps } from './listeners.js';
import { slackReceiver } from './receiver.js';

export type { SlackConfig } from './config.js';

/**
 * Slack as `npm start` runs it: serves with the identity asked for at start-up (identifySlackBot), then
 * finishes any case event a previous run stored but did not finish, and keeps finishing those a replica left.
 */
export function slackFrontEnd(config: SlackConfig, deps: SlackDeps, identity: SlackIdentity): FrontEnd {
  return {
    name: 'slack',
    async start() {
      const app = createSlackApp(config, deps, identity);
      const stop = await startSlack(app, config, deps.log);
      if (!deps.inbox) return stop;
      await replayStoredEvents(app, deps.inbox, deps.log);
      const stopFinishing = keepFinishingEvents(app, deps.inbox, deps.log);
      return async () => {
        stopFinishing();
        await stop();
      };
    },
  };
}

/** Who the bot is, from auth.test; given to the app, Bolt does not ask again (with retries) on its own. */
export interface SlackIdentity {
  botId: string;
  botUserId: string;
  /** The scopes the bot token was granted (users:read and chat:write.customize are optional extras). */
  scopes: string[];
  /** The workspace's address (`https://example.slack.com/`), for links to messages. */
  url?: string;
}

/** How long start-up waits for Slack's auth.test before giving up. */
const IDENTIFY_TIMEOUT_MS = 10_000;

/**
 * Asks Slack once, without retries, who the bot token belongs to: an unreachable API or a refused token stops
 * the start with one clear line instead of Bolt's warnings, retried for half an hour.
 */
export async function identifySlackBot(config: SlackConfig): Promise<SlackIdentity> {
  const api = config.SLACK_API_URL ?? 'https://slack.com/api/';
  const client = new webApi.WebClient(config.SLACK_BOT_TOKEN, {
    slackApiUrl: api,
    retryConfig: { retries: 0 },
    timeout: IDENTIFY_TIMEOUT_MS,
    logger: boltLogger(undefined),
  });
  try {
    const result = await client.auth.test();
    return {
      botId: String(result.bot_id),
      botUserId: String(result.user_id),
      scopes: result.response_metadata?.scopes ?? [],
      ...(result.url ? { url: result.url } : {}),
    };
  } catch (error) {
    throw new StartError(slackStartFailure(error, api), { cause: error });
  }
}

function slackStartFailure(error: unknown, api: string): string {
  if (error instanceof webApi.WebAPIPlatformError) {
    return `Slack refused SLACK_BOT_TOKEN (${error.data.error}): copy the Bot User OAuth Token again from OAuth & Permissions.`;
  }
  const cause = error instanceof webApi.WebAPIRequestError ? error.original : error;
  const reason = (cause as { cause?: { code?: string } }).cause?.code ?? (cause as Error).message;
  return maskUrl(
    `Slack's Web API at ${api} cannot be reached (${reason}): check the network and SLACK_API_URL. Slack was not started.`,
  );
}

export function createSlackApp(config: SlackConfig, deps: SlackDeps, identity?: SlackIdentity): App {
  const common = {
    token: config.SLACK_BOT_TOKEN,
    ...(identity ? { botId: identity.botId, botUserId: identity.botUserId } : {}),
    logger: boltLogger(deps.log),
    clientOptions: config.SLACK_API_URL ? { slackApiUrl: config.SLACK_API_URL } : {},
    // No listener keeps conversation state; Bolt's default store would cost a map entry and timer per request.
    convoStore: false as const,
  };
  const app = config.SLACK_APP_TOKEN
    ? new App({ ...common, appToken: config.SLACK_APP_TOKEN, socketMode: true })
    : new App({
        ...common,
        receiver: slackReceiver({
          signingSecret: config.SLACK_SIGNING_SECRET ?? '',
          ...(deps.setup
            ? { customRoutes: setupRoutes(deps.setup, deps.log), fallback: serveSetup(deps.setup, deps.log) }
            : {}),
          logger: common.logger,
          log: deps.log,
        }),
      });
  if (deps.inbox) {
    const cases = deps.cases && { ...deps.cases, log: deps.log };
    const takeFirst: TakeFirst | undefined =
      cases && ((event, key) => relayToCase(event, key, app.client, cases));
    storeEventsFirst(app, deps.inbox, deps.log, takeFirst);
  } else answerEventsOnce(app, deps.log);
  register(app, deps, identity?.scopes);
  return app;
}

/**
 * Every request Bolt does not answer itself (its endpoint is POST /slack/events) goes to the set-up handler:
 * through these routes, or (GET /, a method they do not list) through the receiver's fallback.
 */
function setupRoutes(setup: SetupHandler, log: Logger): CustomRoute[] {
  const method = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
  return [{ path: '/*path', method, handler: serveSetup(setup, log) }];
}

/** Starts the app (Socket Mode, or HTTP on PORT, on `host` when given) and returns how to stop it. */
export async function startSlack(
  app: App,
  config: SlackConfig,
  log: Logger,
  http: { host?: string; limits?: HttpLimits } = {},
): Promise<() => Promise<void>> {
  if (config.SLACK_APP_TOKEN) {
    const logger = app.logger as BoltLogger;
    logger.quiet = true;
    await app
      .start()
      .catch((error: unknown) => {
        const reason = (error as { data?: { error?: string } }).data?.error ?? (error as Error).message;
        throw new StartError(
          `Slack refused SLACK_APP_TOKEN (${reason}): make an app-level token with connections:write on the app's Basic Information page. Slack was not started.`,
          { cause: error },
        );
      })
      .finally(() => {
        logger.quiet = false;
      });
    log.info('slack: started', { mode: 'socket' });
  } else {
    const limits = http.limits ?? HTTP_LIMITS;
    const listen = { port: config.PORT ?? 3000, ...(http.host ? { host: http.host } : {}) };
    const server = (await app.start(listen, serverOptions(limits)).catch((error: unknown) => {
      const code = (error as { code?: string }).code ?? (error as Error).message;
      throw new StartError(
        `Slack cannot listen on port ${listen.port} (${code}): choose another PORT. Slack was not started.`,
        { cause: error },
      );
    })) as Server;
    limitServer(server, log, limits);
    log.info('slack: started', {
      mode: 'http',
      port: (server.address() as AddressInfo).port,
      path: '/slack/events',
    });
  }
  return async () => {
    await app.stop();
  };
}
