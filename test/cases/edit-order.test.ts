// Slack's events about one message in a case's thread arriving out of order, as a retry of an event that failed
// the first time makes them: the newest edit stands, and a deletion stands whatever edit of it comes after. On
// both engines: an edit's time is Slack's, to the microsecond, kept in a column of whole milliseconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testEngines } from '../support/databases.js';
import { eventCallback, messageChanged, messageDeleted, signedPost } from '../support/fake-slack.js';
import {
  type Bot,
  caseOf,
  customerWrites,
  type RelayWorld,
  SECRET,
  startRelayWorld,
} from '../support/relay-world.js';

let rw: RelayWorld;
let bot: Bot;
beforeAll(async () => {
  rw = await startRelayWorld();
});
afterAll(async () => rw?.close());

type Message = { id: string; content?: string };
const contents = (post: string) => (rw.discord.messages(post) as Message[]).map((m) => m.content ?? '');
const send = (event: Record<string, unknown>, retry?: number) =>
  signedPost(bot.events, SECRET, eventCallback(event), {
    json: true,
    ...(retry ? { retry: { num: retry, reason: 'http_error' } } : {}),
  });

describe.each(testEngines())('edits and deletions delivered out of order, on $name', (engine) => {
  let fresh: TestDatabase | undefined;
  // Each engine's own customers and channels: the fakes are shared.
  const own = (id: string) => `${id}${engine.name.toUpperCase()}`;
  beforeAll(async () => {
    if (engine.skip) return;
    fresh = await engine.fresh();
    bot = await rw.start(fresh.url);
  });
  afterAll(async () => {
    await bot?.stop();
    await fresh?.drop();
  });

  it.skipIf(engine.skip)('keeps the newest edit when an older edit arrives late (Slack retry)', async () => {
    const { threadTs, post } = await caseOf(
      rw,
      bot,
      'alice@direct.test pop',
      { id: own('U1'), name: own('Alice') },
      own('C1'),
    );
    const written = customerWrites(bot, 'port 995 fails', threadTs, { channel: own('C1'), user: own('U1') });
    await written.send();
    await rw.discord.waitForMessages(post, 1, (m) => String(m.content).endsWith('port 995 fails'), 10_000);
    const older = messageChanged(written.event, 'port 993 fails', { ts: '1900000000.000001' });
    const newer = messageChanged({ ...written.event, text: 'port 993 fails' }, 'port 587 fails', {
      ts: '1900000000.000002',
    });
    expect((await send(newer)).status).toBe(200);
    await rw.discord.waitForMessages(post, 1, (m) => String(m.content).endsWith('port 587 fails'), 10_000);
    expect((await send(older, 1)).status).toBe(200); // the older edit, retried by Slack, arrives last
    // a marker after it: the case delivers in order, so everything before it has been delivered
    await customerWrites(bot, 'marker-1', threadTs, { channel: own('C1'), user: own('U1') }).send();
    await rw.discord.waitForMessages(post, 1, (m) => String(m.content).endsWith('marker-1'), 10_000);
    const copy = contents(post).find((c) => c.includes('fails'));
    expect(copy).toBe(`**${own('Alice')} (customer):** port 587 fails`);
  });

  it.skipIf(engine.skip)(
    'keeps a deleted message marked deleted when an earlier edit of it arrives late',
    async () => {
      const { threadTs, post } = await caseOf(
        rw,
        bot,
        'bob@direct.test imap',
        { id: own('U2'), name: own('bob') },
        own('C2'),
      );
      const written = customerWrites(bot, 'my secret words here', threadTs, {
        channel: own('C2'),
        user: own('U2'),
      });
      await written.send();
      await rw.discord.waitForMessages(
        post,
        1,
        (m) => String(m.content).includes('secret words here'),
        10_000,
      );
      const edit = messageChanged(written.event, 'oops, wrong text', { ts: '1900000000.000011' });
      const deletion = messageDeleted(
        { ...written.event, text: 'oops, wrong text' },
        { ts: '1900000000.000012' },
      );
      expect((await send(deletion)).status).toBe(200);
      await rw.discord.waitForMessages(
        post,
        1,
        (m) => String(m.content).includes('(deleted in Slack)'),
        10_000,
      );
      expect((await send(edit, 1)).status).toBe(200); // the edit, retried by Slack, arrives after the deletion
      await customerWrites(bot, 'marker-2', threadTs, { channel: own('C2'), user: own('U2') }).send();
      await rw.discord.waitForMessages(post, 1, (m) => String(m.content).endsWith('marker-2'), 10_000);
      const copy = contents(post).find((c) => c.includes('secret words here') || c.includes('wrong text'));
      expect(copy).toContain('(deleted in Slack)');
    },
  );
});
