// Set-up help through the command line and the console, run as processes against the loopback world where
// hosted.test's mail is on the operator's server: the steps for a mail program, the `guide` of --json, and
// the files --profile prints, read back with a property-list parser and the bot's own autoconfig parser.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guideFor, PROGRAM_NAMES, PROGRAMS, type Program } from '../../src/index.js';
import { mailSettingsSchema, parseConfigXml } from '../../src/testing.js';
import { builtOf } from '../support/build.js';
import { OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';
import { TEST_PROFILE } from '../support/world.js';

const ROOT = new URL('../..', import.meta.url).pathname;
/** Timeout of a test that starts several processes on a machine that may be busy. */
const SEVERAL_PROCESSES = 60_000;
const ALICE = 'alice@hosted.test';

let setup: SetupWorld;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  setup = await startSetupWorld();
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-cli-setup-'));
  const profile = join(dir, 'profile.json');
  writeFileSync(profile, JSON.stringify(TEST_PROFILE));
  env = {
    PATH: process.env.PATH,
    MAILSETTINGS_DNS_SERVERS: setup.world.dns.address,
    MAILSETTINGS_ISPDB_URL: `${setup.world.ispdb.url}/v1.1/`,
    MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
    MAILSETTINGS_PROFILE: profile,
  };
});
afterAll(async () => {
  await setup?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a script of the project as a process, stdin piped. */
async function run(script: 'adapters/cli/bin.ts' | 'adapters/main.ts', args: string[], stdin = '') {
  const child = promisify(execFile)(process.execPath, [builtOf(script), ...args], {
    cwd: ROOT,
    env,
  });
  child.child.stdin?.end(stdin);
  try {
    return { code: 0, ...(await child) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
const cli = (args: string[], stdin = '') => run('adapters/cli/bin.ts', args, stdin);

/** The lines of a guide that carry a value ("     Port: 993"), as [label, value]. */
function valuesIn(text: string): [string, string][] {
  return [...text.matchAll(/^ {5}(.+?): (.+)$/gm)].map((match) => [match[1], match[2]] as [string, string]);
}

/** What every program's steps must carry for Alice's hosted IMAP answer, whatever its screens call it. */
function expectHostedSteps(text: string, program: Program) {
  expect(text).toContain(`${PROGRAM_NAMES[program]}: set up ${ALICE} (IMAP)`);
  const steps = [...text.matchAll(/^(\d+)\. /gm)].map((match) => Number(match[1]));
  expect(steps).toEqual(steps.map((_, index) => index + 1));
  expect(steps.length).toBeGreaterThanOrEqual(3);
  const values = valuesIn(text).map(([, value]) => value);
  expect(values).toContain(ALICE);
  expect(values.some((value) => value.startsWith(OPERATOR))).toBe(true);
  // The incoming and outgoing ports of the hosted answer, on their own or after the host name.
  expect(values.some((value) => /(^|:)993$/.test(value))).toBe(true);
  expect(values.some((value) => /(^|:)465$/.test(value))).toBe(true);
  expect(values.filter((value) => /mail\.hosted\.test|%EMAIL/.test(value))).toEqual([]);
}

describe('set-up steps on the command line', () => {
  it('follows the answer with the Outlook steps, the hosted server filled in and the address as username', async () => {
    const { code, stdout, stderr } = await cli([ALICE, 'imap', 'outlook']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Mail settings for hosted\.test \(IMAP\)/);
    const [answer = '', steps = ''] = stdout.split(/\n\n(?=Outlook for Windows: )/);
    expect(answer).toContain(`Incoming mail server: ${OPERATOR}`);
    expectHostedSteps(steps, 'outlook');
    const values = valuesIn(steps);
    expect(values).toContainEqual(['Server', OPERATOR]);
    expect(values).toContainEqual(['Port', '993']);
    expect(values).toContainEqual(['Port', '465']);
    expect(values).toContainEqual(['Encryption method', 'SSL/TLS']);
    expect(values).toContainEqual(['User Name', ALICE]);
    expect(values).toContainEqual(['Require logon using Secure Password Authentication (SPA)', 'Unchecked']);
    expect(values).toContainEqual(['My outgoing server (SMTP) requires authentication', 'Ticked']);
    // With a program named, the line offering programs is not repeated.
    expect(stdout).not.toContain('Steps for your mail program');
  });

  it(
    'prints each program’s steps with the hosted server, both ports and the address, one per stdin line',
    async () => {
      // One line per program, by its id or by another name people use for it.
      const names: Record<Program, string> = {
        outlook: 'outlook',
        'outlook-mac': 'outlook-mac',
        'apple-mail': 'Mac',
        iphone: 'ipad',
        gmail: 'android',
        samsung: 'samsung',
        thunderbird: 'Thunderbird',
        'windows-mail': 'windows-mail',
      };
      const stdin = PROGRAMS.map((program) => `${ALICE} imap ${names[program]}\n`).join('');
      const { code, stdout, stderr } = await cli(['-'], stdin);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const blocks = stdout.split(/\n\n(?=Mail settings for )/);
      expect(blocks).toHaveLength(PROGRAMS.length);
      const settings = await setup.answer(`${ALICE} imap`);
      for (const [index, program] of PROGRAMS.entries()) {
        const block = blocks[index] as string;
        const steps = block.slice(block.indexOf(`${PROGRAM_NAMES[program]}: set up`));
        expectHostedSteps(steps, program);
        // Every value the program's steps ask for, exactly as the core fills them in for this answer.
        const guide = guideFor(program, settings);
        if (!guide.ok) throw new Error(guide.error);
        const expected = guide.value.steps.flatMap((step) => step.values.map((v) => [v.label, v.value]));
        expect(valuesIn(steps), program).toEqual(expected);
      }
    },
    SEVERAL_PROCESSES,
  );

  it('puts the steps in the JSON as `guide`, next to the settings of the published schema', async () => {
    const { code, stdout, stderr } = await cli(['--json', ALICE, 'imap', 'thunderbird']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const json = JSON.parse(stdout);
    const settings = mailSettingsSchema.parse(json);
    expect(settings.incoming[0]?.hostname).toBe(OPERATOR);
    expect(Object.keys(json.guide)).toEqual(['program', 'name', 'title', 'steps', 'notes']);
    expect(json.guide).toMatchObject({
      program: 'thunderbird',
      name: 'Thunderbird',
      title: `Thunderbird: set up ${ALICE} (IMAP)`,
      notes: [],
    });
    const [, , incoming, outgoing] = json.guide.steps;
    expect(incoming.text).toMatch(/incoming server/);
    expect(incoming.values).toEqual([
      { label: 'Protocol', value: 'IMAP' },
      { label: 'Hostname', value: OPERATOR },
      { label: 'Port', value: '993' },
      { label: 'Connection security', value: 'SSL/TLS' },
      { label: 'Authentication method', value: 'Normal password' },
      { label: 'Username', value: ALICE },
    ]);
    expect(outgoing.values).toContainEqual({ label: 'Port', value: '465' });
    expect(outgoing.values).toContainEqual({ label: 'Username', value: ALICE });
    expect(json.guide.steps.every((step: { text: string }) => step.text.length > 0)).toBe(true);
  });

  it(
    'refuses an unknown program with one line naming the known ones, before looking anything up',
    async () => {
      const single = await cli(['carol@unasked.test', 'imap', 'outlok']);
      expect({ code: single.code, stdout: single.stdout }).toEqual({ code: 2, stdout: '' });
      expect(setup.world.dns.queries.filter((query) => query.includes('unasked.test'))).toEqual([]);
      expect(single.stderr.trim().split('\n')).toHaveLength(1);
      expect(single.stderr).toContain('I have no steps for “outlok”.');
      for (const program of PROGRAMS) expect(single.stderr).toContain(program);

      const bulk = await cli(['--json', '-'], `${ALICE} imap outlok\n${ALICE} pop samsung\n`);
      expect(bulk.code).toBe(2);
      const [bad, good] = bulk.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
      expect(bad).toEqual({
        input: `${ALICE} imap outlok`,
        error: expect.stringContaining('Choose one of: outlook,'),
      });
      expect(good.guide).toMatchObject({ program: 'samsung', title: `Samsung Email: set up ${ALICE} (POP)` });
    },
    SEVERAL_PROCESSES,
  );

  it(
    'ends an answer without a program with one line offering the programs, but not in JSON or bulk mode',
    async () => {
      const text = await cli([ALICE, 'pop']);
      expect(text.code).toBe(0);
      const last = text.stdout.trimEnd().split('\n').at(-1) as string;
      expect(last).toMatch(/^Steps for your mail program: add one of /);
      for (const program of PROGRAMS) expect(last).toContain(program);
      expect(last).toMatch(/for example: alice@hosted\.test pop outlook$/);

      const json = await cli(['--json', ALICE, 'pop']);
      expect(JSON.parse(json.stdout)).not.toHaveProperty('guide');
      expect(json.stdout).not.toContain('Steps for your mail program');

      // A list of answers is for reading: no line offering programs after each.
      const bulk = await cli(['-'], `${ALICE} pop\n${ALICE} imap\n`);
      expect(bulk.stdout).toContain('Mail settings for hosted.test (IMAP)');
      expect(bulk.stdout).not.toContain('Steps for your mail program');
    },
    SEVERAL_PROCESSES,
  );

  it(
    'answers an SMTP question with the settings and says why there are no steps for it',
    async () => {
      const text = await cli([ALICE, 'smtp', 'outlook']);
      expect({ code: text.code, stderr: text.stderr }).toEqual({ code: 0, stderr: '' });
      expect(text.stdout).toContain(`Outgoing mail server: ${OPERATOR}`);
      expect(text.stdout.trimEnd()).toMatch(
        /\n\nSet-up steps need the incoming server too: ask for imap or pop, for example: hosted\.test imap outlook\.$/,
      );
      expect(text.stdout).not.toContain('Steps for your mail program');

      const json = JSON.parse((await cli(['--json', ALICE, 'smtp', 'outlook'])).stdout);
      expect(json.guide).toEqual({
        program: 'outlook',
        name: 'Outlook for Windows',
        error: expect.stringContaining('need the incoming server too'),
      });
    },
    SEVERAL_PROCESSES,
  );

  it('lists every program and both profiles in --help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const program of PROGRAMS) {
      expect(stdout).toMatch(new RegExp(`(^|\\s)${program} +${PROGRAM_NAMES[program]}`, 'm'));
    }
    expect(stdout).toContain('--profile apple');
    expect(stdout).toContain('--profile thunderbird');
  });
});

type Dict = Record<string, unknown>;

describe('--profile', () => {
  it(
    'prints only the Apple profile, carrying the hosted answer’s servers and Alice’s address',
    async () => {
      for (const [args, type, port] of [
        [['--profile', 'apple', ALICE, 'imap'], 'EmailTypeIMAP', 993],
        [[`${ALICE}`, 'pop', '--profile=Apple'], 'EmailTypePOP', 995],
      ] as const) {
        const { code, stdout, stderr } = await cli([...args]);
        expect({ args, code, stderr }).toEqual({ args, code: 0, stderr: '' });
        expect(stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE plist/);
        expect(stdout).toMatch(/<\/plist>\n$/);
        const profile = parsePlist(stdout) as Dict;
        expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1 });
        const content = profile.PayloadContent as Dict[];
        expect(content).toHaveLength(1);
        expect(content[0]).toMatchObject({
          PayloadType: 'com.apple.mail.managed',
          PayloadVersion: 1,
          EmailAccountType: type,
          EmailAddress: ALICE,
          IncomingMailServerHostName: OPERATOR,
          IncomingMailServerPortNumber: port,
          IncomingMailServerUseSSL: true,
          IncomingMailServerUsername: ALICE,
          IncomingMailServerAuthentication: 'EmailAuthPassword',
          OutgoingMailServerHostName: OPERATOR,
          OutgoingMailServerPortNumber: 465,
          OutgoingMailServerUseSSL: true,
          OutgoingMailServerUsername: ALICE,
          OutgoingMailServerAuthentication: 'EmailAuthPassword',
        });
        expect(stdout).not.toMatch(/<key>(Incoming|Outgoing)Password<\/key>/);
      }
    },
    SEVERAL_PROCESSES,
  );

  it('explains on stderr, exit 2, why a provider that needs modern sign-in gets no profile', async () => {
    const { code, stdout, stderr } = await cli(['--profile', 'apple', 'dan@office365.com']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/needs modern sign-in, which a profile cannot set up/);
  });

  it(
    'prints only the autoconfig document, which the bot’s own parser reads back as the answer’s servers',
    async () => {
      const answer = mailSettingsSchema.parse(JSON.parse((await cli(['--json', ALICE])).stdout));
      for (const kind of ['thunderbird', 'autoconfig']) {
        const { code, stdout, stderr } = await cli(['--profile', kind, ALICE]);
        expect({ kind, code, stderr }).toEqual({ kind, code: 0, stderr: '' });
        expect(stdout).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<clientConfig version="1\.1">/);
        const parsed = parseConfigXml(stdout);
        if (!parsed.ok) throw new Error(parsed.error);
        expect(parsed.value.domains).toEqual(['hosted.test']);
        expect(parsed.value.servers).toEqual([...answer.incoming, ...answer.outgoing]);
        expect(
          parsed.value.servers.map(({ type, hostname, port, security, username }) => ({
            type,
            hostname,
            port,
            security,
            username,
          })),
        ).toEqual([
          { type: 'imap', hostname: OPERATOR, port: 993, security: 'tls', username: '%EMAILADDRESS%' },
          { type: 'imap', hostname: OPERATOR, port: 143, security: 'starttls', username: '%EMAILADDRESS%' },
          { type: 'pop3', hostname: OPERATOR, port: 995, security: 'tls', username: '%EMAILADDRESS%' },
          { type: 'pop3', hostname: OPERATOR, port: 110, security: 'starttls', username: '%EMAILADDRESS%' },
          { type: 'smtp', hostname: OPERATOR, port: 465, security: 'tls', username: '%EMAILADDRESS%' },
          { type: 'smtp', hostname: OPERATOR, port: 587, security: 'starttls', username: '%EMAILADDRESS%' },
        ]);
      }
    },
    SEVERAL_PROCESSES,
  );

  it(
    'refuses what cannot go with one file, in one line on stderr, with nothing on stdout',
    async () => {
      const cases: [string[], string | RegExp][] = [
        [['--profile'], '--profile needs to know which file: --profile apple or --profile thunderbird'],
        [['--profile', 'android', ALICE], 'Unknown --profile “android”. Use --profile apple'],
        [['--profile', 'apple', '-'], 'cannot be used with - (one question per line)'],
        [['--json', '--profile', 'apple', ALICE], 'cannot be used with --json'],
        [['--check', '--profile', 'apple', ALICE], 'cannot be used with --check'],
        [['--profile', 'apple', ALICE, 'check'], 'cannot be used with check: leave out “check”'],
        [['--profile', 'apple', ALICE, 'imap', 'iphone'], 'cannot be used with a program name'],
        [['--profile', 'thunderbird', ALICE, 'smtp'], /no incoming and outgoing server for hosted\.test/],
        [['--profile', 'apple', ALICE, 'smtp'], /no incoming and outgoing server for hosted\.test/],
      ];
      const results = await Promise.all(cases.map(([args]) => cli(args, '')));
      for (const [index, [args, message]] of cases.entries()) {
        const { code, stdout, stderr } = results[index] as Awaited<ReturnType<typeof cli>>;
        expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
        expect(stderr, args.join(' ')).toMatch(message);
      }
    },
    SEVERAL_PROCESSES,
  );
});

describe('the console', () => {
  it('answers a question ending in a program name with the steps, and offers the programs otherwise', async () => {
    const stdin = [
      `/mailsettings ${ALICE} imap outlook`,
      'mailsettings bob@hosted.test pop iphone',
      `${ALICE} imap outlok`,
      ALICE,
    ].join('\n');
    const { code, stdout, stderr } = await run('adapters/main.ts', [], `${stdin}\n`);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const outlook = stdout.indexOf(`Outlook for Windows: set up ${ALICE} (IMAP)`);
    const iphone = stdout.indexOf('iPhone and iPad: set up bob@hosted.test (POP)');
    const unknown = stdout.indexOf('I have no steps for “outlok”. Choose one of: outlook,');
    const offer = stdout.indexOf('Steps for your mail program: add one of outlook,');
    expect(stdout.indexOf('Mail settings for hosted.test (IMAP)')).toBe(0);
    expect([outlook, iphone, unknown, offer].every((at) => at > 0)).toBe(true);
    expect([outlook, iphone, unknown, offer]).toEqual(
      [outlook, iphone, unknown, offer].sort((a, b) => a - b),
    );
    expectHostedSteps(
      stdout.slice(outlook, stdout.indexOf('Mail settings for hosted.test (POP)')),
      'outlook',
    );
    const bob = valuesIn(stdout.slice(iphone, unknown));
    expect(bob).toContainEqual(['Host Name', OPERATOR]);
    expect(bob).toContainEqual(['User Name', 'bob@hosted.test']);
    expect(bob).toContainEqual(['Server Port', '995']);
    expect(stdout.trimEnd().endsWith('for example: alice@hosted.test outlook')).toBe(true);
  });
});
