// What people type, and what the answer admits, through the `mailsettings` command run as a process against
// the loopback DNS server and ISP database: the interface a support agent touches.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailSettingsSchema } from '../../src/testing.js';
import { CLI } from '../support/build.js';
import { startDnsServer } from '../support/dns-server.js';
import { startWorld, type World } from '../support/world.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let world: World;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startWorld({ records: [] });
  env = {
    PATH: process.env.PATH,
    MAILSETTINGS_DNS_SERVERS: world.dns.address,
    MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/`,
    MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
  };
});
afterAll(() => world?.close());

async function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const run = promisify(execFile)(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
  });
  run.child.stdin?.end();
  try {
    return { code: 0, ...(await run) };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

async function json(...args: string[]) {
  const { code, stdout, stderr } = await cli(['--json', ...args]);
  expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  return mailSettingsSchema.parse(JSON.parse(stdout));
}

describe('what customers paste', () => {
  it('answers for example.com when given the website address, and says so', async () => {
    const answer = await json('https://www.Example.com/contact');
    expect(answer.query).toMatchObject({ domain: 'example.com', givenHost: 'www.example.com' });
    expect(answer.incoming[0]?.hostname).toBe('mail.example.com');
    expect(answer.notes).toContain(
      'www.example.com is a website address, so these are the mail settings for example.com.',
    );
  });

  it('answers for the domain when given a server name in quotes, and says so', async () => {
    const answer = await json('"webmail.example.co.uk",', 'imap');
    expect(answer.query).toMatchObject({ domain: 'example.co.uk', protocol: 'imap' });
    expect(answer.incoming[0]?.hostname).toBe('mail.example.co.uk');
    expect(answer.notes.join(' ')).toMatch(/webmail\.example\.co\.uk looks like a server name/);
  });

  it('keeps mail.ru, a provider whose domain starts with "mail"', async () => {
    const answer = await json('mail.ru');
    expect(answer.query.domain).toBe('mail.ru');
    expect(answer.source.kind).toBe('ispdb');
  });

  it.each([
    [['..'], '“..” has an empty part between dots'],
    [['[::1]'], '“[::1]” is an IP address'],
    [['/mailsetings', 'example.com'], '“/mailsetings” is not a command I know'],
  ])('explains %j in one line', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(message);
  });
});

describe('honest answers', () => {
  it('fills the placeholders of a provider file wherever a person reads them (inbox.lv)', async () => {
    const answer = await json('inbox.lv');
    expect(answer.source.detail).toBe('ISP database entry for inbox.lv (inbox.lv)');
    expect(JSON.stringify({ ...answer, incoming: [], outgoing: [] })).not.toContain('%EMAIL');
  });

  it('tells Gmail users about modern sign-in and app passwords', async () => {
    const { stdout } = await cli(['alice@gmail.com', 'imap']);
    expect(stdout).toContain(
      'Password: modern sign-in (OAuth2) if your mail program offers it, otherwise an app password (see the notes)',
    );
    expect(stdout).toMatch(/create an app password/);
    expect(stdout).not.toContain('your email password (normal password)');
  });

  it('says the template is a guess when DNS is dead, instead of claiming nothing is published', async () => {
    const silent = await startDnsServer({ silent: true });
    try {
      const { code, stdout } = await cli(['--json', 'example.com'], {
        MAILSETTINGS_DNS_SERVERS: silent.address,
      });
      expect(code).toBe(0);
      const answer = mailSettingsSchema.parse(JSON.parse(stdout));
      expect(answer.source).toEqual({
        kind: 'default',
        detail:
          "the usual settings for a domain's own mail server, a guess because looking up example.com did not finish in time. Check them with your email provider, or ask again in a minute",
      });
      expect(answer.notes.join(' ')).toMatch(
        /a guess made without them: confirm them with the mail provider/,
      );
    } finally {
      await silent.close();
    }
  });
});

describe('typos', () => {
  it('says a mistyped provider domain does not exist, suggests the right one, and prints no settings', async () => {
    const { code, stdout, stderr } = await cli(['alice@gmial.com']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toBe(
      'gmial.com does not exist on the internet (it has no mail server and no address), so there are no mail settings for it. Did you mean gmail.com? Ask again with the right spelling.\n',
    );
  });

  it('suggests the real top-level domain for customer.cmo, and asks about customer,com', async () => {
    const [tld, comma] = await Promise.all([cli(['--json', 'customer.cmo']), cli(['customer,com'])]);
    expect(tld.code).toBe(2);
    expect(tld.stderr).toMatch(/Did you mean customer\.com\?/);
    expect(comma).toMatchObject({ code: 2, stdout: '' });
    expect(comma.stderr).toBe('“customer,com” has a comma where a dot goes. Did you mean customer.com?\n');
  });

  it('counts a line with a domain that does not exist as not understood in bulk, and answers the others', async () => {
    const run = promisify(execFile)(process.execPath, [CLI, '--json', '-'], {
      cwd: ROOT,
      env,
    });
    run.child.stdin?.end('gmial.com\nexample.com\n');
    const failed = (await run.catch((error) => error)) as { code: number; stdout: string };
    const lines = failed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(failed.code).toBe(2);
    expect(lines[0]).toEqual({
      input: 'gmial.com',
      error: expect.stringMatching(/Did you mean gmail\.com\?/),
    });
    expect(lines[1].source.kind).toBe('default');
  });
});
