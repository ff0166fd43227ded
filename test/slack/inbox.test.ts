// Slack's message and mention events stored before they are acknowledged (adapters/slack/inbox.ts), through
// the real Bolt app on the Slack fake, on SQLite and PostgreSQL: a direct-message question Slack delivers three
// times while the first is still being answered is answered once, and so is a mention sent again; an event a process left unfinished is finished by
// another only when no live process holds it (at the next start, or once it is a minute old).
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { replayStoredEvents } from '../../adapters/slack/inbox.js';
import { createInbox, openDatabase } from '../../src/index.js';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { eventCallback, personMessage, signedPost } from '../support/fake-slack.js';
import { type Bot, type RelayWorld, SECRET, startRelayWorld } from '../support/relay-world.js';

let rw: RelayWorld;
beforeAll(async () => {
  rw = await startRelayWorld();
});
afterAll(() => rw?.close());

/** A direct message asking a question, as message.im delivers it. */
function directQuestion(channel: string, eventId: string) {
  return eventCallback(personMessage('direct.test imap', { channel, user: 'U1' }), { eventId });
}
const send = (bot: Bot, body: string, retry?: number) =>
  signedPost(bot.events, SECRET, body, { json: true, ...(retry ? { retry: { num: retry } } : {}) });
const answersIn = (channel: string) =>
  rw.slack.messages(channel).filter((message) => String(message.text).includes('direct.test'));

describe.each(testEngines())('the Slack inbox on $name', (engine) => {
  let fresh: TestDatabase;
  let bot: Bot;
  beforeAll(async () => {
    if (engine.skip) return;
    fresh = await engine.fresh();
    bot = await rw.start(fresh.url);
  });
  afterAll(async () => {
    await bot?.stop();
    await fresh?.drop();
  });

  it.skipIf(engine.skip)('answers a question once when Slack delivers it three times at once', async () => {
    const channel = `D${engine.name}1`;
    const eventId = `EvThrice${engine.name}`;
    const body = directQuestion(channel, eventId);
    const logged = (line: string) => rw.logs.filter((each) => each.includes(line) && each.includes(eventId));
    // The answer's first post fails, so the first delivery is still being handled (Bolt's client waits to try
    // again) when Slack, having no acknowledgement in time, sends the event twice more.
    rw.slack.failNext('chat.postMessage', { status: 503 });
    expect((await send(bot, body)).status).toBe(200);
    await rw.slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === channel);
    const retries = await Promise.all([send(bot, body, 1), send(bot, body, 2)]);
    expect(retries.map((response) => response.status)).toEqual([200, 200]);
    expect(logged('slack: event already being handled')).toHaveLength(2);
    await rw.slack.waitForMessages(channel, 1, (message) => String(message.text).includes('direct.test'));
    expect(answersIn(channel)).toHaveLength(1);
  });

  it.skipIf(engine.skip)('answers a mention once, and leaves nothing of it to finish again', async () => {
    const channel = `C${engine.name}M`;
    const eventId = `EvMention${engine.name}`;
    const mention = { ...personMessage('direct.test imap', { channel, user: 'U2' }), type: 'app_mention' };
    const body = eventCallback(mention, { eventId });
    expect((await send(bot, body)).status).toBe(200);
    await rw.slack.waitForMessages(channel, 1, (message) => String(message.text).includes('direct.test'));
    // Recorded, and marked done once answered: no later look finishes it again.
    const state = async () =>
      (
        await bot.database.db
          .selectFrom('inbox')
          .select('state')
          .where('key', '=', `slack:${eventId}`)
          .executeTakeFirst()
      )?.state;
    await expect.poll(state).toBe('done');
    expect((await send(bot, body, 1)).status).toBe(200);
    expect(
      rw.logs.filter((line) => line.includes('slack: event already handled') && line.includes(eventId)),
    ).toHaveLength(1);
    expect(answersIn(channel)).toHaveLength(1);
  });

  it.skipIf(engine.skip)(
    'finishes an event another process left, once it is a minute old and nobody holds it',
    async () => {
      const channel = `D${engine.name}2`;
      const body = directQuestion(channel, `EvLeft${engine.name}`);
      // Another process (its own connection, its own locks) took the event in two minutes ago, then died.
      const other = await openDatabase(fresh.url);
      const twoMinutesAgo = () => Date.now() - 120_000;
      expect(await createInbox(other.db, twoMinutesAgo, other.locks).record('slack:EvLeftNew', '{}')).toBe(
        'new',
      );
      await createInbox(other.db, twoMinutesAgo, other.locks).finish('slack:EvLeftNew');
      expect(
        await createInbox(other.db, twoMinutesAgo, other.locks).record(`slack:EvLeft${engine.name}`, body),
      ).toBe('new');
      await other.close();
      // A fresh unfinished event (this process's own, in progress) is not taken by the minute's look.
      expect(await bot.relay.inbox.record('slack:EvFresh', '{}')).toBe('new');
      onTestFinished(() => bot.relay.inbox.release('slack:EvFresh'));
      expect(await replayStoredEvents(bot.app, bot.relay.inbox, createQuietLog(), 60_000)).toBe(1);
      await rw.slack.waitForMessages(channel, 1, (message) => String(message.text).includes('direct.test'));
      expect(await replayStoredEvents(bot.app, bot.relay.inbox, createQuietLog(), 60_000)).toBe(0);
      expect(answersIn(channel)).toHaveLength(1);
    },
  );

  // Only replicas on PostgreSQL handle events side by side: an SQLite file belongs to one process.
  if (engine.name === 'postgres')
    it.skipIf(engine.skip)(
      'leaves alone an event a live replica is handling, and takes it when that replica dies',
      async () => {
        const channel = `D${engine.name}3`;
        const body = directQuestion(channel, 'EvLive');
        const replica = await openDatabase(fresh.url);
        onTestFinished(() => replica.close());
        const old = () => Date.now() - 120_000;
        expect(await createInbox(replica.db, old, replica.locks).record('slack:EvLive', body)).toBe('new');
        // Slack's copy reaching this process is only acknowledged: the live replica holds it.
        expect((await send(bot, body, 1)).status).toBe(200);
        expect(rw.logs.filter((line) => /already being handled.*EvLive/.test(line))).toHaveLength(1);
        expect(await replayStoredEvents(bot.app, bot.relay.inbox, createQuietLog(), 60_000)).toBe(0);
        await replica.close(); // the replica dies: PostgreSQL lets go of its locks with its connection
        expect(await replayStoredEvents(bot.app, bot.relay.inbox, createQuietLog(), 60_000)).toBe(1);
        await rw.slack.waitForMessages(channel, 1, (message) => String(message.text).includes('direct.test'));
        expect(answersIn(channel)).toHaveLength(1);
      },
    );
});

function createQuietLog() {
  return { info: () => {}, warn: () => {}, error: () => {} };
}
