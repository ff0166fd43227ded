// Two replicas of the bot, real processes (`npm start`'s entry point) on one real PostgreSQL, behind the
// loopback Slack and Discord fakes: either serves any Slack request (limits and cases are shared), exactly one
// holds Discord's gateway, and when it is killed the other takes over, with nothing lost or answered twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, killBotProcess, startBotProcess } from './support/bot-process.js';
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

const postgres = testEngines().find((engine) => engine.name === 'postgres');

describe.skipIf(postgres?.skip)('two replicas on one PostgreSQL', () => {
  let rw: RelayWorld;
  let fresh: TestDatabase;
  const replicas: BotProcess[] = [];

  beforeAll(async () => {
    rw = await startRelayWorld();
    fresh = await (postgres as NonNullable<typeof postgres>).fresh();
  });
  afterAll(async () => {
    for (const replica of replicas) await killBotProcess(replica);
    await rw?.close();
    await fresh?.drop();
  });

  async function startReplica(name: string) {
    const replica = await startBotProcess(rw, {
      name,
      databaseUrl: fresh.url,
      env: { MAILSETTINGS_RATE_LIMIT: '4' },
    });
    replicas.push(replica);
    return replica;
  }

  const asBot = (replica: BotProcess) => replica.bot as Bot;
  const onGateway = (replica: BotProcess) => replica.onGateway();

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
        replica.bot.events,
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
    await customerWrites(asBot(b), 'written through b', threadTs, { user: 'U10' }).send();
    await rw.discord.waitForMessages(
      post,
      1,
      (message) => String(message.content).includes('written through b'),
      10_000,
    );

    // The gateway holder dies mid-run; the other takes over within seconds.
    const killedAt = performance.now();
    await killBotProcess(a);
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
      (message) => message.thread_ts === threadTs && message.text === '<@U10> after the take-over',
      10_000,
    );
    await customerWrites(asBot(b), 'thanks, b', threadTs, { user: 'U10' }).send();
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
    expect(
      rw.slack.messages('C1').filter((message) => message.text === '<@U10> after the take-over'),
    ).toHaveLength(1);
    expect(
      rw.discord
        .messages(post)
        .filter((message) => /written through b|thanks, b/.test(String(message.content))),
    ).toHaveLength(2);
  });
});
