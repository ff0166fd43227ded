// `mailsettings --explain` run as a process against the loopback world: closed ports and a name without an
// address confirm their causes without any mail server; Google's MX makes a refused password an app password.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { CAUSES } from '../../src/diagnose/stage.js';
import { mailSettingsSchema } from '../../src/testing.js';
import { BUILT, CLI, modulesRunOnLoad } from '../support/build.js';
import { closedPort } from '../support/closed-port.js';
import type { DnsRecord } from '../support/dns-server.js';
import { startWorld, type World } from '../support/world.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let world: World;
let env: NodeJS.ProcessEnv;
let closed: number[];

/** The `--json` contract: the answer, plus exactly these four fields in `diagnosis`. */
const explainedSchema = z.extend(mailSettingsSchema, {
  diagnosis: z.strictObject({
    cause: z.enum(CAUSES),
    confirmed: z.nullable(z.boolean()),
    summary: z.string(),
    fix: z.string(),
  }),
});

beforeAll(async () => {
  closed = await Promise.all([closedPort(), closedPort()]);
  const srv = (name: string, target: string, port: number): DnsRecord => ({
    name,
    type: 'SRV',
    target,
    port,
    priority: 0,
    weight: 0,
  });
  world = await startWorld({
    records: [
      { name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' },
      { name: 'mail.closed.test', type: 'A', address: '127.0.0.1' },
      srv('_imaps._tcp.closed.test', 'mail.closed.test', closed[0] as number),
      srv('_imap._tcp.closed.test', 'mail.closed.test', closed[1] as number),
      srv('_imaps._tcp.nohost.test', 'mail.nohost.test', 993),
    ],
  });
  env = {
    PATH: process.env.PATH,
    MAILSETTINGS_DNS_SERVERS: world.dns.address,
    MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/`,
    MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
  };
});
afterAll(() => world?.close());

async function cli(args: string[], stdin = '') {
  const run = promisify(execFile)(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env,
    maxBuffer: 4 * 1024 * 1024,
  });
  run.child.stdin?.end(stdin);
  try {
    return { code: 0, ...(await run) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('mailsettings --explain', () => {
  it('puts the diagnosis first, confirmed by the live check, then the settings', async () => {
    const { code, stdout, stderr } = await cli([
      '--explain',
      "Receiving reported error (0x800CCC0E): 'Cannot connect to server.'",
      'alice@closed.test',
      'imap',
    ]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^The error explained: Server not reachable\n/);
    expect(stdout).toContain(
      `The live check confirms it: mail.closed.test port ${closed[0]} is closed here.`,
    );
    expect(stdout).toContain('Recognised: 0x800CCC0E');
    expect(stdout.indexOf('Mail settings for closed.test (IMAP)')).toBeGreaterThan(
      stdout.indexOf('What to do:'),
    );
  });

  it('--json: the usual answer with "diagnosis" { cause, confirmed, summary, fix }', async () => {
    const { code, stdout } = await cli([
      '--json',
      '--explain',
      'Error: getaddrinfo ENOTFOUND mail.nohost.test',
      'nohost.test',
      'imap',
    ]);
    expect(code).toBe(0);
    const answer = explainedSchema.parse(JSON.parse(stdout));
    expect(answer.incoming[0]).toMatchObject({ hostname: 'mail.nohost.test', port: 993 });
    expect(answer.diagnosis).toMatchObject({ cause: 'host-not-found', confirmed: true });
    expect(answer.diagnosis.summary).toContain('confirms it: mail.nohost.test could not be looked up');
  });

  it('confirmed is null when the check cannot see the cause, and --check adds the check', async () => {
    const quota = await cli(['--json', '--explain', '552 5.2.2 Mailbox is full', 'closed.test', 'imap']);
    expect(explainedSchema.parse(JSON.parse(quota.stdout)).diagnosis).toMatchObject({
      cause: 'quota',
      confirmed: null,
    });
    const checked = await cli([
      '--json',
      '--check',
      '--explain',
      '552 5.2.2 Mailbox is full',
      'closed.test',
      'imap',
    ]);
    const answer = JSON.parse(checked.stdout);
    expect(answer.check.results.map((result: { outcome: string }) => result.outcome)).toContain('closed');
  });

  it('a Google Workspace address (found by its MX): a refused password means an app password', async () => {
    const { stdout } = await cli([
      '--json',
      '--explain',
      '535-5.7.8 Username and Password not accepted. For more information, go to',
      'bob@google-hosted.test',
    ]);
    const answer = explainedSchema.parse(JSON.parse(stdout));
    expect(answer.source.kind).toBe('mx');
    expect(answer.diagnosis.cause).toBe('app-password');
    expect(answer.diagnosis.fix).toMatch(/app password/);
  });

  it('--explain - reads the text from stdin', async () => {
    const { code, stdout } = await cli(
      ['--json', '--explain', '-', 'closed.test'],
      'Sending of the message failed.\nThe Outgoing server (SMTP) mail.closed.test could not be found.\n',
    );
    expect(code).toBe(0);
    expect(explainedSchema.parse(JSON.parse(stdout)).diagnosis.cause).toBe('host-not-found');
  });

  it('text that is no error is unknown: nothing guessed, the exact message asked for', async () => {
    const { stdout } = await cli(['--json', '--explain', 'my email is not working', 'closed.test']);
    expect(explainedSchema.parse(JSON.parse(stdout)).diagnosis).toEqual({
      cause: 'unknown',
      confirmed: null,
      summary: 'I do not recognise an error message in that, and I would rather not guess.',
      fix: 'Paste the exact error message your mail program shows, all of it, like “0x800CCC0E” or “535 5.7.8 Authentication failed”.',
    });
  });
});

describe('mailsettings --explain with bad input', () => {
  it('a domain that does not exist: its sentence on stderr, exit 2, no advice about settings', async () => {
    const { code, stdout, stderr } = await cli(['--explain', '0x800CCC0E', 'alice@no-such-domain.test']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^no-such-domain\.test does not exist on the internet/);
  });

  it('refuses a 100 KB paste on stdin in one short line, exit 2', async () => {
    const { code, stdout, stderr } = await cli(['--explain', '-', 'closed.test'], 'A'.repeat(100_000));
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(/^That paste is 100000 characters long, too long for one error message\./);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('never lets the paste drive the terminal, and never repeats it', async () => {
    const { code, stdout } = await cli([
      '--explain',
      '\u001b]0;pwned\u0007\u001b[2J535 5.7.8 Error: authentication failed\u009b31m',
      'closed.test',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('Wrong username or password');
    expect(stdout).not.toMatch(CONTROL);
    expect(stdout).not.toContain('pwned');
  });

  it('shows nothing of markup in the paste: no Slack or Discord mention, no masked link', async () => {
    const { stdout } = await cli([
      '--explain',
      '<!channel> @everyone [open this](https://evil.test/) 535 5.7.8 Error: authentication failed',
      'closed.test',
    ]);
    expect(stdout).toContain('Cause: password');
    for (const markup of ['<!channel>', '@everyone', 'evil.test', 'open this'])
      expect(stdout).not.toContain(markup);
  });

  it('leaves a pasted password out and says so, in text and JSON', async () => {
    const paste = 'a1 LOGIN alice@closed.test hunter2\na1 NO [AUTHENTICATIONFAILED] Authentication failed.';
    const text = await cli(['--explain', paste, 'closed.test']);
    const json = await cli(['--json', '--explain', `pass=hunter2 ${paste}`, 'closed.test']);
    for (const { stdout, stderr } of [text, json]) {
      expect(stdout).toContain('Your paste had a password in it: I left it out');
      expect(`${stdout}${stderr}`).not.toContain('hunter2');
    }
  });

  it.each([
    [['--explain'], /^--explain needs the error text/],
    [['--explain', ''], /^--explain needs the error text/],
    [['--explain', '535 5.7.8'], /^Say whose mail it is/],
    [
      ['--explain', '535 5.7.8', '--profile', 'apple', 'closed.test'],
      /^--profile does not go with --explain/,
    ],
    [['--explain', '535 5.7.8', 'example..com'], /has an empty part between dots/],
    [['--explain', '\u0007\u0007', 'closed.test'], /^There is no error message in that\./],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await cli(args);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--help shows --explain', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toContain('--explain "<error text>"');
    expect(stdout).toContain('mailsettings [--json] --explain - <domain or email address>');
  });
});

describe('the bundled bin', () => {
  it('loads the error catalogue only for --explain', async () => {
    const loaded = modulesRunOnLoad();
    expect(loaded).toContain('src/resolve/resolver.ts');
    expect(loaded).not.toContain('src/diagnose/catalogue.ts');
    const run = await promisify(execFile)(
      process.execPath,
      [BUILT.cli, '--json', '--explain', '552 5.2.2 Mailbox is full', 'closed.test'],
      { cwd: ROOT, env },
    );
    expect(JSON.parse(run.stdout).diagnosis.cause).toBe('quota');
  }, 180_000);
});
