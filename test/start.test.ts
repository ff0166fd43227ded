import { isAscii } from 'node:buffer';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { BOT } from './support/build.js';
import { type FakeDiscord, startFakeDiscord } from './support/fake-discord.js';
import {
  commandBody,
  type FakeSlack,
  finalAnswer,
  signedPost,
  startFakeSlack,
} from './support/fake-slack.js';
import { isRunning, type Proc, processTree } from './support/process-tree.js';

const ROOT = new URL('..', import.meta.url).pathname;
/** Slack commands sent so far: each gets a response URL of its own. */
let slackCommands = 0;
let slack: FakeSlack;
let discord: FakeDiscord;
beforeAll(async () => {
  [slack, discord] = await Promise.all([startFakeSlack(), startFakeDiscord()]);
}, 180_000);
afterAll(async () => {
  await Promise.all([slack?.close(), discord?.close()]);
});

/** Every documented way of starting the bot, as a process manager (or a person) would run it. */
const STARTS = [
  {
    how: 'node dist/adapters/main.js',
    command: process.execPath,
    args: ['dist/adapters/main.js'],
    compiled: true,
  },
  { how: 'npm start', command: 'npm', args: ['start'], compiled: true },
  { how: 'npm run dev', command: 'npm', args: ['run', 'dev'], compiled: false },
] as const;
type Stop = 'SIGTERM' | 'SIGINT' | 'Ctrl-C';

describe.each(STARTS)('$how with Slack and Discord credentials', ({ how, command, args, compiled }) => {
  const stops: Stop[] = how === 'npm start' ? ['SIGTERM', 'SIGINT', 'Ctrl-C'] : ['SIGTERM', 'SIGINT'];
  it.each(stops)(
    'serves both side by side and %s stops the whole process tree cleanly',
    async (stop) => {
      const child = spawn(command, args, {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
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
        // Its own process group, as a terminal gives a command: Ctrl-C signals the whole group.
        detached: true,
      });
      let tree: Proc[] = [];
      // Never leave a bot running behind a failed assertion.
      onTestFinished(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        for (const proc of tree) if (isRunning(proc)) process.kill(proc.pid, 'SIGKILL');
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not started: ${stderr}`)), 30_000);
        child.stderr.on('data', () => {
          const match = /slack: started .*port=(\d+)/.exec(stderr);
          if (match && stderr.includes('discord: started')) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
      });
      tree = processTree(child.pid as number);
      const bots = tree.filter((proc) => /adapters\/main\.[jt]s/.test(proc.command));
      expect(bots).toHaveLength(1);
      // npm's shell steps aside (exec): the bot is npm's own child, so what npm forwards reaches it.
      expect(bots[0]?.[command === 'npm' ? 'ppid' : 'pid']).toBe(child.pid);
      if (compiled) {
        expect(tree).toHaveLength(command === 'npm' ? 2 : 1);
        expect(bots[0]?.command).toMatch(/^\S*node dist\/adapters\/main\.js$/);
        expect(tree.filter((proc) => proc.command.includes('tsx'))).toEqual([]);
      }

      const responseId = `start-${++slackCommands}`;
      const answer = await signedPost(
        `http://127.0.0.1:${port}/slack/events`,
        'secret',
        commandBody('example.com smtp', slack.responseUrl(responseId)),
      );
      expect(String((await finalAnswer(slack, answer, responseId)).text)).toContain(
        'Outgoing mail server: mail.example.com',
      );
      // By default customers in Slack may not run live checks.
      const check = await signedPost(
        `http://127.0.0.1:${port}/slack/events`,
        'secret',
        commandBody('example.com check', slack.responseUrl('check')),
      );
      expect(JSON.parse(check.body).text).toMatch(/^Live checks are run by our support staff/);
      const asked = discord.sendCommand({ options: [{ name: 'domain', type: 3, value: 'example.com' }] });
      await discord.waitFor((call) => call.path === `/interactions/${asked.id}/${asked.token}/callback`);

      const closed = discord.gateway.closeCodes.length;
      if (stop === 'Ctrl-C') process.kill(-(child.pid as number), 'SIGINT');
      else child.kill(stop);
      const [code, signal] = await once(child, 'exit');
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      const signalName = stop === 'Ctrl-C' ? 'SIGINT' : stop;
      // Once, even when Ctrl-C reaches the bot twice (from the terminal, and forwarded by npm).
      expect(stderr.match(/ stopping signal="\w+"/g)).toEqual([` stopping signal="${signalName}"`]);
      expect(stderr).not.toContain('xoxb-secret-token');
      expect(stderr).not.toContain('discord-secret-token');
      await expect.poll(() => discord.gateway.closeCodes.slice(closed)).toContain(1000);
      // No orphans: every process of the tree is gone, not re-parented and still running.
      await expect.poll(() => tree.filter(isRunning), { timeout: 2000 }).toEqual([]);
    },
    60_000,
  );
});

describe('the production start, dist/adapters/main.js', () => {
  it("is one file, the bot bundled: nothing of tsc's output loaded, held by V8 in one byte a character", () => {
    const bundle = readFileSync(BOT);
    // Every import is Node's own or a native package's: none is a module beside it.
    expect(bundle.toString('latin1').match(/^import .* from ["']\.\.?\//gm)).toBeNull();
    // ASCII: one character beyond it makes V8 hold the whole 10 MB text in two bytes a character.
    expect(isAscii(bundle)).toBe(true);
    // The Public Suffix List is required from node_modules when a name needs it, once: a copy bundled beside
    // it (what `import('tldts')` made) would be a second megabyte in memory.
    expect(bundle.toString('latin1')).not.toContain('node_modules/tldts/');
  });
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
  const child = spawn(process.execPath, [BOT], {
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
      const problems = lines.filter((line) => !/ info (slack: started |cases: off:)/.test(line));
      // Slack was up when Discord failed, and was stopped with it.
      if (closed === 'DISCORD') expect(lines.some((line) => / info slack: started /.test(line))).toBe(true);
      expect(problems).toEqual([
        closed === 'SLACK'
          ? `Slack's Web API at http://127.0.0.1:${port}/api/ cannot be reached (ECONNREFUSED): check the network and SLACK_API_URL. Slack was not started.`
          : `Discord at http://127.0.0.1:${port}/api cannot be reached (ECONNREFUSED): check the network and DISCORD_API_URL. Discord was not started.`,
      ]);
    },
    40_000,
  );
});

describe('npm start when a platform refuses its token', () => {
  it.each(['Slack', 'Discord'] as const)(
    '%s: says which token and what to do in one line, exits with 1, and never prints the token',
    async (refusing) => {
      const [strictSlack, strictDiscord] = await Promise.all([
        startFakeSlack({ token: 'xoxb-the-right-one' }),
        startFakeDiscord({ token: 'the-right-discord-token-0123456789' }),
      ]);
      onTestFinished(() => Promise.all([strictSlack.close(), strictDiscord.close()]).then(() => {}));
      const { code, signal, lines } = await runUntilExit(
        {
          SLACK_BOT_TOKEN: refusing === 'Slack' ? 'xoxb-revoked-secret' : 'xoxb-the-right-one',
          SLACK_SIGNING_SECRET: 'secret',
          SLACK_API_URL: strictSlack.apiUrl,
          PORT: '0',
          DISCORD_TOKEN:
            refusing === 'Discord' ? 'reset-discord-secret-0123456789' : 'the-right-discord-token-0123456789',
          DISCORD_API_URL: strictDiscord.apiUrl,
        },
        30_000,
      );
      expect(signal).toBeNull();
      expect(code).toBe(1);
      expect(lines.filter((line) => !/ info (slack: started |cases: off:)/.test(line))).toEqual([
        refusing === 'Slack'
          ? 'Slack refused SLACK_BOT_TOKEN (invalid_auth): copy the Bot User OAuth Token again from OAuth & Permissions.'
          : 'Discord refused DISCORD_TOKEN: reset the token on the Bot page of the application and copy it again.',
      ]);
      expect(lines.join('\n')).not.toMatch(/revoked-secret|reset-discord-secret/);
    },
    40_000,
  );
});

describe('npm start with set-up links configured', () => {
  it('serves the set-up page on MAILSETTINGS_HTTP_PORT when only Discord runs, and links answers to it', async () => {
    const secret = 'start-test-link-secret-0123456789abcdef';
    const child = spawn(process.execPath, [BOT], {
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
    const call = await discord.answerTo(asked);
    type Rows = { components?: { components: { url?: string }[] }[] };
    const body = call.body as (Rows & { data?: Rows }) | undefined;
    const rows = (body?.data ?? body)?.components ?? [];
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
