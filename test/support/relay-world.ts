// Support cases end to end in one process: the real Bolt app and the real discord.js client, wired to the core's
// case relay exactly as `npm start` wires them (adapters/relay.ts), against the loopback Slack and Discord fakes
// and the loopback DNS and ISP database. Helpers speak for the customer (signed Slack requests as Slack sends
// them) and for staff (Discord interactions in the case's forum post).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import type { Client } from 'discord.js';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { type Relay, relayFromConfig } from '../../adapters/relay.js';
import { createSlackApp, identifySlackBot } from '../../adapters/slack/app.js';
import { replayStoredEvents } from '../../adapters/slack/inbox.js';
import { ASK_PERSON_ACTION } from '../../adapters/slack/render.js';
import {
  type Checker,
  createConversation,
  createLogger,
  createRateLimiter,
  type Database,
  loadConfig,
  openDatabase,
} from '../../src/index.js';
import { DEFAULT_STAFF_ROLE_ID, type FakeDiscord, startFakeDiscord } from './fake-discord.js';
import {
  blockActionsBody,
  commandBody,
  DEFAULT_SCOPES,
  eventCallback,
  type FakeSlack,
  personMessage,
  signedPost,
  startFakeSlack,
} from './fake-slack.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from './world.js';

export const SECRET = 'relay-signing-secret';
export const CUSTOMER = { id: 'U1', name: 'alice' };
/** The staff role the relay is configured with (DISCORD_STAFF_ROLE_ID). */
export const STAFF_ROLE = DEFAULT_STAFF_ROLE_ID;
/** A support agent: a member with the staff role. */
export const STAFF = { username: 'dana', globalName: 'Dana', roles: [STAFF_ROLE] };

/** The live check the case card shows, canned: the probes themselves are tested in test/check/. */
const checker: Checker = async (settings) => ({
  settings,
  results: [],
  advice: ['All servers answered.'],
  ms: 3,
});

export interface RelayWorld {
  world: World;
  slack: FakeSlack;
  discord: FakeDiscord;
  logs: string[];
  /** Starts the bot (Slack app, Discord client, relay) on a database; call again to "restart". */
  start(databaseUrl: string, options?: BotOptions): Promise<Bot>;
  close(): Promise<void>;
}

/** How a bot differs from the usual one: a clock the test controls, more configuration. */
export interface BotOptions {
  now?: () => number;
  /** MAILSETTINGS_* variables beside DATABASE_URL (business hours, targets…). */
  env?: Record<string, string>;
  /** DISCORD_* variables beside the usual ones (the report channel…). */
  discord?: Record<string, string>;
}

/** The lead role the relay is configured with (DISCORD_LEAD_ROLE_ID). */
export const LEAD_ROLE = '700000000000000009';

export interface Bot {
  relay: Relay;
  /** The database the relay runs on. */
  database: Database;
  events: string;
  /** Stops everything the way a crash would not: used between tests; `crash` skips the clean stop. */
  stop(options?: { crash?: boolean }): Promise<void>;
}

export async function startRelayWorld(): Promise<RelayWorld> {
  const [world, slack, discord] = await Promise.all([
    startWorld({
      records: [{ name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' }],
    }),
    startFakeSlack({
      scopes: [...DEFAULT_SCOPES, 'users:read', 'chat:write.customize'],
      users: { U1: { name: 'alice', realName: 'Alice Example', displayName: 'Alice' } },
    }),
    startFakeDiscord(),
  ]);
  const logs: string[] = [];
  const log = createLogger((line) => logs.push(line));
  const bots: Bot[] = [];

  async function start(databaseUrl: string, options: BotOptions = {}): Promise<Bot> {
    const slackConfig = {
      SLACK_BOT_TOKEN: 'xoxb-relay',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
    const discordConfig = {
      DISCORD_TOKEN: 'relay-bot-token-0123456789',
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_STAFF_PERMISSION: 'ManageGuild',
      DISCORD_CASES_CHANNEL_ID: discord.forumId,
      DISCORD_STAFF_ROLE_ID: STAFF_ROLE,
      DISCORD_LEAD_ROLE_ID: LEAD_ROLE,
      ...options.discord,
    };
    const config = loadConfig({ DATABASE_URL: databaseUrl, ...options.env });
    const resolver = resolverIn(world, { profile: TEST_PROFILE });
    const identity = await identifySlackBot(slackConfig);
    const database = await openDatabase(databaseUrl);
    const made = await relayFromConfig(
      config,
      slackConfig,
      identity,
      discordConfig,
      { resolver, checker },
      database,
      log,
      {
        pollMs: 50,
        maxBackoffMs: 100,
        warnAfterMs: 500,
        clockEveryMs: 50,
        ...(options.now ? { now: options.now } : {}),
      },
    );
    if ('off' in made) throw new Error(`cases are off: ${made.off}`);
    const relay = made;
    const conversation = createConversation({ resolver, limiter: createRateLimiter({ limit: 1000 }), log });
    const app: App = createSlackApp(
      slackConfig,
      {
        conversation,
        log,
        cases: { cases: relay.cases, canReadUsers: relay.canReadUsers, settlePollMs: 50 },
        inbox: relay.inbox,
      },
      identity,
    );
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    await replayStoredEvents(app, relay.inbox, log); // as slackFrontEnd does at every start
    const client: Client = createDiscordClient(discordConfig, {
      conversation,
      log,
      cases: relay.cases,
      lead: relay.lead,
    });
    await startDiscord(client, discordConfig.DISCORD_TOKEN);
    const stopRelay = relay.start();
    const bot: Bot = {
      relay,
      database,
      events: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
      async stop(options = {}) {
        bots.splice(bots.indexOf(bot), 1);
        await Promise.allSettled([app.stop(), client.destroy()]);
        // A crash leaves the outbox as it is; a clean stop lets the pass under way finish.
        if (!options.crash) await stopRelay();
        await database.close();
      },
    };
    bots.push(bot);
    return bot;
  }

  return {
    world,
    slack,
    discord,
    logs,
    start,
    async close() {
      for (const bot of [...bots]) await bot.stop();
      await Promise.all([world.close(), slack.close(), discord.close()]);
    },
  };
}

/** The customer asks with /mailsettings and presses "Ask a person" on the answer; returns the case's thread ts. */
export async function customerAsksForAPerson(
  rw: RelayWorld,
  bot: Bot,
  question: string,
  options: { channel?: string; user?: { id: string; name: string } } = {},
): Promise<{ threadTs: string; confirmation: string; responsePath: string }> {
  const channel = options.channel ?? 'C1';
  const user = options.user ?? CUSTOMER;
  const id = `ask-${Math.random().toString(36).slice(2)}`;
  const answer = JSON.parse(
    (
      await signedPost(
        bot.events,
        SECRET,
        commandBody(question, rw.slack.responseUrl(`${id}-command`), user.id),
      )
    ).body,
  ) as { blocks: { type: string; elements?: { action_id?: string; value?: string }[] }[] };
  const button = answer.blocks
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === ASK_PERSON_ACTION);
  if (!button) throw new Error(`no "Ask a person" button on the answer to ${question}`);
  const before = rw.slack.messages(channel).length;
  const press = await signedPost(
    bot.events,
    SECRET,
    blockActionsBody({
      actionId: ASK_PERSON_ACTION,
      value: button.value ?? '',
      text: 'Ask a person',
      user,
      channel,
      messageTs: '1700000000.000000',
      ephemeral: true,
      responseUrl: rw.slack.responseUrl(`${id}-press`),
    }),
  );
  if (press.status !== 200) throw new Error(`the press was answered ${press.status}`);
  const [confirmation] = await rw.slack.waitFor((post) => post.path === `/response/${id}-press`);
  const opened = rw.slack
    .messages(channel)
    .slice(before)
    .find((message) => !message.thread_ts);
  return {
    threadTs: opened?.ts ?? '',
    confirmation: String(confirmation?.body.text),
    /** Where the bot answers about the press (a second word comes there when the case was on its way). */
    responsePath: `/response/${id}-press`,
  };
}

/** The customer writes in the case's thread, as Slack delivers it (message.channels event). */
export function customerWrites(
  bot: Bot,
  typed: string,
  threadTs: string,
  options: { channel?: string; eventId?: string; retry?: number; user?: string } = {},
) {
  const event = personMessage(typed, {
    channel: options.channel ?? 'C1',
    user: options.user ?? CUSTOMER.id,
    threadTs,
  });
  const body = eventCallback(event, options.eventId ? { eventId: options.eventId } : {});
  return {
    event,
    body,
    send: (retry?: number) =>
      signedPost(bot.events, SECRET, body, {
        json: true,
        ...(retry ? { retry: { num: retry, reason: 'http_timeout' } } : {}),
      }),
  };
}
