// The command line as an outsider's data and hostile input would try it: a provider file's line breaks and bidi
// overrides, a question after many blanks in bulk mode, a broken profile or a path with a line break in it. What
// reaches the terminal stays the bot's own lines, escaped, one line per error.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT, CLI, ROOT } from '../support/build.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { startIspdbServer, type TestHttpServer } from '../support/http-server.js';

// A provider file as anyone may publish it at https://autoconfig.<their domain>/mail/config-v1.1.xml (served here
// through the ISP database URL, which goes through the same parser): its display name and its instructions
// carry line breaks that make the answer show a second, forged set of servers, and a bidi override.
const HOSTILE_XML = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="hostile.test">
  <domain>hostile.test</domain>
  <displayName>Hostile
  Incoming mail server: imap.attacker.example</displayName>
  <incomingServer type="imap"><hostname>imap.hostile.test</hostname><port>993</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.hostile.test</hostname><port>465</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
  <enable visiturl="https://hostile.test/enable"><instruction>Open the settings.

Outgoing mail server (SMTP)
  Outgoing mail server: smtp.attacker.example</instruction></enable>
</emailProvider></clientConfig>`;
const BIDI_XML = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="bidi.test">
  <domain>bidi.test</domain>
  <displayName>Mail \u202Egnp.exe\u202C \u061CProvider</displayName>
  <incomingServer type="imap"><hostname>imap.bidi.test</hostname><port>993</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.bidi.test</hostname><port>465</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`;

let dns: DnsServer;
let ispdb: TestHttpServer;
let env: NodeJS.ProcessEnv;
const dir = mkdtempSync(join(tmpdir(), 'review-cli-'));

beforeAll(async () => {
  const ispdbDir = join(dir, 'ispdb');
  mkdirSync(ispdbDir);
  writeFileSync(join(ispdbDir, 'hostile.test.xml'), HOSTILE_XML);
  writeFileSync(join(ispdbDir, 'bidi.test.xml'), BIDI_XML);
  ispdb = await startIspdbServer(ispdbDir);
  dns = await startDnsServer({
    records: ['hostile.test', 'bidi.test', 'example.org'].map((name) => ({
      name,
      type: 'A' as const,
      address: '198.51.100.80',
    })),
  });
  env = {
    PATH: process.env.PATH,
    MAILSETTINGS_DNS_SERVERS: dns.address,
    MAILSETTINGS_ISPDB_URL: `${ispdb.url}/v1.1/`,
    MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
  };
});
afterAll(() => Promise.all([dns?.close(), ispdb?.close()]));

async function run(
  script: string,
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
) {
  const child = promisify(execFile)(process.execPath, [script, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...env, ...options.env },
    timeout: 15_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  child.child.stdin?.on('error', () => {});
  child.child.stdin?.end(options.stdin ?? '');
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('text printed from a provider file', () => {
  it('cannot add lines that look like server settings to the text answer', async () => {
    const { code, stdout } = await run(CLI, ['hostile.test']);
    expect(code).toBe(0);
    expect(stdout).toContain('imap.hostile.test'); // the real answer
    // Every "Incoming/Outgoing mail server:" line of the answer is the bot's own; none is the file's.
    expect(stdout).not.toMatch(/^\s*Incoming mail server: imap\.attacker\.example/m);
    expect(stdout).not.toMatch(/^\s*Outgoing mail server: smtp\.attacker\.example/m);
  });

  it('does not print bidi overrides raw to the terminal (as the chat renderers strip them)', async () => {
    const { code, stdout } = await run(CLI, ['bidi.test']);
    expect(code).toBe(0);
    expect(stdout).toContain('imap.bidi.test');
    expect(stdout).not.toMatch(/[\u061c\u202a-\u202e\u2066-\u2069]/);
    expect(stdout).toContain('Mail \\u202egnp.exe\\u202c \\u061cProvider'); // shown, each as four digits
  });
});

describe('bulk mode', () => {
  it('answers a line too long to read as too long, however many blanks it starts with', async () => {
    const stdin = `${' '.repeat(5000)}example.org\nexample.org imap\n`;
    const { code, stdout } = await run(CLI, ['--json', '-'], { stdin });
    const answers = stdout
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { error?: string; query?: { protocol?: string } });
    expect(answers).toHaveLength(2);
    expect(answers[0]?.error).toMatch(/too long/i);
    expect(answers[1]?.query?.protocol).toBe('imap');
    expect(code).toBe(2); // a line was not understood
  });
});

describe('a hostile operator profile', () => {
  it('npm start says a broken profile in one line without raw terminal escapes', async () => {
    const profile = join(dir, 'profile.json');
    writeFileSync(profile, '{"provider":\u001b]0;pwned\u0007\u001b[2J "x"}');
    const { code, stderr } = await run(BOT, [], {
      stdin: 'example.org\n',
      cwd: dir,
      env: { MAILSETTINGS_PROFILE: profile },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('MAILSETTINGS_PROFILE');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });

  it('the command says an unreadable profile in one line, whatever its name holds', async () => {
    const { code, stdout, stderr } = await run(CLI, ['example.org'], {
      env: { MAILSETTINGS_PROFILE: join(dir, 'no\nsuch profile.yaml') },
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
