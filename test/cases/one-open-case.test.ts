// One open case per customer and place, whatever the timing (migration 0005's partial unique index, and the
// case store answering already-open when its insert conflicts), on SQLite and PostgreSQL: opens taken at once,
// three quick presses of "Ask a person" through the real Bolt app, a resolved case reopened while a newer one is
// open, and duplicates an older release made surviving the upgrade.
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { ASK_PERSON_ACTION } from '../../adapters/slack/render.js';
import {
  type CustomerSide,
  createLogger,
  DeliveryRefused,
  openDatabase,
  type StaffSide,
} from '../../src/index.js';
import { migrations } from '../../src/store/migrations.js';
import { assembleCases } from '../../src/testing.js';
import { testEngines } from '../support/databases.js';
import { blockActionsBody, commandBody, signedPost } from '../support/fake-slack.js';
import {
  askPersonButton,
  modalText,
  type RelayWorld,
  SECRET,
  startRelayWorld,
} from '../support/relay-world.js';
import { resolverIn } from '../support/world.js';

let rw: RelayWorld;
beforeAll(async () => {
  rw = await startRelayWorld();
});
afterAll(() => rw?.close());

/**
 * Both sides in memory, answering at once. (Built loosely and then typed, so the ports may grow methods this
 * test does not use.)
 */
function sides(refusePosts = false): { customer: CustomerSide; staff: StaffSide } {
  let n = 0;
  const next = async () => `${++n}`;
  const customer = {
    name: 'Slack',
    threadLink: () => undefined,
    openThread: async () => `slack:C1:1700000000.${++n}`,
    postReply: next,
    postSettings: next,
    postResolved: next,
    postNotice: next,
    tellPrivately: async () => {},
  };
  const staff = {
    name: 'Discord',
    createPost: async () => {
      if (refusePosts) throw new DeliveryRefused('Discord: Missing Permissions');
      return `discord:${++n}`;
    },
    updateStatus: async () => {},
    postCustomerMessage: next,
    editCustomerMessage: next,
    markDeleted: async () => {},
    postNote: async () => {},
    postSent: async () => {},
    remind: async () => {},
  };
  return { customer: customer as CustomerSide, staff: staff as StaffSide };
}

describe.each(testEngines())('one open case per customer and place, on $name', (engine) => {
  async function casesOn(url: string, refusePosts = false) {
    const database = await openDatabase(url);
    onTestFinished(() => database.close());
    const log = createLogger(() => {});
    return {
      database,
      ...assembleCases({ database, ...sides(refusePosts), resolver: resolverIn(rw.world), log }),
    };
  }
  const request = { place: 'slack:C1', customerId: 'U1', customerName: 'Alice', question: 'example.com' };

  it.skipIf(engine.skip)('opens one case when ten opens are taken at once', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const { cases, database } = await casesOn(fresh.url);
    const results = await Promise.all(Array.from({ length: 10 }, () => cases.open(request)));
    const opened = results.filter((result) => result.ok);
    expect(opened).toHaveLength(1);
    const id = opened[0]?.ok ? opened[0].value.id : -1;
    for (const result of results.filter((each) => !each.ok))
      expect(result).toMatchObject({ ok: false, error: { problem: 'already-open', existing: { id } } });
    expect(await database.db.selectFrom('cases').select('id').execute()).toEqual([{ id }]);
  });

  it.skipIf(engine.skip)(
    'lets the customer ask again when their case’s post was refused after nobody waited for it',
    async () => {
      const fresh = await engine.fresh();
      onTestFinished(() => fresh.drop());
      const { cases, outbox, database } = await casesOn(fresh.url, true);
      const first = await cases.open(request);
      if (!first.ok) throw new Error('not opened');
      await outbox.drain(); // the post is refused for good; the form that waited for it is gone (a restart)
      const again = await cases.open(request);
      expect(again.ok).toBe(true);
      expect(await database.db.selectFrom('cases').select('id').execute()).toEqual([
        { id: again.ok ? again.value.id : -1 },
      ]);
    },
  );

  it.skipIf(engine.skip)('reopens a resolved case while a newer one is open', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const { cases, outbox, store } = await casesOn(fresh.url);
    const first = await cases.open(request);
    if (!first.ok) throw new Error('not opened');
    await outbox.drain();
    const old = await store.byId(first.value.id);
    await cases.resolve({
      key: 'i1',
      staffThread: old.staff_thread as string,
      staff: { id: 'D1', name: 'Dana' },
    });
    const second = await cases.open({ ...request, question: 'example.org' });
    expect(second.ok).toBe(true);
    // The customer writes in the old thread: it opens again, though the newer case is open too.
    const words = {
      key: 'e1',
      customerThread: old.customer_thread as string,
      message: 'slack:C1:1700000001.1',
      by: { id: 'U1', name: 'Alice' },
      text: 'the old problem is back',
    };
    const wrote = await cases.customerMessage(words);
    expect(wrote).toMatchObject({ ok: true, value: { status: 'claimed' } });
    // Asking again still finds an open case rather than opening a third.
    expect(await cases.open(request)).toMatchObject({ ok: false, error: { problem: 'already-open' } });
  });

  it.skipIf(engine.skip)('opens one case when three "Ask a person" forms are sent at once', async () => {
    const fresh = await engine.fresh();
    onTestFinished(() => fresh.drop());
    const bot = await rw.start(fresh.url);
    onTestFinished(() => bot.stop());
    const user = { id: `U3${engine.name}`, name: `quick-${engine.name}` };
    const answer = JSON.parse(
      (
        await signedPost(
          bot.events,
          SECRET,
          commandBody('direct.test pop', rw.slack.responseUrl('q'), user.id),
        )
      ).body,
    ) as { blocks?: unknown };
    const button = askPersonButton(answer);
    const posts = rw.discord.threads().length;
    const press = (n: number) =>
      signedPost(
        bot.events,
        SECRET,
        blockActionsBody({
          actionId: ASK_PERSON_ACTION,
          value: button?.value ?? '',
          text: 'Ask a person',
          user,
          channel: 'C1',
          messageTs: '1700000000.000000',
          ephemeral: true,
          responseUrl: rw.slack.responseUrl(`quick-${engine.name}-${n}`),
        }),
      );
    const opens = rw.slack.posts.filter((post) => post.path === '/api/views.open').length;
    const presses = await Promise.all([1, 2, 3].map(press));
    expect(presses.map((response) => response.status)).toEqual([200, 200, 200]);
    // Three modals (three tabs, a double click): all three sent at once open one case.
    await rw.slack.waitFor((post) => post.path === '/api/views.open', opens + 3);
    const modals = rw.slack.views().slice(-3);
    const sent = await Promise.all(
      modals.map((modal) => rw.slack.submitView(bot.events, SECRET, modal.id, {})),
    );
    expect(sent.map((submission) => submission.status)).toEqual([200, 200, 200]);
    const texts = modals.map((modal) => modalText(rw, modal.id));
    expect(texts.filter((text) => text.startsWith('You already have an open question here'))).toHaveLength(2);
    await expect.poll(() => rw.discord.threads().length, { timeout: 10_000 }).toBe(posts + 1);
    const rows = await bot.database.db
      .selectFrom('cases')
      .select('id')
      .where('customer_id', '=', user.id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it.skipIf(engine.skip)('keeps open duplicates an older release made, counting only the first', async () => {
    const fresh = await engine.empty();
    onTestFinished(() => fresh.drop());
    const before = await openDatabaseAt(fresh.url, '0003-by-roles');
    const old = { status: 'new', customer_place: 'slack:C1', customer_id: 'U1', customer_name: 'Alice' };
    await before.db
      .insertInto('cases')
      .values([1, 2, 3].map((n) => ({ ...old, question: `press ${n}`, created_at: n, updated_at: n })))
      .execute();
    await before.close();
    const upgraded = await openDatabase(fresh.url);
    onTestFinished(() => upgraded.close());
    const rows = await upgraded.db
      .selectFrom('cases')
      .select(['question', 'status', 'reopened_at'])
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { question: 'press 1', status: 'new', reopened_at: null },
      { question: 'press 2', status: 'new', reopened_at: 2 },
      { question: 'press 3', status: 'new', reopened_at: 3 },
    ]);
    const another = upgraded.db
      .insertInto('cases')
      .values({ ...old, status: 'new', question: 'press 4', created_at: 4, updated_at: 4 })
      .execute();
    await expect(another).rejects.toThrow(/unique|duplicate key/i);
  });
});

/** A database whose schema stops at `last` (as an older release left it), through Kysely's migrator. */
async function openDatabaseAt(url: string, last: string) {
  const engine = url.startsWith('file:') ? 'sqlite' : 'postgres';
  const { default: pg } = await import('pg');
  const { default: Sqlite } = await import('libsql');
  const { Kysely, PostgresDialect, SqliteDialect } = await import('kysely');
  // biome-ignore lint/suspicious/noExplicitAny: the schema as it was, before the typed one
  const db = new Kysely<any>({
    dialect:
      engine === 'postgres'
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) })
        : new SqliteDialect({ database: new Sqlite(url.slice('file:'.length)) }),
  });
  const { error } = await new Migrator({
    db,
    provider: { getMigrations: async () => migrations(engine) },
  }).migrateTo(last);
  if (error) throw error;
  return { db, close: () => db.destroy() };
}
