import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackConfig } from '../adapters/slack/app.js';
import type { SlackDeps } from '../adapters/slack/listeners.js';
import { createDns } from '../src/dns.js';
import { createLogger } from '../src/log.js';
import { createRateLimiter } from '../src/rate-limit.js';
import type { Resolver } from '../src/resolve.js';
import { startDnsServer } from './support/dns-server.js';
import { commandBody, type FakeSlack, signedPost, startFakeSlack } from './support/fake-slack.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from './support/world.js';

const SECRET = 'test-signing-secret';
let world: World;
let slack: FakeSlack;
const logs: string[] = [];
const started: { app: App }[] = [];

beforeAll(async () => {
  [world, slack] = await Promise.all([
    startWorld({
      records: [
        { name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' },
        { name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' },
      ],
    }),
    startFakeSlack(),
  ]);
});
afterAll(async () => {
  await Promise.all(started.map(({ app }) => app.stop().catch(() => {})));
  await Promise.all([world?.close(), slack?.close()]);
});

async function startHttpApp(deps: Partial<SlackDeps> = {}): Promise<string> {
  const config: SlackConfig = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
  const app = createSlackApp(config, {
    resolver: resolverIn(world, { profile: TEST_PROFILE }),
    limiter: createRateLimiter(),
    log: createLogger((line) => logs.push(line)),
    ...deps,
  });
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  started.push({ app });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

type Block = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: Record<string, unknown>[];
};
const allText = (blocks: Block[]) =>
  blocks
    .flatMap((block) => [
      block.text?.text,
      ...(block.fields ?? []).map((field) => field.text),
      ...(block.elements ?? []).map(elementText),
    ])
    .join('\n');

/** What an element shows (context text, a button's label), not hidden values. */
function elementText(element: Record<string, unknown>): string {
  const text = element.text as string | { text: string } | undefined;
  return typeof text === 'string' ? text : (text?.text ?? '');
}

/** An Events API delivery, as Slack wraps every event. */
const callback = (event: Record<string, unknown>) =>
  JSON.stringify({
    type: 'event_callback',
    team_id: 'T1',
    api_app_id: 'A1',
    event_id: `Ev${Math.random()}`,
    event_time: 1,
    event,
  });

let events: string;
beforeAll(async () => {
  events = await startHttpApp();
});

describe('Slack /mailsettings over HTTP', () => {
  it("answers a hosted domain inside the acknowledgement with the operator's server, privately", async () => {
    const response = await signedPost(
      events,
      SECRET,
      commandBody('Alice@direct.test pop', slack.responseUrl('hosted')),
    );
    expect(response.status).toBe(200);
    const message = JSON.parse(response.body) as { response_type: string; text: string; blocks: Block[] };
    expect(message.response_type).toBe('ephemeral');
    expect(message.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: 'Mail settings for direct.test (POP)' },
    });
    const text = allText(message.blocks);
    for (const expected of [
      '*Incoming mail server*\nserver1.web-hosting.test',
      '*Incoming mail port*\n995',
      '*Encryption method*\nSSL/TLS',
      '*Username*\nalice@direct.test',
      '*Outgoing mail port*\n465',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('Require logon using Secure Password Authentication (SPA)*\nunchecked');
    expect(message.text).toContain('Incoming mail server: server1.web-hosting.test');
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
  });

  it("answers a Google-hosted domain with Gmail's servers and its instructions", async () => {
    const response = await signedPost(
      events,
      SECRET,
      commandBody('google-hosted.test imap', slack.responseUrl('google')),
    );
    const message = JSON.parse(response.body) as { blocks: Block[] };
    const text = allText(message.blocks);
    expect(text).toContain('*Incoming mail server*\nimap.gmail.com');
    expect(text).toContain('*Outgoing mail server*\nsmtp.gmail.com');
    expect(text).toContain('You need to enable IMAP access');
    expect(text).toMatch(/aspmx\.l\.google\.com/);
  });

  it('posts the same answer in the channel when "Share in channel" is pressed', async () => {
    const asked = JSON.parse(
      (await signedPost(events, SECRET, commandBody('bob@direct.test imap', slack.responseUrl('ask')))).body,
    );
    const button = asked.blocks.at(-1).elements[0];
    const payload = {
      type: 'block_actions',
      team: { id: 'T1' },
      user: { id: 'U1', name: 'bob' },
      api_app_id: 'A1',
      token: 'legacy',
      trigger_id: '1.2.3',
      container: { type: 'message', is_ephemeral: true },
      channel: { id: 'C1', name: 'support' },
      response_url: slack.responseUrl('share'),
      actions: [
        { type: 'button', action_id: button.action_id, block_id: 'b', value: button.value, action_ts: '1' },
      ],
    };
    const clicked = await signedPost(
      events,
      SECRET,
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
    );
    expect(clicked.status).toBe(200);
    const [shared] = await slack.waitFor((post) => post.path === '/response/share');
    expect(shared?.body).toMatchObject({ response_type: 'in_channel', replace_original: false });
    const text = allText(shared?.body.blocks as Block[]);
    expect(text).toContain('*Incoming mail server*\nserver1.web-hosting.test');
    expect(text).toContain('*Username*\nbob@direct.test');
    expect(text).toContain('Shared by bob');
    expect((shared?.body.blocks as Block[] | undefined)?.[0]?.text?.text).toBe(
      'Mail settings for direct.test (IMAP)',
    );
    expect(text).not.toContain('Share in channel');
  });

  it('gets a short usage line for bad input, and help for an empty command', async () => {
    const bad = JSON.parse(
      (await signedPost(events, SECRET, commandBody('exa mple.com', slack.responseUrl('bad')))).body,
    );
    expect(bad.response_type).toBe('ephemeral');
    expect(bad.text).toMatch(
      /^“exa mple\.com” has a space in it\. .* Usage: \/mailsettings &lt;domain or email address&gt;/,
    );
    const help = JSON.parse(
      (await signedPost(events, SECRET, commandBody('', slack.responseUrl('help')))).body,
    );
    expect(help.text).toMatch(/^Usage: \/mailsettings/);
  });

  it('escapes user text, so <!channel> pings nobody and nothing becomes a link', async () => {
    for (const text of [
      '<!channel>',
      '<!channel>@direct.test imap',
      '<https://evil.test|click>@direct.test',
    ]) {
      const message = JSON.parse(
        (await signedPost(events, SECRET, commandBody(text, slack.responseUrl('x')))).body,
      );
      const everything = `${message.text}\n${allText(message.blocks)}`;
      expect(everything).not.toMatch(/<!channel>|<https?:/);
      expect(everything).toContain('&lt;');
    }
  });

  it('refuses a bad signature and a stale timestamp with 401, and answers nothing', async () => {
    const before = slack.posts.length;
    const forged = await signedPost(events, SECRET, commandBody('direct.test', slack.responseUrl('forged')), {
      signature: 'v0=deadbeef',
    });
    const stale = await signedPost(events, SECRET, commandBody('direct.test', slack.responseUrl('stale')), {
      timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
    });
    const wrongSecret = await signedPost(
      events,
      'not-the-secret',
      commandBody('direct.test', slack.responseUrl('wrong')),
    );
    expect([forged.status, stale.status, wrongSecret.status]).toEqual([401, 401, 401]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.posts.slice(before).filter((post) => post.path.startsWith('/response/'))).toEqual([]);
  });

  it('answers a mention in a thread and a direct message in the conversation', async () => {
    const mention = await signedPost(
      events,
      SECRET,
      callback({
        type: 'app_mention',
        text: '<@UBOT> google-hosted.test imap',
        user: 'U2',
        ts: '100.1',
        channel: 'C1',
      }),
      { json: true },
    );
    expect(mention.status).toBe(200);
    const [threaded] = await slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.thread_ts === '100.1',
    );
    expect(allText(threaded?.body.blocks as Block[])).toContain('imap.gmail.com');

    await signedPost(
      events,
      SECRET,
      callback({
        type: 'message',
        channel_type: 'im',
        text: 'direct.test smtp',
        user: 'U3',
        ts: '200.1',
        channel: 'D1',
      }),
      { json: true },
    );
    const [direct] = await slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.channel === 'D1',
    );
    expect(allText(direct?.body.blocks as Block[])).toContain(
      '*Outgoing mail server*\nserver1.web-hosting.test',
    );
  });
});

describe('Slack conversations', () => {
  it('answers a mention inside a thread in that same thread', async () => {
    const event = {
      type: 'app_mention',
      text: '<@UBOT> direct.test',
      user: 'U2',
      ts: '300.2',
      thread_ts: '300.1',
      channel: 'C1',
    };
    await signedPost(events, SECRET, callback(event), { json: true });
    const [reply] = await slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.thread_ts === '300.1',
    );
    expect(allText(reply?.body.blocks as Block[])).toContain('server1.web-hosting.test');
    expect(slack.posts.some((post) => post.body.thread_ts === '300.2')).toBe(false);
  });

  it('ignores direct messages from bots, its own included', async () => {
    const before = slack.posts.filter((post) => post.path === '/api/chat.postMessage').length;
    const fromBot = {
      type: 'message',
      channel_type: 'im',
      text: 'direct.test',
      user: 'UBOT',
      bot_id: 'BBOT',
      ts: '400.1',
      channel: 'D9',
    };
    await signedPost(events, SECRET, callback(fromBot), { json: true });
    const fromPerson = {
      type: 'message',
      channel_type: 'im',
      text: 'direct.test',
      user: 'U4',
      ts: '400.2',
      channel: 'D9',
    };
    await signedPost(events, SECRET, callback(fromPerson), { json: true });
    const replies = await slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.channel === 'D9',
    );
    expect(replies).toHaveLength(1);
    expect(slack.posts.filter((post) => post.path === '/api/chat.postMessage').length).toBe(before + 1);
  });
});

describe('Slack under load and failure', () => {
  it('acknowledges at once with "Looking up…" when DNS is dead, then replaces it with the answer', async () => {
    const silent = await startDnsServer({ silent: true });
    const dns = createDns({ servers: [silent.address], timeoutMs: 10_000, tries: 1 });
    const url = await startHttpApp({ resolver: resolverIn(world, { dns, deadlineMs: 1200 }) });
    const ack = await signedPost(url, SECRET, commandBody('slow.test pop', slack.responseUrl('slow')));
    expect(ack.ms).toBeLessThan(1000);
    expect(JSON.parse(ack.body).text).toBe('Looking up slow.test…');
    const [answer] = await slack.waitFor((post) => post.path === '/response/slow');
    expect(answer?.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toContain('Incoming mail server: mail.slow.test');
    expect(String(answer?.body.text)).toMatch(/No answer in time from/);
    await silent.close();
  });

  it('says "slow down" past the per-user limit, and keeps answering others', async () => {
    const url = await startHttpApp({ limiter: createRateLimiter({ limit: 2 }) });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++)
      texts.push(
        JSON.parse(
          (await signedPost(url, SECRET, commandBody('direct.test', slack.responseUrl('r'), 'U9'))).body,
        ).text,
      );
    expect(texts[2]).toMatch(/^You are asking faster than I can look things up/);
    const other = JSON.parse(
      (await signedPost(url, SECRET, commandBody('direct.test', slack.responseUrl('r'), 'U10'))).body,
    ).text;
    expect(other).toContain('server1.web-hosting.test');
  });

  it('counts bad input towards the limit, so it cannot be used to flood the bot', async () => {
    const url = await startHttpApp({ limiter: createRateLimiter({ limit: 2 }) });
    for (const text of ['bad..name', 'worse..name'])
      await signedPost(url, SECRET, commandBody(text, slack.responseUrl('b'), 'U11'));
    const third = JSON.parse(
      (await signedPost(url, SECRET, commandBody('direct.test', slack.responseUrl('b'), 'U11'))).body,
    );
    expect(third.text).toMatch(/^You are asking faster/);
  });

  it('replaces "Looking up…" with an apology when the lookup fails after the acknowledgement', async () => {
    const late = {
      answer: () => new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 500)),
      isCached: () => false,
    } as unknown as Resolver;
    const url = await startHttpApp({ resolver: late });
    const ack = await signedPost(url, SECRET, commandBody('direct.test', slack.responseUrl('late'), 'U12'));
    expect(JSON.parse(ack.body).text).toBe('Looking up direct.test…');
    const [apology] = await slack.waitFor((post) => post.path === '/response/late');
    expect(apology?.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(String(apology?.body.text)).toMatch(/^Sorry, something went wrong .* \(reference [0-9a-f]{8}\)$/);
  });

  it('logs a failure with the command, user and a request id, and apologises without crashing', async () => {
    const broken = {
      answer: () => Promise.reject(new Error('boom')),
      isCached: () => false,
    } as unknown as Resolver;
    const url = await startHttpApp({ resolver: broken });
    const message = JSON.parse(
      (await signedPost(url, SECRET, commandBody('direct.test', slack.responseUrl('e'), 'U7'))).body,
    );
    expect(message.text).toMatch(/^Sorry, something went wrong .* \(reference [0-9a-f]{8}\)$/);
    const line = logs.find(
      (entry) => entry.includes('slack: failed to answer') && entry.includes('user="U7"'),
    );
    expect(line).toMatch(/command="direct\.test".*user="U7".*error=".*boom/s);
    expect(line).toMatch(/requestId="[0-9a-f]{8}"/);
    expect(logs.join('\n')).not.toContain('xoxb-test');
    const after = await signedPost(events, SECRET, commandBody('direct.test', slack.responseUrl('after')));
    expect(after.status).toBe(200);
  });
});

describe('Slack Socket Mode', () => {
  it('connects through apps.connections.open and acknowledges a slash command envelope with the answer', async () => {
    const app = createSlackApp(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.apiUrl },
      {
        resolver: resolverIn(world, { profile: TEST_PROFILE }),
        limiter: createRateLimiter(),
        log: createLogger((line) => logs.push(line)),
      },
    );
    await app.start();
    started.push({ app });
    await slack.socketConnected();
    expect(slack.posts.some((post) => post.path === '/api/apps.connections.open')).toBe(true);
    const ack = await slack.sendEnvelope({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: Object.fromEntries(
        new URLSearchParams(commandBody('carol@direct.test imap', slack.responseUrl('socket'))),
      ),
    });
    expect(ack.envelope_id).toBe('env-1');
    const payload = ack.payload as { response_type: string; blocks: Block[] };
    expect(payload.response_type).toBe('ephemeral');
    expect(allText(payload.blocks)).toContain('*Incoming mail server*\nserver1.web-hosting.test');
    expect(allText(payload.blocks)).toContain('*Username*\ncarol@direct.test');
  });
});
