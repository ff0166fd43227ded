// What case posts need from the fake Discord, checked with the unmodified discord.js 14 client: a forum post
// with tags, messages in its thread, interactions inside it (buttons, modals and their submit, the member's
// names), Discord's rate-limit headers and 429s, and REST failing on demand.
import { once } from 'node:events';
import {
  type ButtonInteraction,
  ChannelType,
  Client,
  DiscordAPIError,
  Events,
  type ForumChannel,
  GatewayIntentBits,
  HTTPError,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  TextInputBuilder,
  TextInputStyle,
  type ThreadChannel,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_FORUM_ID,
  type FakeDiscord,
  type RestCall,
  startFakeDiscord,
} from '../support/fake-discord.js';

const TAGS = ['new', 'claimed', 'waiting on customer', 'resolved'];
const clients: Client[] = [];
const fakes: FakeDiscord[] = [];
let fake: FakeDiscord;
let client: Client;

async function connect(options: Parameters<typeof startFakeDiscord>[0] = {}) {
  const started = await startFakeDiscord({ forum: { tags: TAGS }, ...options });
  fakes.push(started);
  const connected = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: started.apiUrl } });
  clients.push(connected);
  const ready = once(connected, Events.ClientReady);
  await connected.login('test-token');
  await ready;
  return { fake: started, client: connected };
}

beforeAll(async () => {
  ({ fake, client } = await connect());
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.destroy().catch(() => {})));
  await Promise.all(fakes.map((f) => f.close()));
});

const forumOf = (on: Client) => on.channels.cache.get(DEFAULT_FORUM_ID) as ForumChannel;
const openCase = (on: Client, name: string, tag: string, target = fake) =>
  forumOf(on).threads.create({
    name,
    message: { content: `Case ${name}`, allowedMentions: { parse: [] } },
    appliedTags: [target.tagId(tag)],
  });

function onNextInteraction<T>(handle: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handle(interaction).then(resolve, reject);
    });
  });
}

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );

describe('forum posts', () => {
  it('announces the forum with its tags in the guild, as GUILD_CREATE does', () => {
    const forum = forumOf(client);
    expect(forum.type).toBe(ChannelType.GuildForum);
    expect(forum.availableTags.map((tag) => tag.name)).toEqual(TAGS);
    expect(forum.availableTags.every((tag) => /^\d{17,20}$/.test(tag.id) && tag.moderated === false)).toBe(
      true,
    );
  });

  it('starts a post whose first message has the thread id, and keeps both readable', async () => {
    const thread = await openCase(client, 'example.com (POP) — Alice', 'new');
    expect(thread.type).toBe(ChannelType.PublicThread);
    expect(thread.parentId).toBe(DEFAULT_FORUM_ID);
    expect(thread.appliedTags).toEqual([fake.tagId('new')]);
    expect(forumOf(client).threads.cache.has(thread.id)).toBe(true);
    const [call] = fake.calls.filter(
      (c) => c.method === 'POST' && c.path === `/channels/${DEFAULT_FORUM_ID}/threads`,
    );
    expect(call).toMatchObject({
      status: 201,
      body: { name: 'example.com (POP) — Alice', message: { content: 'Case example.com (POP) — Alice' } },
    });
    expect(fake.threads().map((t) => t.id)).toContain(thread.id);
    const [first] = fake.messages(thread.id);
    expect(first).toMatchObject({
      id: thread.id,
      channel_id: thread.id,
      content: 'Case example.com (POP) — Alice',
    });
    expect((await thread.messages.fetch(thread.id)).content).toBe('Case example.com (POP) — Alice');
  });

  it('sends and edits messages in a post, counting them, and unarchives an archived post on send', async () => {
    const thread = await openCase(client, 'b.test', 'new');
    const note = await thread.send({ content: '**Alice:** it still fails', allowedMentions: { parse: [] } });
    expect(note.channelId).toBe(thread.id);
    await note.edit({ content: '**Alice:** it still fails (edited)' });
    expect(fake.messages(thread.id).map((m) => m.content)).toEqual([
      'Case b.test',
      '**Alice:** it still fails (edited)',
    ]);
    expect(fake.channel(thread.id)).toMatchObject({
      message_count: 1,
      total_message_sent: 1,
      last_message_id: note.id,
    });

    fake.archive(thread.id);
    await expect.poll(() => thread.archived).toBe(true);
    await thread.send({ content: 'back' });
    expect(fake.channel(thread.id)?.thread_metadata).toMatchObject({ archived: false });
    await expect.poll(() => thread.archived).toBe(false);
  });

  it('changes a post’s tags and the forum’s tags, refusing tags the forum does not have', async () => {
    const thread = await openCase(client, 'c.test', 'new');
    await thread.setAppliedTags([fake.tagId('claimed')]);
    expect(fake.channel(thread.id)?.applied_tags).toEqual([fake.tagId('claimed')]);
    const refused = await rejection(thread.setAppliedTags(['1234567890123456789']));
    expect(refused).toMatchObject({ code: 50035, status: 400 });
    const fetched = (await client.channels.fetch(thread.id, { force: true })) as ThreadChannel;
    expect(fetched.appliedTags).toEqual([fake.tagId('claimed')]);

    const forum = forumOf(client);
    await forum.setAvailableTags([...forum.availableTags, { name: 'urgent', moderated: true }]);
    expect(fake.tagId('urgent')).toMatch(/^\d{17,20}$/);
    expect(fake.tagId('new')).toBe(forum.availableTags.find((tag) => tag.name === 'new')?.id);
  });

  it('answers bad sends as Discord does', async () => {
    const thread = await openCase(client, 'd.test', 'new');
    expect(await rejection(thread.send({ content: '' }))).toMatchObject({ code: 50006 });
    expect(await rejection(thread.send({ content: 'x'.repeat(2001) }))).toMatchObject({
      code: 50035,
      rawError: { errors: { content: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
    const intoForum = rejection(
      client.rest.post(`/channels/${DEFAULT_FORUM_ID}/messages`, { body: { content: 'x' } }),
    );
    expect(await intoForum).toMatchObject({ code: 50008 });
    expect(await rejection(client.rest.get('/channels/1234567890123456789'))).toMatchObject({ code: 10003 });

    const strict = await connect({ forum: { tags: TAGS, requireTag: true } });
    const untagged = forumOf(strict.client).threads.create({ name: 'x', message: { content: 'x' } });
    expect(await rejection(untagged)).toMatchObject({ code: 40067 });
  });
});

describe('interactions in a post', () => {
  it('puts the thread in a command run inside a post, with the member’s names', async () => {
    const thread = await openCase(client, 'e.test', 'new');
    const handled = onNextInteraction(async (interaction) => {
      if (!interaction.isChatInputCommand() || !interaction.inCachedGuild())
        throw new Error('expected a command');
      await interaction.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      return {
        thread: interaction.channel?.isThread(),
        parent: interaction.channel?.isThread() ? interaction.channel.parentId : null,
        displayName: interaction.member.displayName,
        globalName: interaction.user.globalName,
      };
    });
    const raw = new Promise<Record<string, unknown>>((resolve) => {
      const listen = (packet: { t?: string; d?: Record<string, unknown> }) => {
        if (packet.t !== 'INTERACTION_CREATE' || !packet.d) return;
        client.off(Events.Raw, listen);
        resolve(packet.d);
      };
      client.on(Events.Raw, listen);
    });
    const sent = fake.sendCommand({
      channelId: thread.id,
      options: [{ name: 'domain', type: 3, value: 'e.test' }],
      member: { username: 'dana', globalName: 'Dana Example', nick: 'Dana (support)' },
    });
    expect(await handled).toEqual({
      thread: true,
      parent: DEFAULT_FORUM_ID,
      displayName: 'Dana (support)',
      globalName: 'Dana Example',
    });
    // On the wire, as Discord sends it: the thread channel object, and the member with nick and global_name.
    expect(await raw).toMatchObject({
      channel_id: thread.id,
      channel: { id: thread.id, type: ChannelType.PublicThread, parent_id: DEFAULT_FORUM_ID },
      member: { nick: 'Dana (support)', user: { username: 'dana', global_name: 'Dana Example' } },
    });
    await fake.waitFor((c) => c.path === `/interactions/${sent.id}/${sent.token}/callback`);
  });

  it('records a modal opened from a button on the case card, and submits it with the typed value', async () => {
    const thread = await openCase(client, 'f.test', 'new');
    const opened = onNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      const text = new TextInputBuilder()
        .setCustomId('reply')
        .setStyle(TextInputStyle.Paragraph)
        .setMaxLength(4000);
      await interaction.showModal(
        new ModalBuilder()
          .setCustomId(`reply:${thread.id}`)
          .setTitle('Reply to the customer')
          .addLabelComponents(new LabelBuilder().setLabel('Your reply').setTextInputComponent(text)),
      );
      return (interaction as ButtonInteraction).message.id;
    });
    fake.sendButton({ customId: 'reply', channelId: thread.id, messageId: thread.id });
    expect(await opened).toBe(thread.id);
    expect(fake.modals.at(-1)).toMatchObject({
      customId: `reply:${thread.id}`,
      title: 'Reply to the customer',
      channelId: thread.id,
      components: [
        { type: 18, id: 1, label: 'Your reply', component: { type: 4, id: 2, custom_id: 'reply' } },
      ],
    });

    const submitted = onNextInteraction(async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      await interaction.reply({ content: 'Sent to the customer.' });
      return {
        customId: interaction.customId,
        value: interaction.fields.getTextInputValue('reply'),
        message: interaction.message?.id,
        channel: interaction.channelId,
        components: interaction.components,
      };
    });
    expect(() => fake.sendModalSubmit({ customId: `reply:${thread.id}`, fields: {} })).toThrow(/required/);
    expect(() => fake.sendModalSubmit({ customId: 'other', fields: { reply: 'x' } })).toThrow(
      /no open modal/,
    );
    fake.sendModalSubmit({ customId: `reply:${thread.id}`, fields: { reply: 'Use port 995 & SSL' } });
    expect(await submitted).toEqual({
      customId: `reply:${thread.id}`,
      value: 'Use port 995 & SSL',
      message: thread.id,
      channel: thread.id,
      components: [
        { type: 18, id: 1, component: { type: 4, id: 2, customId: 'reply', value: 'Use port 995 & SSL' } },
      ],
    });
    await fake.waitForMessages(thread.id, 1, (m) => m.content === 'Sent to the customer.');
    expect(() => fake.sendModalSubmit({ customId: `reply:${thread.id}`, fields: { reply: 'x' } })).toThrow();
  });

  it('submits a legacy action-row modal in its own shape, and an update edits the card', async () => {
    const thread = await openCase(client, 'g.test', 'new');
    const opened = onNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      await interaction.showModal({
        custom_id: 'note',
        title: 'Note',
        components: [
          { type: 1, components: [{ type: 4, custom_id: 'text', label: 'Note', style: 1, required: false }] },
        ],
      });
    });
    fake.sendButton({ customId: 'note', channelId: thread.id, messageId: thread.id });
    await opened;
    const submitted = onNextInteraction(async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      await interaction.deferUpdate();
      await interaction.editReply({ content: 'Case g.test — claimed by Dana' });
      return interaction.components;
    });
    fake.sendModalSubmit({ customId: 'note', fields: {} });
    expect(await submitted).toEqual([
      { type: 1, id: 1, components: [{ type: 4, id: 2, customId: 'text', value: '' }] },
    ]);
    expect(fake.messages(thread.id)[0]?.content).toBe('Case g.test — claimed by Dana');
  });
});

describe('rate limits and failures', () => {
  const sendsTo = (id: string) => (call: RestCall) =>
    call.method === 'POST' && call.path === `/channels/${id}/messages`;

  it('sends X-RateLimit headers per bucket and a 429 like Discord when a bucket is spent', async () => {
    const tight = await connect({ rateLimit: { limit: 2, windowMs: 2000 } });
    const thread = await openCase(tight.client, 'h.test', 'new', tight.fake);
    const url = `${tight.fake.apiUrl}/v10/channels/${thread.id}/messages`;
    const post = () =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"content":"x"}',
      });
    const [first, second, third] = [await post(), await post(), await post()];
    expect(first.headers.get('x-ratelimit-limit')).toBe('2');
    expect([first, second].map((r) => r.headers.get('x-ratelimit-remaining'))).toEqual(['1', '0']);
    expect(first.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]{32}$/);
    expect(Number(first.headers.get('x-ratelimit-reset-after'))).toBeGreaterThan(1);
    expect(third.status).toBe(429);
    expect(third.headers.get('retry-after')).toBe('2');
    expect(third.headers.get('x-ratelimit-scope')).toBe('user');
    expect(await third.json()).toMatchObject({ message: 'You are being rate limited.', global: false });
  });

  it('lets discord.js pace itself by the headers: no 429 reaches it and every message arrives', async () => {
    const tight = await connect({ rateLimit: { limit: 2, windowMs: 300 } });
    const thread = await openCase(tight.client, 'i.test', 'new', tight.fake);
    await Promise.all(['1', '2', '3', '4', '5'].map((content) => thread.send({ content })));
    const sends = tight.fake.calls.filter(sendsTo(thread.id));
    expect(sends.map((c) => c.status)).toEqual([200, 200, 200, 200, 200]);
    // Two per 300 ms window: the fifth send waits for the third window (a lower bound, so never flaky).
    const [first, , , , last] = sends;
    expect((last?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(500);
    expect(tight.fake.messages(thread.id)).toHaveLength(6);
  });

  it('retries a scripted 429 after retry_after and delivers once; a global one carries X-RateLimit-Global', async () => {
    const thread = await openCase(client, 'j.test', 'new');
    fake.failRest((method, path) => method === 'POST' && path === `/channels/${thread.id}/messages`, {
      status: 429,
      retryAfter: 0,
    });
    await thread.send({ content: 'once' });
    expect(fake.calls.filter(sendsTo(thread.id)).map((c) => c.status)).toEqual([429, 200]);
    expect(fake.messages(thread.id).filter((m) => m.content === 'once')).toHaveLength(1);

    fake.failRest(() => true, { status: 429, retryAfter: 0.5, global: true });
    const response = await fetch(`${fake.apiUrl}/v10/gateway/bot`);
    expect(response.headers.get('x-ratelimit-global')).toBe('true');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({
      message: 'You are being rate limited.',
      retry_after: 0.5,
      global: true,
    });
  });

  it('carries a call out before a scripted 502 when asked; an enforced nonce then makes the message once', async () => {
    const thread = await openCase(client, 'l.test', 'new');
    const sends = (call: RestCall) => sendsTo(thread.id)(call);
    fake.failRest((method, path) => sends({ method, path } as RestCall), { status: 502, carriedOut: true });
    await thread.send({ content: 'twice' }); // discord.js sends it again after the 502
    fake.failRest((method, path) => sends({ method, path } as RestCall), { status: 502, carriedOut: true });
    const sent = await thread.send({ content: 'once', nonce: 'k1.0', enforceNonce: true });
    expect(sent.nonce).toBe('k1.0');
    expect(fake.calls.filter(sends).map((c) => c.status)).toEqual([502, 200, 502, 200]);
    expect(fake.messages(thread.id).map((m) => m.content)).toEqual(['Case l.test', 'twice', 'twice', 'once']);
    // Without enforce_nonce a nonce is only echoed; one over 25 characters is refused as Discord refuses it.
    await thread.send({ content: 'again', nonce: 'k1.0' });
    expect(fake.messages(thread.id)).toHaveLength(5);
    const error = await rejection(thread.send({ content: 'x', nonce: 'n'.repeat(26), enforceNonce: true }));
    expect(error).toMatchObject({ code: 50035 });
  });

  it('fails with 5xx for a while, then recovers; an outage fails every call until it ends', async () => {
    const thread = await openCase(client, 'k.test', 'new');
    const sends = (call: RestCall) => sendsTo(thread.id)(call);
    fake.failRest((method, path) => sends({ method, path } as RestCall), { status: 503, times: 2 });
    await thread.send({ content: 'after two 503s' });
    expect(fake.calls.filter(sends).map((c) => c.status)).toEqual([503, 503, 200]);

    fake.outage(true);
    const error = await rejection(thread.send({ content: 'lost?' }));
    expect(error).toBeInstanceOf(HTTPError);
    expect(error).toMatchObject({ status: 503 });
    fake.outage(false);
    await thread.send({ content: 'back' });
    expect(fake.messages(thread.id).map((m) => m.content)).toEqual(['Case k.test', 'after two 503s', 'back']);
    expect(error).not.toBeInstanceOf(DiscordAPIError);
  });
});
