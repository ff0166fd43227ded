// Nothing is lost when the bot is killed mid-case: the real `npm start` entry point runs as a process against
// the loopback Slack and Discord fakes, on an SQLite file and on PostgreSQL; it is killed with SIGKILL while a
// customer's message waits for Discord to come back, and a new process delivers it, once.
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { killBotProcess, startBotProcess } from '../support/bot-process.js';
import { testEngines } from '../support/databases.js';
import {
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  type RelayWorld,
  startRelayWorld,
} from '../support/relay-world.js';

let rw: RelayWorld;

beforeAll(async () => {
  rw = await startRelayWorld();
});
afterAll(() => rw?.close());

describe.each(testEngines())('the bot killed mid-case, on $name', (engine) => {
  it.skipIf(engine.skip)('delivers after a restart what it had stored, once and in order', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const first = await startBotProcess(rw, { name: 'first', databaseUrl: fresh.url });
    onTestFinished(() => killBotProcess(first));
    const posts = rw.discord.threads().length;
    const user = { id: `U${engine.name}`, name: `kim-${engine.name}` };
    const { threadTs } = await customerAsksForAPerson(rw, first.bot as Bot, 'direct.test pop', { user });
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(posts + 1);
    const post = String((rw.discord.threads().at(-1) as { id: string }).id);

    rw.discord.outage(true);
    for (const n of [1, 2]) {
      const written = customerWrites(first.bot as Bot, `while Discord is down ${n}`, threadTs, {
        user: user.id,
      });
      expect((await written.send()).status).toBe(200); // acknowledged: by now it is in the database
    }
    await expect.poll(first.output, { timeout: 10_000 }).toMatch(/cases: delivery failed/);
    await killBotProcess(first);
    rw.discord.outage(false);

    const second = await startBotProcess(rw, { name: 'second', databaseUrl: fresh.url });
    onTestFinished(() => killBotProcess(second));
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
    await killBotProcess(second, 'SIGTERM');
    expect(
      rw.discord.messages(post).filter((message) => /while Discord is down/.test(String(message.content))),
    ).toHaveLength(2);
  });
});
