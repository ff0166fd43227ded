import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, type SlackConfig } from '../../adapters/slack/app.js';
import type { Resolver } from '../../src/index.js';
import { createDns, createLogger } from '../../src/index.js';
import { createRateLimiter } from '../../src/testing.js';
import { type ChatOptions, chatDeps } from '../support/chat.js';
import { startDnsServer } from '../support/dns-server.js';
import {
  blockActionsBody,
  commandBody,
  commandFields,
  eventCallback,
  type FakeSlack,
  finalAnswer,
  signedPost,
  slackMarkup,
  startFakeSlack,
  typedMessage,
} from '../support/fake-slack.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

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

/** `extend` registers more listeners on the app before it starts, as another part of a Bolt app would. */
async function startHttpApp(
  deps: Partial<ChatOptions> = {},
  extend: (app: App) => void = () => {},
): Promise<string> {
  const config: SlackConfig = {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
  };
  const app = createSlackApp(
    config,
    chatDeps({
      resolver: resolverIn(world, { profile: TEST_PROFILE }),
      limiter: createRateLimiter(),
      log: createLogger((line) => logs.push(line)),
      ...deps,
    }),
  );
  extend(app);
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

let events: string;
beforeAll(async () => {
  events = await startHttpApp();
});

let askers = 0;
/** Sends a slash command whose text is exactly `text` (Slack's markup as it arrives) and returns the response. */
async function commandAsSent(
  text: string,
  user = `UM${askers++}`,
): Promise<{ text: string; blocks: Block[] }> {
  const id = `markup-${user}`;
  const body = new URLSearchParams(commandFields(text, slack.responseUrl(id), user)).toString();
  return (await finalAnswer(slack, await signedPost(events, SECRET, body), id)) as {
    text: string;
    blocks: Block[];
  };
}

/** Sends an event as Slack would and returns the first chat.postMessage into `channel`. */
async function answerToEvent(event: Record<string, unknown>, channel: string): Promise<Block[]> {
  await signedPost(events, SECRET, eventCallback(event), { json: true });
  const [reply] = await slack.waitFor(
    (post) => post.path === '/api/chat.postMessage' && post.body.channel === channel,
  );
  return reply?.body.blocks as Block[];
}

describe('Slack /mailsettings over HTTP', () => {
  it("answers a hosted domain inside the acknowledgement with the operator's server, privately", async () => {
    // Asked once before: the answer is at hand, so it comes inside the acknowledgement however busy the machine.
    await finalAnswer(
      slack,
      await signedPost(events, SECRET, commandBody('Alice@direct.test pop', slack.responseUrl('warm'))),
      'warm',
    );
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
    const message = (await finalAnswer(slack, response, 'google')) as { blocks: Block[] };
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

    // The private answer is replaced: it says it was shared, and has no button left to press again.
    const [, replaced] = await slack.waitFor((post) => post.path === '/response/share', 2);
    expect(replaced?.body).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    const blocks = replaced?.body.blocks as Block[];
    expect(blocks[0]?.text?.text).toBe('Mail settings for direct.test (IMAP)');
    expect(allText(blocks)).toContain('You shared this answer in the channel.');
    expect(blocks.some((block) => block.type === 'actions')).toBe(false);
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
    // As sent: "@channel" picked from the menu, then "<!channel>" and a link typed as text.
    for (const text of [
      '<!channel>',
      '<!channel>@direct.test imap',
      '<https://evil.test|click>@direct.test',
      '&lt;!channel&gt;',
      '&lt;!channel&gt;@direct.test imap',
      '&lt;https://evil.test|click&gt;',
    ]) {
      const message = await commandAsSent(text);
      const everything = `${message.text}\n${allText(message.blocks)}`;
      expect(everything).not.toMatch(/<!|<@|<#|<https?:/);
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
      eventCallback(
        typedMessage(
          'google-hosted.test imap',
          { type: 'app_mention', user: 'U2', ts: '100.1', channel: 'C1' },
          'UBOT',
        ),
      ),
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
      eventCallback(
        typedMessage('direct.test smtp', {
          type: 'message',
          channel_type: 'im',
          user: 'U3',
          ts: '200.1',
          channel: 'D1',
        }),
      ),
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
  it('refuses an address that holds a bidi override, and the refusal shows none of it', async () => {
    const rlo = '\u202e';
    // What people see: the answer without its buttons' values (which carry the question back to the bot).
    const shown = async (text: string) =>
      JSON.stringify(await commandAsSent(text)).replace(/"value":"[^"]*"/g, '');
    expect(await shown('abcd@direct.test pop')).toContain('abcd@direct.test');
    const refused = await shown(`${rlo}cba@direct.test pop`);
    expect(refused).toContain('invisible or control characters before the @');
    expect(refused).not.toContain(rlo);
  });

  it('answers a mention and a direct message once when Slack sends them again', async () => {
    const answersIn = (channel: string) =>
      slack.posts.filter((post) => post.path === '/api/chat.postMessage' && post.body.channel === channel);
    const mention = eventCallback(
      typedMessage('direct.test', { type: 'app_mention', user: 'U2', ts: '150.1', channel: 'C15' }, 'UBOT'),
    );
    const direct = eventCallback(
      typedMessage('direct.test', {
        type: 'message',
        channel_type: 'im',
        user: 'U3',
        ts: '150.2',
        channel: 'D15',
      }),
    );
    for (const [body, channel] of [
      [mention, 'C15'],
      [direct, 'D15'],
    ] as const) {
      await signedPost(events, SECRET, body, { json: true });
      await slack.waitFor((post) => post.path === '/api/chat.postMessage' && post.body.channel === channel);
      // Slack missed the acknowledgement and sends the same event again.
      const again = await signedPost(events, SECRET, body, {
        json: true,
        retry: { num: 1, reason: 'http_timeout' },
      });
      expect(again.status).toBe(200);
    }
    // A later question on the same path is answered after any answer to the copies would have been.
    await signedPost(
      events,
      SECRET,
      eventCallback(
        typedMessage('direct.test', {
          type: 'message',
          channel_type: 'im',
          user: 'U3',
          ts: '150.3',
          channel: 'D15',
        }),
      ),
      { json: true },
    );
    await expect.poll(() => answersIn('D15').length).toBe(2);
    expect(answersIn('C15')).toHaveLength(1);
  });

  it('answers a mention inside a thread in that same thread', async () => {
    const event = typedMessage(
      'direct.test',
      { type: 'app_mention', user: 'U2', ts: '300.2', thread_ts: '300.1', channel: 'C1' },
      'UBOT',
    );
    await signedPost(events, SECRET, eventCallback(event), { json: true });
    const [reply] = await slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.thread_ts === '300.1',
    );
    expect(allText(reply?.body.blocks as Block[])).toContain('server1.web-hosting.test');
    expect(slack.posts.some((post) => post.body.thread_ts === '300.2')).toBe(false);
  });

  it('ignores direct messages from bots, its own included', async () => {
    const before = slack.posts.filter((post) => post.path === '/api/chat.postMessage').length;
    const fromBot = typedMessage('direct.test', {
      type: 'message',
      channel_type: 'im',
      user: 'UBOT',
      bot_id: 'BBOT',
      ts: '400.1',
      channel: 'D9',
    });
    await signedPost(events, SECRET, eventCallback(fromBot), { json: true });
    const fromPerson = typedMessage('direct.test', {
      type: 'message',
      channel_type: 'im',
      user: 'U4',
      ts: '400.2',
      channel: 'D9',
    });
    await signedPost(events, SECRET, eventCallback(fromPerson), { json: true });
    const replies = await slack.waitFor(
      (post) => post.path === '/api/chat.postMessage' && post.body.channel === 'D9',
    );
    expect(replies).toHaveLength(1);
    expect(slack.posts.filter((post) => post.path === '/api/chat.postMessage').length).toBe(before + 1);
  });
});

describe('Slack routing', () => {
  it("leaves what is not the bot's to the app's other listeners: a command and a button", async () => {
    const pressed: string[] = [];
    const url = await startHttpApp({}, (app) => {
      app.command('/other', async ({ ack }) => ack('the other command'));
      app.action('other_button', async ({ ack, action }) => {
        await ack();
        pressed.push('action_id' in action ? action.action_id : '');
      });
    });
    const other = new URLSearchParams({
      ...commandFields('anything', slack.responseUrl('other')),
      command: '/other',
    });
    expect((await signedPost(url, SECRET, other.toString())).body).toBe('the other command');
    const button = blockActionsBody({
      actionId: 'other_button',
      user: { id: 'U7' },
      channel: 'C1',
      messageTs: '500.1',
      responseUrl: slack.responseUrl('other-button'),
    });
    expect((await signedPost(url, SECRET, button)).status).toBe(200);
    expect(pressed).toEqual(['other_button']);
    const ours = await signedPost(url, SECRET, commandBody('direct.test imap', slack.responseUrl('ours')));
    expect((await finalAnswer(slack, ours, 'ours')).text).toContain('direct.test');
  });
});

describe("Slack's markup, as Slack delivers what people type", () => {
  it('the fake sends what Slack sends for an address, a domain and a URL', () => {
    expect(slackMarkup('alice@example.org pop').text).toBe(
      '<mailto:alice@example.org|alice@example.org> pop',
    );
    expect(slackMarkup('example.com').text).toBe('<http://example.com|example.com>');
    expect(slackMarkup('https://www.example.com/x a&b <c>').text).toBe(
      '<https://www.example.com/x> a&amp;b &lt;c&gt;',
    );
  });

  it('answers a linked email address for its domain, with the address as the username', async () => {
    const message = await commandAsSent('<mailto:alice@example.org|alice@example.org> pop');
    expect(message.blocks[0]?.text?.text).toBe('Mail settings for example.org (POP)');
    expect(allText(message.blocks)).toContain('*Username*\nalice@example.org');
  });

  it('answers a linked domain for that domain', async () => {
    const message = await commandAsSent('<http://example.com|example.com>');
    expect(message.blocks[0]?.text?.text).toBe('Mail settings for example.com (IMAP, POP and SMTP)');
  });

  it('goes by the link target when the link text says something else', async () => {
    const message = await commandAsSent('<http://direct.test|google-hosted.test> imap');
    expect(message.blocks[0]?.text?.text).toBe('Mail settings for direct.test (IMAP)');
    expect(allText(message.blocks)).toContain('*Incoming mail server*\nserver1.web-hosting.test');
  });

  it('decodes &amp; &lt; &gt; once, so the reply quotes what was typed', async () => {
    const message = await commandAsSent('exa&amp;mple.com');
    // Decoded to "exa&mple.com", then escaped once for mrkdwn; undecoded it would read exa&amp;amp;mple.
    expect(message.text).toMatch(/^“exa&amp;mple\.com” has characters a domain cannot have/);
  });

  it('answers a mention carrying a named user mention and a linked domain', async () => {
    const blocks = await answerToEvent(
      {
        ...typedMessage('direct.test imap', { type: 'app_mention', user: 'U2', ts: '500.1', channel: 'C5' }),
        text: '<@U123|bot> <http://direct.test|direct.test> imap',
      },
      'C5',
    );
    expect(blocks[0]?.text?.text).toBe('Mail settings for direct.test (IMAP)');
  });

  it('answers a direct message with a linked email address', async () => {
    const blocks = await answerToEvent(
      typedMessage('Carol@Google-Hosted.test imap', {
        type: 'message',
        channel_type: 'im',
        user: 'U6',
        ts: '600.1',
        channel: 'D6',
      }),
      'D6',
    );
    expect(allText(blocks)).toContain('*Incoming mail server*\nimap.gmail.com');
    expect(allText(blocks)).toContain('*Username*\ncarol@google-hosted.test');
  });

  it('refuses 100 KB of hostile markup by its length, in a command and in a mention', async () => {
    const hostile = '<@A|'.repeat(25_000);
    const message = await commandAsSent(hostile, 'U20');
    expect(message.text).toMatch(/^That is too long for a domain\./);
    const blocks = await answerToEvent(
      { type: 'app_mention', user: 'U21', text: `<@UBOT> ${hostile}`, ts: '700.1', channel: 'C7' },
      'C7',
    );
    expect(allText(blocks)).toMatch(/^That is too long for a domain\./);
  });
});

describe('Slack under load and failure', () => {
  it('acknowledges at once with "Looking up…" when DNS is dead, then replaces it with the answer', async () => {
    const silent = await startDnsServer({ silent: true });
    const dns = createDns({ servers: [silent.address], timeoutMs: 10_000, tries: 1 });
    const url = await startHttpApp({
      resolver: resolverIn(world, { dns, deadlineMs: 1200 }),
      inlineWaitMs: 300,
    });
    const ack = await signedPost(url, SECRET, commandBody('slow.test pop', slack.responseUrl('slow')));
    expect(JSON.parse(ack.body).text).toBe('Looking up slow.test…');
    const [answer] = await slack.waitFor((post) => post.path === '/response/slow');
    expect(answer?.body).toMatchObject({ replace_original: true, response_type: 'ephemeral' });
    expect(String(answer?.body.text)).toContain('Incoming mail server: mail.slow.test');
    expect(String(answer?.body.text)).toMatch(/Some lookups did not complete/);
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
    const url = await startHttpApp({ resolver: late, inlineWaitMs: 300 });
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
    const line = logs.find((entry) => entry.includes('failed to answer') && entry.includes('user="U7"'));
    expect(line).toMatch(/via="slack command".*user="U7".*question="direct\.test".*error=".*boom/s);
    expect(line).toMatch(/reference="[0-9a-f]{8}"/);
    expect(line).toContain(message.text.match(/reference ([0-9a-f]{8})/)[1]);
    expect(logs.join('\n')).not.toContain('xoxb-test');
    const after = await signedPost(events, SECRET, commandBody('direct.test', slack.responseUrl('after')));
    expect(after.status).toBe(200);
  });
});

describe('Slack Socket Mode', () => {
  it('connects through apps.connections.open and acknowledges a slash command envelope with the answer', async () => {
    const app = createSlackApp(
      { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.apiUrl },
      chatDeps({
        resolver: resolverIn(world, { profile: TEST_PROFILE }),
        limiter: createRateLimiter(),
        log: createLogger((line) => logs.push(line)),
      }),
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
