// Measures support cases' relay between Slack and Discord: the latency both ways with 50 cases at once (a
// customer's signed message event until the Discord fake has its copy; a staff modal submit until the Slack fake
// has the reply), on SQLite and PostgreSQL, against a floor of the same fakes forwarding without a store (a bare
// Bolt app and a bare discord.js client); then the store alone: customer messages taken in, outbox deliveries
// and inbox records per second, against a one-row insert on the same database.
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { App, LogLevel, webApi } from '@slack/bolt';
import {
  ActionRowBuilder,
  Client,
  Events,
  GatewayIntentBits,
  ModalBuilder,
  REST,
  Routes,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { startDiscord } from '../adapters/discord/client.js';
import { CASE_IDS } from '../adapters/discord/command.js';
import { identifySlackBot } from '../adapters/slack/app.js';
import {
  type CustomerSide,
  createInbox,
  createLogger,
  type Database,
  openDatabase,
  type StaffSide,
} from '../src/index.js';
import type { Schema } from '../src/store/schema.js';
import { assembleCases } from '../src/testing.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../test/support/fake-discord.js';
import { eventCallback, type FakeSlack, personMessage, startFakeSlack } from '../test/support/fake-slack.js';
import {
  customerAsksForAPerson,
  type RelayWorld,
  SECRET,
  STAFF,
  startRelayWorld,
} from '../test/support/relay-world.js';
import { resolverIn, startWorld, type World } from '../test/support/world.js';
import { ms, perSecond, pool, printTable, type Row, ratio, sample, stats } from './table.js';

/** Cases open at once; each round sends one message per case, all at once. */
const CASES = 50;
const WARMUP_ROUNDS = 1;
const ROUNDS = 3;
/** After a round has arrived and the outbox is empty: Discord's and discord.js's one-second windows reset. */
const SETTLE_MS = 1100;
const ARRIVE_TIMEOUT_MS = 30_000;
const CHANNEL = 'C1';
/**
 * Each case in a channel of its own, as when customers ask from their own channels or DMs: Slack paces
 * chat.postMessage per channel (about one a second), so 50 cases in one channel would measure that pace.
 */
const channelOf = (index: number) => `C${100_000_000 + index}`;
const DISCORD_TOKEN = 'relay-bot-token-0123456789';
/** Store rows: each gets a turn of at most STORE_CHUNK calls or STORE_MAX_MS in each of STORE_ROUNDS rounds. */
const STORE_ROUNDS = 8;
const STORE_CHUNK = 125;
const STORE_MAX_MS = 2500;
const STORE_WARMUP = 100;
/** One-row commits before anything is timed: SQLite's WAL grows to its checkpoint size (1,000 pages) first. */
const WAL_FILL = 1500;
const IN_FLIGHT = 16;

const run = promisify(execFile);

// ---------------------------------------------------------------------------------------------------------
// Databases: a fresh SQLite file, and a fresh database on the run's PostgreSQL server (or one started here).

interface Fresh {
  url: string;
  drop(): Promise<void>;
}
interface Engine {
  name: 'SQLite' | 'PostgreSQL';
  fresh(): Promise<Fresh>;
}
interface Engines {
  list: Engine[];
  /** Printed under the tables: where PostgreSQL came from, or why it was skipped. */
  notes: string[];
  close(): Promise<void>;
}

const sqlite: Engine = {
  name: 'SQLite',
  fresh: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailsettings-bench-'));
    return {
      url: `file:${join(dir, 'bench.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

export async function databaseEngines(): Promise<Engines> {
  const server = await postgresServer();
  if ('unavailable' in server)
    return { list: [sqlite], notes: [`PostgreSQL skipped: ${server.unavailable}`], close: async () => {} };
  let counter = 0;
  const postgres: Engine = {
    name: 'PostgreSQL',
    fresh: async () => {
      const name = `bench_${process.pid}_${++counter}`;
      await adminQuery(server.url, `CREATE DATABASE ${name}`);
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      return { url: url.href, drop: () => adminQuery(server.url, `DROP DATABASE ${name} WITH (FORCE)`) };
    },
  };
  return { list: [sqlite, postgres], notes: [server.note], close: server.stop };
}

type Server = { url: string; note: string; stop(): Promise<void> } | { unavailable: string };

/** The server at MAILSETTINGS_TEST_DATABASE_URL, or one started with .ci/postgres (stopped at the end). */
async function postgresServer(): Promise<Server> {
  const given = process.env.MAILSETTINGS_TEST_DATABASE_URL;
  if (given)
    return {
      url: given,
      note: 'PostgreSQL: the server at MAILSETTINGS_TEST_DATABASE_URL.',
      stop: async () => {},
    };
  const script = fileURLToPath(new URL('../.ci/postgres', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-bench-pg-'));
  try {
    const { stdout } = await run('bash', [script, 'start', dir, String(await freePort())]);
    return {
      url: stdout.trim(),
      note: 'PostgreSQL: a server started by this benchmark with .ci/postgres.',
      stop: async () => {
        await run('bash', [script, 'stop', dir]).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const reason = String((error as Error).message).split('\n')[0];
    return {
      unavailable: `it could not be started (${reason}); install it with: sudo bash .ci/postgres install`,
    };
  }
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

/** How each engine commits: what the latency and throughput figures depend on most. */
async function durability(db: Kysely<Schema>, engine: Database['engine']): Promise<string> {
  if (engine === 'sqlite') {
    const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db);
    const level = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(rows[0]?.synchronous)] ?? '?';
    return `SQLite: WAL, synchronous=${level}, file in ${tmpdir()}`;
  }
  const show = async (name: string) =>
    (await sql.raw<Record<string, string>>(`SHOW ${name}`).execute(db)).rows[0]?.[name] ?? '?';
  return `PostgreSQL: fsync=${await show('fsync')}, synchronous_commit=${await show('synchronous_commit')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Relay latency: one message per case, all cases at once, timed by the fakes' own clocks.

interface Case {
  slackChannel: string;
  customerId: string;
  slackThread: string;
  discordThread: string;
}

/** A relay under test: ours on one engine, or the floor. */
interface Relay {
  what: string;
  slack: FakeSlack;
  discord: FakeDiscord;
  cases: Case[];
  /** POSTs a signed body to the app's /slack/events; resolves with the HTTP status. */
  sendEvent(body: string): Promise<number>;
  /** Resolves once nothing is left to deliver (ours: the outbox is empty). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface Round {
  times: number[];
  /** Until the app answered: Slack's HTTP 200 for the event, or the interaction's callback to Discord. */
  acks: number[];
  /** Messages that did not arrive in their own thread within ARRIVE_TIMEOUT_MS, or whose POST failed. */
  lost: number;
}

/** A marker no other message contains: R3C1X is not part of R3C17X. */
const marker = (round: number, index: number) => `R${round}C${index}X`;
const MARKER = /R(\d+)C(\d+)X/;
const caseIn = (text: unknown, round: number): number | undefined => {
  const found = MARKER.exec(String(text ?? ''));
  return found && Number(found[1]) === round ? Number(found[2]) : undefined;
};

/** Signed like Slack signs its requests: v0 HMAC-SHA256 over "v0:timestamp:body". */
function signedHeaders(body: string): http.OutgoingHttpHeaders {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': `v0=${signature}`,
  };
}

/**
 * POSTs a signed event with node:http (far cheaper per request than fetch, which shares this thread with the
 * apps), each on a new connection: a round's requests run at once, so none could reuse another's, and a socket
 * kept alive while the other relay takes its turn would outlive the server's keep-alive timeout and be reset.
 */
function eventSender(url: string): Relay['sendEvent'] {
  const { hostname, port, pathname } = new URL(url);
  return (body) =>
    new Promise<number>((resolve, reject) => {
      const headers = signedHeaders(body);
      const req = http.request(
        { agent: false, host: hostname, port, path: pathname, method: 'POST', headers },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('no response within 10 s')));
      req.on('error', reject);
      req.end(body);
    });
}

/**
 * Waits until `expected` entries appended to `list` after `from` are picked (by case index), scanning only new
 * entries every 2 ms. The fakes' own waitFor filters the whole list on every request, which would load the
 * thread being measured.
 */
async function collect<T>(
  list: T[],
  from: number,
  expected: number,
  pick: (entry: T) => number | undefined,
): Promise<Map<number, T>> {
  const found = new Map<number, T>();
  const stop = performance.now() + ARRIVE_TIMEOUT_MS;
  for (let cursor = from; ; await sleep(2)) {
    for (; cursor < list.length; cursor++) {
      const index = pick(list[cursor] as T);
      if (index !== undefined && !found.has(index)) found.set(index, list[cursor] as T);
    }
    if (found.size >= expected || performance.now() > stop) return found;
  }
}

async function until(done: () => boolean, what: string): Promise<void> {
  const stop = performance.now() + ARRIVE_TIMEOUT_MS;
  while (!done()) {
    if (performance.now() > stop) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Slack → Discord: every customer writes in their case's thread at once (message.channels events). */
async function customerRound(relay: Relay, round: number): Promise<Round> {
  const bodies = relay.cases.map((each, index) =>
    eventCallback(
      personMessage(`Still failing ${marker(round, index)}`, {
        channel: each.slackChannel,
        user: each.customerId,
        threadTs: each.slackThread,
      }),
    ),
  );
  const from = relay.discord.calls.length;
  const sentAt: number[] = [];
  const acks: number[] = [];
  const statuses = bodies.map((body, index) => {
    const sent = performance.now();
    sentAt[index] = sent;
    return relay.sendEvent(body).then(
      (status) => {
        acks.push(performance.now() - sent);
        return status;
      },
      () => 0,
    );
  });
  const arrived = await collect(relay.discord.calls, from, relay.cases.length, (call) => {
    const index =
      call.method === 'POST' ? caseIn((call.body as { content?: string }).content, round) : undefined;
    const own =
      index !== undefined && call.path === `/channels/${relay.cases[index]?.discordThread}/messages`;
    return own && call.status === 200 ? index : undefined;
  });
  const refused = (await Promise.all(statuses)).filter((status) => status !== 200).length;
  const times = [...arrived].map(([index, call]) => call.at - (sentAt[index] as number));
  return { times, acks, lost: Math.max(relay.cases.length - times.length, refused) };
}

/** Discord → Slack: staff open the Reply modal in every case's post (not timed), then submit them all at once. */
async function staffRound(relay: Relay, round: number): Promise<Round> {
  const { discord, slack, cases } = relay;
  const shown = discord.modals.length;
  for (const each of cases)
    discord.sendButton({
      customId: CASE_IDS.reply,
      channelId: each.discordThread,
      member: STAFF,
      messageId: each.discordThread,
    });
  await until(() => discord.modals.length >= shown + cases.length, 'the Reply modals');
  const indexOf = new Map(cases.map((each, index) => [each.discordThread, index]));
  const from = slack.posts.length;
  const calls = discord.calls.length;
  const sentAt: number[] = [];
  const byInteraction = new Map<string, number>();
  // Newest first: the fake submits the newest open modal with this custom_id, so each submit is its own modal's.
  for (const modal of discord.modals.slice(shown).reverse()) {
    const index = indexOf.get(modal.channelId) as number;
    const text = `Try port 993 ${marker(round, index)}`;
    const sent = discord.sendModalSubmit({
      customId: CASE_IDS.replyModal,
      channelId: modal.channelId,
      member: STAFF,
      fields: { [CASE_IDS.replyText]: text },
    });
    sentAt[index] = sent.sentAt;
    byInteraction.set(sent.id, index);
  }
  const arrived = await collect(slack.posts, from, cases.length, (post) => {
    if (post.path !== '/api/chat.postMessage') return undefined;
    const index = caseIn(post.body.text, round);
    return index !== undefined && post.body.thread_ts === cases[index]?.slackThread ? index : undefined;
  });
  // Callback paths are /interactions/{id}/{token}/callback.
  const callbacks = await collect(discord.calls, calls, cases.length, (call) =>
    byInteraction.get(call.path.split('/')[2] ?? ''),
  );
  const since = ([index, entry]: [number, { at: number }]) => entry.at - (sentAt[index] as number);
  return {
    times: [...arrived].map(since),
    acks: [...callbacks].map(since),
    lost: cases.length - arrived.size,
  };
}

/** Ours, wired as `npm start` wires it (test/support/relay-world.ts), with CASES cases opened as customers do. */
async function startOurs(engine: Engine): Promise<Relay & { notes: () => string[] }> {
  const fresh = await engine.fresh();
  let rw: RelayWorld | undefined;
  try {
    rw = await startRelayWorld();
    const bot = await rw.start(fresh.url);
    for (let i = 0; i < CASES; i++)
      await customerAsksForAPerson(rw, bot, 'alice@direct.test pop', {
        channel: channelOf(i),
        user: { id: `U${1000 + i}`, name: `customer${i}` },
      });
    const world = rw;
    await until(() => world.discord.threads().length >= CASES, 'the forum posts');
    const cases: Case[] = [];
    for (const thread of world.discord.threads()) {
      const view = await bot.relay.cases.findByStaffThread(`discord:${thread.id}`);
      if (!view?.customerThread) throw new Error(`forum post ${thread.id} has no case`);
      const [, channel = '', ts = ''] = view.customerThread.split(':');
      cases.push({
        slackChannel: channel,
        customerId: view.customerId,
        slackThread: ts,
        discordThread: String(thread.id),
      });
    }
    const { db } = bot.database;
    const pending = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('state', '=', 'pending')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const setting = await durability(db, bot.database.engine);
    const logsBefore = world.logs.length;
    return {
      what: `ours on ${engine.name}`,
      slack: world.slack,
      discord: world.discord,
      cases,
      sendEvent: eventSender(bot.events),
      async idle() {
        const stop = performance.now() + ARRIVE_TIMEOUT_MS;
        while ((await pending()) > 0 && performance.now() < stop) await sleep(10);
      },
      notes: () => {
        const warnings = world.logs.slice(logsBefore).filter((line) => / (warn|error) /.test(line));
        return [
          setting,
          ...(warnings.length ? [`${engine.name}: ${warnings.length} warnings, first: ${warnings[0]}`] : []),
        ];
      },
      async close() {
        await world.close();
        await fresh.drop();
      },
    };
  } catch (error) {
    await rw?.close();
    await fresh.drop();
    throw error;
  }
}

/**
 * The floor: the same fakes, forwarding without a store. A bare Bolt app configured like ours (HTTP receiver,
 * signing secret, the bot's identity, no conversation store) whose message listener posts to the case's forum
 * post with discord.js's REST at once, and a bare discord.js client that opens the same Reply modal and, on its
 * submit, posts to the Slack thread with a WebClient (then answers the interaction, as any bot must).
 */
async function startFloor(): Promise<Relay> {
  const [slack, discord] = await Promise.all([
    startFakeSlack({ scopes: ['commands', 'chat:write', 'channels:history', 'chat:write.customize'] }),
    startFakeDiscord(),
  ]);
  const stops: (() => Promise<unknown>)[] = [() => slack.close(), () => discord.close()];
  const close = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const config = {
      SLACK_BOT_TOKEN: 'xoxb-floor',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
    };
    const identity = await identifySlackBot(config);
    const web = new webApi.WebClient(config.SLACK_BOT_TOKEN, {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 1 },
    });
    const rest = new REST({ api: discord.apiUrl }).setToken(DISCORD_TOKEN);
    const cases: Case[] = [];
    for (let i = 0; i < CASES; i++) {
      const opened = await web.chat.postMessage({ channel: channelOf(i), text: `Case ${i}` });
      const post = (await rest.post(Routes.threads(discord.forumId), {
        body: { name: `Case ${i}`, message: { content: `Case ${i}` } },
      })) as { id: string };
      cases.push({
        slackChannel: channelOf(i),
        customerId: `U${2000 + i}`,
        slackThread: String(opened.ts),
        discordThread: post.id,
      });
    }
    const toDiscord = new Map(cases.map((each) => [each.slackThread, each.discordThread]));
    const toSlack = new Map(cases.map((each) => [each.discordThread, each]));

    const app = new App({
      token: config.SLACK_BOT_TOKEN,
      signingSecret: SECRET,
      botId: identity.botId,
      botUserId: identity.botUserId,
      clientOptions: { slackApiUrl: slack.apiUrl },
      convoStore: false,
      logLevel: LogLevel.WARN,
    });
    app.event('message', async ({ event }) => {
      const message = event as { thread_ts?: string; user?: string; text?: string };
      const thread = message.thread_ts ? toDiscord.get(message.thread_ts) : undefined;
      if (!thread) return;
      await rest.post(Routes.channelMessages(thread), {
        body: { content: `**${message.user} (customer):** ${message.text}`, allowed_mentions: { parse: [] } },
      });
    });
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as http.Server;
    stops.push(() => app.stop());
    const events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;

    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
    const modal = new ModalBuilder()
      .setCustomId(CASE_IDS.replyModal)
      .setTitle('Reply to the customer')
      .addComponents(
        new ActionRowBuilder<TextInputBuilder>().addComponents(
          new TextInputBuilder()
            .setCustomId(CASE_IDS.replyText)
            .setLabel('Your reply')
            .setStyle(TextInputStyle.Paragraph),
        ),
      );
    client.on(Events.InteractionCreate, async (interaction) => {
      try {
        if (interaction.isButton()) await interaction.showModal(modal);
        if (!interaction.isModalSubmit() || !interaction.channelId) return;
        const text = interaction.fields.getTextInputValue(CASE_IDS.replyText);
        const each = toSlack.get(interaction.channelId);
        await web.chat.postMessage({
          channel: each?.slackChannel ?? CHANNEL,
          thread_ts: each?.slackThread ?? '',
          text,
          username: 'Dana (support)',
        });
        await interaction.reply({ content: text, allowedMentions: { parse: [] } });
      } catch (error) {
        console.error('floor: interaction failed', error);
      }
    });
    stops.push(() => client.destroy());
    await startDiscord(client, DISCORD_TOKEN);
    return {
      what: 'floor: bare Bolt app + bare discord.js',
      slack,
      discord,
      cases,
      sendEvent: eventSender(events),
      idle: async () => {},
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * What each round sends, in this order: the customer's message after the staff reply of the round before (ours
 * then also moves the post's status tag from waiting to claimed), the customer's next message (status unchanged),
 * and a staff reply (status back to waiting). The first round's first message finds the case new.
 */
const STEPS = [
  { step: 'after-reply', send: customerRound },
  { step: 'again', send: customerRound },
  { step: 'staff', send: staffRound },
] as const;

/** Ours on one engine against the floor, round by round, alternating which goes first. */
async function latencyOn(
  engine: Engine,
  floor: Relay,
): Promise<{ toDiscord: Row[]; toSlack: Row[]; notes: string[] }> {
  const ours = await startOurs(engine);
  try {
    const keys = ['floor customer', 'floor staff', ...STEPS.map(({ step }) => step)];
    const tallies = new Map(keys.map((key) => [key, { times: [], acks: [], lost: 0 } as Round]));
    const tally = (key: string) => tallies.get(key) as Round;
    let round = 0;
    let timedFrom = 0;
    for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
      if (r === WARMUP_ROUNDS) timedFrom = ours.discord.calls.length;
      const order = r % 2 === 0 ? [floor, ours] : [ours, floor];
      for (const { step, send } of STEPS) {
        for (const relay of order) {
          const result = await send(relay, ++round);
          await relay.idle();
          await sleep(SETTLE_MS);
          if (r < WARMUP_ROUNDS) continue;
          // The floor does the same for both customer steps; they are one row.
          const into = tally(relay === floor ? (step === 'staff' ? 'floor staff' : 'floor customer') : step);
          into.times.push(...result.times);
          into.acks.push(...result.acks);
          into.lost += result.lost;
        }
      }
    }
    const row = (what: string, key: string, floorKey: string): Row => {
      const { times, acks, lost } = tally(key);
      const s = stats(times);
      const base = stats(tally(floorKey).times);
      const acked = stats(acks);
      return {
        relay: what,
        n: s.n,
        lost,
        p50: ms(s.p50),
        p99: ms(s.p99),
        max: ms(s.max),
        'p50 vs floor': ratio(s.p50 / base.p50),
        'p99 vs floor': ratio(s.p99 / base.p99),
        'answered p50': ms(acked.p50),
        'answered p99': ms(acked.p99),
      };
    };
    const floorRow = `floor (alongside ${engine.name})`;
    return {
      toDiscord: [
        row(floorRow, 'floor customer', 'floor customer'),
        row(
          `ours on ${engine.name}: message after a staff reply (+ status)`,
          'after-reply',
          'floor customer',
        ),
        row(`ours on ${engine.name}: next message (status unchanged)`, 'again', 'floor customer'),
      ],
      toSlack: [
        row(floorRow, 'floor staff', 'floor staff'),
        row(`ours on ${engine.name}: staff reply (+ status)`, 'staff', 'floor staff'),
      ],
      notes: [
        ...ours.notes(),
        `${ours.what}, timed rounds: ${restSummary(ours.discord.calls.slice(timedFrom))}`,
      ],
    };
  } finally {
    await ours.close();
  }
}

/** What a relay asked of Discord's REST API, besides interaction callbacks: why a round takes as long as it does. */
function restSummary(calls: RestCall[]): string {
  const kinds = new Map<string, number>();
  for (const { method, path } of calls) {
    const [, top, , sub] = path.split('/');
    if (top !== 'channels') continue;
    const kind =
      method === 'POST' && sub === 'messages'
        ? 'message posts'
        : method === 'PATCH' && !sub
          ? 'tag updates (PATCH post)'
          : sub === 'messages'
            ? `card ${method === 'GET' ? 'reads' : 'edits'}`
            : `${method} /channels/…/${sub}`;
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  return `Discord REST calls: ${[...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Store throughput: the core alone on each engine, the platforms played by no-op ports.

/** Both platforms in memory, answering at once (as test/cases/cases.test.ts plays them). */
function noOpPorts(): { customer: CustomerSide; staff: StaffSide } {
  let n = 0;
  const id = async () => String(++n);
  const ts = async () => `${1_700_000_000 + ++n}.000100`;
  return {
    customer: {
      name: 'Slack',
      threadLink: () => undefined,
      openThread: ts,
      postReply: ts,
      postSettings: ts,
      postResolved: ts,
      postNotice: ts,
    },
    staff: {
      name: 'Discord',
      createPost: id,
      updateStatus: async () => {},
      postCustomerMessage: id,
      editCustomerMessage: async (_view, copy) => copy,
      markDeleted: async () => {},
      postNote: async () => {},
      postSent: async () => {},
      remind: async () => {},
    },
  };
}

async function storeOn(engine: Engine, world: World): Promise<{ rows: Row[]; note: string }> {
  const fresh = await engine.fresh();
  const database = await openDatabase(fresh.url);
  try {
    const { db } = database;
    await sql`CREATE TABLE bench_floor (n INTEGER NOT NULL, body TEXT NOT NULL)`.execute(db);
    const { cases, outbox, store } = assembleCases({
      database,
      ...noOpPorts(),
      resolver: resolverIn(world),
      log: createLogger(() => {}),
    });
    const threads: string[] = [];
    for (let i = 0; i < CASES; i++) {
      const opened = await cases.open({
        place: `slack:${CHANNEL}`,
        customerId: `U${i}`,
        customerName: `customer${i}`,
        question: 'example.com pop',
      });
      if (!opened.ok) throw new Error('case not opened');
      await outbox.drain();
      threads.push(String((await store.byId(opened.value.id)).customer_thread));
    }
    const inbox = createInbox(db);
    // What the inbox stores for each Slack message event: its whole JSON body.
    const body = eventCallback(
      personMessage('Still failing', { channel: CHANNEL, user: 'U0', threadTs: threads[0] }),
    );
    let n = 0;
    const jobs = {
      'baseline: one-row INSERT (same body)': async () => {
        await sql`INSERT INTO bench_floor (n, body) VALUES (${n++}, ${body})`.execute(db);
      },
      'inbox.record()': async () => {
        await inbox.record(`slack:Ev${n++}`, body);
      },
      'cases.customerMessage()': async () => {
        const i = n++;
        const taken = await cases.customerMessage({
          key: `slack:EvM${i}`,
          customerThread: threads[i % CASES] as string,
          message: `slack:${CHANNEL}:${1_800_000_000 + i}.000100`,
          by: { id: `U${i % CASES}`, name: `customer${i % CASES}` },
          text: 'Still failing',
        });
        if (!taken.ok) throw new Error(`customer message not taken: ${taken.error}`);
      },
    };
    const delivered = async () =>
      Number(
        (
          await db
            .selectFrom('outbox')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('state', '=', 'done')
            .executeTakeFirstOrThrow()
        ).n,
      );
    type Job = keyof typeof jobs;
    const names = Object.keys(jobs) as Job[];
    // Until the WAL has reached its size, each commit also grows the file, which costs more than the steady state.
    await sample(jobs['baseline: one-row INSERT (same body)'], { count: WAL_FILL, maxMs: 20_000 });
    const rows: Row[] = [];
    for (const inFlight of [1, IN_FLIGHT]) {
      for (const name of names) await pool(STORE_WARMUP, inFlight, STORE_MAX_MS, jobs[name]); // JIT; not counted
      await outbox.drain();
      const totals = new Map(names.map((name) => [name, { times: [] as number[], wallMs: 0 }]));
      const deliveries = { count: 0, wallMs: 0 };
      // Every row takes a turn in each round, in an order that rotates, so they share the machine's drift.
      for (let round = 0; round < STORE_ROUNDS; round++) {
        for (let k = 0; k < names.length; k++) {
          const name = names[(k + round) % names.length] as Job;
          const chunk =
            inFlight === 1
              ? await sample(jobs[name], { count: STORE_CHUNK, maxMs: STORE_MAX_MS })
              : await pool(STORE_CHUNK, inFlight, STORE_MAX_MS, jobs[name]);
          const total = totals.get(name) as { times: number[]; wallMs: number };
          total.times.push(...chunk.times);
          total.wallMs += chunk.wallMs;
        }
        // What this round's customer messages stored: one relay row each, delivered 16 cases at a time.
        const before = await delivered();
        const started = performance.now();
        await outbox.drain();
        deliveries.wallMs += performance.now() - started;
        deliveries.count += (await delivered()) - before;
      }
      const baseline = totals.get(names[0] as Job) as { times: number[]; wallMs: number };
      const baseRate = (baseline.times.length / baseline.wallMs) * 1000;
      for (const [what, total] of totals) {
        const s = stats(total.times);
        const rate = (s.n / total.wallMs) * 1000;
        rows.push({
          engine: engine.name,
          what,
          'in flight': inFlight,
          n: s.n,
          'per second': perSecond(rate),
          p50: ms(s.p50),
          p99: ms(s.p99),
          'vs baseline': ratio(rate / baseRate),
        });
      }
      const rate = (deliveries.count / deliveries.wallMs) * 1000;
      rows.push({
        engine: engine.name,
        what: 'outbox deliveries (drain)',
        'in flight': `${IN_FLIGHT} cases`,
        n: deliveries.count,
        'per second': perSecond(rate),
        p50: '-',
        p99: '-',
        'vs baseline': ratio(rate / baseRate),
      });
    }
    return { rows, note: await durability(db, database.engine) };
  } finally {
    await database.close();
    await fresh.drop();
  }
}

// ---------------------------------------------------------------------------------------------------------

export async function benchRelay(): Promise<void> {
  const engines = await databaseEngines();
  const world = await startWorld({ records: [] });
  let floor: Relay | undefined;
  try {
    floor = await startFloor();
    const toDiscordRows: Row[] = [];
    const toSlackRows: Row[] = [];
    const notes = [...engines.notes];
    for (const engine of engines.list) {
      const measured = await latencyOn(engine, floor);
      toDiscordRows.push(...measured.toDiscord);
      toSlackRows.push(...measured.toSlack);
      notes.push(...measured.notes);
    }
    const how =
      `${CASES} cases, one message per case all at once, ${ROUNDS} rounds after ${WARMUP_ROUNDS} not counted; ` +
      'each floor row is interleaved round by round with the rows below it.';
    printTable(
      `Relay latency, Slack → Discord: signed message event sent until the Discord fake has the copy (${how})`,
      toDiscordRows,
    );
    printTable(
      `Relay latency, Discord → Slack: staff's modal submit dispatched until the Slack fake has chat.postMessage (${how})`,
      toSlackRows,
      notes.join('\n'),
    );
    const storeRows: Row[] = [];
    const storeNotes: string[] = [];
    for (const engine of engines.list) {
      const { rows, note } = await storeOn(engine, world);
      storeRows.push(...rows);
      storeNotes.push(note);
    }
    printTable(
      `Store throughput (${STORE_ROUNDS} rounds of at most ${STORE_CHUNK} calls or ${STORE_MAX_MS / 1000} s per row; ${CASES} open cases, no-op platform ports)`,
      storeRows,
      `${storeNotes.join('\n')}\n"vs baseline" compares per-second rates with the baseline row of the same engine and in-flight count.`,
    );
  } finally {
    await floor?.close();
    await world.close();
    await engines.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchRelay();
