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
import { type Checker, createLogger, type Database, loadConfig, openDatabase } from '../../src/index.js';
import { createConversation, createRateLimiter } from '../../src/testing.js';
import { migratedSqlite, type TestDatabase } from './databases.js';
import type { DnsRecord } from './dns-server.js';
import { DEFAULT_STAFF_ROLE_ID, type FakeDiscord, startFakeDiscord } from './fake-discord.js';
import {
  type BlockActionsOptions,
  blockActionsBody,
  commandBody,
  DEFAULT_SCOPES,
  eventCallback,
  type FakeSlack,
  personMessage,
  type SlackUser,
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
const cannedChecker: Checker = async (settings) => ({
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
  /** start() on a fresh SQLite database of its own, removed when the world closes. */
  startOnFreshSqlite(options?: BotOptions): Promise<Bot>;
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
  /** The Bolt app (as slackFrontEnd starts it, with the inbox in front). */
  app: App;
  /** The database the relay runs on. */
  database: Database;
  events: string;
  /** Stops everything the way a crash would not: used between tests; `crash` skips the clean stop. */
  stop(options?: { crash?: boolean }): Promise<void>;
}

/** Set-up page links as `npm start` configures them (MAILSETTINGS_LINK_SECRET, MAILSETTINGS_PUBLIC_URL). */
export const LINKS = {
  secret: 'relay-world-link-secret-0123456789abcdef',
  baseUrl: 'https://bot.example.test',
};

export interface RelayWorldOptions {
  /** DNS records beside direct.test's MX (hosted on server1.web-hosting.test). */
  records?: DnsRecord[];
  /** The live check the relay runs, made with the world (its DNS); @default a canned one that finds nothing wrong. */
  checker?: (world: World) => Checker;
  /** The bot token's scopes. @default DEFAULT_SCOPES with users:read and chat:write.customize */
  scopes?: string[];
  /** Workspace members, by id. @default U1, alice */
  users?: Record<string, SlackUser>;
  /** Set-up page links as `npm start` configures them. */
  setupLinks?: boolean;
}

export async function startRelayWorld(options: RelayWorldOptions = {}): Promise<RelayWorld> {
  const { setupLinks } = options;
  const [world, slack, discord] = await Promise.all([
    startWorld({
      records: [
        { name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' },
        ...(options.records ?? []),
      ],
    }),
    startFakeSlack({
      scopes: options.scopes ?? [...DEFAULT_SCOPES, 'users:read', 'chat:write.customize'],
      users: options.users ?? { U1: { name: 'alice', realName: 'Alice Example', displayName: 'Alice' } },
    }),
    // The guild's roles as an admin sets them up: staff, and the lead (DISCORD_LEAD_ROLE_ID).
    startFakeDiscord({
      roles: [
        { id: STAFF_ROLE, name: 'Support' },
        { id: LEAD_ROLE, name: 'Support lead' },
      ],
    }),
  ]);
  const checker = options.checker?.(world) ?? cannedChecker;
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
      DISCORD_STAFF_PERMISSION: 'ManageGuild' as const,
      DISCORD_CASES_CHANNEL_ID: discord.forumId,
      DISCORD_STAFF_ROLE_ID: STAFF_ROLE,
      DISCORD_LEAD_ROLE_ID: LEAD_ROLE,
      ...options.discord,
    };
    const config = loadConfig({
      DATABASE_URL: databaseUrl,
      ...options.env,
      ...(setupLinks
        ? { MAILSETTINGS_LINK_SECRET: LINKS.secret, MAILSETTINGS_PUBLIC_URL: LINKS.baseUrl }
        : {}),
    });
    const resolver = resolverIn(world, { profile: TEST_PROFILE });
    const identity = await identifySlackBot(slackConfig);
    const database = await openDatabase(databaseUrl, { log });
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
        // Status updates wait behind the words, as in production but shorter; a clock the test holds still
        // would hold them forever.
        ...(options.now ? { now: options.now, statusDelayMs: 0 } : { statusDelayMs: 50 }),
      },
    );
    if ('off' in made) throw new Error(`cases are off: ${made.off}`);
    const relay = made;
    const conversation = createConversation({
      resolver,
      limiter: createRateLimiter({ limit: 1000 }),
      log,
      ...(setupLinks ? { setup: { links: LINKS } } : {}),
    });
    const app: App = createSlackApp(
      slackConfig,
      {
        conversation,
        log,
        cases: {
          cases: relay.cases,
          canReadUsers: relay.canReadUsers,
          canReadEmail: relay.canReadEmail,
          settlePollMs: 50,
        },
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
      staffServer: relay.staffServer,
    });
    await startDiscord(client, discordConfig.DISCORD_TOKEN);
    const stopRelay = relay.start();
    const bot: Bot = {
      relay,
      app,
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

  const databases: TestDatabase[] = [];
  return {
    world,
    slack,
    discord,
    logs,
    start,
    async startOnFreshSqlite(options) {
      const database = await migratedSqlite();
      databases.push(database);
      return start(database.url, options);
    },
    async close() {
      for (const bot of [...bots]) await bot.stop();
      await Promise.all([world.close(), slack.close(), discord.close()]);
      await Promise.all(databases.map((database) => database.drop()));
    },
  };
}

/**
 * The customer asks with /mailsettings, presses "Ask a person" on the answer and sends the modal it opens, with
 * `words` ("What happens?") and `program` (an option's value; left out, the preset stays). Returns the case's
 * thread ts and what the modal said once sent (its view, for what it says later).
 */
export async function customerAsksForAPerson(
  rw: Pick<RelayWorld, 'slack'>,
  bot: Pick<Bot, 'events'>,
  question: string,
  options: {
    channel?: string;
    user?: { id: string; name: string };
    words?: string;
    program?: string | null;
    /** false: return at once when the modal says the question is on its way (staff's side is down). */
    settle?: boolean;
  } = {},
): Promise<{ threadTs: string; confirmation: string; viewId: string }> {
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
  ) as { blocks?: unknown };
  const button = askPersonButton(answer);
  if (!button) throw new Error(`no "Ask a person" button on the answer to ${question}`);
  const before = rw.slack.messages(channel).length;
  const modal = await pressAskPerson(rw, bot, button.value ?? '', {
    user,
    channel,
    messageTs: '1700000000.000000',
    ephemeral: true,
    responseUrl: rw.slack.responseUrl(`${id}-press`),
  });
  const typed = {
    ...(options.words === undefined ? {} : { words: options.words }),
    ...(options.program === undefined ? {} : { program: options.program }),
  };
  await rw.slack.submitView(bot.events, SECRET, modal.id, typed);
  // A busy machine may acknowledge before the post exists ("on its way"): the modal's next word is awaited.
  if (options.settle !== false && /not reached our support team yet/.test(modalText(rw, modal.id)))
    await rw.slack.waitFor(
      (post) => post.path === '/api/views.update' && post.body.view_id === modal.id,
      1,
      15_000,
    );
  const confirmation = modalText(rw, modal.id);
  const thread = rw.slack
    .messages(channel)
    .slice(before)
    .find((message) => !message.thread_ts);
  return { threadTs: thread?.ts ?? '', confirmation, viewId: modal.id };
}

/**
 * `user` presses "Ask a person" (its `value`) on the message `at` names, as Slack sends the press; resolves with
 * the modal opened for them since (others may be asking at the same time).
 */
export async function pressAskPerson(
  rw: Pick<RelayWorld, 'slack'>,
  bot: Pick<Bot, 'events'>,
  value: string,
  at: Omit<BlockActionsOptions, 'actionId' | 'value' | 'text'>,
): Promise<{ id: string }> {
  const shown = new Set(rw.slack.views().map((view) => view.id));
  const press = await signedPost(
    bot.events,
    SECRET,
    blockActionsBody({ actionId: ASK_PERSON_ACTION, value, text: 'Ask a person', ...at }),
  );
  if (press.status !== 200) throw new Error(`the press was answered ${press.status}`);
  const opened = () => rw.slack.views().find((view) => !shown.has(view.id) && view.user === at.user.id);
  await rw.slack.waitFor(() => opened() !== undefined);
  const modal = opened();
  if (!modal) throw new Error('the "Ask a person" modal did not open');
  return modal;
}

/** The "Ask a person" button under an answer as Slack holds it, if it has one. */
export function askPersonButton(answer: { blocks?: unknown }): { value?: string } | undefined {
  return ((answer.blocks ?? []) as { elements?: { action_id?: string; value?: string }[] }[])
    .flatMap((block) => block.elements ?? [])
    .find((element) => element.action_id === ASK_PERSON_ACTION);
}

/** What a modal says now: its sections' text, as the customer reads it. */
export function modalText(rw: Pick<RelayWorld, 'slack'>, viewId: string): string {
  const view = rw.slack.views().find((candidate) => candidate.id === viewId);
  return (view?.blocks ?? [])
    .map((block) => String((block.text as { text?: string } | undefined)?.text ?? ''))
    .join('\n');
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

/**
 * A customer asks for a person in `channel` (customerAsksForAPerson), and their case's post in Discord once it
 * exists. A channel of its own keeps a case clear of Slack's pace for other cases' posts (one a second each).
 */
export async function caseOf(
  rw: RelayWorld,
  bot: Bot,
  question: string,
  user: { id: string; name: string },
  channel = 'C1',
): Promise<Awaited<ReturnType<typeof customerAsksForAPerson>> & { post: string }> {
  const asked = await customerAsksForAPerson(rw, bot, question, { user, channel });
  const named = (name: unknown) => String(name).endsWith(`· ${user.name}`);
  await rw.discord.waitFor(
    (call) =>
      call.path === `/channels/${rw.discord.forumId}/threads` &&
      call.status === 201 &&
      named((call.body as { name?: string } | undefined)?.name),
    1,
    10_000,
  );
  return { ...asked, post: String(rw.discord.threads().find((thread) => named(thread.name))?.id) };
}
