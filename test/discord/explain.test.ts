// `/mailsettings domain: error:` end to end through the real discord.js client on the fake Discord: the reply
// puts the diagnosis first (confirmed by the live check, which staff may run), then the settings; and what a
// hostile paste gets. Closed ports on loopback confirm causes without any mail server.
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { ERROR_OPTION, mailsettingsCommand } from '../../adapters/discord/command.js';
import { createLogger, MAX_PASTE } from '../../src/index.js';
import { checkSettings, createRateLimiter } from '../../src/testing.js';
import { type ChatOptions, chatDeps } from '../support/chat.js';
import { closedPort } from '../support/closed-port.js';
import type { DnsRecord } from '../support/dns-server.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../support/fake-discord.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

type Embed = { title: string; description?: string; fields: { name: string; value: string }[] };
type Message = { flags?: number; content?: string; embeds?: Embed[]; allowed_mentions?: unknown };
const EPHEMERAL = 64;

let world: World;
let discord: FakeDiscord;
let closed: number;
const clients: Client[] = [];
const logs: string[] = [];

beforeAll(async () => {
  closed = await closedPort();
  const srv: DnsRecord = {
    name: '_imaps._tcp.closed.test',
    type: 'SRV',
    target: 'mail.closed.test',
    port: closed,
    priority: 0,
    weight: 0,
  };
  [world, discord] = await Promise.all([
    startWorld({ records: [{ name: 'mail.closed.test', type: 'A', address: '127.0.0.1' }, srv] }),
    startFakeDiscord(),
  ]);
  await startBot(true);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.destroy()));
  await Promise.all([world?.close(), discord?.close()]);
});

async function startBot(withChecks: boolean): Promise<void> {
  const lookup = world.resolverOptions().dns.addresses;
  const check: ChatOptions['check'] = {
    run: (settings) => checkSettings(settings, { lookup, allowPrivate: true, deadlineMs: 3000 }),
    limiter: createRateLimiter({ limit: 100 }),
  };
  const client = createDiscordClient(
    { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl },
    chatDeps({
      resolver: resolverIn(world),
      limiter: createRateLimiter({ limit: 100 }),
      log: createLogger((line) => logs.push(line)),
      ...(withChecks ? { check } : {}),
    }),
  );
  clients.push(client);
  await startDiscord(client, 'test-token');
}

/** Sends /mailsettings with an error: and returns what the bot finally shows (the reply, or the edit). */
async function explain(error: string, domain = 'alice@closed.test', extra: { share?: boolean } = {}) {
  const sent = discord.sendCommand({
    options: [
      { name: 'domain', type: 3, value: domain },
      { name: 'protocol', type: 3, value: 'imap' },
      { name: ERROR_OPTION, type: 3, value: error },
      ...(extra.share ? [{ name: 'share', type: 5, value: true }] : []),
    ],
  });
  const [callback] = await discord.waitFor(
    (call) => call.path === `/interactions/${sent.id}/${sent.token}/callback`,
  );
  const { type, data } = (callback as RestCall).body as { type: number; data?: Message };
  if (type === 4) return { type, first: data as Message, shown: data as Message };
  const [edit] = await discord.waitFor(
    (call) => call.method === 'PATCH' && call.path.includes(sent.token),
    1,
    10_000,
  );
  return { type, first: data as Message, shown: (edit as RestCall).body as Message };
}

const textOf = (message: Message) =>
  [
    message.content,
    ...(message.embeds ?? []).flatMap((embed) => [
      embed.title,
      embed.description,
      ...embed.fields.map((field) => `${field.name}\n${field.value}`),
    ]),
  ].join('\n');

describe('Discord /mailsettings error:', () => {
  it('is an optional string option of the command, as long as a paste may be', () => {
    const option = mailsettingsCommand(1n << 5n)
      .toJSON()
      .options?.find((candidate) => candidate.name === ERROR_OPTION);
    expect(option).toMatchObject({ type: 3, max_length: MAX_PASTE });
    expect(option?.required ?? false).toBe(false);
  });

  it('puts the diagnosis first, confirmed by the live check, then the settings and the check', async () => {
    const { type, first, shown } = await explain(
      "Receiving reported error (0x800CCC0E): 'Cannot connect to server.'",
    );
    // The check takes a moment: the deferral comes first, private.
    expect(type).toBe(5);
    expect((first.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(shown.embeds?.map((embed) => embed.title)).toEqual([
      'The error explained: Server not reachable',
      'Mail settings for closed.test (IMAP)',
      'Live check of the mail servers for closed.test',
    ]);
    expect(shown.embeds?.[0]?.description).toContain(
      `The live check confirms it: mail.closed.test port ${closed} is closed here.`,
    );
    expect(shown.allowed_mentions).toEqual({ parse: [] });
  });

  it('share:true shows it in the channel', async () => {
    const { first } = await explain('Error: connect ECONNREFUSED 203.0.113.10:993', 'alice@closed.test', {
      share: true,
    });
    expect((first.flags ?? 0) & EPHEMERAL).toBe(0);
  });

  it('asks for the exact message when the paste is no error, and checks nothing', async () => {
    const { shown } = await explain('the customer says mail is broken');
    expect(shown.embeds?.[0]?.title).toBe('The error explained: Not recognised');
    expect(textOf(shown)).toContain('**Live check:** not run');
  });
});

describe('Discord /mailsettings error: with bad input', () => {
  it.each([
    ['100 KB', 'A'.repeat(100_000), /^That paste is 100000 characters long/],
    ['control characters only', '\u0007\u001b[2J\u0000', /^There is no error message in that\./],
  ])('%s: one short private line', async (_what, error, line) => {
    const { type, shown } = await explain(error);
    expect(type).toBe(4);
    expect((shown.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(shown.content).toMatch(line);
    expect(shown.embeds).toEqual([]);
  });

  it('shows nothing of markup in the paste: no @everyone, no mention, no masked link', async () => {
    const { shown } = await explain('@everyone <@123> [see this](https://evil.test/x) 0x800CCC1A');
    const text = textOf(shown);
    expect(text).toContain('Wrong encryption or port');
    for (const markup of ['@everyone', '<@123>', 'evil.test', 'see this']) expect(text).not.toContain(markup);
    expect(shown.allowed_mentions).toEqual({ parse: [] });
  });

  it('leaves a pasted password out: not shown, not sent, not logged', async () => {
    const { shown } = await explain('pass=hunter2\n535 5.7.8 Error: authentication failed');
    expect(textOf(shown)).toContain('Your paste had a password in it: I left it out');
    const sent = discord.calls
      .filter((call) => call.method !== 'GET')
      .map((call) => JSON.stringify(call.body));
    expect(sent.join('\n')).not.toContain('hunter2');
    expect(logs.join('\n')).not.toContain('hunter2');
  });
});
