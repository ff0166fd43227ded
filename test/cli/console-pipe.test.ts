// `npm start` without chat credentials (the console), its stdin piped, when its reader goes away
// (`printf … | npm start | head -1`): it stops quietly, without a stack trace.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT, buildOnce } from '../support/build.js';

const ROOT = new URL('../..', import.meta.url).pathname;
let dir: string;
beforeAll(async () => {
  await buildOnce();
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-console-pipe-'));
}, 180_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the console', () => {
  it('stops quietly when its reader goes away (| head -1), without a stack trace', async () => {
    const child = spawn(process.execPath, [BOT], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        MAILSETTINGS_DNS_SERVERS: '127.0.0.1:9',
        MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
        DATABASE_URL: `file:${join(dir, 'cases.db')}`,
      },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.on('error', () => {});
    child.stdin.end(Array.from({ length: 200 }, (_, i) => `bad..x${i}`).join('\n'));
    await once(child.stdout, 'data'); // what `head -1` reads, then it exits
    child.stdout.destroy();
    const [code] = await once(child, 'exit');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
  });
});
