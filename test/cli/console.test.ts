import { execFile, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadDiscordEnv } from '../../adapters/discord/config.js';
import { loadSlackEnv } from '../../adapters/slack/config.js';
import { ConfigError, createLogger, loadConfig as loadCoreConfig } from '../../src/index.js';
import { BOT } from '../support/build.js';
import { startDnsServer } from '../support/dns-server.js';

/** Everything `npm start` reads: the core's variables and each front end's own. */
const loadConfig = (env: NodeJS.ProcessEnv) => ({
  ...loadCoreConfig(env),
  ...loadSlackEnv(env),
  ...loadDiscordEnv(env),
});

const ROOT = new URL('../..', import.meta.url).pathname;
const hasScript = spawnSync('script', ['--version']).status === 0;
/** A DNS server that refuses at once (nothing listens on port 9): the template answers, offline. */
const OFFLINE = {
  PATH: process.env.PATH,
  MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
  MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** `npm start` as a process, stdin piped; resolves when it exits. */
async function start(stdin: string, env: NodeJS.ProcessEnv = OFFLINE) {
  const run = promisify(execFile)(process.execPath, [BOT], {
    cwd: ROOT,
    env,
  });
  run.child.stdin?.end(stdin);
  try {
    return { code: 0, ...(await run) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm start without chat credentials', () => {
  it('answers each stdin line as the bot would, then exits at end of input', async () => {
    const { stdout, stderr } = await start('/mailsettings example.com pop\nexample..com\nhelp\n');
    expect(stdout).toMatch(/^Mail settings for example\.com \(POP\)/);
    expect(stdout).toContain('Incoming mail server: mail.example.com');
    expect(stdout).toContain('Incoming mail port: 995');
    expect(stdout).toContain('Outgoing mail port: 465');
    const rejection = stdout.indexOf('“example..com” has an empty part between dots');
    const help = stdout.lastIndexOf('Usage: mailsettings <domain or email address>');
    expect(rejection).toBeGreaterThan(stdout.indexOf('Source: Hosting template'));
    expect(help).toBeGreaterThan(rejection);
    // "help" is answered with the usage line alone, not taken for a domain without a dot.
    expect(stdout).not.toMatch(/“help”/);
    expect(stderr).toBe('');
  });

  it('answers the command alone with the usage line, as in chat', async () => {
    const { stdout } = await start('/mailsettings\n\nmailsettings  \n');
    expect(stdout).toBe(
      'Usage: mailsettings <domain or email address> [imap | pop | smtp | all] [check]\n\n'.repeat(2),
    );
  });

  it('shows control characters in a question escaped instead of passing them to the terminal', async () => {
    const { stdout, stderr } = await start('\u001b]0;pwned\u0007\nexample.com \u009b2J\n');
    expect(stdout).toContain('“\\x1b]0;pwned\\x07”');
    expect(stdout).toContain('“\\x9b2J”');
    expect(stdout + stderr).not.toMatch(CONTROL);
  });

  it('never shows a secret in a configuration error', async () => {
    const { code, stdout, stderr } = await start('', {
      ...OFFLINE,
      SLACK_BOT_TOKEN: 'xoxp-1234-SECRET',
      SLACK_APP_TOKEN: 'xapp-1-A1-2-SECRET',
    });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^SLACK_BOT_TOKEN must be the Bot User OAuth Token \(it starts with xoxb-\)/);
    expect(stderr).toContain('got a value starting with xoxp-, the rest not shown');
    expect(stderr).not.toContain('SECRET');
  });

  it.skipIf(!hasScript)(
    `on a terminal, Ctrl-C abandons an answer still being looked up and returns to the prompt${
      hasScript ? '' : ' (skipped: util-linux `script` is not installed to make a terminal)'
    }`,
    async () => {
      const deadDns = await startDnsServer({ silent: true });
      // util-linux `script` runs the console on a pseudo-terminal, as a person would see it.
      const child = spawn('script', ['-qfec', `"${process.execPath}" ${BOT}`, '/dev/null'], {
        cwd: ROOT,
        env: {
          ...OFFLINE,
          TERM: 'dumb',
          MAILSETTINGS_DNS_SERVERS: deadDns.address,
          // The answer would take a minute: only Ctrl-C brings the prompt back sooner.
          MAILSETTINGS_DNS_TIMEOUT_MS: '60000',
          MAILSETTINGS_DEADLINE_MS: '60000',
        },
      });
      let screen = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        screen += chunk;
      });
      const shows = async (pattern: RegExp) => {
        for (let waited = 0; !pattern.test(screen); waited += 20) {
          if (waited > 10_000)
            throw new Error(`expected ${pattern} on the terminal, got ${JSON.stringify(screen)}`);
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        screen = '';
      };
      try {
        await shows(/mailsettings> $/);
        child.stdin.write('example.com\r');
        await shows(/example\.com\r*\n/);
        child.stdin.write('\u0003');
        await shows(/\^C\r?\nmailsettings> $/);
        child.stdin.write('/mailsettings\r');
        await shows(/Usage: mailsettings [\s\S]*mailsettings> $/);
        child.stdin.write('\u0004'); // Ctrl-D quits at once, though the abandoned lookup is still out
        const [code] = await once(child, 'exit');
        expect(code).toBe(0);
        expect(deadDns.queries.length).toBeGreaterThan(0);
      } finally {
        child.kill();
        await deadDns.close();
      }
    },
  );
});

describe('configuration', () => {
  it('uses built-in defaults when nothing is set, and treats empty values as unset', () => {
    const config = loadConfig({ MAILSETTINGS_DEADLINE_MS: '', MAILSETTINGS_DNS_SERVERS: ' ' });
    expect(config).toMatchObject({
      MAILSETTINGS_DEADLINE_MS: 2500,
      MAILSETTINGS_DNS_SERVERS: [],
      MAILSETTINGS_ISPDB_URL: 'https://autoconfig.thunderbird.net/v1.1/',
      MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: false,
    });
  });

  it('keeps live checks for staff and sets the chat limits by default', () => {
    expect(loadConfig({})).toMatchObject({
      MAILSETTINGS_CHECK_AUDIENCE: 'staff',
      MAILSETTINGS_CHECK_DEADLINE_MS: 8000,
      MAILSETTINGS_RATE_LIMIT: 10,
      MAILSETTINGS_CHECK_RATE_LIMIT: 3,
      PORT: 3000,
    });
  });

  it.each([
    ['yes', true],
    ['1', true],
    ['no', false],
  ])('reads MAILSETTINGS_ALLOW_PRIVATE_NETWORKS=%s as %s', (value, expected) => {
    expect(
      loadConfig({ MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: value }).MAILSETTINGS_ALLOW_PRIVATE_NETWORKS,
    ).toBe(expected);
  });

  it('refuses a Slack bot token without a way to receive events, and never echoes a secret', () => {
    const start = () => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-very-secret' });
    expect(start).toThrow(/^SLACK_SIGNING_SECRET or SLACK_APP_TOKEN must be set with SLACK_BOT_TOKEN/);
    expect(start).not.toThrow(/very-secret/);
    expect(() => loadConfig({ SLACK_BOT_TOKEN: 'xoxb-x', SLACK_APP_TOKEN: 'xapp-y' })).not.toThrow();
  });

  it.each([
    ['SLACK_BOT_TOKEN', 'xoxp-1234-SECRET', 'got a value starting with xoxp-, the rest not shown'],
    ['SLACK_APP_TOKEN', 'xoxb-1234-SECRET', 'got a value starting with xoxb-, the rest not shown'],
    ['DISCORD_TOKEN', 'SECRET', 'the value is not shown'],
  ])('names %s when it is wrong but never shows its value', (name, value, shown) => {
    const env = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'SECRET-signing', [name]: value };
    expect(() => loadConfig(env)).toThrow(new RegExp(`^${name} must be .*\\(${shown}\\)`));
    expect(() => loadConfig(env)).not.toThrow(/SECRET/);
  });

  it('hides the password of a URL and escapes control characters in an echoed value', () => {
    expect(() => loadConfig({ SLACK_API_URL: 'ftp://bot:SECRET@proxy.internal/' })).toThrow(
      'SLACK_API_URL must be an http(s) URL (got "ftp://…@proxy.internal/")',
    );
    expect(() => loadConfig({ PORT: '\u001b]0;pwned\u0007' })).toThrow(
      'PORT must be a port number (got "\\x1b]0;pwned\\x07")',
    );
  });

  it('reads set-up links only as a pair, with a secret long enough, and never shows the secret', () => {
    expect(loadConfig({})).toMatchObject({ MAILSETTINGS_HTTP_PORT: 8080 });
    expect(loadConfig({}).MAILSETTINGS_LINK_SECRET).toBeUndefined();
    const secret = 'S'.repeat(32);
    expect(() => loadConfig({ MAILSETTINGS_LINK_SECRET: 'short-SECRET' })).toThrow(
      'MAILSETTINGS_LINK_SECRET must be at least 32 characters (make one with: openssl rand -hex 32) (the value is not shown). See .env.example.',
    );
    expect(() => loadConfig({ MAILSETTINGS_LINK_SECRET: secret })).toThrow(
      'MAILSETTINGS_PUBLIC_URL must be set together with MAILSETTINGS_LINK_SECRET for set-up links (it is not set)',
    );
    expect(() => loadConfig({ MAILSETTINGS_PUBLIC_URL: 'https://bot.example.com' })).toThrow(
      /^MAILSETTINGS_LINK_SECRET must be set together with MAILSETTINGS_PUBLIC_URL/,
    );
    expect(
      loadConfig({ MAILSETTINGS_LINK_SECRET: secret, MAILSETTINGS_PUBLIC_URL: 'https://bot.example.com' }),
    ).toMatchObject({ MAILSETTINGS_LINK_SECRET: secret, MAILSETTINGS_PUBLIC_URL: 'https://bot.example.com' });
  });

  it('reads the DNS try timeout, half a second by default', () => {
    expect(loadConfig({}).MAILSETTINGS_DNS_TIMEOUT_MS).toBe(500);
    expect(loadConfig({ MAILSETTINGS_DNS_TIMEOUT_MS: '2000' }).MAILSETTINGS_DNS_TIMEOUT_MS).toBe(2000);
  });

  it('reads lists, flags and URLs', () => {
    const config = loadConfig({
      MAILSETTINGS_DNS_SERVERS: '127.0.0.1:5353, [::1]:53',
      MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
      MAILSETTINGS_ISPDB_URL: 'http://mirror.internal/v1.1',
    });
    expect(config.MAILSETTINGS_DNS_SERVERS).toEqual(['127.0.0.1:5353', '[::1]:53']);
    expect(config.MAILSETTINGS_ALLOW_PRIVATE_NETWORKS).toBe(true);
    expect(config.MAILSETTINGS_ISPDB_URL).toBe('http://mirror.internal/v1.1/');
  });

  it.each([
    [
      'MAILSETTINGS_DEADLINE_MS',
      'fast',
      /MAILSETTINGS_DEADLINE_MS must be a number of milliseconds \(got "fast"\)/,
    ],
    ['MAILSETTINGS_DEADLINE_MS', '10', /MAILSETTINGS_DEADLINE_MS must be at least 50 ms \(got "10"\)/],
    ['MAILSETTINGS_CHECK_AUDIENCE', 'customers', /MAILSETTINGS_CHECK_AUDIENCE must be staff or everyone/],
    [
      'MAILSETTINGS_ALLOW_PRIVATE_NETWORKS',
      'maybe',
      /MAILSETTINGS_ALLOW_PRIVATE_NETWORKS must be true or false/,
    ],
    ['MAILSETTINGS_DNS_SERVERS', 'dns.google', /MAILSETTINGS_DNS_SERVERS must be IP addresses/],
    // Node aborts the process on a port of 0 and wraps one past 65535; 999.… is no address.
    ['MAILSETTINGS_DNS_SERVERS', '127.0.0.1:0', /MAILSETTINGS_DNS_SERVERS must be IP addresses/],
    ['MAILSETTINGS_DNS_SERVERS', '[::1]:70000', /MAILSETTINGS_DNS_SERVERS must be IP addresses/],
    ['MAILSETTINGS_DNS_SERVERS', '999.999.999.999', /MAILSETTINGS_DNS_SERVERS must be IP addresses/],
    ['MAILSETTINGS_ISPDB_URL', 'ftp://x/', /MAILSETTINGS_ISPDB_URL must be an http\(s\) URL/],
  ])('names %s and how to fix it when it is wrong', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('log lines', () => {
  it('keep a logged question on one line with its control characters escaped', () => {
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line));
    log.error('console: failed to answer "\u001b]0;pwned\u0007\nfake line"', {
      input: 'a\u009bb',
      error: new Error('bad\u001b[2J'),
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(CONTROL);
    expect(lines[0]).toContain('failed to answer "\\x1b]0;pwned\\x07\\nfake line"');
    expect(lines[0]).toContain('input="a\\u009bb"');
    expect(lines[0]).toContain('error="Error: bad\\u001b[2J');
  });
});
