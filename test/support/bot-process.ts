// The bot as a real process (`npm start`'s entry point through tsx), configured against the loopback world of
// relay-world.ts: Slack in HTTP mode, Discord, support cases on the given database. Used by the restart and
// replica tests and the fail-over benchmark.
import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BOT } from './build.js';
import type { Bot, RelayWorld } from './relay-world.js';
import { SECRET, STAFF_ROLE } from './relay-world.js';
import { TEST_PROFILE } from './world.js';

const ROOT = new URL('../..', import.meta.url).pathname;

export interface BotProcess {
  name: string;
  child: ChildProcess;
  /** Where the Slack fake posts events and commands (as a Bot for relay-world's helpers). */
  bot: Pick<Bot, 'events'>;
  /** Everything it logged so far (stderr). */
  output(): string;
  /** True once it logged `discord: started` (it holds the gateway). */
  onGateway(): boolean;
}

let profile: string | undefined;

/** What the bot is pointed at: the loopback fakes and the DNS world of a relay world. */
type Fakes = Pick<RelayWorld, 'slack' | 'discord' | 'world'>;

interface BotOptions {
  name: string;
  databaseUrl: string;
  /** The entry point to run. @default BOT, what `npm run build` makes of adapters/main.ts */
  script?: string;
  /** Options for node itself, before the entry point (those NODE_OPTIONS refuses, such as --cpu-prof). */
  nodeArgs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Everything logged so far, each time more comes (before the start too). */
  onOutput?: (stderr: string) => void;
  /** Run as this user (a root test checking what an unprivileged user may write). */
  as?: { uid: number; gid: number };
}

/** The bot's process, configured against the world (the profile readable by whoever it runs as). */
function spawnBot(rw: Fakes, options: BotOptions): ChildProcess {
  profile ??= join(mkdtempSync(join(tmpdir(), 'mailsettings-profile-')), 'profile.json');
  writeFileSync(profile, JSON.stringify(TEST_PROFILE));
  chmodSync(dirname(profile), 0o755);
  return spawn(process.execPath, [...(options.nodeArgs ?? []), options.script ?? BOT], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: 'xoxb-process',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: rw.slack.apiUrl,
      PORT: '0',
      DISCORD_TOKEN: 'process-bot-token-0123456789',
      DISCORD_API_URL: rw.discord.apiUrl,
      DISCORD_CASES_CHANNEL_ID: rw.discord.forumId,
      DISCORD_STAFF_ROLE_ID: STAFF_ROLE,
      DATABASE_URL: options.databaseUrl,
      MAILSETTINGS_PROFILE: profile,
      MAILSETTINGS_DNS_SERVERS: rw.world.dns.address,
      MAILSETTINGS_ISPDB_URL: `${rw.world.ispdb.url}/v1.1/`,
      MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
    ...options.as,
  });
}

/** Runs a start that is meant to fail: its exit code and everything it wrote to stderr. */
export async function botProcessExit(
  rw: Fakes,
  options: BotOptions,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawnBot(rw, options);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

/** Starts the process and resolves once Slack serves and the relay runs. */
export async function startBotProcess(rw: Fakes, options: BotOptions): Promise<BotProcess> {
  const child = spawnBot(rw, options);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
    options.onOutput?.(stderr);
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${options.name} not started: ${stderr}`)), 30_000);
    child.stderr?.on('data', () => {
      const match = /slack: started .*port=(\d+)/.exec(stderr);
      if (match && stderr.includes('cases: relaying')) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited: ${stderr}`));
    });
  });
  return {
    name: options.name,
    child,
    bot: { events: `http://127.0.0.1:${port}/slack/events` },
    output: () => stderr,
    onGateway: () => stderr.includes('discord: started'),
  };
}

/** Kills a process (SIGKILL unless told otherwise) and waits until it is gone. */
export async function killBotProcess(
  process_: BotProcess,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<void> {
  if (process_.child.exitCode !== null || process_.child.signalCode !== null) return;
  const gone = new Promise((resolve) => process_.child.once('exit', resolve));
  process_.child.kill(signal);
  await gone;
}
