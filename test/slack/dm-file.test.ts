// A direct message that carries a file (a screenshot of the mail program's error, say) with the question as its
// text arrives as a message event with subtype file_share: it is answered as the same words without a file.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../adapters/slack/app.js';
import { createLogger } from '../../src/index.js';
import { createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import {
  eventCallback,
  type FakeSlack,
  fileShare,
  personMessage,
  signedPost,
  startFakeSlack,
} from '../support/fake-slack.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

const SECRET = 'review-dm-file-secret';
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
  app = createSlackApp(
    { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
    chatDeps({
      resolver: resolverIn(world, { profile: TEST_PROFILE }),
      limiter: createRateLimiter(),
      log: createLogger(() => {}),
    }),
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

describe('direct messages with a file', () => {
  it('answers the question typed with a screenshot, as it answers the same words without one', async () => {
    // Control: the same words alone are answered.
    await signedPost(
      events,
      SECRET,
      eventCallback(personMessage('direct.test imap', { channel: 'DFILE1', user: 'UFILE1' })),
      { json: true },
    );
    await slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === 'DFILE1');

    const withFile = fileShare({
      channel: 'DFILE2',
      user: 'UFILE2',
      typed: 'direct.test imap',
      files: [{ name: 'error.png', mimetype: 'image/png' }],
    });
    const sent = await signedPost(events, SECRET, eventCallback(withFile), { json: true });
    expect(sent.status).toBe(200);
    await expect.poll(() => answersIn('DFILE2').length, { timeout: 3000, interval: 50 }).toBeGreaterThan(0);
  });
});
