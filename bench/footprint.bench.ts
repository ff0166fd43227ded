// Measures what the bot costs in memory as it is really started: the whole process tree of each documented start
// command (the production start, `npm start`, and `npm run dev` for reference), with Slack in HTTP mode against
// the loopback Slack fake and Discord against the loopback gateway fake, idle and after 1,000 mixed commands;
// against bare Bolt plus bare discord.js in one process (bench/bare-bot.ts) answering the same commands with
// the same answers. Each process tree runs alone, one after another, and must stop cleanly on SIGTERM.

import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { BUILT, buildOnce, ROOT } from '../test/support/build.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../test/support/fake-discord.js';
import { startFakeSlack } from '../test/support/fake-slack.js';
import { isRunning, type Proc, type TreeMemory, treeMemory } from '../test/support/process-tree.js';
import { startWorld, type World } from '../test/support/world.js';
import { GOOGLE_MX, httpSender, type Signed, SLACK_SECRET, signedCommands } from './slack.bench.js';
import { mb, pool, printTable, type Row, ratio } from './table.js';

const SLACK_COMMANDS = 500;
const DISCORD_COMMANDS = 500;
/** Distinct domains the commands cycle through: the first round resolves them, the rest are cached answers. */
const DOMAINS = 100;
/** Distinct people asking, so no rate limit holds anything back. */
const USERS = 1000;
const IN_FLIGHT = 8;
/** Time left to a started tree before "idle" is read, and after the load before "after" is. */
const SETTLE_MS = 3000;
const CACHE = join(ROOT, 'node_modules/.cache/mailsettings-bench');
const BARE_BOT = join(CACHE, 'bare-bot.mjs');
const BARE_ANSWERS = join(CACHE, 'bare-answers.json');

interface Start {
  what: string;
  command: string;
  args: string[];
}

const OURS: Start = { what: `ours: node ${BUILT.bot}`, command: process.execPath, args: [BUILT.bot] };
const BASELINE: Start = {
  what: 'baseline: bare Bolt + bare discord.js, one process',
  command: process.execPath,
  args: [BARE_BOT],
};
/** In this order: the baseline sends copies of ours' answers. */
const STARTS: Start[] = [
  OURS,
  BASELINE,
  { what: 'npm start', command: 'npm', args: ['start'] },
  { what: 'reference: npm run dev (the sources through tsx)', command: 'npm', args: ['run', 'dev'] },
];

const domain = (i: number) => `mix-${i % DOMAINS}.test`;

interface Measured {
  idle: TreeMemory;
  after: TreeMemory;
  /** How the commands were answered: Slack in the acknowledgement or later, Discord's interaction callbacks. */
  slack: Map<string, number>;
  discord: Map<string, number>;
  stopped: string;
  /** The first answers it gave, which the baseline then sends as its own. */
  answers: { slack?: unknown; discord?: unknown };
}

/** Starts one tree against fresh fakes, reads its memory idle and after the load, and stops it with SIGTERM. */
async function measure(start: Start, world: World): Promise<Measured> {
  const [slack, discord] = await Promise.all([startFakeSlack(), startFakeDiscord()]);
  let child: ChildProcess | undefined;
  let tree: Proc[] = [];
  try {
    child = spawn(start.command, start.args, {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: SLACK_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: '0',
        DISCORD_TOKEN: 'bench-discord-token-0123456789',
        DISCORD_API_URL: discord.apiUrl,
        MAILSETTINGS_DNS_SERVERS: world.dns.address,
        MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/`,
        MAILSETTINGS_RATE_LIMIT: '10000',
        BARE_ANSWERS,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const port = await started(child);
    await sleep(SETTLE_MS);
    const idle = treeMemory(child.pid as number);
    tree = idle.processes;

    const answers: Measured['answers'] = {};
    const { send, agent } = httpSender(port);
    const slackKinds = new Map<string, number>();
    const discordKinds = new Map<string, number>();
    await Promise.all([
      pool(SLACK_COMMANDS, IN_FLIGHT, 60_000, async (i) => {
        const reply = await send(signedCommands(1, slack, `user${i}@${domain(i)} imap`)[0] as Signed);
        const answered = reply.status === 200 && reply.body.includes('Mail settings for ');
        count(
          slackKinds,
          answered ? 'in the ack' : reply.status === 200 ? 'answer later' : `HTTP ${reply.status}`,
        );
        if (answered) answers.slack ??= JSON.parse(reply.body);
      }),
      pool(DISCORD_COMMANDS, IN_FLIGHT, 60_000, async (i) => {
        const call = await ask(discord, domain(i), i);
        const kind = kindOf(call);
        count(discordKinds, kind);
        if (call && kind === 'answer') answers.discord ??= (call.body as { data: unknown }).data;
      }),
    ]);
    agent.destroy();
    await sleep(SETTLE_MS);
    const after = treeMemory(child.pid as number);
    return {
      idle,
      after,
      slack: slackKinds,
      discord: discordKinds,
      stopped: await stop(child, tree),
      answers,
    };
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const proc of tree) if (isRunning(proc)) process.kill(proc.pid, 'SIGKILL');
    await Promise.all([slack.close(), discord.close()]);
  }
}

/** Resolves with Slack's port once both front ends say they started. */
async function started(child: ChildProcess): Promise<number> {
  let stderr = '';
  return new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started within 60 s:\n${stderr}`)), 60_000);
    child.once('exit', (code) => reject(new Error(`exited (${code}) before it started:\n${stderr}`)));
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
      const port = /slack: started .*port=(\d+)/.exec(stderr)?.[1];
      if (port && stderr.includes('discord: started')) {
        clearTimeout(timer);
        resolve(Number(port));
      }
    });
  });
}

/** One /mailsettings in Discord; its interaction callback, or undefined when none came within 10 s. */
async function ask(fake: FakeDiscord, domainName: string, i: number): Promise<RestCall | undefined> {
  const userId = String(400_000_000_000_000_000n + BigInt(i % USERS));
  const sent = fake.sendCommand({ options: [{ name: 'domain', type: 3, value: domainName }], userId });
  const path = `/interactions/${sent.id}/${sent.token}/callback`;
  try {
    return (await fake.waitFor((call) => call.path === path, 1, 10_000))[0];
  } catch {
    return undefined;
  }
}

function kindOf(call: RestCall | undefined): string {
  if (!call) return 'none';
  const body = call.body as { type?: number; data?: { embeds?: { title?: string }[] } };
  if (body.type === 5) return 'deferred';
  return body.type === 4 && body.data?.embeds?.[0]?.title?.startsWith('Mail settings for ')
    ? 'answer'
    : `type ${body.type}`;
}

/** SIGTERM to the process the command started, as a process manager sends it; how that went. */
async function stop(child: ChildProcess, tree: Proc[]): Promise<string> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const exit = await Promise.race([exited, sleep(10_000).then(() => undefined)]);
  if (!exit) return 'NO: still running 10 s after SIGTERM';
  const [code] = exit as [number | null];
  await sleep(500);
  const left = tree.filter(isRunning);
  if (left.length) return `NO: left running: ${left.map((proc) => proc.command).join(', ')}`;
  return code === 0 ? 'yes (exit 0)' : `NO: exit ${code}`;
}

const count = (kinds: Map<string, number>, kind: string) => kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
const counted = (kinds: Map<string, number>) => [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
const names = (memory: TreeMemory) =>
  memory.processes.map((proc) => basename(proc.command.split(' ')[0] ?? '?')).join(' + ');

export async function benchFootprint(): Promise<void> {
  const buildNote = await buildOnce();
  await build({
    entryPoints: [join(ROOT, 'bench/bare-bot.ts')],
    outfile: BARE_BOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  const world = await startWorld({
    records: Array.from({ length: DOMAINS }, (_, i) => ({
      name: domain(i),
      type: 'MX' as const,
      priority: 1,
      exchange: GOOGLE_MX,
    })),
  });
  try {
    const results = new Map<Start, Measured>();
    for (const start of STARTS) {
      if (start === BASELINE) {
        const { slack, discord } = (results.get(OURS) as Measured).answers;
        if (!slack || !discord) throw new Error('ours gave no answer to copy for the baseline');
        writeFileSync(BARE_ANSWERS, JSON.stringify({ slack, discord }));
      }
      results.set(start, await measure(start, world));
    }
    const base = results.get(BASELINE) as Measured;
    const rows: Row[] = STARTS.map((start) => {
      const m = results.get(start) as Measured;
      return {
        what: start.what,
        processes: names(m.idle),
        'idle rss': mb(m.idle.rss),
        'idle pss': mb(m.idle.pss),
        'after rss': mb(m.after.rss),
        'after pss': mb(m.after.pss),
        'idle rss vs baseline': ratio(m.idle.rss / base.idle.rss),
        'after rss vs baseline': ratio(m.after.rss / base.after.rss),
        'Slack answers': counted(m.slack),
        'Discord callbacks': counted(m.discord),
        'stopped on SIGTERM': m.stopped,
      };
    });
    const ours = results.get(OURS) as Measured;
    printTable(
      `Memory of the started bot, whole process tree (Slack HTTP mode + Discord; idle, then after ${SLACK_COMMANDS + DISCORD_COMMANDS} mixed commands: ${SLACK_COMMANDS} Slack + ${DISCORD_COMMANDS} Discord, ${IN_FLIGHT} + ${IN_FLIGHT} in flight, ${DOMAINS} domains)`,
      rows,
      `Goal: the production start under 130 MB and within 1.3× of the baseline; here ${mb(ours.after.rss)} after the load, ` +
        `${ratio(ours.after.rss / base.after.rss)}. rss sums VmRSS over the tree (shared pages counted in each ` +
        `process), pss sums Pss (shared pages split). Read ${SETTLE_MS / 1000} s after start-up and after the load; ` +
        `no forced GC. The baseline answers with copies of ours' first answers (same size). ${buildNote}.`,
    );
  } finally {
    await world.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await benchFootprint();
