import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from './support/fake-discord.js';
import { commandBody, type FakeSlack, signedPost, startFakeSlack } from './support/fake-slack.js';

const ROOT = new URL('..', import.meta.url).pathname;
let slack: FakeSlack;
let discord: FakeDiscord;
beforeAll(async () => {
  [slack, discord] = await Promise.all([startFakeSlack(), startFakeDiscord()]);
});
afterAll(async () => {
  await Promise.all([slack?.close(), discord?.close()]);
});

describe('npm start with Slack and Discord credentials', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'serves both side by side and stops cleanly on %s',
    async (signal) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          SLACK_BOT_TOKEN: 'xoxb-secret-token',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: slack.apiUrl,
          PORT: '0',
          DISCORD_TOKEN: 'discord-secret-token-0123456789',
          DISCORD_API_URL: discord.apiUrl,
          MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
          MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      // Never leave a bot running behind a failed assertion.
      onTestFinished(() => {
        if (child.exitCode === null) child.kill('SIGKILL');
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not started: ${stderr}`)), 15_000);
        child.stderr.on('data', () => {
          const match = /slack: started .*port=(\d+)/.exec(stderr);
          if (match && stderr.includes('discord: started')) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });
      const answer = await signedPost(
        `http://127.0.0.1:${port}/slack/events`,
        'secret',
        commandBody('example.com smtp', slack.responseUrl('start')),
      );
      expect(JSON.parse(answer.body).text).toContain('Outgoing mail server: mail.example.com');
      // By default customers in Slack may not run live checks.
      const check = await signedPost(
        `http://127.0.0.1:${port}/slack/events`,
        'secret',
        commandBody('example.com check', slack.responseUrl('check')),
      );
      expect(JSON.parse(check.body).text).toMatch(/^Live checks are run by our support staff/);
      const asked = discord.sendCommand({ options: [{ name: 'domain', type: 3, value: 'example.com' }] });
      await discord.waitFor((call) => call.path === `/interactions/${asked.id}/${asked.token}/callback`);

      child.kill(signal);
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      expect(stderr).toMatch(new RegExp(`stopping signal="${signal}"`));
      expect(stderr).not.toContain('xoxb-secret-token');
      expect(stderr).not.toContain('discord-secret-token');
      await expect.poll(() => discord.gateway.closeCodes).toContain(1000);
    },
  );
});

/** A loopback port nothing listens on: connecting to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs `npm start`'s entry with `env`; resolves with its exit code and stderr, or kills it after `withinMs`. */
async function runUntilExit(env: Record<string, string>, withinMs: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), withinMs);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  return { code, signal, lines: stderr.split('\n').filter(Boolean) };
}

describe('npm start when a platform cannot be reached', () => {
  it.each([
    ['Slack (HTTP mode)', 'SLACK', { SLACK_SIGNING_SECRET: 'secret', PORT: '0' }],
    ['Slack (Socket Mode)', 'SLACK', { SLACK_APP_TOKEN: 'xapp-test' }],
    ['Discord, with Slack already started', 'DISCORD', {}],
  ] as const)(
    '%s: says so in one line and exits with 1',
    async (_case, closed, extra) => {
      const port = await closedPort();
      const { code, signal, lines } = await runUntilExit(
        {
          SLACK_BOT_TOKEN: 'xoxb-secret-token',
          SLACK_API_URL: closed === 'SLACK' ? `http://127.0.0.1:${port}/api/` : slack.apiUrl,
          ...(closed === 'DISCORD'
            ? {
                SLACK_SIGNING_SECRET: 'secret',
                PORT: '0',
                DISCORD_TOKEN: 'discord-secret-token-0123456789',
                DISCORD_API_URL: `http://127.0.0.1:${port}/api`,
              }
            : {}),
          ...extra,
        },
        30_000,
      );
      expect(signal).toBeNull();
      expect(code).toBe(1);
      const problems = lines.filter((line) => !/ info slack: started /.test(line));
      // Slack was up when Discord failed, and was stopped with it.
      if (closed === 'DISCORD') expect(problems.length).toBe(lines.length - 1);
      expect(problems).toEqual([
        closed === 'SLACK'
          ? `Slack's Web API at http://127.0.0.1:${port}/api/ cannot be reached (ECONNREFUSED): check the network and SLACK_API_URL. Slack was not started.`
          : `Discord at http://127.0.0.1:${port}/api cannot be reached (ECONNREFUSED): check the network and DISCORD_API_URL. Discord was not started.`,
      ]);
    },
    40_000,
  );
});

describe('npm start with set-up links configured', () => {
  it('serves the set-up page on MAILSETTINGS_HTTP_PORT when only Discord runs, and links answers to it', async () => {
    const secret = 'start-test-link-secret-0123456789abcdef';
    const child = spawn(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        DISCORD_TOKEN: 'discord-secret-token-0123456789',
        DISCORD_API_URL: discord.apiUrl,
        MAILSETTINGS_LINK_SECRET: secret,
        MAILSETTINGS_PUBLIC_URL: 'https://bot.web-hosting.test',
        MAILSETTINGS_HTTP_PORT: '0',
        MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
        MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    let stderr = '';
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not started: ${stderr}`)), 15_000);
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        const match = /setup page: started port=(\d+)/.exec(stderr);
        if (match && stderr.includes('discord: started')) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    const asked = discord.sendCommand({ options: [{ name: 'domain', type: 3, value: 'alice@example.com' }] });
    const [call] = await discord.waitFor(
      (c) => c.path === `/interactions/${asked.id}/${asked.token}/callback`,
    );
    type Rows = { data?: { components?: { components: { url?: string }[] }[] } };
    const rows = (call?.body as Rows | undefined)?.data?.components ?? [];
    const link = rows.flatMap((row) => row.components).find((button) => button.url)?.url ?? '';
    expect(link).toMatch(/^https:\/\/bot\.web-hosting\.test\/setup\//);
    const page = await fetch(link.replace('https://bot.web-hosting.test', `http://127.0.0.1:${port}`));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('mail.example.com');
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stderr).not.toContain(secret);
  }, 30_000);
});
