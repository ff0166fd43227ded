// A mention the customer edits afterwards. Slack sends app_mention again for the edited message (same ts, an
// `edited` field, a new event_id: bolt-js issue #960, slack-go PR #1256), so the retry guard, which goes by
// event_id, does not catch it. Edits are not questions: the edited mention is not answered a second time.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, identifySlackBot, type SlackConfig } from '../../adapters/slack/app.js';
import { createLogger } from '../../src/index.js';
import { createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import {
  eventCallback,
  type FakeSlack,
  signedPost,
  startFakeSlack,
  typedMessage,
} from '../support/fake-slack.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

const SECRET = 'review-edited-mention-secret';
let world: World;
let slack: FakeSlack;
let app: App;
let events: string;

beforeAll(async () => {
  [world, slack] = await Promise.all([
    startWorld({
      records: [{ name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' }],
    }),
    startFakeSlack(),
  ]);
  const config: SlackConfig = {
    SLACK_BOT_TOKEN: 'xoxb-review',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
  // As npm start builds it: with the identity from auth.test (so Bolt's own ignoreSelf is on).
  const identity = await identifySlackBot(config);
  app = createSlackApp(
    config,
    chatDeps({
      resolver: resolverIn(world, { profile: TEST_PROFILE }),
      limiter: createRateLimiter({ limit: 100 }),
      log: createLogger(() => {}),
    }),
    identity,
  );
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  events = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
});
afterAll(async () => {
  await app?.stop().catch(() => {});
  await Promise.all([world?.close(), slack?.close()]);
});

const answersIn = (channel: string) =>
  slack.posts.filter((post) => post.path === '/api/chat.postMessage' && post.body.channel === channel);

describe('a mention edited after it was answered', () => {
  it('is not answered again in the thread', async () => {
    const mention = typedMessage(
      'direct.test imap',
      { type: 'app_mention', user: 'U2', ts: '1700000100.000100', channel: 'CEDIT' },
      'UBOT',
    );
    await signedPost(events, SECRET, eventCallback(mention), { json: true });
    await slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CEDIT');

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
    const again = await signedPost(events, SECRET, eventCallback(edited), { json: true });
    expect(again.status).toBe(200);
    // A later mention elsewhere is answered after any answer to the edit would have been.
    const later = typedMessage(
      'direct.test pop',
      { type: 'app_mention', user: 'U3', ts: '1700000200.000100', channel: 'CEDIT2' },
      'UBOT',
    );
    await signedPost(events, SECRET, eventCallback(later), { json: true });
    await slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CEDIT2');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answersIn('CEDIT')).toHaveLength(1);
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
    expect((await signedPost(events, SECRET, eventCallback(fromBot), { json: true })).status).toBe(200);
    const later = typedMessage(
      'direct.test pop',
      { type: 'app_mention', user: 'U3', ts: '1700000400.000100', channel: 'CBOT2' },
      'UBOT',
    );
    await signedPost(events, SECRET, eventCallback(later), { json: true });
    await slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'CBOT2');
    expect(answersIn('CBOT')).toEqual([]);
  });
});
