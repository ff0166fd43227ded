import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, signedPost, typedMessage } from '../support/fake-slack.js';
import { type SlackOnFakes, startSlackOnFakes } from '../support/slack-app.js';

const SECRET = 'review-edited-mention-secret';
let bot: SlackOnFakes;

beforeAll(async () => {
  bot = await startSlackOnFakes(
    SECRET,
    {
      records: [{ name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' }],
    },
    { identify: true },
  );
});
afterAll(() => bot?.close());

describe('a mention edited after it was answered', () => {
  it('is not answered again in the thread', async () => {
    const mention = typedMessage(
      'direct.test imap',
      { type: 'app_mention', user: 'U2', ts: '1700000100.000100', channel: 'CEDIT' },
      'UBOT',
    );
    await signedPost(bot.events, SECRET, eventCallback(mention), { json: true });
    await bot.slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CEDIT');

    // The customer fixes a word in the same message: Slack delivers app_mention again, as a new event, for the
    // same ts, with `edited`.
    const edited = {
      ...typedMessage(
        'direct.test imap please',
        { type: 'app_mention', user: 'U2', ts: '1700000100.000100', channel: 'CEDIT' },
        'UBOT',
      ),
      edited: { user: 'U2', ts: '1700000160.000000' },
      event_ts: '1700000160.000200',
    };
    const again = await signedPost(bot.events, SECRET, eventCallback(edited), { json: true });
    expect(again.status).toBe(200);
    // A later mention elsewhere is answered after any answer to the edit would have been.
    const later = typedMessage(
      'direct.test pop',
      { type: 'app_mention', user: 'U3', ts: '1700000200.000100', channel: 'CEDIT2' },
      'UBOT',
    );
    await signedPost(bot.events, SECRET, eventCallback(later), { json: true });
    await bot.slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CEDIT2',
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.answersIn('CEDIT')).toHaveLength(1);
  });

  it('is not answered when another app’s bot mentions the bot (no person asked; two bots could loop)', async () => {
    const fromBot = {
      ...typedMessage(
        'direct.test imap',
        { type: 'app_mention', user: 'UOTHERBOT', ts: '1700000300.000100', channel: 'CBOT' },
        'UBOT',
      ),
      bot_id: 'BOTHER',
    };
    expect((await signedPost(bot.events, SECRET, eventCallback(fromBot), { json: true })).status).toBe(200);
    const later = typedMessage(
      'direct.test pop',
      { type: 'app_mention', user: 'U3', ts: '1700000400.000100', channel: 'CBOT2' },
      'UBOT',
    );
    await signedPost(bot.events, SECRET, eventCallback(later), { json: true });
    await bot.slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CBOT2');
    expect(bot.answersIn('CBOT')).toEqual([]);
  });
});

describe('a message edited to add the mention', () => {
  it('is answered in its thread, once however often it is edited again', async () => {
    // Written without the mention (no event reaches the bot), then edited to add it: Slack sends app_mention,
    // for the message's own ts, with `edited`.
    const editedAt = (ts: string, text: string) => ({
      ...typedMessage(
        text,
        { type: 'app_mention', user: 'U4', ts: '1700000500.000100', channel: 'CADD' },
        'UBOT',
      ),
      edited: { user: 'U4', ts },
      event_ts: ts,
    });
    const first = editedAt('1700000560.000000', 'direct.test imap');
    expect((await signedPost(bot.events, SECRET, eventCallback(first), { json: true })).status).toBe(200);
    await bot.slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CADD');
    const again = editedAt('1700000620.000000', 'direct.test imap thanks');
    expect((await signedPost(bot.events, SECRET, eventCallback(again), { json: true })).status).toBe(200);
    const later = typedMessage(
      'direct.test pop',
      { type: 'app_mention', user: 'U3', ts: '1700000700.000100', channel: 'CADD2' },
      'UBOT',
    );
    await signedPost(bot.events, SECRET, eventCallback(later), { json: true });
    await bot.slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CADD2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(bot.answersIn('CADD')).toHaveLength(1);
    const [answer] = bot.answersIn('CADD');
    expect(answer?.body.thread_ts).toBe('1700000500.000100');
    expect(JSON.stringify(answer?.body)).toContain('Mail settings for direct.test');
  });
});
