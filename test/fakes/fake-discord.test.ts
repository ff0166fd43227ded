// The fake Discord is only worth something if the real discord.js client accepts it: these tests drive an
// unmodified discord.js 14 Client against it and check what went over the wire.
import { once } from 'node:events';
import {
  ApplicationCommandOptionType,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restOptions } from '../../adapters/discord/rest.js';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_FORUM_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_USER_ID,
  type FakeDiscord,
  type RestCall,
  startFakeDiscord,
} from '../support/fake-discord.js';

let fake: FakeDiscord;
let client: Client;
const extraClients: Client[] = [];
const extraFakes: FakeDiscord[] = [];

/** A discord.js client as the bot makes them (its REST options: files encoded whatever undici loaded first). */
function newClient(apiUrl: string): Client {
  return new Client({ intents: [GatewayIntentBits.Guilds], rest: restOptions(apiUrl) });
}

beforeAll(async () => {
  fake = await startFakeDiscord();
  client = newClient(fake.apiUrl);
  const ready = once(client, Events.ClientReady);
  await client.login('test-token');
  await ready;
  await fake.ready();
});

afterAll(async () => {
  await Promise.all([client, ...extraClients].map((c) => c?.destroy().catch(() => {})));
  await Promise.all([fake, ...extraFakes].map((f) => f?.close()));
});

/** Runs `handle` on the next interaction the client emits and settles with its outcome. */
function onNextInteraction<T>(handle: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handle(interaction).then(resolve, reject);
    });
  });
}

const domainOption = (value: string) => ({
  name: 'domain',
  type: ApplicationCommandOptionType.String,
  value,
});
const callbackOf = (id: string) => (call: RestCall) =>
  call.method === 'POST' && call.path.startsWith(`/interactions/${id}/`);
const ofToken = (token: string) => (call: RestCall) => call.path.includes(`/${token}`);

describe('fake Discord with the real discord.js client', () => {
  it('serves gateway/bot, HELLO, READY and the guild so the client logs in and emits clientReady', () => {
    expect(Events.ClientReady).toBe('clientReady');
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(fake.applicationId);
    expect(fake.calls[0]).toMatchObject({ method: 'GET', path: '/gateway/bot' });
    const [url] = fake.gateway.urls;
    const params = new URLSearchParams(url?.split('?')[1]);
    expect(params.get('v')).toBe('10');
    expect(params.get('encoding')).toBe('json');
    expect(params.has('compress')).toBe(false);
    const guild = client.guilds.cache.get(DEFAULT_GUILD_ID);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(DEFAULT_FORUM_ID)?.type).toBe(ChannelType.GuildForum);
    expect(guild?.channels.cache.get(DEFAULT_CHANNEL_ID)?.type).toBe(ChannelType.GuildText);
    expect(fake.gateway.identifies[0]).toMatchObject({
      token: 'test-token',
      intents: GatewayIntentBits.Guilds,
      shard: [0, 1],
    });
  });

  it('delivers a chat-input command and records an ephemeral reply callback', async () => {
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error(`unexpected ${interaction.type}`);
      const seen = {
        name: interaction.commandName,
        domain: interaction.options.getString('domain', true),
        user: interaction.user.id,
        guild: interaction.guildId,
        channel: interaction.channelId,
        inGuild: interaction.inGuild(),
      };
      await interaction.reply({
        content: 'hi',
        flags: MessageFlags.Ephemeral,
        allowedMentions: { parse: [] },
      });
      return seen;
    });
    const sent = fake.sendCommand({ options: [domainOption('example.com')] });
    expect(await handled).toEqual({
      name: 'mailsettings',
      domain: 'example.com',
      user: DEFAULT_USER_ID,
      guild: DEFAULT_GUILD_ID,
      channel: DEFAULT_CHANNEL_ID,
      inGuild: true,
    });
    const [call] = await fake.waitFor(callbackOf(sent.id));
    expect(call).toMatchObject({
      path: `/interactions/${sent.id}/${sent.token}/callback`,
      query: 'with_response=false',
      body: { type: 4, data: { content: 'hi', allowed_mentions: { parse: [] } } },
    });
    const flags = (call?.body as { data?: { flags?: number } } | undefined)?.data?.flags ?? 0;
    expect(flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    expect(call?.at).toBeGreaterThanOrEqual(sent.sentAt);
  });

  it('records deferReply (type 5) then editReply (PATCH @original) and returns a Message', async () => {
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const edited = await interaction.editReply({ content: 'done', embeds: [{ title: 'Settings' }] });
      return {
        content: edited.content,
        id: edited.id,
        embeds: edited.embeds.length,
        flags: edited.flags.bitfield,
      };
    });
    const sent = fake.sendCommand({ options: [domainOption('example.org')] });
    const message = await handled;
    expect(message).toMatchObject({ content: 'done', embeds: 1 });
    expect(message.flags & MessageFlags.Ephemeral).toBe(MessageFlags.Ephemeral);
    const calls = await fake.waitFor(ofToken(sent.token), 2);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      `POST /interactions/${sent.id}/${sent.token}/callback`,
      `PATCH /webhooks/${fake.applicationId}/${sent.token}/messages/@original`,
    ]);
    expect(calls[0]?.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
    expect(calls[1]?.body).toMatchObject({ content: 'done', embeds: [{ title: 'Settings' }] });
  });

  it('answers with_response=true with an interaction callback response, and serves followUp', async () => {
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      const response = await interaction.reply({ content: 'first', withResponse: true });
      const followUp = await interaction.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      const edited = await interaction.editReply({ content: 'first, edited' });
      return {
        interactionId: response.interaction.id,
        resourceType: response.resource?.type,
        resourceContent: response.resource?.message?.content,
        followUp: followUp.content,
        followUpEphemeral: followUp.flags.has(MessageFlags.Ephemeral),
        edited: edited.content,
      };
    });
    const sent = fake.sendCommand({ options: [domainOption('example.net')] });
    expect(await handled).toEqual({
      interactionId: sent.id,
      resourceType: 4,
      resourceContent: 'first',
      followUp: 'second',
      followUpEphemeral: true,
      edited: 'first, edited',
    });
    const calls = await fake.waitFor(ofToken(sent.token), 3);
    expect(calls.map((c) => `${c.method} ${c.path}?${c.query}`)).toEqual([
      `POST /interactions/${sent.id}/${sent.token}/callback?with_response=true`,
      `POST /webhooks/${fake.applicationId}/${sent.token}?wait=true`,
      `PATCH /webhooks/${fake.applicationId}/${sent.token}/messages/@original?`,
    ]);
    // The public reply is a message of the channel; the ephemeral follow-up is not.
    expect(fake.messages(DEFAULT_CHANNEL_ID).map((m) => m.content)).toContain('first, edited');
    expect(fake.messages(DEFAULT_CHANNEL_ID).map((m) => m.content)).not.toContain('second');
  });

  it('parses payload_json out of multipart replies that carry files', async () => {
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.reply({ content: 'file', files: [{ attachment: Buffer.from('x'), name: 'a.txt' }] });
    });
    const sent = fake.sendCommand({ options: [domainOption('example.com')] });
    await handled;
    const [call] = await fake.waitFor(callbackOf(sent.id));
    expect(call?.body).toMatchObject({
      type: 4,
      data: { content: 'file', attachments: [{ id: '0' }] },
    });
    expect(call?.files).toEqual([{ field: 'files[0]', name: 'a.txt', size: 1, data: Buffer.from('x') }]);
  });

  it('delivers a button press answered with reply, and one answered with update', async () => {
    const replied = onNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.reply({ content: 'again', flags: MessageFlags.Ephemeral });
      return { customId: interaction.customId, message: interaction.message.content };
    });
    const first = fake.sendButton({ customId: 'retry:example.com' });
    expect(await replied).toEqual({ customId: 'retry:example.com', message: 'Pick one' });
    const [reply] = await fake.waitFor(callbackOf(first.id));
    expect(reply?.body).toMatchObject({ type: 4, data: { content: 'again', flags: MessageFlags.Ephemeral } });

    const updated = onNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      const response = await interaction.update({ content: 'updated', components: [], withResponse: true });
      const after = response.resource?.message;
      return { content: after?.content, components: after?.components.length };
    });
    const second = fake.sendButton({ customId: 'done', guildId: null });
    expect(await updated).toEqual({ content: 'updated', components: 0 });
    const [update] = await fake.waitFor(callbackOf(second.id));
    expect(update?.body).toMatchObject({ type: 7, data: { content: 'updated', components: [] } });
  });

  it('delivers a string select choice that discord.js reads with its values, answered with update', async () => {
    const chosen = onNextInteraction(async (interaction) => {
      if (!interaction.isStringSelectMenu()) throw new Error('expected a string select menu');
      await interaction.update({ content: `chose ${interaction.values.join(',')}`, components: [] });
      return { customId: interaction.customId, values: interaction.values };
    });
    const sent = fake.sendSelect({ customId: 'pick:example.com', values: ['thunderbird'] });
    expect(await chosen).toEqual({ customId: 'pick:example.com', values: ['thunderbird'] });
    const [update] = await fake.waitFor(callbackOf(sent.id));
    expect(update?.body).toMatchObject({ type: 7, data: { content: 'chose thunderbird' } });
  });

  it('fails the callback of an expired interaction with 10062 and keeps serving the next one', async () => {
    const failed = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      return interaction.reply({ content: 'too late' }).then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    const stale = fake.sendCommand({ options: [domainOption('example.com')] });
    fake.expire(stale.id); // synchronous: the client cannot have answered yet
    const error = await failed;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 10062, status: 404, message: 'Unknown interaction' });

    const served = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.reply({ content: 'fresh' });
    });
    const fresh = fake.sendCommand({ options: [domainOption('example.org')] });
    await served;
    const [call] = await fake.waitFor(callbackOf(fresh.id));
    expect(call?.body).toMatchObject({ type: 4, data: { content: 'fresh' } });
  });

  it('delivers DM commands with a user instead of a member', async () => {
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand()) throw new Error('expected a command');
      await interaction.reply('dm');
      return { guild: interaction.guildId, member: interaction.member, user: interaction.user.id };
    });
    fake.sendCommand({ options: [domainOption('example.com')], guildId: null, userId: '400000000000000002' });
    expect(await handled).toEqual({ guild: null, member: null, user: '400000000000000002' });
  });

  it('echoes global and guild command registrations with ids', async () => {
    const definition = {
      name: 'mailsettings',
      description: 'Mail server settings for a domain',
      options: [
        {
          name: 'domain',
          description: 'The domain',
          type: ApplicationCommandOptionType.String as const,
          required: true,
        },
      ],
    };
    const global = await client.application?.commands.set([definition]);
    expect(global?.first()).toMatchObject({ name: 'mailsettings', applicationId: fake.applicationId });
    expect(global?.first()?.id).toMatch(/^\d{17,20}$/);
    const guild = await client.application?.commands.set([definition], DEFAULT_GUILD_ID);
    expect(guild?.first()?.guildId).toBe(DEFAULT_GUILD_ID);
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => c.path)).toEqual([
      `/applications/${fake.applicationId}/commands`,
      `/applications/${fake.applicationId}/guilds/${DEFAULT_GUILD_ID}/commands`,
    ]);
    expect(puts[0]?.body).toMatchObject([{ name: 'mailsettings', options: [{ name: 'domain', type: 3 }] }]);
  });

  it('answers unknown routes and double acknowledgements like Discord, and records them', async () => {
    const unknown = await fetch(`${fake.apiUrl}/v10/stickers/1/packs?limit=1`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ code: 0, message: '404: Not Found' });
    expect(fake.calls.at(-1)).toMatchObject({
      method: 'GET',
      path: '/stickers/1/packs',
      query: 'limit=1',
      status: 404,
    });
    const guild = await fetch(`${fake.apiUrl}/v10/guilds/1/members?limit=1`);
    expect(await guild.json()).toEqual({ code: 10004, message: 'Unknown Guild' });
    const channel = await fetch(`${fake.apiUrl}/v10/channels/1/messages?limit=1`);
    expect(await channel.json()).toEqual({ code: 10003, message: 'Unknown Channel' });

    // The client answers first; then a second acknowledgement is tried by hand.
    const handled = onNextInteraction(async (interaction) => {
      if (interaction.isChatInputCommand()) await interaction.deferReply();
    });
    const { id, token } = fake.sendCommand({ options: [domainOption('example.com')] });
    await handled;
    await fake.waitFor(callbackOf(id));
    const again = await fetch(`${fake.apiUrl}/v10/interactions/${id}/${token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'twice' } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ code: 40060 });
  });

  it('acknowledges heartbeats and sees client.destroy() close the gateway with 1000, without reconnecting', async () => {
    const quick = await startFakeDiscord({ heartbeatIntervalMs: 50 });
    extraFakes.push(quick);
    const other = newClient(quick.apiUrl);
    extraClients.push(other);
    const ready = once(other, Events.ClientReady);
    await other.login('other-token');
    await ready;
    await quick.ready();
    await expect.poll(() => quick.gateway.heartbeats, { timeout: 3000 }).toBeGreaterThanOrEqual(2);
    await expect.poll(() => other.ws.ping, { timeout: 3000 }).toBeGreaterThanOrEqual(0);

    const started = performance.now();
    await other.destroy();
    expect(performance.now() - started).toBeLessThan(2000);
    await expect.poll(() => quick.gateway.closeCodes, { timeout: 2000 }).toEqual([1000]);
    expect(other.isReady()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 800)); // a reconnect would come after 500 ms
    expect(quick.gateway.urls).toHaveLength(1);
    expect(() => quick.sendCommand({ options: [] })).toThrow(/no gateway session/);
  });
});
