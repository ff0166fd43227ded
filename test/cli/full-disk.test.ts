// The built command when its output cannot be written (a full disk: /dev/full): one line and exit 1, never a
// stack trace.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILT, buildOnce, ROOT } from '../support/build.js';

beforeAll(async () => {
  await buildOnce();
}, 180_000);

async function toFullDisk(args: string[], stdin = '') {
  const run = promisify(execFile)(
    '/bin/sh',
    ['-c', 'exec "$0" "$@" > /dev/full', process.execPath, BUILT.cli, ...args],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
        MAILSETTINGS_DEADLINE_MS: '200',
      },
    },
  );
  run.child.stdin?.end(stdin);
  try {
    const { stderr } = await run;
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

// /dev/full is Linux's: elsewhere there is no full disk to write to, and the tests say so by being skipped.
describe.skipIf(!existsSync('/dev/full'))('output to a full disk', () => {
  for (const args of [['--help'], ['example.com'], ['--json', '-'], ['providers', '--help']]) {
    it(`${args.join(' ')}: fails with one line and exit 1, no stack trace`, async () => {
      const { code, stderr } = await toFullDisk(args, 'bad..x\nexample.com\n');
      expect(code).toBe(1);
      expect(stderr).not.toMatch(/\n\s+at /);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  }
});
