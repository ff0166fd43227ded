// Our Slack app (createSlackApp, HTTP mode) on the loopback world and Slack fake, as the Slack tests that send
// it signed events need it: the URL to post events to, what it posted where, and how to close it all.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { createSlackApp, identifySlackBot, type SlackConfig } from '../../adapters/slack/app.js';
import { createLogger } from '../../src/index.js';
import { createRateLimiter } from '../../src/testing.js';
import { chatDeps } from './chat.js';
import { type FakeSlack, startFakeSlack } from './fake-slack.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from './world.js';

export interface SlackOnFakes {
  world: World;
  slack: FakeSlack;
  app: App;
  /** Where Slack posts events and commands. */
  events: string;
  /** The messages (chat.postMessage) the app posted into `channel`. */
  answersIn(channel: string): FakeSlack['posts'];
  close(): Promise<void>;
}

/**
 * Starts the world (with `world`'s records), the Slack fake and our app answering from the operator's profile.
 * `identify`: as `npm start` builds it, with the identity from auth.test (Bolt's own ignoreSelf on).
 */
export async function startSlackOnFakes(
  secret: string,
  world: Parameters<typeof startWorld>[0],
  options: { identify?: boolean } = {},
): Promise<SlackOnFakes> {
  const [started, slack] = await Promise.all([startWorld(world), startFakeSlack()]);
  const config: SlackConfig = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: secret,
    SLACK_API_URL: slack.apiUrl,
  };
  const identity = options.identify ? await identifySlackBot(config) : undefined;
  const deps = chatDeps({
    resolver: resolverIn(started, { profile: TEST_PROFILE }),
    limiter: createRateLimiter({ limit: 100 }),
    log: createLogger(() => {}),
  });
  const app = createSlackApp(config, deps, identity);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  return {
    world: started,
    slack,
    app,
    events: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    answersIn: (channel) =>
      slack.posts.filter((post) => post.path === '/api/chat.postMessage' && post.body.channel === channel),
    async close() {
      await app.stop().catch(() => {});
      await Promise.all([started.close(), slack.close()]);
    },
  };
}
