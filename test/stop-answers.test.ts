// SIGTERM right after the bot acknowledged a Slack command with "Looking up…", through the real built bot as a
// process: the acknowledgement promised an answer, and a clean stop gives it (the answer has a deadline of its
// own, MAILSETTINGS_DEADLINE_MS) instead of leaving "Looking up…" for good.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DnsServer, startDnsServer } from './support/dns-server.js';
import { commandBody, type FakeSlack, signedPost, startFakeSlack } from './support/fake-slack.js';
import { exitOf, startPlainBot } from './support/plain-bot.js';

let slack: FakeSlack;
let silentDns: DnsServer;
beforeAll(async () => {
  [slack, silentDns] = await Promise.all([startFakeSlack(), startDnsServer({ silent: true })]);
});
afterAll(() => Promise.all([slack?.close(), silentDns?.close()]));

describe('SIGTERM while an acknowledged Slack answer is still being looked up', () => {
  it('still replaces "Looking up…" with the answer before it exits', async () => {
    const bot = startPlainBot({
      SLACK_BOT_TOKEN: 'xoxb-review',
      SLACK_SIGNING_SECRET: 'secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: '0',
      // DNS that never answers: the answer comes at the deadline (the template), after the acknowledgement.
      MAILSETTINGS_DNS_SERVERS: silentDns.address,
      MAILSETTINGS_ISPDB_URL: 'http://127.0.0.1:9/',
      MAILSETTINGS_DEADLINE_MS: '2000',
    });
    await expect.poll(bot.stderr, { timeout: 15_000 }).toMatch(/slack: started .*port=\d+/);
    const port = Number(/port=(\d+)/.exec(bot.stderr())?.[1]);

    const ack = await signedPost(
      `http://127.0.0.1:${port}/slack/events`,
      'secret',
      commandBody('example.com imap', slack.responseUrl('stop-ack')),
    );
    expect(String(JSON.parse(ack.body).text)).toMatch(/^Looking up /);

    bot.child.kill('SIGTERM');
    const { code } = await exitOf(bot.child);
    expect(code).toBe(0);
    // What the customer was promised: the answer at the response URL.
    const replaced = slack.posts.filter((post) => post.path === '/response/stop-ack');
    expect(
      replaced,
      `the customer was left with "Looking up…"; the bot logged:\n${bot.stderr()}`,
    ).toHaveLength(1);
  }, 30_000);
});
