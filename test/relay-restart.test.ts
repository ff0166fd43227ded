// Nothing is lost when the bot is killed mid-case: the real `npm start` entry point runs as a process against
// the loopback Slack and Discord fakes, on an SQLite file and on PostgreSQL; it is killed with SIGKILL while a
// customer's message waits for Discord to come back, and a new process delivers it, once.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { testEngines } from './support/databases.js';
import {
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  type RelayWorld,
  SECRET,
  startRelayWorld,
} from './support/relay-world.js';
import { TEST_PROFILE } from './support/world.js';

const ROOT = new URL('..', import.meta.url).pathname;
let rw: RelayWorld;
let profile: string;

beforeAll(async () => {
  rw = await startRelayWorld();
  profile = join(mkdtempSync(join(tmpdir(), 'mailsettings-profile-')), 'profile.json');
  writeFileSync(profile, JSON.stringify(TEST_PROFILE));
});
afterAll(() => rw?.close());

/** `npm start`'s entry point as a process, with Slack (HTTP mode), Discord and the relay configured. */
async function startBot(
  databaseUrl: string,
): Promise<{ child: ChildProcess; bot: Pick<Bot, 'events'>; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      SLACK_BOT_TOKEN: 'xoxb-restart',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: rw.slack.apiUrl,
      PORT: '0',
      DISCORD_TOKEN: 'restart-bot-token-0123456789',
      DISCORD_API_URL: rw.discord.apiUrl,
      DISCORD_CASES_CHANNEL_ID: rw.discord.forumId,
      DATABASE_URL: databaseUrl,
      MAILSETTINGS_PROFILE: profile,
      MAILSETTINGS_DNS_SERVERS: rw.world.dns.address,
      MAILSETTINGS_ISPDB_URL: `${rw.world.ispdb.url}/v1.1/`,
      MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not started: ${stderr}`)), 20_000);
    child.stderr?.on('data', () => {
      const match = /slack: started .*port=(\d+)/.exec(stderr);
      if (match && stderr.includes('discord: started') && stderr.includes('cases: relaying')) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', () => reject(new Error(`exited: ${stderr}`)));
  });
  return { child, bot: { events: `http://127.0.0.1:${port}/slack/events` }, output: () => stderr };
}

describe.each(testEngines())('the bot killed mid-case, on $name', (engine) => {
  it.skipIf(engine.skip)('delivers after a restart what it had stored, once and in order', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const first = await startBot(fresh.url);
    const posts = rw.discord.threads().length;
    const user = { id: `U${engine.name}`, name: `kim-${engine.name}` };
    const { threadTs } = await customerAsksForAPerson(rw, first.bot as Bot, 'direct.test pop', { user });
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(posts + 1);
    const post = String((rw.discord.threads().at(-1) as { id: string }).id);

    rw.discord.outage(true);
    for (const n of [1, 2]) {
      const written = customerWrites(first.bot as Bot, `while Discord is down ${n}`, threadTs);
      expect((await written.send()).status).toBe(200); // acknowledged: by now it is in the database
    }
    await expect.poll(first.output, { timeout: 10_000 }).toMatch(/cases: delivery failed/);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    rw.discord.outage(false);

    const second = await startBot(fresh.url);
    const relayed = await rw.discord.waitForMessages(
      post,
      2,
      (message) => /while Discord is down/.test(String(message.content)),
      15_000,
    );
    expect(relayed.map((message) => message.content)).toEqual([
      `**${user.name} (customer):** while Discord is down 1`,
      `**${user.name} (customer):** while Discord is down 2`,
    ]);
    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    expect(
      rw.discord.messages(post).filter((message) => /while Discord is down/.test(String(message.content))),
    ).toHaveLength(2);
  });
});
