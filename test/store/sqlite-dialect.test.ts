// How the bot writes an SQLite file (src/store/sqlite-dialect.ts): commits reach the WAL without waiting for
// the disk, and a write answers only after an fdatasync of the WAL made after its commit, one shared by the
// writes that came together; statements are prepared once, and one that failed is prepared anew.
import { mkdtempSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from '../../src/index.js';

let database: Database | undefined;
let dir: string | undefined;
afterEach(async () => {
  await database?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  database = dir = undefined;
});

async function fresh(): Promise<{ database: Database; file: string }> {
  dir = mkdtempSync(join(tmpdir(), 'mailsettings-sqlite-'));
  const file = join(dir, 'test.db');
  database = await openDatabase(`file:${file}`);
  return { database, file };
}

const event = (key: string) => ({ key, body: null, state: 'done' as const, received_at: 0 });

describe('SQLite writes', () => {
  it('answer once an fdatasync of the WAL made after them is through, one shared by writes at once', async () => {
    const { database, file } = await fresh();
    const { rows } = await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(database.db);
    expect(rows[0]?.synchronous).toBe(1); // NORMAL: SQLite itself does not wait for the disk at each commit
    // Every fdatasync the process makes, in one timeline with the writes' answers.
    const timeline: string[] = [];
    const probe = await open(join(dir as string, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as FileHandle;
    await probe.close();
    const datasync = prototype.datasync;
    prototype.datasync = async function (this: FileHandle) {
      timeline.push('sync begins');
      await datasync.call(this);
      timeline.push('sync ends');
    };
    try {
      await Promise.all(
        Array.from({ length: 20 }, (_, n) =>
          database.db
            .insertInto('inbox')
            .values(event(`k${n}`))
            .execute()
            .then(() => timeline.push('write answered')),
        ),
      );
    } finally {
      prototype.datasync = datasync;
    }
    expect(timeline.filter((entry) => entry === 'write answered')).toHaveLength(20);
    expect(timeline[0]).toBe('sync begins');
    expect(timeline.indexOf('sync ends')).toBeLessThan(timeline.indexOf('write answered'));
    const syncs = timeline.filter((entry) => entry === 'sync begins').length;
    expect(syncs).toBeGreaterThan(0);
    expect(syncs).toBeLessThan(5); // shared: not one per write
    const fd = await open(`${file}-wal`, 'r');
    expect((await fd.stat()).size).toBeGreaterThan(0); // the commits went to the WAL
    await fd.close();
  });

  it('prepares a statement that failed anew, and goes on', async () => {
    const { database } = await fresh();
    const insert = (key: string) => database.db.insertInto('inbox').values(event(key)).execute();
    await insert('a');
    await expect(insert('a')).rejects.toThrow(/UNIQUE/);
    await insert('b');
    await expect(
      database.db.transaction().execute(async (tx) => {
        await tx.insertInto('inbox').values(event('c')).execute();
        await tx.insertInto('inbox').values(event('a')).execute();
      }),
    ).rejects.toThrow(/UNIQUE/);
    const keys = await database.db.selectFrom('inbox').select('key').orderBy('key').execute();
    expect(keys.map((row) => row.key)).toEqual(['a', 'b']);
  });
});
