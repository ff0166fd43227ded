// An SQLite file the bot cannot write: refused at start with one line (a read-only file, a read-only
// directory: for real, as an unprivileged user when the tests run as root, who may write anywhere); and a
// full disk while running, played by SQLite's own `max_page_count` (every write that needs a page fails with
// SQLITE_FULL, as on a full disk): Slack gets a 500 and sends the event again, staff are told privately that
// their reply was not sent, nothing acknowledged is lost, and all goes on once there is room.
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { type Database, notStored, openDatabase } from '../../src/index.js';
import { botProcessExit } from '../support/bot-process.js';
import {
  type Bot,
  customerAsksForAPerson,
  customerWrites,
  type RelayWorld,
  STAFF,
  startRelayWorld,
} from '../support/relay-world.js';

let rw: RelayWorld;
beforeAll(async () => {
  rw = await startRelayWorld();
});
afterAll(() => rw?.close());

/** As root, the bot runs as `nobody`: root's writes ignore file modes. */
const unprivileged = process.getuid?.() === 0 ? { as: { uid: 65534, gid: 65534 } } : {};

/** A directory with an SQLite database in it, made as the schema is today. */
async function databaseIn(): Promise<{ dir: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mailsettings-ro-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'data'));
  const file = join(dir, 'data', 'mailsettings.db');
  await (await openDatabase(`file:${file}`)).close();
  chmodSync(dir, 0o755);
  return { dir: join(dir, 'data'), file };
}

describe('an SQLite file the bot cannot write', () => {
  it.each([
    ['a read-only file', 0o444, 0o777],
    ['a read-only directory', 0o666, 0o555],
  ])('is refused at start with one line: %s', async (_case, fileMode, dirMode) => {
    const { dir, file } = await databaseIn();
    chmodSync(file, fileMode);
    chmodSync(dir, dirMode);
    const { code, stderr } = await botProcessExit(rw, {
      name: 'read-only',
      databaseUrl: `file:${file}`,
      ...unprivileged,
    });
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    // SQLite says SQLITE_READONLY, or (for some directory cases) only its message: libsql knows no name for it.
    expect(lines[0]?.replace(' (SQLITE_READONLY)', '')).toBe(
      `DATABASE_URL file:${file} cannot be written (attempt to write a readonly database): let the bot's user write that file and its directory (SQLite adds -wal and -shm files beside it).`,
    );
  });
});

/** Fills the database up to its last page: every write that needs one more fails with SQLITE_FULL. */
async function fill(database: Database): Promise<void> {
  const { rows } = await sql<{ page_count: number }>`PRAGMA page_count`.execute(database.db);
  await sql.raw(`PRAGMA max_page_count = ${rows[0]?.page_count}`).execute(database.db);
  for (let n = 0, size = 2048; size >= 1; ) {
    try {
      await database.db
        .insertInto('inbox')
        .values({ key: `filler:${n++}`, body: 'x'.repeat(size), state: 'done', received_at: 0 })
        .execute();
    } catch {
      size = Math.floor(size / 2); // full for this size: smaller rows may still fit somewhere
    }
  }
}

async function makeRoom(database: Database): Promise<void> {
  await sql.raw('PRAGMA max_page_count = 1073741823').execute(database.db);
}

describe('a full disk', () => {
  let bot: Bot;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailsettings-full-'));
    bot = await rw.start(`file:${join(dir, 'full.db')}`);
  });
  afterAll(async () => {
    await bot?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses what cannot be stored so the sender knows, and loses nothing', async () => {
    const user = { id: 'UFULL', name: 'kai' };
    const posts = rw.discord.threads().length;
    const { threadTs } = await customerAsksForAPerson(rw, bot, 'direct.test pop', { user });
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(posts + 1);
    const post = String((rw.discord.threads().at(-1) as { id: string }).id);
    await fill(bot.database);

    // Slack's event is not acknowledged: Slack sends it again.
    const written = customerWrites(bot, 'written on a full disk', threadTs, { user: user.id });
    expect((await written.send()).status).toBe(500);
    // Staff are told privately that their reply was not sent.
    const reply = rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'sent on a full disk' }],
      channelId: post,
      member: STAFF,
    });
    const [callback] = await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${reply.id}/`));
    expect(callback?.body).toMatchObject({ type: 4, data: { content: notStored('full'), flags: 64 } });

    await makeRoom(bot.database);
    expect((await written.send(1)).status).toBe(200);
    await rw.discord.waitForMessages(post, 1, (message) =>
      String(message.content).includes('written on a full disk'),
    );
    rw.discord.sendCommand({
      name: 'reply',
      options: [{ name: 'text', type: 3, value: 'sent again with room' }],
      channelId: post,
      member: STAFF,
    });
    await rw.slack.waitForMessages('C1', 1, (message) =>
      String(message.text).includes('sent again with room'),
    );
    expect(rw.slack.messages('C1').filter((message) => String(message.text).includes('full disk'))).toEqual(
      [],
    );
    expect(rw.logs.some((line) => line.includes('database="full"'))).toBe(true);
  });
});
