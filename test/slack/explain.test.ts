// "My mail program shows an error" end to end through the real Bolt app on the fake Slack: the button under an
// answer, the modal it opens (views.open with the press's trigger_id), the submission (view_submission) and the
// diagnosis shown in the modal, with the live check where this Slack lets customers run it; and what a
// hostile paste gets. Closed ports on loopback confirm causes without any mail server.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackApp } from '../../adapters/slack/app.js';
import { createLogger } from '../../src/index.js';
import { checkSettings, createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { closedPort } from '../support/closed-port.js';
import type { DnsRecord } from '../support/dns-server.js';
import {
  blockActionsBody,
  commandBody,
  type FakeSlack,
  type SlackView,
  signedPost,
  startFakeSlack,
} from '../support/fake-slack.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

const SECRET = 'explain-secret';
let world: World;
let slack: FakeSlack;
let closed: number[];
const apps: App[] = [];
const logs: string[] = [];

beforeAll(async () => {
  closed = await Promise.all([closedPort(), closedPort()]);
  const srv = (name: string, port: number): DnsRecord => ({
    name,
    type: 'SRV',
    target: 'mail.closed.test',
    port,
    priority: 0,
    weight: 0,
  });
  [world, slack] = await Promise.all([
    startWorld({
      records: [
        { name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' },
        { name: 'mail.closed.test', type: 'A', address: '127.0.0.1' },
        srv('_imaps._tcp.closed.test', closed[0] as number),
        srv('_imap._tcp.closed.test', closed[1] as number),
      ],
    }),
    startFakeSlack(),
  ]);
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop().catch(() => {})));
  await Promise.all([world?.close(), slack?.close()]);
});

/** The Bolt app as `npm start` builds it; `customersMayCheck` is MAILSETTINGS_CHECK_AUDIENCE=everyone. */
async function startApp(customersMayCheck: boolean): Promise<string> {
  const lookup = world.resolverOptions().dns.addresses;
  const app = createSlackApp(
    { SLACK_BOT_TOKEN: 'xoxb-explain', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl },
    chatDeps({
      resolver: resolverIn(world),
      limiter: createRateLimiter(),
      log: createLogger((line) => logs.push(line)),
      check: {
        run: (settings) => checkSettings(settings, { lookup, allowPrivate: true, deadlineMs: 3000 }),
        limiter: createRateLimiter({ limit: 100 }),
      },
      customersMayCheck,
    }),
  );
  const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
  apps.push(app);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

type Block = {
  type: string;
  block_id?: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: string }[];
};
type Button = { action_id: string; value?: string; text: { text: string } };
const textOf = (blocks: Block[]) =>
  blocks
    .flatMap((block) => [
      block.text?.text,
      ...(block.fields ?? []).map((field) => field.text),
      ...(block.type === 'context' ? (block.elements ?? []).map((element) => element.text) : []),
    ])
    .join('\n');

let users = 0;
/** Asks /mailsettings, presses "My mail program shows an error" and returns the modal Slack opened. */
async function openModal(events: string, question: string): Promise<SlackView> {
  const user = `UX${users++}`;
  const answer = JSON.parse(
    (await signedPost(events, SECRET, commandBody(question, slack.responseUrl(user), user))).body,
  );
  const button = (answer.blocks.at(-1).elements as Button[]).find(
    (element) => element.text.text === 'My mail program shows an error',
  );
  expect(button).toBeDefined();
  const pressed = await signedPost(
    events,
    SECRET,
    blockActionsBody({
      actionId: button?.action_id ?? '',
      value: button?.value ?? '',
      user: { id: user },
      channel: 'C1',
      messageTs: '1700000000.000100',
      responseUrl: slack.responseUrl(`${user}-press`),
      ephemeral: true,
    }),
  );
  expect(pressed.status).toBe(200);
  await slack.waitFor(
    (post) => post.path === '/api/views.open' && slack.views().some((view) => view.user === user),
  );
  return slack.views().find((view) => view.user === user) as SlackView;
}

const isFinal = (view: SlackView | undefined) =>
  view?.title.text === 'The error explained' &&
  !/^(Looking up|Checking)/.test(textOf(view.blocks as Block[]));

/** Submits the modal and waits until it shows the explanation (at once, or after the progress view). */
async function explain(events: string, view: SlackView, paste: string | null, address = 'alice@closed.test') {
  const submitted = await slack.submitView(events, SECRET, view.id, { error: paste, address });
  if (submitted.ack.response_action === 'errors') return { ack: submitted.ack, text: '' };
  const current = () => slack.views().find((candidate) => candidate.id === view.id);
  await slack.waitFor(() => isFinal(current()), 1, 10_000);
  return { ack: submitted.ack, text: textOf(current()?.blocks as Block[]) };
}

describe('Slack: "My mail program shows an error"', () => {
  let withChecks: string;
  let customersOnly: string;
  beforeAll(async () => {
    [withChecks, customersOnly] = await Promise.all([startApp(true), startApp(false)]);
  });

  it('opens a modal with the address filled in from the question and its protocol kept', async () => {
    const view = await openModal(customersOnly, 'alice@closed.test imap');
    expect(view).toMatchObject({ callback_id: 'mailsettings_explain', private_metadata: 'imap' });
    expect(view.title.text).toBe('Explain an error');
    const address = view.blocks.find((block) => block.block_id === 'address') as {
      element: { initial_value: string };
    };
    expect(address.element.initial_value).toBe('alice@closed.test');
  });

  it('explains in the modal, with the live check when customers may run it', async () => {
    const view = await openModal(withChecks, 'alice@closed.test imap');
    const { ack, text } = await explain(
      withChecks,
      view,
      "Receiving reported error (0x800CCC0E): 'Cannot connect to server.'",
    );
    // The check takes longer than Slack's 3 seconds allow: a progress view first, then views.update.
    expect(ack).toMatchObject({ response_action: 'update' });
    expect(textOf((ack.view as { blocks: Block[] }).blocks)).toBe(
      'Checking the mail servers for closed.test…',
    );
    expect(text).toContain('The error explained: Server not reachable');
    expect(text).toContain(`The live check confirms it: mail.closed.test port ${closed[0]} is closed here.`);
    expect(text).toContain('Recognised: 0x800CCC0E');
    // Only the asker sees it: nothing was posted in the conversation.
    expect(slack.posts.filter((post) => /chat\.post|\/response\/UX\d+-press/.test(post.path))).toEqual([]);
  });

  it('without checks for customers: the diagnosis, and staff can check', async () => {
    const view = await openModal(customersOnly, 'alice@closed.test imap');
    const { text } = await explain(customersOnly, view, 'Cannot Verify Server Identity.');
    expect(text).toContain('The error explained: Certificate not trusted');
    expect(text).toContain('*Live check*\nnot run');
    expect(text).toContain('Our support staff can check your server live');
  });

  it('a Gmail or Google Workspace address: a refused password means an app password', async () => {
    const view = await openModal(customersOnly, 'bob@google-hosted.test');
    const { text } = await explain(
      customersOnly,
      view,
      '535-5.7.8 Username and Password not accepted.',
      'bob@google-hosted.test',
    );
    expect(text).toContain('The error explained: App password or modern sign-in needed');
  });

  it('asks for the exact message when the paste is no error', async () => {
    const view = await openModal(customersOnly, 'alice@closed.test');
    const { text } = await explain(customersOnly, view, 'my email is not working');
    expect(text).toContain('The error explained: Not recognised');
    expect(text).toContain('Paste the exact error message your mail program shows');
  });
});

describe('Slack: a hostile paste in the modal', () => {
  let events: string;
  beforeAll(async () => {
    events = await startApp(false);
  });

  it.each([
    ['nothing', null, 'error', /^There is no error message in that\./],
    ['control characters only', '\u0007\u001b[2J\u0000', 'error', /^There is no error message in that\./],
    ['100 KB', 'A'.repeat(100_000), 'error', /^That paste is 100000 characters long/],
  ])('%s: a short line under the error field', async (_what, paste, block, message) => {
    const view = await openModal(events, 'alice@closed.test');
    const { ack } = await explain(events, view, paste);
    expect(ack).toEqual({ response_action: 'errors', errors: { [block]: expect.stringMatching(message) } });
  });

  it('a wrong address: a short line under the address field', async () => {
    const view = await openModal(events, 'alice@closed.test');
    const { ack } = await explain(events, view, '0x800CCC0E', 'alice@@closed.test');
    expect(ack).toEqual({
      response_action: 'errors',
      errors: { address: expect.stringContaining('has more than one @') },
    });
  });

  it('shows nothing of markup in the paste: no <!channel>, no mention, no link', async () => {
    const view = await openModal(events, 'alice@closed.test');
    const { text } = await explain(
      events,
      view,
      '<!channel> <@U0> @everyone [see](https://evil.test) 0x800CCC0E',
    );
    expect(text).toContain('Server not reachable');
    for (const markup of ['<!channel>', '<@U0>', '@everyone', 'evil.test'])
      expect(text).not.toContain(markup);
  });

  it('leaves a pasted password out: not shown, not sent to Slack, not logged', async () => {
    const view = await openModal(events, 'alice@closed.test');
    const { text } = await explain(
      events,
      view,
      'USER alice\nPASS hunter2\n-ERR [AUTH] Authentication failed.',
    );
    expect(text).toContain('Wrong username or password');
    expect(text).toContain('Your paste had a password in it: I left it out');
    const sent = slack.posts
      .filter((post) => post.path !== '/api/views.open')
      .map((post) => JSON.stringify(post.body));
    expect(sent.join('\n')).not.toContain('hunter2');
    expect(logs.join('\n')).not.toContain('hunter2');
  });
});
