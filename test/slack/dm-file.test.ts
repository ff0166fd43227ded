import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventCallback, fileShare, personMessage, signedPost } from '../support/fake-slack.js';
import { type SlackOnFakes, startSlackOnFakes } from '../support/slack-app.js';

const SECRET = 'review-dm-file-secret';
let bot: SlackOnFakes;

beforeAll(async () => {
  bot = await startSlackOnFakes(SECRET, {
    records: [{ name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' }],
  });
});
afterAll(() => bot?.close());

describe('direct messages with a file', () => {
  it('answers the question typed with a screenshot, as it answers the same words without one', async () => {
    // Control: the same words alone are answered.
    await signedPost(
      bot.events,
      SECRET,
      eventCallback(personMessage('direct.test imap', { channel: 'DFILE1', user: 'UFILE1' })),
      { json: true },
    );
    await bot.slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.channel === 'DFILE1',
    );

    const withFile = fileShare({
      channel: 'DFILE2',
      user: 'UFILE2',
      typed: 'direct.test imap',
      files: [{ name: 'error.png', mimetype: 'image/png' }],
    });
    const sent = await signedPost(bot.events, SECRET, eventCallback(withFile), { json: true });
    expect(sent.status).toBe(200);
    await expect
      .poll(() => bot.answersIn('DFILE2').length, { timeout: 3000, interval: 50 })
      .toBeGreaterThan(0);
  });
});
