// vitest's global setup: one real PostgreSQL server for the whole run, started with .ci/postgres unless CI
// already started one (MAILSETTINGS_TEST_DATABASE_URL). Tests get its URL through inject('postgres') and
// make a database of their own on it (test/support/databases.ts).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The server's URL, or why there is none. */
    postgres: { url: string } | { unavailable: string };
  }
}

const SCRIPT = join(import.meta.dirname, '../../.ci/postgres');
const run = promisify(execFile);

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const given = process.env.MAILSETTINGS_TEST_DATABASE_URL;
  if (given) {
    project.provide('postgres', { url: given });
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-pg-'));
  try {
    const { stdout } = await run('bash', [SCRIPT, 'start', dir, String(await freePort())]);
    project.provide('postgres', { url: stdout.trim() });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    const reason = `PostgreSQL could not be started (${String((error as Error).message).split('\n')[0]}); install it with: sudo bash .ci/postgres install`;
    // CI runs every test it can: there a missing server is a failure, not a skip.
    if (process.env.CI) throw new Error(reason);
    project.provide('postgres', { unavailable: reason });
    return undefined;
  }
  return async () => {
    await run('bash', [SCRIPT, 'stop', dir]).catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}
