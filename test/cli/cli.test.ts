import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../adapters/cli/cli.js';
import { mailSettingsSchema } from '../../src/testing.js';
import { CLI } from '../support/build.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { startWorld, type World } from '../support/world.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let world: World;
let deadDns: DnsServer;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  deadDns = await startDnsServer({ silent: true });
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
afterAll(() => Promise.all([world?.close(), deadDns?.close()]));

/** Runs the real command as a process, the way other tools call it. */
async function cli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {},
) {
  const run = promisify(execFile)(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...env, ...options.env },
    ...(options.timeout ? { timeout: options.timeout } : {}),
  });
  run.child.stdin?.end(options.stdin ?? '');
  try {
    const { stdout, stderr } = await run;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; killed: boolean; stdout: string; stderr: string };
    return { code: failed.killed ? 'killed' : failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The command as a long-running process, for talking to it line by line. */
function spawnCli(args: string[], extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    env: { ...env, ...extraEnv },
  });
}

/** Lines of the child's stdout, one at a time, as they arrive. */
function outputLines(child: ChildProcess): { next(): Promise<string> } {
  const lines: string[] = [];
  let partial = '';
  let wake = () => {};
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    wake();
  });
  return {
    async next() {
      while (lines.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return lines.shift() as string;
    },
  };
}

async function exitCode(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = await once(child, 'exit');
  return code as number | null;
}

/** True when the stream drains within `ms`; false when its reader has stopped reading. */
async function drainedWithin(stream: NodeJS.WritableStream, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    once(stream, 'drain').then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(resolve, ms, false);
    }),
  ]);
  clearTimeout(timer);
  return drained;
}

/** Timeout of a test that starts the command several times, one after another, on a machine that may be busy. */
const SEVERAL_PROCESSES = 60_000;

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

  it(
    'exits 2 with one line on stderr and nothing on stdout for bad input',
    async () => {
      for (const args of [['a..b.com'], ['example.com', 'imapp'], ['--frobnicate', 'example.com'], []]) {
        const { code, stdout, stderr } = await cli(args);
        expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
        expect(stderr.trim().split('\n')).toHaveLength(1);
      }
    },
    SEVERAL_PROCESSES,
  );

  it(
    'exits 1 naming the setting when the configuration is wrong, without a stack trace',
    async () => {
      const { code, stdout, stderr } = await cli(['example.com'], {
        env: { MAILSETTINGS_DEADLINE_MS: 'soon' },
      });
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toMatch(/^MAILSETTINGS_DEADLINE_MS must be a number of milliseconds/);
      expect(stderr).not.toMatch(/\bat .*\.ts:\d+/);
      const debug = await cli(['--debug', 'example.com'], { env: { MAILSETTINGS_DEADLINE_MS: 'soon' } });
      expect(debug.code).toBe(1);
      expect(debug.stderr).toMatch(/ConfigError: MAILSETTINGS_DEADLINE_MS[\s\S]*\n\s+at /);
    },
    SEVERAL_PROCESSES,
  );

  it('answers one JSON line per stdin line in order, and exits 2 when a line was not understood', async () => {
    const stdin = 'gmail.com pop\n\n# a comment\nbad..domain\n  alice@google-hosted.test smtp\n';
    const { code, stdout, stderr } = await cli(['--json', '-'], { stdin });
    expect(code).toBe(2);
    expect(stderr).toBe('1 of 3 lines could not be answered; their errors are in the output.\n');
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toHaveLength(3);
    expect(lines[0].query).toMatchObject({ input: 'gmail.com pop', domain: 'gmail.com' });
    expect(lines[1]).toEqual({
      input: 'bad..domain',
      error: expect.stringContaining('empty part between dots'),
    });
    // `input` is the whole line as read, so every result can be matched to its line.
    expect(lines[2].query.input).toBe('  alice@google-hosted.test smtp');
    expect(lines[2].outgoing[0].hostname).toBe('smtp.gmail.com');
  });

  it('answers a line too long to be a question as such, holding only its start, and goes on', async () => {
    const stdin = `${'a'.repeat(2_000_000)}\ngmail.com pop\n`;
    const { code, stdout } = await cli(['--json', '-'], { stdin });
    expect(code).toBe(2);
    const [long, next] = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(long.input).toHaveLength(4097);
    expect(long.error).toMatch(/too long/);
    expect(next.query.domain).toBe('gmail.com');
  });

  it('exits 0 with nothing on stderr when every line was answered', async () => {
    const { code, stdout, stderr } = await cli(['-'], { stdin: 'gmail.com pop\ngmail.com imap\n' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const blocks = stdout.split('\n\nMail settings for');
    expect(blocks).toHaveLength(2);
    expect(blocks[1]).toMatch(/^ gmail\.com \(IMAP\)/);
  });

  it('prints each answer as soon as it is ready, while stdin is still open', async () => {
    const child = spawnCli(['--json', '-']);
    const lines = outputLines(child);
    child.stdin?.write('gmail.com pop\n');
    expect(JSON.parse(await lines.next()).query.input).toBe('gmail.com pop');
    child.stdin?.write('bad..domain\n');
    expect(JSON.parse(await lines.next())).toMatchObject({ input: 'bad..domain' });
    child.stdin?.end();
    expect(await exitCode(child)).toBe(2);
  });

  it('stops reading stdin while its output is not read, instead of holding every answer', async () => {
    const child = spawnCli(['--json', '-'], { MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9' });
    child.stdout?.pause(); // a reader that never reads: the CLI's output pipe fills up
    const stdin = child.stdin as NodeJS.WritableStream;
    stdin.on('error', () => {}); // the pipe breaks when the child is killed below
    const total = 100_000;
    let written = 0;
    // The old CLI read all of stdin before printing anything, so all 100,000 lines went in.
    while (written < total) {
      if (stdin.write(`user${written}@example.com pop\n`)) written += 1;
      else if (await drainedWithin(stdin, 3000)) written += 1;
      else break;
    }
    child.kill();
    expect(written).toBeLessThan(total / 10);
  });

  it('stops quietly when its reader goes away (| head), without a stack trace', async () => {
    const child = spawnCli(['-'], { MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9' });
    let stderr = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin?.on('error', () => {}); // its stdin closes when it exits
    child.stdin?.end(Array.from({ length: 3000 }, (_, i) => `d${i}.example.com`).join('\n'));
    await outputLines(child).next(); // what `head -1` reads, then it exits
    child.stdout?.destroy();
    expect(await exitCode(child)).toBe(0);
    expect(stderr).toBe('');
  });

  it('exits right after its answer when DNS never answers, instead of waiting out the queries', async () => {
    const before = deadDns.queries.length;
    const { code, stdout } = await cli(['example.com'], {
      env: {
        MAILSETTINGS_DNS_SERVERS: deadDns.address,
        // c-ares would send its second try some 5 s after the first (it caps a long try timeout there),
        // so a process still waiting on its queries is seen asking every name twice.
        MAILSETTINGS_DNS_TIMEOUT_MS: '60000',
        MAILSETTINGS_DEADLINE_MS: '300',
      },
      timeout: 60_000,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Mail settings for example.com');
    const asked = deadDns.queries.slice(before);
    expect(asked).toContain('MX example.com'); // the queries were out when it answered
    expect(asked).toEqual([...new Set(asked)]); // and none was ever tried again
  });

  it('moves on to the second DNS server in time when the first one is dead', async () => {
    const before = deadDns.queries.length;
    // The MX answer comes from the second server and still leaves the MX source time for the ISP database
    // inside its 2 s: with 1 s tries c-ares could hold a query at the dead server for 2 s.
    const { code, stdout } = await cli(['--json', 'bob@google-hosted.test', 'imap'], {
      env: { MAILSETTINGS_DNS_SERVERS: `${deadDns.address},${world.dns.address}` },
    });
    expect(code).toBe(0);
    expect(deadDns.queries.slice(before)).toContain('MX google-hosted.test');
    const answer = JSON.parse(stdout);
    expect(answer.source.kind).toBe('mx');
    expect(answer.incoming[0].hostname).toBe('imap.gmail.com');
  });

  it(
    'shows control characters in the input escaped, on stderr and in bulk output',
    async () => {
      const title = '\u001b]0;pwned\u0007';
      const single = await cli([`${title}.com`]);
      expect(single.code).toBe(2);
      expect(single.stderr).toContain('\\x1b]0;pwned\\x07');
      expect(single.stderr).not.toMatch(CONTROL);

      const stdin = `x.com ${title}\nexample.com \u009b2J\n`;
      const text = await cli(['-'], { stdin });
      expect(text.stdout).toContain('x.com \\x1b]0;pwned\\x07: ');
      expect(text.stdout).toContain('example.com \\x9b2J: ');
      expect(text.stdout + text.stderr).not.toMatch(CONTROL);

      const json = await cli(['--json', '-'], { stdin });
      expect(json.stdout).not.toMatch(CONTROL);
      // Escaped, not removed: the JSON still carries each line exactly.
      const inputs = json.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).input);
      expect(inputs).toEqual([`x.com ${title}`, 'example.com \u009b2J']);
    },
    SEVERAL_PROCESSES,
  );

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
        fc.array(
          fc.oneof(
            fc.string(),
            fc.domain(),
            fc.constantFrom('--json', '-', 'pop', '--debug', '--profile', 'apple', 'outlook'),
          ),
          {
            maxLength: 4,
          },
        ),
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
