// Set-up in the customer's own mail program through Slack, end to end: the real Bolt app against the loopback
// fake of Slack (signed requests, response URLs, the Web API with files.uploadV2's three steps and
// conversations.open) and the real resolver in the set-up world where hosted.test's mail is on the
// operator's server. The profile that arrives is read back with a property-list parser.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp, identifySlackBot, type SlackConfig } from '../../adapters/slack/app.js';
import { PROGRAM_NAMES, PROGRAMS } from '../../src/index.js';
import { createSetupHandler, verifySetupLink } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import {
  blockActionsBody,
  commandBody,
  DEFAULT_SCOPES,
  directChannelOf,
  eventCallback,
  type FakeSlack,
  finalAnswer,
  type SlackPost,
  signedPost,
  startFakeSlack,
  typedMessage,
} from '../support/fake-slack.js';
import { OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const SIGNING_SECRET = 'slack-setup-signing-secret';
const LINK_SECRET = 'slack-setup-link-secret-0123456789abcdef';
const PUBLIC_URL = 'https://bot.web-hosting.test/';
const FILE_SCOPES = [...DEFAULT_SCOPES, 'files:write', 'im:write'];

type Block = {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: string | { text: string }; action_id?: string; value?: string }[];
};
type Message = { text: string; blocks: Block[]; response_type?: string; replace_original?: boolean };

let setup: SetupWorld;
let slack: FakeSlack;
let bare: FakeSlack;
const started: App[] = [];

beforeAll(async () => {
  [setup, slack, bare] = await Promise.all([
    startSetupWorld(),
    startFakeSlack({ scopes: FILE_SCOPES }),
    // The manifest's scopes without the optional files:write: files travel as text.
    startFakeSlack(),
  ]);
});
afterAll(async () => {
  await Promise.all(started.map((app) => app.stop().catch(() => {})));
  await Promise.all([setup?.close(), slack?.close(), bare?.close()]);
});

/** The bot in HTTP mode as npm start builds it: its identity from auth.test, the set-up page on its server. */
async function startBot(fake: FakeSlack): Promise<{ events: string; base: string }> {
  const config: SlackConfig = {
    SLACK_BOT_TOKEN: 'xoxb-setup-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
  };
  const identity = await identifySlackBot(config);
  const links = { secret: LINK_SECRET, baseUrl: PUBLIC_URL };
  const deps = chatDeps({ resolver: setup.resolver, setup: { links, organization: 'Example Web Hosting' } });
  const handler = createSetupHandler({ resolver: setup.resolver, secret: LINK_SECRET });
  const app = createSlackApp(config, { ...deps, setup: handler }, identity);
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  started.push(app);
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { events: `${base}/slack/events`, base };
}

let bot: { events: string; base: string };
let plain: { events: string; base: string };
beforeAll(async () => {
  [bot, plain] = await Promise.all([startBot(slack), startBot(bare)]);
});

let users = 0;
async function command(text: string, to = bot, user = `US${users++}`): Promise<Message> {
  const id = `cmd-${user}`;
  const reply = await signedPost(to.events, SIGNING_SECRET, commandBody(text, slack.responseUrl(id), user));
  expect(reply.status).toBe(200);
  return (await finalAnswer(slack, reply, id)) as unknown as Message;
}

const textsOf = (blocks: Block[]) =>
  blocks.flatMap((block) => [
    block.text?.text ?? '',
    ...(block.fields ?? []).map((field) => field.text),
    ...(block.elements ?? []).map((element) =>
      typeof element.text === 'string' ? element.text : (element.text?.text ?? ''),
    ),
  ]);
const headers = (blocks: Block[]) =>
  blocks.filter((block) => block.type === 'header').map((block) => block.text?.text);

/** Block Kit's limits (docs.slack.dev, Block Kit reference): what Slack would refuse with invalid_blocks. */
function expectWithinBlockKit(message: Message) {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  for (const block of message.blocks) {
    if (block.type === 'section') expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
    for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
    if (block.type === 'actions') expect(block.elements?.length ?? 0).toBeLessThanOrEqual(25);
  }
}

/** The step sections of a guide in order: "Step n of m" and the fields under it. */
function stepsIn(blocks: Block[]): { title: string; fields: string[] }[] {
  return blocks
    .filter((block) => /^\*Step \d+ of \d+\*$/.test(block.text?.text ?? ''))
    .map((block) => ({
      title: block.text?.text ?? '',
      fields: (block.fields ?? []).map((field) => field.text),
    }));
}

function tokenIn(message: Message): string {
  const link = textsOf(message.blocks)
    .join('\n')
    .match(/<(https:\/\/bot\.web-hosting\.test\/setup\/[^|>]+)\|/);
  if (!link) throw new Error('no set-up page link in the answer');
  return (link[1] as string).split('/').at(-1) as string;
}

function profileFrom(file: { content: string }) {
  return parsePlist(file.content) as {
    PayloadContent: Record<string, unknown>[];
    PayloadOrganization?: string;
  };
}

describe('Slack: steps for the mail program named in /mailsettings', () => {
  it('answers with the settings, then the numbered steps with the values on the screens that ask for them', async () => {
    const message = await command('alice@hosted.test imap outlook');
    expect(message.response_type).toBe('ephemeral');
    expect(headers(message.blocks)).toEqual([
      'Mail settings for hosted.test (IMAP)',
      'Outlook for Windows: set up alice@hosted.test (IMAP)',
    ]);
    const steps = stepsIn(message.blocks);
    expect(steps.map((step) => step.title)).toEqual(
      steps.map((_, i) => `*Step ${i + 1} of ${steps.length}*`),
    );
    const incoming = steps.find((step) => step.fields.some((field) => field.includes('Under Incoming mail')));
    expect(incoming?.fields).toEqual([
      '*Do this*\nUnder Incoming mail, fill in:',
      `*Server*\n${OPERATOR}`,
      '*Port*\n993',
      '*Encryption method*\nSSL/TLS',
      '*Require logon using Secure Password Authentication (SPA)*\nUnchecked',
    ]);
    const outgoing = steps.find((step) => step.fields.some((field) => field.includes('Under Outgoing mail')));
    expect(outgoing?.fields).toContain('*Port*\n465');
    expect(steps.flatMap((step) => step.fields)).toContain(
      '*My outgoing server (SMTP) requires authentication*\nTicked',
    );
    expect(steps.flatMap((step) => step.fields)).toContain('*User Name*\nalice@hosted.test');
    expect(message.text).toContain('1. Open Outlook and choose File, then Add Account.');
    expectWithinBlockKit(message);
    // The message's own buttons stay last; shared, the answer keeps its steps.
    expect(message.blocks.at(-1)?.elements?.[0]).toMatchObject({
      action_id: 'mailsettings_share',
      value: 'alice@hosted.test imap outlook',
    });
  });

  it('shares the steps with the answer when "Share in channel" is pressed, without a file', async () => {
    const message = await command('alice@hosted.test imap iphone', bot, 'USHARE');
    const share = message.blocks.at(-1)?.elements?.[0];
    // The asker's own answer sends its file; sharing must send none.
    await slack.waitForMessages(directChannelOf('USHARE'), 1, (post) => Boolean(post.files));
    const before = slack.files().length;
    await signedPost(
      bot.events,
      SIGNING_SECRET,
      blockActionsBody({
        actionId: share?.action_id ?? '',
        value: share?.value ?? '',
        user: { id: 'USHARE', name: 'alice' },
        channel: 'C1',
        messageTs: '920.1',
        responseUrl: slack.responseUrl('shared-steps'),
        ephemeral: true,
      }),
    );
    const [shared, replaced] = await slack.waitFor((post) => post.path === '/response/shared-steps', 2);
    for (const post of [shared, replaced]) {
      const blocks = (post?.body as unknown as Message | undefined)?.blocks ?? [];
      expect(headers(blocks)).toEqual([
        'Mail settings for hosted.test (IMAP)',
        'iPhone and iPad: set up alice@hosted.test (IMAP)',
      ]);
      expect(textsOf(blocks).join('\n')).not.toContain('mobileconfig');
    }
    expect(shared?.body).toMatchObject({ response_type: 'in_channel' });
    expect(slack.files().length).toBe(before);
  });

  it('links every answer to its signed set-up page, which the bot’s HTTP server serves', async () => {
    const token = tokenIn(await command('alice@hosted.test imap'));
    const verified = verifySetupLink(token, LINK_SECRET);
    expect(verified.ok && verified.value.question).toEqual({
      domain: 'hosted.test',
      email: 'alice@hosted.test',
      protocol: 'imap',
    });
    const page = await fetch(`${bot.base}/setup/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain(OPERATOR);
    const profile = await fetch(`${bot.base}/setup/${token}/apple.mobileconfig`);
    expect(profile.headers.get('content-type')).toBe('application/x-apple-aspen-config');
    expect(profileFrom({ content: await profile.text() }).PayloadContent[0]).toMatchObject({
      IncomingMailServerHostName: OPERATOR,
    });
  });

  it('says which programs it knows when the one named is not', async () => {
    const message = await command('alice@hosted.test imap notepad');
    expect(message.text).toBe(`I have no steps for “notepad”. Choose one of: ${PROGRAMS.join(', ')}.`);
  });
});

describe('Slack: choosing the mail program', () => {
  it('offers one button per program, and a press answers with its steps in place of the private answer', async () => {
    const message = await command('alice@hosted.test imap', bot, 'UPICK');
    const row = message.blocks.find((block) => block.block_id === 'mailsettings_programs');
    expect(row?.type).toBe('actions');
    expect(
      row?.elements?.map((button) => [
        button.action_id,
        (button.text as { text: string }).text,
        button.value,
      ]),
    ).toEqual(
      PROGRAMS.map((program) => [
        `mailsettings_program:${program}`,
        PROGRAM_NAMES[program],
        `alice@hosted.test imap ${program}`,
      ]),
    );
    const thunderbird = row?.elements?.find(
      (button) => button.action_id === 'mailsettings_program:thunderbird',
    );
    const pressed = await signedPost(
      bot.events,
      SIGNING_SECRET,
      blockActionsBody({
        actionId: thunderbird?.action_id ?? '',
        value: thunderbird?.value ?? '',
        user: { id: 'UPICK' },
        channel: 'C1',
        messageTs: '900.1',
        responseUrl: slack.responseUrl('picked'),
        ephemeral: true,
      }),
    );
    expect(pressed.status).toBe(200);
    const [answer] = await slack.waitFor((post) => post.path === '/response/picked');
    const replaced = answer?.body as unknown as Message;
    expect(replaced).toMatchObject({ response_type: 'ephemeral', replace_original: true });
    expect(headers(replaced.blocks)).toEqual([
      'Mail settings for hosted.test (IMAP)',
      'Thunderbird: set up alice@hosted.test (IMAP)',
    ]);
    expect(stepsIn(replaced.blocks).flatMap((step) => step.fields)).toContain(`*Hostname*\n${OPERATOR}`);
    expect(replaced.blocks.some((block) => block.block_id === 'mailsettings_programs')).toBe(false);
  });
});

describe('Slack: the Apple profile as a file', () => {
  it('sends a private answer’s profile into the asker’s direct messages, and it reads back field by field', async () => {
    const message = await command('alice@hosted.test imap iphone', bot, 'UFILE');
    expect(textsOf(message.blocks).join('\n')).toContain(
      'The Apple profile, hosted.test.mobileconfig, comes as a file in your direct messages with me',
    );
    const dm = directChannelOf('UFILE');
    const [post] = await slack.waitForMessages(dm, 1, (candidate) => Boolean(candidate.files));
    const [file] = (post as SlackPost).files ?? [];
    expect(file).toMatchObject({
      name: 'hosted.test.mobileconfig',
      title: 'hosted.test.mobileconfig',
      channel: dm,
    });
    expect(file?.initial_comment).toMatch(/open the set-up page in Safari/);
    const profile = profileFrom(file as { content: string });
    expect(profile.PayloadOrganization).toBe('Example Web Hosting');
    expect(profile.PayloadContent[0]).toMatchObject({
      PayloadType: 'com.apple.mail.managed',
      EmailAccountType: 'EmailTypeIMAP',
      EmailAddress: 'alice@hosted.test',
      IncomingMailServerHostName: OPERATOR,
      IncomingMailServerPortNumber: 993,
      IncomingMailServerUseSSL: true,
      IncomingMailServerUsername: 'alice@hosted.test',
      OutgoingMailServerHostName: OPERATOR,
      OutgoingMailServerPortNumber: 465,
      OutgoingMailServerUseSSL: true,
    });
    // files.uploadV2's three steps, in order, and the direct conversation opened first.
    const calls = slack.posts
      .map((p) => p.path)
      .filter((path) => /conversations\.open|files\.|\/upload/.test(path));
    expect(calls.slice(-4)).toEqual([
      '/api/conversations.open',
      '/api/files.getUploadURLExternal',
      '/upload',
      '/api/files.completeUploadExternal',
    ]);
  });

  it('shares a mention’s profile in the thread it answered', async () => {
    const event = typedMessage(
      'bob@hosted.test pop apple-mail',
      { type: 'app_mention', user: 'UMAC', ts: '910.1', channel: 'C0000000009' },
      'UBOT',
    );
    await signedPost(bot.events, SIGNING_SECRET, eventCallback(event), { json: true });
    const [answer, shared] = await slack.waitForMessages('C0000000009', 2);
    expect(answer?.thread_ts).toBe('910.1');
    expect(textsOf((answer?.blocks ?? []) as Block[]).join('\n')).toContain(
      'hosted.test.mobileconfig, follows as a file',
    );
    expect(shared?.thread_ts).toBe('910.1');
    const [file] = shared?.files ?? [];
    expect(profileFrom(file as { content: string }).PayloadContent[0]).toMatchObject({
      EmailAccountType: 'EmailTypePOP',
      EmailAddress: 'bob@hosted.test',
      IncomingMailServerPortNumber: 995,
    });
  });

  it('puts the profile in the answer as text when the token lacks files:write, and uploads nothing', async () => {
    const before = bare.posts.length;
    const message = await command('alice@hosted.test imap iphone', plain);
    const texts = textsOf(message.blocks);
    expect(texts).toContain(
      '*Apple profile:* save the text below as a file named hosted.test.mobileconfig and open it on the Mac.',
    );
    const code = texts
      .filter((text) => text.startsWith('```\n'))
      .map((text) => text.slice(4, -4))
      .join('\n');
    const xml = code.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
    expect(profileFrom({ content: xml }).PayloadContent[0]).toMatchObject({
      EmailAddress: 'alice@hosted.test',
      IncomingMailServerHostName: OPERATOR,
    });
    expectWithinBlockKit(message);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(
      bare.posts.slice(before).filter((post) => /files\.|conversations\.|upload/.test(post.path)),
    ).toEqual([]);
  });

  it('sends no profile for a provider that needs modern sign-in, and the steps say why', async () => {
    const before = slack.files().length;
    const message = await command('dan@office365.com imap iphone');
    const texts = textsOf(message.blocks).join('\n');
    expect(texts).toMatch(/This provider needs modern sign-in, which a profile cannot set up/);
    expect(texts).not.toContain('mobileconfig');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(slack.files().length).toBe(before);
  });
});
