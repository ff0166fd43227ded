import { spawn } from 'node:child_process';
import { once } from 'node:events';
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
