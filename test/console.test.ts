import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

const ROOT = new URL('..', import.meta.url).pathname;

describe('npm start without chat credentials', () => {
  it('answers each stdin line as the bot would, then exits at end of input', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'adapters/main.ts'], {
      cwd: ROOT,
      // A DNS server that refuses at once (nothing listens on port 9): the template answers, offline.
      env: {
        PATH: process.env.PATH,
        MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
        MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
      },
    });
    run.child.stdin?.end('/mailsettings example.com pop\nexample..com\nhelp\n');
    const { stdout, stderr } = await run;
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
    ['MAILSETTINGS_ISPDB_URL', 'ftp://x/', /MAILSETTINGS_ISPDB_URL must be an http\(s\) URL/],
  ])('names %s and how to fix it when it is wrong', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});
