// `mailsettings cases` on hostile stored data: no terminal escape from a stored name reaches the screen, in text
// or CSV; and an empty file where the database should be is never made into one by a command that only reads.
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from '../support/build.js';
import { oneCaseDatabase, runCasesCli } from '../support/cases-cli.js';
import { startWorld, type World } from '../support/world.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const TITLE = '\u001b]0;pwned\u0007';
let dir: string;
let url: string;
let world: World;

beforeAll(async () => {
  await Promise.all([buildOnce(), (async () => (world = await startWorld({ records: [] })))()]);
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-cases-hostile-'));
  chmodSync(dir, 0o755);
  url = `file:${join(dir, 'cases.db')}`;
  // A staff member's display name carrying a terminal escape (a title change) and a C1 CSI.
  await oneCaseDatabase(url, world, { staffName: `Dana${TITLE}\u009b2J` });
}, 180_000);
afterAll(async () => {
  await world?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], databaseUrl = url) => runCasesCli(args, databaseUrl);

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
