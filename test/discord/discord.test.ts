import { once } from 'node:events';
import { type AddressInfo, createServer } from 'node:net';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { loadDiscordEnv } from '../../adapters/discord/config.js';
import { registerCommands } from '../../adapters/discord/register.js';
import type { MailSettings, Resolver } from '../../src/index.js';
import { createDns, createLogger, PROGRAMS } from '../../src/index.js';
import { createRateLimiter } from '../../src/testing.js';
import { type ChatOptions, chatDeps } from '../support/chat.js';
import { startDnsServer } from '../support/dns-server.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../support/fake-discord.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

type Embed = {
  title: string;
  description?: string;
  fields: { name: string; value: string }[];
  footer?: { text: string };
};
type Callback = {
  type: number;
  data?: {
    flags?: number;
    content?: string;
    embeds?: Embed[];
    components?: { components: { custom_id: string }[] }[];
    allowed_mentions?: unknown;
  };
};
const EPHEMERAL = 64;

let world: World;
let discord: FakeDiscord;
const clients: Client[] = [];
const logs: string[] = [];

/** A customer's own autoconfig file whose every free text is a masked link claiming to be our help site. */
const DISGUISED = '[Verify it at help.web-hosting.com](https://evil.test/phish)';
const MASKED_XML = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="masked.test"><domain>masked.test</domain>
  <displayName>${DISGUISED}</displayName>
  <incomingServer type="imap"><hostname>imap.masked.test</hostname><port>993</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>OAuth2</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.masked.test</hostname><port>465</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>OAuth2</authentication></outgoingServer>
  <enable visiturl="https://help.masked.test/enable_imap"><instruction>${DISGUISED}</instruction></enable>
  <documentation url="https://help.masked.test/docs"><descr lang="en">${DISGUISED}</descr></documentation>
</emailProvider></clientConfig>`;

beforeAll(async () => {
  [world, discord] = await Promise.all([
    startWorld({
      records: [
        { name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' },
        { name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' },
        { name: 'autoconfig.masked.test', type: 'A', address: '127.0.0.1' },
      ],
      tlsNames: ['autoconfig.masked.test'],
    }),
    startFakeDiscord(),
  ]);
  world.httpsFiles.set('autoconfig.masked.test', MASKED_XML);
  await startBot();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.destroy()));
  await Promise.all([world?.close(), discord?.close()]);
});

/** Starts the real client against the fake; each bot gets its own fake session. */
async function startBot(deps: Partial<ChatOptions> = {}, fake = discord): Promise<void> {
  const client = createDiscordClient(
    { DISCORD_TOKEN: 'test-token', DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_API_URL: fake.apiUrl },
    chatDeps({
      resolver: resolverIn(world, { profile: TEST_PROFILE }),
      limiter: createRateLimiter(),
      log: createLogger((line) => logs.push(line)),
      ...deps,
    }),
  );
  clients.push(client);
  await startDiscord(client, 'test-token');
}

function ask(domain: string, extra: { protocol?: string; share?: boolean } = {}, fake = discord) {
  return fake.sendCommand({
    options: [
      { name: 'domain', type: 3, value: domain },
      ...(extra.protocol ? [{ name: 'protocol', type: 3, value: extra.protocol }] : []),
      ...(extra.share !== undefined ? [{ name: 'share', type: 5, value: extra.share }] : []),
    ],
  });
}

async function callbackOf({ id, token }: { id: string; token: string }, fake = discord): Promise<Callback> {
  const [call] = await fake.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`);
  return (call as RestCall).body as Callback;
}

const fieldText = (embed?: Embed) =>
  (embed?.fields ?? []).map((field) => `${field.name}\n${field.value}`).join('\n');

describe('Discord /mailsettings', () => {
  it("answers a hosted domain privately with the operator's server and diagnostics", async () => {
    const { data, type } = await callbackOf(ask('alice@direct.test', { protocol: 'pop' }));
    expect(type).toBe(4);
    expect((data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(data?.allowed_mentions).toEqual({ parse: [] });
    const [settings, diagnostics] = data?.embeds ?? [];
    expect(settings?.title).toBe('Mail settings for direct.test (POP)');
    const text = fieldText(settings);
    for (const line of [
      '**Incoming mail server:** server1.web-hosting.test',
      '**Incoming mail port:** 995',
      '**Encryption method:** SSL/TLS',
      '**Username:** alice@direct.test',
      '**Require logon using Secure Password Authentication (SPA):** unchecked',
    ]) {
      expect(text).toContain(line);
    }
    expect(diagnostics?.title).toBe('Diagnostics');
    expect(diagnostics?.description).toContain('**Hosted on our servers:** yes');
    expect(fieldText(diagnostics)).toMatch(
      /profile: found \(\d+ ms\)\nHosted by Example Web Hosting on server1\.web-hosting\.test/,
    );
    expect(data?.components?.[0]?.components[0]?.custom_id).toBe('mailsettings:post:alice@direct.test pop');
  });

  it('answers a Google-hosted domain with Gmail and says which MX led there', async () => {
    const { data } = await callbackOf(ask('google-hosted.test', { protocol: 'imap' }));
    const [settings, diagnostics] = data?.embeds ?? [];
    expect(fieldText(settings)).toContain('**Incoming mail server:** imap.gmail.com');
    expect(settings?.description).toContain('You need to enable IMAP access');
    expect(diagnostics?.description).toMatch(/\*\*Answer from:\*\* mx, .*aspmx\.l\.google\.com/);
    expect(diagnostics?.description).toContain('**Hosted on our servers:** no');
  });

  it('tells how to write it when the input is bad, privately', async () => {
    const { data } = await callbackOf(ask('exa mple.com'));
    expect((data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(data?.content).toMatch(
      /^“exa mple\.com” has a space in it\..*\nUsage: \/mailsettings <domain or email address>/s,
    );
    expect(data?.embeds ?? []).toEqual([]);
    expect(data?.allowed_mentions).toEqual({ parse: [] });
  });

  it('answers /reply, /snippet and /cases privately when support cases are off, instead of not at all', async () => {
    for (const name of ['reply', 'snippet', 'cases']) {
      const { data } = await callbackOf(
        discord.sendCommand({ name, options: [{ name: 'text', type: 3, value: 'hello' }] }),
      );
      expect((data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(data?.content).toMatch(/^Support cases are not set up on this bot/);
    }
  });

  it('posts the customer view in the channel with share:true: settings only, no mentions', async () => {
    const { data } = await callbackOf(ask('direct.test', { protocol: 'smtp', share: true }));
    expect((data?.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(data?.allowed_mentions).toEqual({ parse: [] });
    expect(data?.embeds).toHaveLength(1);
    expect(data?.embeds?.[0]?.title).toBe('Mail settings for direct.test (SMTP)');
    expect(data?.components ?? []).toEqual([]);
  });

  it('"Post for customer" posts the settings embed in the channel and takes the button off the private answer', async () => {
    const { data: privately } = await callbackOf(ask('bob@direct.test', { protocol: 'imap' }));
    const settings = privately?.embeds?.[0];
    const press = discord.sendButton({
      customId: privately?.components?.[0]?.components[0]?.custom_id ?? '',
      message: { embeds: privately?.embeds, components: privately?.components, flags: EPHEMERAL },
    });
    // The press is acknowledged as an update of the private answer (type 6)…
    expect((await callbackOf(press)).type).toBe(6);
    // …then the customer view goes to the channel, for everyone…
    const [posted] = await discord.waitFor(
      (call) => call.method === 'POST' && call.path === `/webhooks/${discord.applicationId}/${press.token}`,
    );
    const data = posted?.body as Callback['data'];
    expect((data?.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(data?.allowed_mentions).toEqual({ parse: [] });
    expect(data?.embeds).toHaveLength(1);
    expect(data?.embeds?.[0]).toMatchObject({ title: settings?.title, fields: settings?.fields });
    // …and the private answer then says it was posted, and its button is gone.
    const [edited] = await discord.waitFor(
      (call) =>
        call.method === 'PATCH' && call.path.includes(`/webhooks/${discord.applicationId}/${press.token}`),
    );
    const updated = edited?.body as Callback['data'];
    expect(updated?.components).toEqual([]);
    expect(updated?.content).toBe('Posted in this channel for the customer.');
    expect(updated?.allowed_mentions).toEqual({ parse: [] });
  });

  it('defers at once when the resolver is slow, then edits in the answer', async () => {
    const silent = await startDnsServer({ silent: true });
    const fake = await startFakeDiscord();
    const dns = createDns({ servers: [silent.address], timeoutMs: 10_000, tries: 1 });
    await startBot({ resolver: resolverIn(world, { dns, deadlineMs: 1000 }), inlineWaitMs: 300 }, fake);
    const sent = ask('slow.test', { protocol: 'imap' }, fake);
    const deferral = await callbackOf(sent, fake);
    expect(deferral.type).toBe(5);
    expect((deferral.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    const [edit] = await fake.waitFor(
      (call) => call.method === 'PATCH' && call.path.endsWith(`/${sent.token}/messages/@original`),
    );
    const body = edit?.body as Callback['data'];
    expect(fieldText(body?.embeds?.[0])).toContain('**Incoming mail server:** mail.slow.test');
    expect(body?.embeds?.[0]?.description).toMatch(/Some lookups did not complete/);
    expect(body?.allowed_mentions).toEqual({ parse: [] });
    await silent.close();
  });

  it('logs an expired interaction (10062) and keeps serving the next one', async () => {
    const fake = await startFakeDiscord();
    await startBot({}, fake);
    const late = ask('direct.test', {}, fake);
    fake.expire(late.id);
    await fake.waitFor((call) => call.path === `/interactions/${late.id}/${late.token}/callback`);
    const next = await callbackOf(ask('google-hosted.test', {}, fake), fake);
    expect(next.type).toBe(4);
    await expect
      .poll(() => logs.find((line) => line.includes('interaction expired or already answered')))
      .toMatch(/code=10062/);
  });

  it('gives live checks their own, stricter limit', async () => {
    const fake = await startFakeDiscord();
    const run = async (settings: MailSettings) => ({ settings, results: [], advice: ['checked'], ms: 1 });
    await startBot({ check: { run, limiter: createRateLimiter({ limit: 1 }) } }, fake);
    const checkOption = { name: 'check', type: 5, value: true };
    const first = fake.sendCommand({
      options: [{ name: 'domain', type: 3, value: 'direct.test' }, checkOption],
    });
    await fake.waitFor((call) => call.method === 'PATCH' && call.path.includes(first.token));
    const second = await callbackOf(
      fake.sendCommand({ options: [{ name: 'domain', type: 3, value: 'direct.test' }, checkOption] }),
      fake,
    );
    expect(second.data?.content).toMatch(/^You are asking faster than I can look things up/);
    const plain = await callbackOf(ask('direct.test', {}, fake), fake);
    expect(plain.data?.embeds?.[0]?.title).toBe('Mail settings for direct.test (IMAP, POP and SMTP)');
  });

  it('edits an apology into a deferred answer when the lookup fails late', async () => {
    const fake = await startFakeDiscord();
    const late = {
      answer: () => new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 500)),
      isCached: () => false,
    } as unknown as Resolver;
    await startBot({ resolver: late, inlineWaitMs: 300 }, fake);
    const sent = ask('direct.test', {}, fake);
    expect((await callbackOf(sent, fake)).type).toBe(5);
    const [edit] = await fake.waitFor((call) => call.method === 'PATCH' && call.path.includes(sent.token));
    expect((edit?.body as { content?: string } | undefined)?.content).toMatch(
      /^Sorry, something went wrong .* \(reference [0-9a-f]{8}\)$/,
    );
  });

  it('apologises with a reference and logs the failure with context', async () => {
    const fake = await startFakeDiscord();
    const broken = {
      answer: () => Promise.reject(new Error('kaboom')),
      isCached: () => false,
    } as unknown as Resolver;
    await startBot({ resolver: broken }, fake);
    const { data } = await callbackOf(ask('direct.test', {}, fake), fake);
    expect(data?.content).toMatch(/^Sorry, something went wrong .* \(reference [0-9a-f]{8}\)$/);
    expect((data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    expect(logs.find((line) => line.includes('failed to answer') && line.includes('kaboom'))).toMatch(
      /via="discord command".*question="direct\.test".*kaboom/s,
    );
    expect(logs.join('\n')).not.toContain('test-token');
  });
});

/** Everything an interaction response shows: content, every embed text, button labels. */
function shownText(data: Callback['data']): string {
  const embeds = (data?.embeds ?? []).map((embed) =>
    [embed.title, embed.description, fieldText(embed), embed.footer?.text].join('\n'),
  );
  const labels = (data?.components ?? []).flatMap((row) =>
    row.components.map((button) => (button as { label?: string }).label ?? ''),
  );
  return [data?.content ?? '', ...embeds, ...labels].join('\n');
}
/** `[text](url)` that Discord would render as a link showing only `text`: a `[` no backslash escapes. */
const MASKED_LINK = /(^|[^\\])\[[^\]]*\]\(/m;

describe('Discord: customer text never becomes a disguised link', () => {
  it('shows masked links from an autoconfig file as text, and real URLs intact, in the staff view', async () => {
    const { data } = await callbackOf(ask('masked.test'));
    const shown = shownText(data);
    expect(shown).toContain('Verify it at help.web-hosting.com');
    expect(shown).not.toMatch(MASKED_LINK);
    expect(shown).toContain('\\[Verify it at help.web-hosting.com\\](https://evil.test/phish)');
    expect(data?.embeds?.[0]?.description).toContain('https://help.masked.test/docs');
    expect(data?.embeds?.[0]?.description).toContain('https://help.masked.test/enable_imap');
  });

  it('keeps them text when posted for the customer and when shared', async () => {
    const { data: privately } = await callbackOf(ask('masked.test', { protocol: 'imap' }));
    const press = discord.sendButton({
      customId: privately?.components?.[0]?.components[0]?.custom_id ?? '',
      message: { embeds: privately?.embeds, components: privately?.components, flags: EPHEMERAL },
    });
    const [posted] = await discord.waitFor(
      (call) => call.method === 'POST' && call.path === `/webhooks/${discord.applicationId}/${press.token}`,
    );
    expect(shownText(posted?.body as Callback['data'])).not.toMatch(MASKED_LINK);
    const { data: shared } = await callbackOf(ask('masked.test', { share: true }));
    expect(shownText(shared)).toContain('Verify it at help.web-hosting.com');
    expect(shownText(shared)).not.toMatch(MASKED_LINK);
  });

  it('quotes a masked link typed as the domain as text', async () => {
    const { data } = await callbackOf(ask('[help.web-hosting.com](https://evil.test) example.com'));
    expect(data?.content).toContain('“\\[help.web-hosting.com\\](https://evil.test example.com” has a space');
    expect(data?.content).not.toMatch(MASKED_LINK);
  });
});

describe('Discord start-up', () => {
  it('stops with one clear error when the gateway opens no session', async () => {
    const nowhere = createServer().listen(0, '127.0.0.1');
    await once(nowhere, 'listening');
    const { port } = nowhere.address() as AddressInfo;
    await new Promise((resolve) => nowhere.close(resolve));
    const fake = await startFakeDiscord({ gatewayUrl: `ws://127.0.0.1:${port}` });
    const client = createDiscordClient(
      { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: fake.apiUrl },
      chatDeps({ resolver: resolverIn(world) }),
    );
    await expect(startDiscord(client, 'test-token', 1500)).rejects.toThrow(
      "Discord's gateway opened no session within 1.5 s: check that this host may open WebSockets to Discord. Discord was not started.",
    );
    expect(fake.calls.some((call) => call.path === '/gateway/bot')).toBe(true);
    expect(client.isReady()).toBe(false);
    await fake.close();
  });
});

describe('npm run discord:register', () => {
  it.each([
    ['a guild when DISCORD_GUILD_ID is set', '200000000000000009', `/guilds/200000000000000009/commands`],
    ['globally otherwise', undefined, '/commands'],
  ])('registers the commands with %s', async (_case, guild, suffix) => {
    const config = loadDiscordEnv({
      DISCORD_TOKEN: 'test-token-for-registration',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      ...(guild ? { DISCORD_GUILD_ID: guild } : {}),
    });
    const { count } = await registerCommands(config);
    expect(count).toBe(4); // with /snippet and /cases, the agent's desk (test/cases/desk-*.test.ts)
    const [call] = discord.calls
      .filter((c) => c.method === 'PUT' && c.path === `/applications/${discord.applicationId}${suffix}`)
      .slice(-1);
    type Option = { name: string; required?: boolean; autocomplete?: boolean; options?: Option[] };
    const [command, reply, snippet, cases] = (call?.body ?? []) as {
      name: string;
      options: (Option & { choices?: { value: string }[] })[];
    }[];
    // /reply sends a staff reply from inside a support case's post (support cases, see relay.test.ts); a saved
    // reply's name is offered as it is typed, in /reply and in /snippet edit and remove.
    expect(reply?.name).toBe('reply');
    expect(reply?.options.map((option) => [option.name, option.autocomplete ?? false])).toEqual([
      ['text', false],
      ['snippet', true],
    ]);
    expect(snippet?.options.map((sub) => [sub.name, sub.options?.[0]?.autocomplete ?? null])).toEqual([
      ['add', false],
      ['edit', true],
      ['remove', true],
      ['list', null],
    ]);
    expect(cases?.options.map((sub) => sub.name)).toEqual(['open', 'find', 'report', 'forget']);
    expect(command?.name).toBe('mailsettings');
    expect(command?.options.map((option) => option.name)).toEqual([
      'domain',
      'protocol',
      'client',
      'share',
      'check',
      'error',
    ]);
    expect(command?.options[0]?.required).toBe(true);
    expect(command?.options[1]?.choices?.map((choice) => choice.value)).toEqual([
      'imap',
      'pop',
      'smtp',
      'all',
    ]);
    // The mail program for step-by-step set-up, one choice per program the core has steps for.
    expect(command?.options[2]?.choices?.map((choice) => choice.value)).toEqual([...PROGRAMS]);
  });

  it.each([
    ['Manage Server by default', undefined, String(1n << 5n)],
    ['the permission DISCORD_STAFF_PERMISSION names', 'ModerateMembers', String(1n << 40n)],
  ])(
    'keeps the command, and its diagnostics, to staff: %s, in servers only',
    async (_case, permission, bits) => {
      const config = loadDiscordEnv({
        DISCORD_TOKEN: 'test-token-for-registration',
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_API_URL: discord.apiUrl,
        DISCORD_GUILD_ID: '200000000000000009',
        ...(permission ? { DISCORD_STAFF_PERMISSION: permission } : {}),
      });
      await registerCommands(config);
      const [call] = discord.calls.filter((c) => c.method === 'PUT').slice(-1);
      const commands = (call?.body ?? []) as { default_member_permissions?: string; contexts?: number[] }[];
      expect(commands).toHaveLength(4);
      for (const command of commands) {
        expect(command.default_member_permissions).toBe(bits);
        // 0 = guild: in a DM with the bot Discord would check no permission at all.
        expect(command.contexts).toEqual([0]);
      }
    },
  );

  it.each([
    ['is no permission', 'Staff'],
    ['is one a channel can grant, which would make a moderator of any channel staff', 'ManageMessages'],
  ])('says which permissions are accepted when DISCORD_STAFF_PERMISSION %s', (_case, permission) => {
    expect(() =>
      loadDiscordEnv({ DISCORD_TOKEN: 'test-token-for-registration', DISCORD_STAFF_PERMISSION: permission }),
    ).toThrow(
      new RegExp(
        `^DISCORD_STAFF_PERMISSION must be a server-wide Discord permission: ManageGuild, Administrator, .*give staff a role instead \\(DISCORD_STAFF_ROLE_ID\\) \\(got "${permission}"\\)`,
      ),
    );
  });
});
