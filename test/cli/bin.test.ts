// The shipped `mailsettings` bin: the esbuild bundle `npm run build` makes (package.json's `bin`), run as a
// process against the loopback world. The other CLI tests run the TypeScript sources; these make sure the
// bundle answers the same way on every path that loads something lazily (the Public Suffix List for the MX
// source, the XML library for the ISP database and --profile thunderbird, the YAML reader for the operator
// profile, the property-list writer for --profile apple, the probes of the live check), that --help loads
// nothing but itself, and that the command's bundle comes with a code cache this Node takes.
import { isAscii } from 'node:buffer';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { BUNDLE, CODE_CACHE } from '../../adapters/cli/bundle.js';
import { mailSettingsSchema } from '../../src/testing.js';
import { BUILT, ROOT } from '../support/build.js';
import { startWorld, TEST_PROFILE, type World } from '../support/world.js';

const BIN = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { mailsettings: string } }
).bin.mailsettings;
let world: World;
let dir: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startWorld({
    records: [
      { name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' },
      { name: 'hosted.test', type: 'MX', priority: 1, exchange: 'server1.web-hosting.test' },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-cli-bin-'));
  const profile = join(dir, 'profile.yaml');
  writeFileSync(profile, toYaml(TEST_PROFILE));
  env = {
    PATH: process.env.PATH,
    MAILSETTINGS_DNS_SERVERS: world.dns.address,
    MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/`,
    MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
    MAILSETTINGS_PROFILE: profile,
  };
}, 180_000);
afterAll(async () => {
  await world?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function bin(args: string[]) {
  try {
    return { code: 0, ...(await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: ROOT, env })) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the built mailsettings bin', () => {
  it('is the bundle the build makes', () => {
    expect(BIN).toBe(BUILT.cli);
    expect(readFileSync(join(ROOT, BIN), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('prints --help, loading only the entry, which holds the help text', async () => {
    const { code, stdout, stderr } = await bin(['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Usage: mailsettings /);
    // The entry alone, a CommonJS file: no package and no part of the command, only Node's own modules (for the
    // loader of the command's bundle), and no other file of ours.
    expect(readFileSync(join(ROOT, 'dist/package.json'), 'utf8')).toContain('"commonjs"');
    const text = readFileSync(join(ROOT, BIN), 'utf8');
    const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]);
    expect(required.length).toBeGreaterThan(0);
    expect(required.filter((name) => !name?.startsWith('node:'))).toEqual([]);
    expect(text).not.toMatch(/\bimport\(\s*["']/);
    expect(text.length).toBeLessThan(20_000);
  });

  it('leaves --help after providers or cases to them: each prints its own usage', async () => {
    for (const [args, usage] of [
      [['providers', 'verify', '--help'], /^Usage: mailsettings providers verify .*--dataset FILE/s],
      [['cases', '--help'], /^Usage: mailsettings cases report/],
    ] as const) {
      const { code, stdout, stderr } = await bin([...args]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(usage);
    }
  });

  it('runs the command from its bundle with the code cache the build made, which this Node accepts', async () => {
    // In a process of its own: the test runner's flags would make V8 refuse a cache made without them.
    const script = `import { readFileSync } from 'node:fs';
      import { compileBundle } from './dist/adapters/cli/bundle.js';
      const { script } = compileBundle('${join(ROOT, 'dist/cli', BUNDLE)}', readFileSync('dist/cli/${CODE_CACHE}'));
      console.log(script.cachedDataRejected ? 'refused' : 'accepted');`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH },
    });
    expect(stdout.trim()).toBe('accepted');
    // ASCII, so the loader reads it as Latin-1 (code-cache.ts escapes what esbuild left in comments).
    expect(isAscii(readFileSync(join(ROOT, 'dist/cli', BUNDLE)))).toBe(true);
  });

  it('answers from the MX host through the ISP database (the Public Suffix List, loaded when needed)', async () => {
    const { code, stdout } = await bin(['--json', 'bob@google-hosted.test', 'imap']);
    expect(code).toBe(0);
    const answer = mailSettingsSchema.parse(JSON.parse(stdout));
    expect(answer.source.kind).toBe('mx');
    expect(answer.incoming[0]).toMatchObject({ hostname: 'imap.gmail.com', port: 993, security: 'tls' });
  });

  it("answers a hosted domain from the operator's YAML profile and prints its Apple profile", async () => {
    const text = await bin(['alice@hosted.test', 'imap']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Incoming mail server: server1.web-hosting.test');
    expect(text.stdout).toContain('Username: alice@hosted.test');
    const apple = await bin(['--profile', 'apple', 'alice@hosted.test']);
    expect(apple.code).toBe(0);
    const plist = parsePlist(apple.stdout) as { PayloadContent: Record<string, unknown>[] };
    expect(plist.PayloadContent[0]).toMatchObject({
      IncomingMailServerHostName: 'server1.web-hosting.test',
      IncomingMailServerUsername: 'alice@hosted.test',
    });
  });

  it('writes the Thunderbird autoconfig document with --profile thunderbird', async () => {
    const { code, stdout } = await bin(['--profile', 'thunderbird', 'alice@hosted.test']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<clientConfig version="1.1">/);
    expect(stdout).toContain('<hostname>server1.web-hosting.test</hostname>');
  });

  it('runs the live check with --check: every probe reports, the answer stands', async () => {
    // The world's DNS knows no address for Google's servers: each probe ends at its lookup, none connects.
    const { code, stdout } = await bin(['--json', '--check', 'bob@google-hosted.test', 'imap']);
    expect(code).toBe(0);
    const { check } = JSON.parse(stdout) as { check: { results: { outcome: string }[] } };
    expect(check.results.length).toBeGreaterThan(0);
    expect(check.results.map((result) => result.outcome)).toEqual(check.results.map(() => 'unresolved'));
  });

  it('says what was wrong with bad input in one line, exit 2', async () => {
    const { code, stdout, stderr } = await bin(['1.2.3.4']);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});
