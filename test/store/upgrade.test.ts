// An upgrade keeps every case: a database written by the release before migration 0003 (cases named after
// Slack and Discord; test/fixtures/upgrade/make-fixture.mjs made it) is opened by today's bot, on SQLite and on
// PostgreSQL (the old migrations replayed, then the same rows), with the forum posts Discord held back in the
// fake. What waited in the outbox is delivered once, nothing delivered before is sent again, and the
// conversation in progress goes on both ways through the real Bolt app and discord.js client.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import Sqlite from 'libsql';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { customerWrites, type RelayWorld, STAFF, startRelayWorld } from '../support/relay-world.js';

const FIXTURE = join(import.meta.dirname, '../fixtures/upgrade');
const OLD_DB = join(FIXTURE, 'v0.1-cases.db');
const POSTS = JSON.parse(readFileSync(join(FIXTURE, 'discord-posts.json'), 'utf8'));
/** The fixture's cases, as the old release left them. */
const ALICE = { thread: '1700000000.000001', post: '1579314725014077445' }; // resolved and rated
const CAROL = { thread: '1700000000.000005', post: '1579314728356937743' }; // new, in channel C2
const BOB = { thread: '1700000000.000006', post: '1579314729111912464' }; // one message waiting each way

/** The old database on `url`: the file itself for SQLite; the old migrations and the same rows for PostgreSQL. */
async function oldDatabaseAt(url: string, engine: 'sqlite' | 'postgres'): Promise<void> {
  if (engine === 'sqlite') return copyFileSync(OLD_DB, fileURLToPath(`file://${url.slice('file:'.length)}`));
  // biome-ignore lint/suspicious/noExplicitAny: the old schema, before the typed one
  const db = new Kysely<any>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }),
  });
  try {
    const provider = { getMigrations: async () => migrations('postgres') };
    const { error } = await new Migrator({ db, provider }).migrateTo('0002-rate-limits');
    if (error) throw error;
    const old = new Sqlite(OLD_DB, { readonly: true });
    for (const table of ['cases', 'case_messages', 'outbox', 'inbox']) {
      const rows = old.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[];
      if (rows.length > 0) await db.insertInto(table).values(rows).execute();
      // Rows kept their ids: the next one a sequence hands out must come after them.
      if (table !== 'inbox')
        await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(
          db,
        );
    }
    old.close();
  } finally {
    await db.destroy();
  }
}

describe.each(testEngines())('an upgrade from before cases were named by roles, on $name', (engine) => {
  let rw: RelayWorld | undefined;
  let fresh: TestDatabase | undefined;
  afterAll(async () => {
    await rw?.close();
    await fresh?.drop();
  });

  it.skipIf(engine.skip)('keeps every case, delivers what waited once, and goes on both ways', async () => {
    rw = await startRelayWorld();
    fresh = await engine.empty();
    await oldDatabaseAt(fresh.url, engine.name);
    rw.discord.restore(POSTS);
    const bot = await rw.start(fresh.url);
    const world = rw;
    const inPost = (post: string, text: string) =>
      world.discord.waitForMessages(post, 1, (message) => JSON.stringify(message).includes(text), 10_000);
    const inThread = (thread: string, text: string) =>
      world.slack.waitForMessages(
        'C1',
        1,
        (message) => message.thread_ts === thread && message.text === text,
      );

    // What waited in the outbox arrives, once.
    await inThread(BOB.thread, '<@U2> Please try port 993 with SSL/TLS');
    await inPost(BOB.post, '**bob (customer):** It still says the password is wrong');

    // The conversation goes on both ways.
    await customerWrites(bot, 'Port 993 works now, thanks', BOB.thread, { user: 'U2' }).send();
    await inPost(BOB.post, '**bob (customer):** Port 993 works now, thanks');
    const shown = rw.discord.modals.length;
    rw.discord.sendButton({
      customId: 'case:reply',
      channelId: BOB.post,
      member: STAFF,
      messageId: BOB.post,
    });
    await expect.poll(() => world.discord.modals.length).toBe(shown + 1);
    rw.discord.sendModalSubmit({
      customId: 'case:reply-modal',
      channelId: BOB.post,
      member: STAFF,
      fields: { text: 'Glad it works' },
    });
    await inThread(BOB.thread, '<@U2> Glad it works');

    // The resolved case reopens when its customer writes; the new one in another channel can be claimed.
    await customerWrites(bot, 'It broke again', ALICE.thread).send();
    await inPost(ALICE.post, 'Alice wrote again: the case is open again.');
    rw.discord.sendButton({
      customId: 'case:claim',
      channelId: CAROL.post,
      member: STAFF,
      messageId: CAROL.post,
    });
    await inPost(CAROL.post, 'Dana claimed this case.');
    // Each card is drawn again, whole, with the link to the customer's thread.
    await expect
      .poll(() => JSON.stringify(world.discord.messages(CAROL.post)[0]))
      .toContain(`archives/C2/p${CAROL.thread.replace('.', '')}`);
    expect(JSON.stringify(world.discord.messages(CAROL.post)[0])).toContain('Diagnostics');

    // Nothing delivered before the upgrade was sent again.
    const slackTexts = rw.slack.messages('C1').map((message) => message.text);
    expect(
      slackTexts.filter((text) => text === 'Which program do you use?' || text === 'Is it Thunderbird?'),
    ).toEqual([]);
    expect(slackTexts.filter((text) => text === '<@U2> Please try port 993 with SSL/TLS')).toHaveLength(1);
    const copies = (post: string, text: string) =>
      world.discord.messages(post).filter((message) => JSON.stringify(message).includes(text)).length;
    expect(copies(BOB.post, 'Yes, Thunderbird 128')).toBe(1);
    expect(copies(BOB.post, 'It still says the password is wrong')).toBe(1);
    expect(copies(ALICE.post, 'I use Outlook')).toBe(1);
    await bot.stop();
  });
});
