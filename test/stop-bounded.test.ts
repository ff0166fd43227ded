// SIGTERM while a case delivery is under way, through the real built bot as a process. Slack's Web API is
// reached through a loopback proxy in front of the Slack fake that, once told to, holds chat.postMessage without
// answering (a Slack, network or proxy that hangs): a clean stop still ends in bounded time.
import { once } from 'node:events';
import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BotProcess, killBotProcess, startBotProcess } from './support/bot-process.js';
import { migratedSqlite, type TestDatabase } from './support/databases.js';
import { startProxy, type TestHttpServer } from './support/http-server.js';
import { caseOf, type RelayWorld, STAFF, startRelayWorld } from './support/relay-world.js';

let rw: RelayWorld;
let database: TestDatabase;
let proxy: TestHttpServer;
let holding = false;
const held: http.ServerResponse[] = [];

beforeAll(async () => {
  rw = await startRelayWorld();
  database = await migratedSqlite();
  proxy = await startProxy(rw.slack.apiUrl, (req, res) => {
    if (!holding || !req.url?.endsWith('/chat.postMessage')) return false;
    held.push(res); // never answered
    req.resume();
    return true;
  });
}, 60_000);

afterAll(async () => {
  for (const res of held) res.destroy();
  await proxy?.close();
  await rw?.close();
  await database?.drop();
});

describe('SIGTERM while a delivery to Slack hangs', () => {
  let bot: BotProcess | undefined;
  afterAll(async () => {
    if (bot) await killBotProcess(bot);
  });

  it('exits within ten seconds (Docker stop) of SIGTERM, and a second SIGTERM does not undo that', async () => {
    bot = await startBotProcess(rw, {
      name: 'stop-bounded',
      databaseUrl: database.url,
      env: { SLACK_API_URL: `${proxy.url}/api/` },
    });
    const { post } = await caseOf(
      rw,
      bot.bot as never,
      'direct.test imap',
      { id: 'U77', name: 'kim' },
      'C77',
    );

    holding = true;
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'a staff reply on its way to Slack' }],
      channelId: post,
      member: STAFF,
    });
    // The relay's delivery of the reply is now waiting on Slack.
    await expect.poll(() => held.length, { timeout: 10_000 }).toBeGreaterThan(0);

    const exited = once(bot.child, 'exit');
    const signalled = Date.now();
    bot.child.kill('SIGTERM');
    await expect.poll(bot.output, { timeout: 5000 }).toContain('stopping signal="SIGTERM"');
    // An operator who sees it hang presses Ctrl-C / sends SIGTERM once more.
    setTimeout(() => bot?.child.kill('SIGTERM'), 2000).unref();
    const outcome = await Promise.race([
      exited.then(([code, signal]) => ({ code, signal })),
      new Promise((resolve) => setTimeout(() => resolve('still running 10 s after SIGTERM'), 10_000)),
    ]);
    expect(outcome, `after ${Date.now() - signalled} ms:\n${bot.output()}`).toMatchObject({ signal: null });
  }, 60_000);
});
