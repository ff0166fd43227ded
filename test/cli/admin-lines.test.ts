// The command line, its configuration and start-up lines as a new admin and a lead meet them (docs/cli.md,
// docs/operations.md): numbers and dates say what they must be, a database that cannot be used is named,
// passwords never reach a log line, `cases forget` without --yes erases nothing, `providers verify` with its own
// DNS down calls no provider dead, and bulk mode's --debug and line endings work as documented.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Sqlite from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, openDatabase } from '../../src/index.js';
import { BUILT, buildOnce, ROOT } from '../support/build.js';
import { runCasesCli } from '../support/cases-cli.js';
import { closedPort } from '../support/closed-port.js';
import { exitOf, startPlainBot } from '../support/plain-bot.js';

const OFFLINE = { MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9', MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/' };
let dir: string;

beforeAll(async () => {
  await buildOnce();
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-review-cli-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The built command as a process with only `env` (and PATH). */
async function cli(args: string[], env: Record<string, string>, stdin = '') {
  const run = promisify(execFile)(process.execPath, [BUILT.cli, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
  });
  run.child.stdin?.end(stdin);
  try {
    const { stdout, stderr } = await run;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const configError = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('a count variable out of its range', () => {
  it('says what the value must be, not "must be a number" for a number', async () => {
    const { code, stdout, stderr } = await cli(['example.com'], {
      ...OFFLINE,
      MAILSETTINGS_RATE_LIMIT: '20000',
    });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    // README: "MAILSETTINGS_RATE_LIMIT … (1 to 10000)"; "saying what it must be".
    expect(stderr).toMatch(/^MAILSETTINGS_RATE_LIMIT /);
    expect(stderr).not.toMatch(/must be a number \(got "20000"\)/);
    expect(stderr).toMatch(/10000|10 000|10,000/);
    expect(configError({ MAILSETTINGS_CACHE_SIZE: '0' })).not.toMatch(/must be a number \(got "0"\)/);
  });
});

describe('MAILSETTINGS_HOLIDAYS with a date that does not exist', () => {
  it('is refused, naming the variable, instead of silently never matching', () => {
    // A typo (month 13, 30 February) would leave the team "at work" on the day they meant to be off.
    for (const holidays of ['2026-13-45', '2026-02-30', '2026-12-24,2026-21-12']) {
      expect(configError({ MAILSETTINGS_HOLIDAYS: holidays })).toMatch(/^MAILSETTINGS_HOLIDAYS /);
    }
  });
});

describe('a DATABASE_URL that PostgreSQL cannot parse', () => {
  it('cases report names DATABASE_URL in its one line, not just "Invalid URL"', async () => {
    const { code, stdout, stderr } = await runCasesCli(
      ['cases', 'report'],
      'postgres://bot:Pass-SECRET@127.0.0.1:99999/cases',
    );
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/DATABASE_URL/);
    expect(stderr).not.toContain('Pass-SECRET');
  });
});

describe('a DATABASE_URL that names a file which is not a database', () => {
  it('says so, instead of asking for read permission the user already has', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'these are not the cases you are looking for\n'.repeat(200));
    const { code, stderr } = await runCasesCli(['cases', 'report'], `file:${file}`);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/let this user read that file/);
    expect(stderr).toMatch(/not (an SQLite |a )?database/i);
  });
});

describe('the database password in start-up log lines', () => {
  // operations.md: "one line says so (DATABASE_URL, its password masked)"; "Tokens and secrets are never logged."
  for (const [what, url] of [
    [
      'in the query string (libpq style)',
      (port: number) => `postgres://bot@127.0.0.1:${port}/x?password=Pass-SECRET`,
    ],
    ['holding a space', (port: number) => `postgres://bot:Pass SECRET@127.0.0.1:${port}/x`],
  ] as const) {
    it(`is masked when ${what}`, async () => {
      const bot = startPlainBot({
        ...OFFLINE,
        DISCORD_TOKEN: 'the-right-discord-token-0123456789',
        DISCORD_API_URL: 'http://127.0.0.1:9/api',
        DATABASE_URL: url(await closedPort()),
      });
      await expect.poll(bot.stderr, { timeout: 15_000 }).toMatch(/DATABASE_URL/);
      bot.child.kill('SIGTERM');
      await exitOf(bot.child);
      expect(bot.stderr()).not.toMatch(/Pass.SECRET/);
    }, 30_000);
  }
});

describe('cases forget without --yes', () => {
  it('erases nothing, even when the customer has no case (docs: "says what would go; nothing is erased")', async () => {
    const url = `file:${join(dir, 'forget.db')}`;
    const database = await openDatabase(url);
    const body = JSON.stringify({
      event: { type: 'message', user: 'U0123ABCD', text: 'please call me back' },
    });
    await database.db
      .insertInto('inbox')
      .values({ key: 'slack:Ev1', body, state: 'pending', received_at: Date.now() })
      .execute();
    await database.close();
    const exported = await runCasesCli(['cases', 'export', 'U0123ABCD'], url);
    expect(JSON.parse(exported.stdout).eventsNotYetHandled).toHaveLength(1);

    await runCasesCli(['cases', 'forget', 'U0123ABCD'], url);

    const sqlite = new Sqlite(join(dir, 'forget.db'));
    const row = sqlite.prepare("SELECT body, state FROM inbox WHERE key = 'slack:Ev1'").get();
    sqlite.close();
    expect(row).toMatchObject({ body, state: 'pending' });
  });
});

describe('providers verify when its own DNS servers cannot be reached', () => {
  it('does not report every provider as dead', async () => {
    const dataset = join(dir, 'providers.json');
    writeFileSync(
      dataset,
      JSON.stringify({
        sources: { test: { url: 'https://example.com/help', checked: '2026-12-07' } },
        help: {},
        wellKnownDomains: [],
        providers: ['one', 'two'].map((id) => ({
          id,
          name: id,
          domains: [`${id}.test`],
          domainsFrom: 'test',
          mx: [],
          password: 'password',
          servers: [
            {
              type: 'imap',
              host: `imap.${id}.test`,
              port: 993,
              security: 'ssl',
              username: 'address',
              from: 'test',
            },
          ],
        })),
      }),
    );
    const port = await closedPort();
    const { code, stdout, stderr } = await cli(
      ['providers', 'verify', '--json', '--dataset', dataset, '--dns-servers', `127.0.0.1:${port}`],
      {},
    );
    // Nothing was learnt about the providers: their servers were never asked. Saying "dead" (exit 1, "an entry
    // is dead or changed") would have a maintainer remove working entries after a local DNS outage.
    const report = stdout ? (JSON.parse(stdout) as { counts: { dead: number } }) : undefined;
    expect(report?.counts.dead ?? 0).toBe(0);
    expect(code).not.toBe(0);
    expect(stdout + stderr).toMatch(/DNS/);
  });
});

describe('--debug in bulk mode', () => {
  it('prints what every source said on stderr, as the flag table says', async () => {
    const { code, stdout, stderr } = await cli(['--json', '--debug', '-'], OFFLINE, 'example.com pop\n');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^\[mx\] /m);
  });
});

describe('bulk mode, a last line ending in a carriage return', () => {
  it('is read without it, as every other line of a CRLF file', async () => {
    const { stdout } = await cli(['--json', '-'], OFFLINE, 'example.com pop\r\nexample.org imap\r');
    const inputs = stdout
      .trimEnd()
      .split('\n')
      .map((line) => (JSON.parse(line) as { query: { input: string } }).query.input);
    expect(inputs).toEqual(['example.com pop', 'example.org imap']);
  });
});
