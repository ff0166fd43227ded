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

  // One scenario in stages, each a test of its own with its own time: the replicas and the case carry over.
  let a: BotProcess;
  let b: BotProcess;
  let threadTs: string;
  let post: string;

  it('holds the gateway in one replica only; the other waits for the lease', async () => {
    a = await startReplica('a');
    await expect.poll(() => onGateway(a), { timeout: 15_000 }).toBe(true);
    b = await startReplica('b');
    await expect.poll(b.output, { timeout: 15_000 }).toContain('discord: waiting for the gateway lease');
  });

  it('serves Slack from either replica, with one limit shared between them', async () => {
    // 4 a minute (MAILSETTINGS_RATE_LIMIT), whichever replica a question reaches.
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
  });

  it('relays a case opened through one replica and written to through the other', async () => {
    ({ threadTs } = await customerAsksForAPerson(rw, asBot(a), 'direct.test imap', {
      user: { id: 'U10', name: 'rio' },
    }));
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(1);
    post = String((rw.discord.threads()[0] as { id: string }).id);
    await customerWrites(asBot(b), 'written through b', threadTs, { user: 'U10' }).send();
    await rw.discord.waitForMessages(
      post,
      1,
      (message) => String(message.content).includes('written through b'),
      10_000,
    );
    // All the while (b asks for the lease every second), the gateway stayed with a alone.
    expect(onGateway(b)).toBe(false);
    expect(rw.discord.gateway.identifies).toHaveLength(1);
  });

  it('takes over the gateway when the holder dies', async () => {
    await killBotProcess(a);
    await expect.poll(() => onGateway(b), { timeout: 15_000, interval: 100 }).toBe(true);
    expect(rw.discord.gateway.identifies).toHaveLength(2);
  });

  it('answers a staff reply once after the take-over, and relays both ways once', async () => {
    const reply = rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'after the take-over' }],
      channelId: post,
      member: STAFF,
    });
    const reached = (text: string) =>
      rw.slack.waitForMessages(
        'C1',
        1,
        (message) => message.thread_ts === threadTs && message.text === `<@U10> ${text}`,
        10_000,
      );
    await reached('after the take-over');
    await customerWrites(asBot(b), 'thanks, b', threadTs, { user: 'U10' }).send();
    await rw.discord.waitForMessages(
      post,
      1,
      (message) => String(message.content).includes('thanks, b'),
      10_000,
    );
    // A last reply, in order behind anything sent twice: once it is there, a duplicate would be too.
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'last' }],
      channelId: post,
      member: STAFF,
    });
    await reached('last');
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
