// `mailsettings cases report|forget|export` as the shipped bundle runs it, as a process, on an SQLite database
// written by the case relay: the report as text and as CSV (read back), the export as JSON, forgetting only
// with --yes, bad usage in one line (exit 2), a missing database named without creating one (exit 1), and the
// command loaded only when asked for, without the chart's libraries.
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'libsql';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/index.js';
import { BUILT, buildOnce, modulesRunOnLoad, ROOT } from '../support/build.js';
import { oneCaseDatabase, runCasesCli } from '../support/cases-cli.js';
import { parseCsv } from '../support/report-files.js';
import { startWorld, type World } from '../support/world.js';

/** Who runs the CLI with read access alone: `nobody` when the tests run as root, whose access ignores modes. */
const reader = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
let dir: string;
let url: string;
let world: World;

/** One case two days ago: Alice writes, Dana answers after 10 minutes and resolves it 5 minutes later. */
beforeAll(async () => {
  await Promise.all([buildOnce(), (async () => (world = await startWorld({ records: [] })))()]);
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-cases-cli-'));
  url = `file:${join(dir, 'cases.db')}`;
  await oneCaseDatabase(url, world, {
    customerWrites: 'My mail shows xyzzy42 (pasted\u0085with DEL\u007f and CSI\u009b31m)',
  });
}, 180_000);
afterAll(async () => {
  await world?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], databaseUrl = url, as: { uid?: number; gid?: number } = {}) =>
  runCasesCli(args, databaseUrl, as);

describe('mailsettings cases', () => {
  it('prints the report as text', async () => {
    const { code, stdout, stderr } = await cli(['cases', 'report']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toMatch(/^Support report: .* \(UTC\)\n/);
    expect(stdout).toContain('Cases:           1 opened, 1 resolved (1 after one reply)');
    expect(stdout).toContain('First response:  p50 10 min, p90 10 min (1 case)');
    expect(stdout).toContain('  Dana: 1 resolved, 1 first response (median 10 min)');
  });

  it('prints the report as CSV that reads back, and counts nothing outside --since', async () => {
    const { code, stdout } = await cli(['cases', 'report', '--since', '7d', '--csv']);
    expect(code).toBe(0);
    const rows = parseCsv(stdout);
    const value = (section: string, measure: string) =>
      rows.find((row) => row[0] === section && row[2] === measure)?.[3];
    expect(rows[0]).toEqual(['section', 'item', 'measure', 'value']);
    expect(value('cases', 'opened')).toBe('1');
    expect(value('resolution', 'p50 minutes')).toBe('15');
    expect(value('domain', 'cases')).toBe('1');
    const yesterday = parseCsv((await cli(['cases', 'report', '--since', '1d', '--csv'])).stdout);
    expect(yesterday.find((row) => row[0] === 'cases' && row[2] === 'opened')?.[3]).toBe('0');
  });

  it("reads the report and an export with read access alone, from a backup's file or beside the running bot; forgets nothing", async () => {
    const copy = mkdtempSync(join(tmpdir(), 'mailsettings-cases-ro-'));
    onTestFinished(() => rmSync(copy, { recursive: true, force: true }));
    const file = join(copy, 'cases.db');
    // A copy of the file alone, as a backup is (the WAL written into it first): no -wal or -shm beside it, and
    // none can be made in the directory.
    const source = new Sqlite(join(dir, 'cases.db'));
    source.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    source.close();
    copyFileSync(join(dir, 'cases.db'), file);
    const readOnly = `file:${file}`;
    chmodSync(file, 0o444);
    chmodSync(copy, 0o555);
    const report = await cli(['cases', 'report'], readOnly, reader);
    expect(report).toMatchObject({ code: 0, stderr: '' });
    expect(report.stdout).toContain('1 opened, 1 resolved');
    const forget = await cli(['cases', 'forget', 'U1', '--yes'], readOnly, reader);
    expect(forget.code).toBe(1);
    expect(forget.stderr).toMatch(
      /^Failed: DATABASE_URL file:.* cannot be written \(.*\): let the bot's user write/,
    );
    expect(forget.stderr.trimEnd().split('\n')).toHaveLength(1);

    // The bot running: what it wrote is still in its WAL, and is read from there.
    chmodSync(copy, 0o755);
    chmodSync(file, 0o644);
    const bot = await openDatabase(readOnly);
    onTestFinished(() => bot.close());
    await bot.db.updateTable('cases').set({ customer_name: 'alice (renamed)' }).execute();
    expect(existsSync(`${file}-wal`)).toBe(true);
    const exported = await cli(['cases', 'export', 'U1'], readOnly, reader);
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(exported.stdout).customer.names).toEqual(['alice (renamed)']);
  });

  it('exports what is kept about a customer, and forgets them only with --yes', async () => {
    const exported = await cli(['cases', 'export', 'U1']);
    expect(exported.code).toBe(0);
    const kept = JSON.parse(exported.stdout) as { cases: { messages: { text: string }[] }[] };
    // Valid JSON however the text was pasted (DEL and C1 characters escaped as JSON does).
    expect(kept.cases[0]?.messages.map((m) => m.text)).toEqual([
      'My mail shows xyzzy42 (pasted\u0085with DEL\u007f and CSI\u009b31m)',
      'Use port 995.',
    ]);

    const unconfirmed = await cli(['cases', 'forget', 'U1']);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/^Forget alice \(U1\)\? .*\nRun again with --yes to forget them\.\n$/);
    expect((await cli(['cases', 'export', 'U1'])).stdout).toContain('xyzzy42');

    const forgotten = await cli(['cases', 'forget', '<@U1>', '--yes']);
    expect(forgotten).toMatchObject({
      code: 0,
      stdout: 'Forgotten: U1. 1 case now show “(forgotten)”; 1 message erased.\n',
    });
    expect(JSON.parse((await cli(['cases', 'export', 'U1'])).stdout).cases).toEqual([]);
    expect(readFileSync(join(dir, 'cases.db')).includes('xyzzy42')).toBe(false);
    expect((await cli(['cases', 'report'])).stdout).toContain('1 opened, 1 resolved');
  });

  it('says what was wrong in one line, exit 2, and names a missing database without making one, exit 1', async () => {
    for (const args of [
      ['cases'],
      ['cases', 'report', '--since', '3x'],
      ['cases', 'forget', 'a b'],
      ['cases', 'export'],
    ]) {
      const { code, stdout, stderr } = await cli(args);
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
      expect(stderr.length).toBeGreaterThan(0);
    }
    const missing = join(dir, 'nowhere.db');
    const { code, stderr } = await cli(['cases', 'report'], `file:${missing}`);
    expect({ code, stderr }).toEqual({
      code: 1,
      stderr: `No database at ${missing}: set DATABASE_URL to the bot's database.\n`,
    });
    expect(existsSync(missing)).toBe(false);
  });

  it('is in --help, loaded only when asked for, and carries no chart library', async () => {
    expect((await cli(['--help'])).stdout).toContain(
      'mailsettings cases report [--since 30d] [--csv | --json]',
    );
    const loaded = modulesRunOnLoad();
    expect(loaded).toContain('src/resolve/resolver.ts');
    expect(loaded).not.toContain('adapters/cli/cases.ts');
    const files = [BUILT.cli, ...readdirSync(join(ROOT, 'dist/cli')).map((file) => `dist/cli/${file}`)];
    const text = (file: string) => readFileSync(join(ROOT, file), 'utf8');
    for (const file of files) expect(text(file)).not.toMatch(/@napi-rs\/canvas|Chart\.register/);
  });
});
