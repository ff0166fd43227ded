// The relays the relay benchmark compares, each in a process of its own with its own loopback fakes (in the
// benchmark's process, beside the load generator): ours, the compiled bot started as in production
// (`node dist/adapters/main.js` and its environment, test/support/bot-process.ts) with the probe loaded that
// reports its stages (bench/relay-probe.ts), optionally the same bot built from an earlier commit; and the
// floor, bare Bolt + bare discord.js doing the same REST calls (bench/relay-floor.ts).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webApi } from '@slack/bolt';
import { REST, Routes } from 'discord.js';
import { build } from 'esbuild';
import { CASE_IDS, MAX_STAFF_REPLY } from '../adapters/discord/command.js';
import { type Database, openDatabase } from '../src/index.js';
import { type BotProcess, killBotProcess, startBotProcess } from '../test/support/bot-process.js';
import { ROOT } from '../test/support/build.js';
import { type FakeDiscord, startFakeDiscord } from '../test/support/fake-discord.js';
import { DEFAULT_SCOPES, type FakeSlack, startFakeSlack } from '../test/support/fake-slack.js';
import { customerAsksForAPerson, SECRET } from '../test/support/relay-world.js';
import { startWorld } from '../test/support/world.js';
import { durability, type Engine } from './databases.js';
import type { FloorCase, FloorIds } from './relay-floor.js';

const CACHE = join(ROOT, 'node_modules/.cache/mailsettings-bench');
const FLOOR = join(CACHE, 'relay-floor.mjs');
const PROBE = join(CACHE, 'relay-probe.mjs');
const DISCORD_TOKEN = 'relay-bot-token-0123456789';
const SCOPES = [...DEFAULT_SCOPES, 'users:read', 'chat:write.customize'];
/** Each case in a channel of its own: Slack paces chat.postMessage per channel (about one a second). */
export const channelOf = (index: number) => `C${100_000_000 + index}`;
const customerOf = (index: number) => ({ id: `U${1000 + index}`, name: `customer${index}` });

/** One case, as both fakes know it. */
export type Case = FloorCase;

/** A stage the probe saw in the bot's process (src/model/trace.ts), `t` in ms since the epoch. */
export interface ProbeLine {
  stage: string;
  t: number;
  key?: string;
  case?: number;
  target?: string;
  outbox?: number;
  kind?: string;
  maxMs?: number;
}

/** A relay under test, with its fakes. */
export interface Relay {
  what: string;
  slack: FakeSlack;
  discord: FakeDiscord;
  cases: Case[];
  /** POSTs a signed body to the app's /slack/events; resolves with the HTTP status. */
  sendEvent(body: string): Promise<number>;
  /** Resolves once nothing is left to deliver (ours: no pending outbox row). */
  idle(): Promise<void>;
  /** What the probe reported since the last call (ours only). */
  probe(): ProbeLine[];
  notes(): string[];
  close(): Promise<void>;
}

/** Compiles the floor and the probe to plain JavaScript, as the bot itself runs. */
export async function buildHelpers(): Promise<void> {
  mkdirSync(CACHE, { recursive: true });
  for (const [entry, outfile] of [
    ['bench/relay-floor.ts', FLOOR],
    ['bench/relay-probe.ts', PROBE],
  ] as const)
    await build({
      entryPoints: [join(ROOT, entry)],
      outfile,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
}

/** The tree at `ref`, with this tree's node_modules, built: its bot's entry point, and how to remove it. */
export function buildBefore(ref: string): { script: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-relay-before-'));
  execFileSync('sh', ['-c', `git archive "${ref}" | tar -x -C "${dir}"`], { cwd: ROOT });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  execFileSync(
    process.execPath,
    [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
    {
      cwd: dir,
    },
  );
  return {
    script: join(dir, 'dist/adapters/main.js'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

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
 * POSTs a signed event with node:http, each on a new connection, as Slack's own requests come: a round's
 * requests run at once, so none could reuse another's.
 */
function eventSender(url: string): Relay['sendEvent'] {
  const { hostname, port, pathname } = new URL(url);
  return (body) =>
    new Promise<number>((resolve, reject) => {
      const req = http.request(
        { agent: false, host: hostname, port, path: pathname, method: 'POST', headers: signedHeaders(body) },
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

/** Reads the JSON lines appended to `file` since the last call. */
function lineReader(file: string): () => ProbeLine[] {
  let offset = 0;
  return () => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    const end = text.lastIndexOf('\n') + 1;
    const lines = text.slice(offset, end).split('\n').filter(Boolean);
    offset = end;
    return lines.map((line) => JSON.parse(line) as ProbeLine);
  };
}

/** The fakes of one relay: Slack knowing the customers, Discord, and the DNS world ours answers from. */
async function fakes(customers: number) {
  const users = Object.fromEntries(
    Array.from({ length: customers }, (_, i) => {
      const { id, name } = customerOf(i);
      return [id, { name, displayName: name }];
    }),
  );
  const [world, slack, discord] = await Promise.all([
    startWorld({
      records: [{ name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' }],
    }),
    startFakeSlack({ scopes: SCOPES, users }),
    startFakeDiscord(),
  ]);
  return { world, slack, discord };
}

const waitUntil = async (done: () => boolean, what: string, ms = 60_000) => {
  const stop = performance.now() + ms;
  while (!done()) {
    if (performance.now() > stop) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/**
 * The bot as `node dist/adapters/main.js` runs it (or `script`, an earlier build), on a fresh database of
 * `engine`, with `count` cases opened as customers open them (the command, then Ask a person).
 */
export async function startOurs(
  what: string,
  engine: Engine,
  count: number,
  options: { script?: string; profileDir?: string } = {},
): Promise<Relay> {
  const fresh = await engine.fresh();
  const { world, slack, discord } = await fakes(count);
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-relay-probe-'));
  const probeFile = join(dir, 'probe.jsonl');
  let bot: BotProcess | undefined;
  let reader: Database | undefined;
  const close = async () => {
    if (bot) await killBotProcess(bot, 'SIGTERM');
    await reader?.close();
    await Promise.all([world.close(), slack.close(), discord.close()]);
    await fresh.drop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    bot = await startBotProcess(
      { world, slack, discord },
      {
        name: what,
        databaseUrl: fresh.url,
        ...(options.script ? { script: options.script } : {}),
        nodeArgs: [`--import=${PROBE}`],
        env: {
          RELAY_PROBE_FILE: probeFile,
          ...(options.profileDir ? { RELAY_PROBE_PROFILE_DIR: options.profileDir } : {}),
        },
      },
    );
    const started = bot;
    for (let i = 0; i < count; i += 5)
      await Promise.all(
        Array.from({ length: Math.min(5, count - i) }, (_, k) =>
          customerAsksForAPerson({ slack }, started.bot, 'alice@direct.test pop', {
            channel: channelOf(i + k),
            user: customerOf(i + k),
          }),
        ),
      );
    await waitUntil(() => discord.threads().length >= count, 'the forum posts');
    const cases = Array.from({ length: count }, (_, i): Case => {
      const opened = slack.messages(channelOf(i)).find((message) => !message.thread_ts);
      const post = discord
        .threads()
        .find((thread) => String(thread.name).endsWith(`· ${customerOf(i).name}`));
      if (!opened || !post) throw new Error(`case ${i} was not opened on both sides`);
      return {
        slackChannel: channelOf(i),
        slackThread: opened.ts,
        customerId: customerOf(i).id,
        customerName: customerOf(i).name,
        discordThread: String(post.id),
      };
    });
    reader = await openDatabase(fresh.url);
    const db = reader.db;
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
    const setting = await durability(db, reader.engine);
    const probe = lineReader(probeFile);
    probe(); // the cases' opening is not measured
    const logged = bot.output().length;
    return {
      what,
      slack,
      discord,
      cases,
      sendEvent: eventSender(bot.bot.events),
      async idle() {
        const stop = performance.now() + 30_000;
        while ((await pending()) > 0 && performance.now() < stop)
          await new Promise((resolve) => setTimeout(resolve, 20));
      },
      probe,
      notes: () => {
        const warnings = (bot?.output() ?? '')
          .slice(logged)
          .split('\n')
          .filter((line) => / (warn|error) /.test(line));
        return [
          setting,
          ...(warnings.length ? [`${what}: ${warnings.length} warnings, first: ${warnings[0]}`] : []),
        ];
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The floor in its own process (bench/relay-floor.ts), on fakes of its own, with `count` cases made on them. */
export async function startFloor(count: number): Promise<Relay> {
  const { world, slack, discord } = await fakes(count);
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-relay-floor-'));
  let child: ChildProcess | undefined;
  const close = async () => {
    if (child && child.exitCode === null) {
      const gone = new Promise((resolve) => child?.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
    await Promise.all([world.close(), slack.close(), discord.close()]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const web = new webApi.WebClient('xoxb-floor', { slackApiUrl: slack.apiUrl });
    const rest = new REST({ api: discord.apiUrl }).setToken(DISCORD_TOKEN);
    const cases: Case[] = [];
    for (let i = 0; i < count; i++) {
      const opened = await web.chat.postMessage({ channel: channelOf(i), text: `Case ${i}` });
      const post = (await rest.post(Routes.threads(discord.forumId), {
        body: { name: `Case ${i}`, message: { content: `Case ${i}` } },
      })) as { id: string };
      cases.push({
        slackChannel: channelOf(i),
        slackThread: String(opened.ts),
        customerId: customerOf(i).id,
        customerName: customerOf(i).name,
        discordThread: post.id,
      });
    }
    const casesFile = join(dir, 'cases.json');
    writeFileSync(casesFile, JSON.stringify(cases));
    const ids: FloorIds = {
      reply: CASE_IDS.reply,
      replyModal: CASE_IDS.replyModal,
      replyText: CASE_IDS.replyText,
      maxReply: MAX_STAFF_REPLY,
    };
    const started = spawn(process.execPath, [FLOOR], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: 'xoxb-floor',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        DISCORD_TOKEN,
        DISCORD_API_URL: discord.apiUrl,
        PORT: '0',
        RELAY_FLOOR_CASES: casesFile,
        RELAY_FLOOR_IDS: JSON.stringify(ids),
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = started;
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      started.stderr?.on('data', (chunk) => {
        stderr += chunk;
        const match = /floor: started port=(\d+)/.exec(stderr);
        if (match) resolve(Number(match[1]));
      });
      started.once('exit', (code) => reject(new Error(`the floor exited (${code}): ${stderr}`)));
    });
    const logged = stderr.length;
    return {
      what: 'floor',
      slack,
      discord,
      cases,
      sendEvent: eventSender(`http://127.0.0.1:${port}/slack/events`),
      idle: async () => {},
      probe: () => [],
      notes: () => (stderr.length > logged ? [`floor: ${stderr.slice(logged).split('\n')[0]}`] : []),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
