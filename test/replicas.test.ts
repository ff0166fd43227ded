// Two replicas of the bot, real processes (`npm start`'s entry point) on one real PostgreSQL, behind the
// loopback Slack and Discord fakes: either serves any Slack request (limits and cases are shared), exactly one
// holds Discord's gateway, and when it is killed the other takes over, with nothing lost or answered twice.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from './support/databases.js';
import { commandBody, signedPost } from './support/fake-slack.js';
import {
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  type RelayWorld,
  SECRET,
  STAFF,
  startRelayWorld,
} from './support/relay-world.js';
import { TEST_PROFILE } from './support/world.js';

const ROOT = new URL('..', import.meta.url).pathname;
const postgres = testEngines().find((engine) => engine.name === 'postgres');

interface Replica {
  name: string;
  child: ChildProcess;
  events: string;
  output: () => string;
}

describe.skipIf(postgres?.skip)('two replicas on one PostgreSQL', () => {
  let rw: RelayWorld;
  let fresh: TestDatabase;
  let profile: string;
  const replicas: Replica[] = [];

  beforeAll(async () => {
    rw = await startRelayWorld();
    fresh = await (postgres as NonNullable<typeof postgres>).fresh();
    profile = join(mkdtempSync(join(tmpdir(), 'mailsettings-profile-')), 'profile.json');
    writeFileSync(profile, JSON.stringify(TEST_PROFILE));
  });
  afterAll(async () => {
    for (const replica of replicas) if (replica.child.exitCode === null) replica.child.kill('SIGKILL');
    await rw?.close();
    await fresh?.drop();
  });

  async function startReplica(name: string): Promise<Replica> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        SLACK_BOT_TOKEN: 'xoxb-replicas',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: rw.slack.apiUrl,
        PORT: '0',
        DISCORD_TOKEN: 'replicas-bot-token-0123456789',
        DISCORD_API_URL: rw.discord.apiUrl,
        DISCORD_CASES_CHANNEL_ID: rw.discord.forumId,
        DATABASE_URL: fresh.url,
        MAILSETTINGS_RATE_LIMIT: '4',
        MAILSETTINGS_PROFILE: profile,
        MAILSETTINGS_DNS_SERVERS: rw.world.dns.address,
        MAILSETTINGS_ISPDB_URL: `${rw.world.ispdb.url}/v1.1/`,
        MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${name} not started: ${stderr}`)), 20_000);
      child.stderr?.on('data', () => {
        const match = /slack: started .*port=(\d+)/.exec(stderr);
        if (match && stderr.includes('cases: relaying')) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
      child.once('exit', () => reject(new Error(`${name} exited: ${stderr}`)));
    });
    const replica = { name, child, events: `http://127.0.0.1:${port}/slack/events`, output: () => stderr };
    replicas.push(replica);
    return replica;
  }

  const asBot = (replica: Replica) => ({ events: replica.events }) as Bot;
  const onGateway = (replica: Replica) => replica.output().includes('discord: started');

  it('serve Slack together, hold the gateway one at a time, and take over when the holder dies', async () => {
    const a = await startReplica('a');
    await expect.poll(() => onGateway(a), { timeout: 15_000 }).toBe(true);
    const b = await startReplica('b');
    await expect.poll(b.output, { timeout: 10_000 }).toContain('discord: waiting for the gateway lease');
    await new Promise((resolve) => setTimeout(resolve, 1500)); // several of b's tries at the lease
    expect(onGateway(b)).toBe(false);
    expect(rw.discord.gateway.identifies).toHaveLength(1);

    // One limit, whichever replica a question reaches: 4 a minute (MAILSETTINGS_RATE_LIMIT).
    const answers: string[] = [];
    for (const [n, replica] of [a, b, a, b, a].entries()) {
      const response = await signedPost(
        replica.events,
        SECRET,
        commandBody('direct.test', rw.slack.responseUrl(`limit-${n}`), 'U9'),
      );
      answers.push(String(JSON.parse(response.body).text));
    }
    expect(answers.slice(0, 4).every((text) => text.startsWith('Mail settings for direct.test'))).toBe(true);
    expect(answers[4]).toMatch(/^You are asking faster than I can look things up/);

    // A case opened through one replica, written to through the other.
    const { threadTs } = await customerAsksForAPerson(rw, asBot(a), 'direct.test imap', {
      user: { id: 'U10', name: 'rio' },
    });
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(1);
    const post = String((rw.discord.threads()[0] as { id: string }).id);
    await customerWrites(asBot(b), 'written through b', threadTs).send();
    await rw.discord.waitForMessages(
      post,
      1,
      (message) => String(message.content).includes('written through b'),
      10_000,
    );

    // The gateway holder dies mid-run; the other takes over within seconds.
    const killedAt = performance.now();
    a.child.kill('SIGKILL');
    await expect.poll(() => onGateway(b), { timeout: 20_000, interval: 100 }).toBe(true);
    const failoverMs = performance.now() - killedAt;
    expect(failoverMs).toBeLessThan(15_000);
    expect(rw.discord.gateway.identifies).toHaveLength(2);

    // After the take-over: a staff reply is answered once and reaches the customer once; so does the customer.
    const reply = rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'after the take-over' }],
      channelId: post,
      member: STAFF,
    });
    await rw.slack.waitForMessages(
      'C1',
      1,
      (message) => message.thread_ts === threadTs && message.text === 'after the take-over',
      10_000,
    );
    await customerWrites(asBot(b), 'thanks, b', threadTs).send();
    await rw.discord.waitForMessages(
      post,
      1,
      (message) => String(message.content).includes('thanks, b'),
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(
      rw.discord.calls.filter((call) => call.path.startsWith(`/interactions/${reply.id}/`)),
    ).toHaveLength(1);
    expect(rw.slack.messages('C1').filter((message) => message.text === 'after the take-over')).toHaveLength(
      1,
    );
    expect(
      rw.discord
        .messages(post)
        .filter((message) => /written through b|thanks, b/.test(String(message.content))),
    ).toHaveLength(2);
  });
});
