// `mailsettings cases` on hostile stored data: no terminal escape from a stored name reaches the screen, in text
// or CSV; and an empty file where the database should be is never made into one by a command that only reads.
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaseView, createLogger, openDatabase } from '../../src/index.js';
import { ALWAYS_OPEN, assembleCases } from '../../src/testing.js';
import { BUILT, buildOnce, ROOT } from '../support/build.js';
import { memorySides } from '../support/memory-sides.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

const MIN = 60_000;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const TITLE = '\u001b]0;pwned\u0007';
let dir: string;
let url: string;
let world: World;

beforeAll(async () => {
  await Promise.all([buildOnce(), (async () => (world = await startWorld({ records: [] })))()]);
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-review-cases-'));
  chmodSync(dir, 0o755);
  url = `file:${join(dir, 'cases.db')}`;
  const database = await openDatabase(url);
  let clock = Date.now() - 2 * 24 * 60 * MIN;
  const { cases, outbox, store } = assembleCases({
    database,
    ...memorySides(),
    resolver: resolverIn(world),
    log: createLogger(() => {}),
    now: () => clock,
    clocks: { hours: ALWAYS_OPEN },
  });
  const opened = await cases.open({
    place: 'slack:C1',
    customerId: 'U1',
    customerName: 'alice',
    question: 'alice@example.com pop',
  });
  if (!opened.ok) throw new Error('not opened');
  await outbox.drain();
  const view = (await cases.findByStaffThread(
    (await store.byId(opened.value.id)).staff_thread ?? '',
  )) as CaseView;
  // A staff member's display name carrying a terminal escape (a title change) and a C1 CSI.
  const dana = {
    staffThread: view.staffThread as string,
    staff: { id: 'D1', name: `Dana${TITLE}\u009b2J` },
  };
  clock += 10 * MIN;
  await cases.staffReply({ ...dana, key: 'discord:1', text: 'Use port 995.' });
  clock += 5 * MIN;
  await cases.resolve({ ...dana, key: 'discord:2' });
  await outbox.drain();
  await database.close();
}, 180_000);
afterAll(async () => {
  await world?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[], databaseUrl = url, uid?: number) {
  const env = { PATH: process.env.PATH, DATABASE_URL: databaseUrl };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BUILT.cli, ...args], {
      cwd: ROOT,
      env,
      ...(uid === undefined ? {} : { uid, gid: uid }),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('mailsettings cases', () => {
  it('text report escapes the staff name (control)', async () => {
    const { code, stdout } = await cli(['cases', 'report']);
    expect(code).toBe(0);
    expect(stdout).toContain('Dana\\x1b]0;pwned\\x07');
    expect(stdout).not.toMatch(CONTROL);
  });

  it('--csv to a terminal never carries a raw terminal escape from stored names', async () => {
    const { code, stdout } = await cli(['cases', 'report', '--csv']);
    expect(code).toBe(0);
    expect(stdout).toContain('Dana');
    expect(stdout).not.toMatch(CONTROL);
  });

  it('never turns an existing empty file at DATABASE_URL into a database when only reading', async () => {
    const empty = join(dir, 'empty.db');
    writeFileSync(empty, '');
    const { code } = await cli(['cases', 'report'], `file:${empty}`);
    expect({ code, size: statSync(empty).size }).toEqual({ code: 1, size: 0 });
  });
});
