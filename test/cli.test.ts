import { execFile } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../adapters/cli/cli.js';
import { mailSettingsSchema } from '../src/settings.js';
import { startWorld, type World } from './support/world.js';

const ROOT = new URL('..', import.meta.url).pathname;
let world: World;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  world = await startWorld({
    records: [{ name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' }],
  });
  env = {
    PATH: process.env.PATH,
    MAILSETTINGS_DNS_SERVERS: world.dns.address,
    MAILSETTINGS_ISPDB_URL: `${world.ispdb.url}/v1.1/`,
    MAILSETTINGS_ALLOW_PRIVATE_NETWORKS: 'true',
  };
});
afterAll(() => world?.close());

/** Runs the real command as a process, the way other tools call it. */
async function cli(args: string[], options: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) {
  const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'adapters/cli/bin.ts', ...args], {
    cwd: ROOT,
    env: { ...env, ...options.env },
  });
  run.child.stdin?.end(options.stdin ?? '');
  try {
    const { stdout, stderr } = await run;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('mailsettings CLI', () => {
  it('prints exactly one JSON object that matches the published schema', async () => {
    const { code, stdout, stderr } = await cli(['--json', 'Alice@GMail.com', 'POP']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const answer = mailSettingsSchema.parse(JSON.parse(stdout));
    expect(answer.query).toEqual({
      input: 'Alice@GMail.com',
      domain: 'gmail.com',
      email: 'alice@gmail.com',
      protocol: 'pop',
    });
    expect(answer.incoming[0]).toEqual({
      type: 'pop3',
      hostname: 'pop.gmail.com',
      port: 995,
      security: 'tls',
      username: '%EMAILADDRESS%',
      authentication: ['OAuth2', 'password-cleartext'],
    });
    expect(answer.source.kind).toBe('ispdb');
  });

  it('prints the human block with the knowledge-base wording and the actual username', async () => {
    const { code, stdout } = await cli(['bob@google-hosted.test', 'imap']);
    expect(code).toBe(0);
    expect(stdout).toContain('Incoming mail server: imap.gmail.com');
    expect(stdout).toContain('Incoming mail port: 993');
    expect(stdout).toContain('Encryption method: SSL/TLS');
    expect(stdout).toContain('Username: bob@google-hosted.test');
    expect(stdout).toContain('Require logon using Secure Password Authentication (SPA): unchecked');
    expect(stdout).toMatch(/Source: .*aspmx\.l\.google\.com/);
  });

  it('exits 2 with one line on stderr and nothing on stdout for bad input', async () => {
    for (const args of [['a..b.com'], ['example.com', 'imapp'], ['--frobnicate', 'example.com'], []]) {
      const { code, stdout, stderr } = await cli(args);
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('exits 1 naming the setting when the configuration is wrong, without a stack trace', async () => {
    const { code, stdout, stderr } = await cli(['example.com'], {
      env: { MAILSETTINGS_DEADLINE_MS: 'soon' },
    });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(/^MAILSETTINGS_DEADLINE_MS must be a number of milliseconds/);
    expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
    const debug = await cli(['--debug', 'example.com'], { env: { MAILSETTINGS_DEADLINE_MS: 'soon' } });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/ConfigError: MAILSETTINGS_DEADLINE_MS[\s\S]*\n\s+at /);
  });

  it('answers one JSON line per stdin line in order, with an error object for a bad line', async () => {
    const stdin = 'gmail.com pop\n\n# a comment\nbad..domain\nalice@google-hosted.test smtp\n';
    const { code, stdout } = await cli(['--json', '-'], { stdin });
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[0].query.domain).toBe('gmail.com');
    expect(lines[1]).toEqual({
      input: 'bad..domain',
      error: expect.stringContaining('empty part between dots'),
    });
    expect(lines[2].outgoing[0].hostname).toBe('smtp.gmail.com');
  });

  it('shows what every source said with --debug', async () => {
    const { code, stderr } = await cli(['--debug', 'gmail.com']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/\[ispdb\] found after \d+ ms/);
    expect(stderr).toMatch(/\[srv\] none/);
  });
});

describe('mailsettings CLI, in process', () => {
  function io(stdinText = '') {
    const out: string[] = [];
    const err: string[] = [];
    const sink = (into: string[]) => {
      const stream = new PassThrough();
      stream.on('data', (chunk) => into.push(String(chunk)));
      return stream;
    };
    const stdin = new PassThrough();
    stdin.end(stdinText);
    return { io: { stdin, stdout: sink(out), stderr: sink(err), env }, out, err };
  }

  it('never throws, whatever the arguments, and always exits 0, 1 or 2', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.string(), fc.domain(), fc.constantFrom('--json', '-', 'pop', '--debug')), {
          maxLength: 4,
        }),
        async (args) => {
          const { io: streams, out, err } = io('x.test\n');
          const code = await runCli(args, streams);
          expect([0, 1, 2]).toContain(code);
          if (code === 2) expect(out.join('')).toBe('');
          if (code !== 0) expect(err.join('')).not.toMatch(/\n\s+at /);
        },
      ),
      { numRuns: 150 },
    );
  });
});
