// The database opened read-only (the lead's report) beside real files, each step in a process of its own as the
// bot and the lead run: no -wal or -shm is made beside a stopped bot's file (SQLite's `mode=ro` makes both when
// the directory lets it, and files the lead's user owns would keep the bot from starting), and a file the lead
// may not read is refused in one line naming DATABASE_URL.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/index.js';
import { BUILT, buildOnce, ROOT } from '../support/build.js';

const root = process.getuid?.() === 0;
const BOT = { uid: 1001, gid: 1001 };
/** A lead in the bot's group: may read the file and, as the group may, make files in its directory. */
const LEAD = { uid: 65534, gid: 1001 };
const NOBODY = { uid: 65534, gid: 65534 };

beforeAll(async () => {
  await buildOnce();
}, 300_000);

async function run(args: string[], env: Record<string, string>, as: { uid?: number; gid?: number } = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      ...as,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** The bot's start on its database (openDatabase as `npm start` opens it), in a process of its own. */
const START = `const { openDatabase } = await import(${JSON.stringify(join(ROOT, 'dist/src/index.js'))});
  const database = await openDatabase(process.env.DATABASE_URL); await database.close(); console.log('started');`;

/** A stopped bot's database: the file alone (no -wal, no -shm), as a clean stop or a backup leaves it. */
async function stoppedBotDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-ro-files-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  const file = join(dir, 'cases.db');
  // The bot ran (its schema made) and stopped: its process ended, SQLite took the -wal and -shm away.
  const ran = await run(['--input-type=module', '-e', START], { DATABASE_URL: `file:${file}` });
  expect(ran.stdout.trim()).toBe('started');
  expect(readdirSync(dir)).toEqual(['cases.db']);
  return { dir, file, url: `file:${file}` };
}

describe('the database opened read-only, beside real files', () => {
  it('makes no file beside a stopped bot’s database', async () => {
    const { dir, url } = await stoppedBotDatabase();
    const reader = await openDatabase(url, { readOnly: true });
    await reader.db.selectFrom('snippets').selectAll().execute();
    await reader.close();
    expect(readdirSync(dir)).toEqual(['cases.db']);
  });

  it.skipIf(!root)('leaves the bot able to start after a lead ran the report', async () => {
    const { dir, file, url } = await stoppedBotDatabase();
    chownSync(dir, BOT.uid, BOT.gid);
    chownSync(file, BOT.uid, BOT.gid);
    chmodSync(dir, 0o2775);
    chmodSync(file, 0o640);
    const report = await run([BUILT.cli, 'cases', 'report'], { DATABASE_URL: url }, LEAD);
    expect(report).toMatchObject({ code: 0, stderr: '' });
    // The bot, as its own user, starts on its database.
    const bot = await run(['--input-type=module', '-e', START], { DATABASE_URL: url }, BOT);
    expect(bot.stderr).toBe('');
    expect(bot.stdout.trim()).toBe('started');
  });

  it.skipIf(!root)('refuses a file it may not read in one line that names DATABASE_URL', async () => {
    const { file, url } = await stoppedBotDatabase();
    chmodSync(file, 0o600);
    const report = await run([BUILT.cli, 'cases', 'report'], { DATABASE_URL: url }, NOBODY);
    expect(report.code).toBe(1);
    const lines = report.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DATABASE_URL');
    expect(lines[0]).toContain(file);
    expect(lines[0]).not.toMatch(/ConnectionFailed|mode=ro/);
  });
});
