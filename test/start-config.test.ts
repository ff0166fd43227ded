// Start-up lines an operator meets on a first misconfiguration, through the real built bot as a process: each
// is one plain, actionable line, exits 1, and never shows a secret.
import { once } from 'node:events';
import http from 'node:http';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { discordEnvSchema, loadDiscordConfig } from '../adapters/discord/config.js';
import { loadSlackEnv, slackEnvSchema } from '../adapters/slack/config.js';
import { envSchema, loadConfig, unknownVariables } from '../src/index.js';
import { maskUrl } from '../src/store/trouble.js';
import { closedPort } from './support/closed-port.js';
import { type FakeDiscord, startFakeDiscord } from './support/fake-discord.js';
import { type FakeSlack, startFakeSlack } from './support/fake-slack.js';
import { exitOf, startPlainBot } from './support/plain-bot.js';

const OFFLINE = { MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9', MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/' };
const DISCORD_TOKEN = 'the-right-discord-token-0123456789';

let slack: FakeSlack;
let discord: FakeDiscord;
beforeAll(async () => {
  [slack, discord] = await Promise.all([startFakeSlack(), startFakeDiscord({ token: DISCORD_TOKEN })]);
});
afterAll(() => Promise.all([slack?.close(), discord?.close()]));

/** The bot offline but for `env`: how it ended and what it wrote, killed after `withinMs` if it still runs. */
async function runUntilExit(env: Record<string, string>, withinMs = 20_000) {
  const bot = startPlainBot({ ...OFFLINE, ...env });
  const timer = setTimeout(() => bot.child.kill('SIGKILL'), withinMs);
  const { code, signal } = await exitOf(bot.child);
  clearTimeout(timer);
  return { code, signal, stderr: bot.stderr(), lines: bot.lines() };
}

/** A loopback port something else already listens on. */
async function busyPort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

describe('a port already in use', () => {
  it("Slack's HTTP mode says in one plain line that PORT is taken, and exits 1", async () => {
    const port = await busyPort();
    const { code, signal, lines } = await runUntilExit({
      SLACK_BOT_TOKEN: 'xoxb-review',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
    });
    expect({ code, signal }).toEqual({ code: 1, signal: null });
    // As the set-up page does for MAILSETTINGS_HTTP_PORT: one line naming the variable, no stack.
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
    expect(lines[0]).toMatch(/EADDRINUSE|in use/);
    expect(lines[0]).not.toMatch(/start-up failed|node_modules|\\n {4}at /);
  }, 30_000);
});

describe('credentials inside an API URL', () => {
  it('never prints the password of SLACK_API_URL when Slack cannot be reached', async () => {
    const port = await closedPort();
    const { code, stderr } = await runUntilExit({
      SLACK_BOT_TOKEN: 'xoxb-review',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: `http://proxyuser:PROXY-PASSWORD@127.0.0.1:${port}/api/`,
      PORT: '0',
    });
    expect(code).toBe(1);
    expect(stderr).toContain('cannot be reached');
    expect(stderr).not.toContain('PROXY-PASSWORD');
  }, 30_000);

  it('never prints the password of DISCORD_API_URL when Discord cannot be reached', async () => {
    const port = await closedPort();
    const { code, stderr } = await runUntilExit({
      DISCORD_TOKEN,
      DISCORD_API_URL: `http://proxyuser:PROXY-PASSWORD@127.0.0.1:${port}/api`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('cannot be reached');
    expect(stderr).not.toContain('PROXY-PASSWORD');
  }, 30_000);
});

describe('a database password in a configuration error', () => {
  it.each([
    ['a slash in the password', 'mysql://bot:Pass/WORD-SECRET@db.internal/cases'],
    ['an @ in the password', 'postgresql+psycopg://bot:p@WORD-SECRET@db.internal/cases'],
  ])('never shows the password of a wrong DATABASE_URL (%s)', (_case, url) => {
    expect(() => loadConfig({ DATABASE_URL: url })).toThrow(/^DATABASE_URL must be/);
    expect(() => loadConfig({ DATABASE_URL: url })).not.toThrow(/WORD-SECRET/);
  });
});

describe('a token in quotes, as Docker --env-file passes it', () => {
  it('DISCORD_TOKEN="…" is named as quoted, not as a token Discord refused', () => {
    // "reset the token and copy it again" would send the admin to reset a token that is right.
    const env = { DISCORD_TOKEN: `"${DISCORD_TOKEN}"` };
    expect(() => loadDiscordConfig(env)).toThrow(/^DISCORD_TOKEN is wrapped in quotes/);
    expect(() => loadDiscordConfig(env)).not.toThrow(DISCORD_TOKEN);
  });

  it('SLACK_BOT_TOKEN="xoxb-…" is named as quoted, not as a token that does not start with xoxb-', () => {
    const env = { SLACK_BOT_TOKEN: '"xoxb-1-SECRET"', SLACK_SIGNING_SECRET: 'signing' };
    expect(() => loadSlackEnv(env)).toThrow(/^SLACK_BOT_TOKEN /);
    // The value does start with xoxb- once its quotes are gone: the line must say what is really wrong.
    expect(() => loadSlackEnv(env)).toThrow(/quote/i);
    expect(() => loadSlackEnv(env)).not.toThrow(/SECRET/);
  });
});

describe('a refused SLACK_APP_TOKEN (Socket Mode)', () => {
  it('names SLACK_APP_TOKEN in one plain line, exits 1, and never prints the token', async () => {
    // Slack as it answers a revoked app-level token: auth.test (the bot token) is fine, apps.connections.open not.
    const api = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        if (req.url?.endsWith('/auth.test'))
          return res.end(
            JSON.stringify({
              ok: true,
              user_id: 'UBOT',
              bot_id: 'BBOT',
              response_metadata: { scopes: ['chat:write'] },
            }),
          );
        if (req.url?.endsWith('/apps.connections.open'))
          return res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
        res.end(JSON.stringify({ ok: true }));
      });
    });
    api.listen(0, '127.0.0.1');
    await once(api, 'listening');
    onTestFinished(() => new Promise<void>((resolve) => api.close(() => resolve())));
    const { code, lines } = await runUntilExit({
      SLACK_BOT_TOKEN: 'xoxb-review',
      SLACK_APP_TOKEN: 'xapp-1-REVOKED-SECRET',
      SLACK_API_URL: `http://127.0.0.1:${(api.address() as { port: number }).port}/api/`,
    });
    expect(code).toBe(1);
    expect(lines.join('\n')).not.toContain('REVOKED-SECRET');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/SLACK_APP_TOKEN/);
    expect(lines[0]).not.toMatch(/start-up failed|node_modules/);
  }, 30_000);
});

describe('a variable whose name is a typo of a real one', () => {
  it('says so, with the one it likely meant, instead of silently running on the default', () => {
    const known = [envSchema, slackEnvSchema, discordEnvSchema].flatMap((schema) =>
      Object.keys(schema.shape),
    );
    const env = { MAILSETTINGS_RATE_LIMITS: '2', MAILSETTINGS_DEADLINE: '900', MAILSETTINGS_RATE_LIMIT: '5' };
    expect(unknownVariables(env, known)).toEqual([
      'MAILSETTINGS_RATE_LIMITS is not a variable the bot reads, so it changes nothing: did you mean MAILSETTINGS_RATE_LIMIT?',
      'MAILSETTINGS_DEADLINE is not a variable the bot reads, so it changes nothing: did you mean MAILSETTINGS_DEADLINE_MS?',
    ]);
  });
});

describe('DISCORD_API_URL written with a trailing slash', () => {
  it('is taken as without it (SLACK_API_URL and MAILSETTINGS_ISPDB_URL take either)', () => {
    const config = loadDiscordConfig({ DISCORD_TOKEN, DISCORD_API_URL: `${discord.apiUrl}/` });
    expect(config?.DISCORD_API_URL).toBe(discord.apiUrl);
  });
});

describe('a DATABASE_URL whose password holds a slash', () => {
  it('masks the password in the log line', () => {
    // new URL() reads "bot:4711" as host and port, so no password is found to mask.
    const url = 'postgres://bot:4711/Pass-SECRET@db.internal/cases';
    expect(maskUrl(url)).not.toContain('Pass-SECRET');
  });

  it('masks a password holding a space or an "@", or given as ?password=, and nothing in a sentence', () => {
    expect(maskUrl('postgres://bot:Pass SECRET@db/x')).toBe('postgres://bot:***@db/x');
    expect(maskUrl('postgres://bot:a/b@c@db:5432/cases')).toBe('postgres://bot:***@db:5432/cases');
    expect(maskUrl('postgres://bot@db/x?sslmode=require&password=SECRET')).toBe(
      'postgres://bot@db/x?sslmode=require&password=***',
    );
    // A port and a path are no password, and an address later in the sentence is no host.
    const sentence = 'http://host:8080/path failed for alice@example.com';
    expect(maskUrl(sentence)).toBe(sentence);
    expect(maskUrl('connect postgres://u:p@db/x failed for bob@example.com')).toBe(
      'connect postgres://u:***@db/x failed for bob@example.com',
    );
  });

  it('never logs it while waiting for the database at start', async () => {
    const bot = startPlainBot({
      ...OFFLINE,
      DISCORD_TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      // pg reads it as host "bot", port 4711: it cannot be reached, and the bot says so while it waits.
      DATABASE_URL: 'postgres://bot:4711/Pass-SECRET@db.internal/cases',
    });
    await expect.poll(bot.stderr, { timeout: 15_000 }).toMatch(/database|DATABASE_URL/);
    bot.child.kill('SIGTERM');
    await exitOf(bot.child);
    expect(bot.stderr()).not.toContain('Pass-SECRET');
  }, 30_000);
});
