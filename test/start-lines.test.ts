// What an admin reads in the first hour, through the real start (`npm start`'s entry point through tsx, as a
// process) against the loopback fakes: the bot with nothing configured and nothing on stdin (a systemd unit
// whose EnvironmentFile was forgotten), a wrong or unreachable Discord when cases are on, and a cases forum
// without its status tags that the bot may not add. Each is one plain line, no stack, no JSON inside JSON.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from './support/fake-discord.js';
import { DEFAULT_SCOPES, type FakeSlack, startFakeSlack } from './support/fake-slack.js';
import { startProxy } from './support/http-server.js';
import { exitOf, startPlainBot } from './support/plain-bot.js';

const DISCORD_TOKEN = 'the-right-discord-token-0123456789';
const OFFLINE = { MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9', MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/' };

let slack: FakeSlack;
let discord: FakeDiscord;
beforeAll(async () => {
  [slack, discord] = await Promise.all([
    startFakeSlack({ scopes: [...DEFAULT_SCOPES, 'users:read', 'users:read.email', 'chat:write.customize'] }),
    startFakeDiscord({ token: DISCORD_TOKEN }),
  ]);
});
afterAll(() => Promise.all([slack?.close(), discord?.close()]));

/** The bot offline but for what `env` points it at. */
const startBot = (env: Record<string, string>, input?: string) =>
  startPlainBot({ ...OFFLINE, ...env }, input);

/** Slack in HTTP mode, Discord and cases on a fresh SQLite file. */
const withCases = (discordApi: string, token = DISCORD_TOKEN) => ({
  SLACK_BOT_TOKEN: 'xoxb-first-hour',
  SLACK_SIGNING_SECRET: 'secret',
  SLACK_API_URL: slack.apiUrl,
  PORT: '0',
  DISCORD_TOKEN: token,
  DISCORD_API_URL: discordApi,
  DISCORD_CASES_CHANNEL_ID: discord.forumId,
  DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), 'mailsettings-first-hour-')), 'cases.db')}`,
});

describe('npm start with nothing configured', () => {
  it('says in one line that it has nothing to serve when stdin is empty, and exits 78 (EX_CONFIG)', async () => {
    const bot = startBot({});
    expect(await exitOf(bot.child)).toEqual({ code: 78, signal: null });
    expect(bot.lines()).toEqual([
      'No SLACK_BOT_TOKEN or DISCORD_TOKEN is set, so the bot read questions from stdin (its console), and stdin ended before any question: nothing to serve, stopping. Set the tokens in the environment of the bot (under systemd, check EnvironmentFile=).',
    ]);
    expect(bot.stdout()).toBe('');
  }, 30_000);

  it('still answers questions piped to it and exits 0 without a word on stderr', async () => {
    const bot = startBot({}, 'help\n');
    expect(await exitOf(bot.child)).toEqual({ code: 0, signal: null });
    expect(bot.stdout()).toMatch(/^Usage: /);
    expect(bot.lines()).toEqual([]);
  }, 30_000);
});

describe('npm start with support cases on', () => {
  it.each([
    [
      'a wrong DISCORD_TOKEN',
      () => withCases(discord.apiUrl, 'reset-discord-secret-0123456789'),
      () =>
        'Discord refused DISCORD_TOKEN: reset the token on the Bot page of the application and copy it again.',
    ],
    [
      'a Discord it cannot reach',
      () => withCases('http://127.0.0.1:9/api'),
      () =>
        'Discord at http://127.0.0.1:9/api cannot be reached (ECONNREFUSED): check the network and DISCORD_API_URL. Discord was not started.',
    ],
  ])(
    'names %s as such in one line, not as a forum it cannot read, and exits 1',
    async (_case, env, line) => {
      const bot = startBot(env());
      expect(await exitOf(bot.child)).toEqual({ code: 1, signal: null });
      expect(bot.lines()).toEqual([line()]);
      expect(bot.lines().join('\n')).not.toContain('reset-discord-secret');
    },
    40_000,
  );

  it('says in one line which status tags the forum lacks and what to do, when the bot may not add them', async () => {
    // Discord in front of which editing the forum is refused as Discord refuses it without Manage Channels.
    const refusing = await startProxy(discord.apiUrl, (req, res) => {
      if (req.method !== 'PATCH' || req.url !== `/api/v10/channels/${discord.forumId}`) return false;
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: 'Missing Permissions', code: 50013 }));
      return true;
    });
    onTestFinished(() => refusing.close());
    const bot = startBot(withCases(`${refusing.url}/api`));
    await expect.poll(() => bot.lines().join('\n'), { timeout: 20_000 }).toContain('discord: started');

    const tags = bot.lines().filter((line) => line.includes('status tags'));
    expect(tags).toEqual([
      expect.stringMatching(
        / warn discord: the cases forum lacks status tags: create them in its settings, or give the bot Manage Channels there; until then only the case card shows the status missing=\["New","Claimed","Waiting on customer","Resolved"\] refused="Missing Permissions \(50013\)"$/,
      ),
    ]);
    bot.child.kill('SIGTERM');
    expect(await exitOf(bot.child)).toEqual({ code: 0, signal: null });
  }, 40_000);
});
