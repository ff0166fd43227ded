// What an agent's desk needs from the fake Discord, checked with the unmodified discord.js 14 client: a user
// select on an ephemeral message answered with the resolved users and members Discord sends (partial members
// with their permissions in the channel, worked out from roles, overwrites and ownership), autocomplete
// interactions and their choices, and modals with Labels around string selects and prefilled text inputs,
// refused or submitted as Discord's client and API would.
import { once } from 'node:events';
import {
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  GuildMember,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  PermissionFlagsBits,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
  UserSelectMenuBuilder,
} from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_STAFF_ROLE_ID,
  DEFAULT_USER_ID,
  type FakeDiscord,
  startFakeDiscord,
} from '../support/fake-discord.js';

const MANAGE_GUILD = PermissionFlagsBits.ManageGuild;
const SAM = '400000000000000011';
const PAT = '400000000000000012';
const BOT = '400000000000000013';
const ADMIN_ROLE = '700000000000000002';
let fake: FakeDiscord;
let client: Client;

beforeAll(async () => {
  fake = await startFakeDiscord({
    roles: [
      { id: DEFAULT_STAFF_ROLE_ID, name: 'Support', permissions: String(MANAGE_GUILD) },
      { id: ADMIN_ROLE, name: 'Admin', permissions: String(PermissionFlagsBits.Administrator) },
    ],
    members: {
      [SAM]: { username: 'sam', globalName: 'Sam', nick: 'Sam (support)', roles: [DEFAULT_STAFF_ROLE_ID] },
      [PAT]: { username: 'pat', globalName: 'Pat' },
    },
  });
  fake.addMember(BOT, { username: 'helper', globalName: null, bot: true, roles: [ADMIN_ROLE] });
  client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  const ready = once(client, Events.ClientReady);
  await client.login('test-token');
  await ready;
});
afterAll(async () => {
  await client?.destroy();
  await fake?.close();
});

function onNextInteraction<T>(handle: (interaction: Interaction) => Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (interaction) => {
      handle(interaction).then(resolve, reject);
    });
  });
}
const nextRaw = () =>
  new Promise<Record<string, unknown>>((resolve) => {
    const listen = (packet: { t?: string; d?: Record<string, unknown> }) => {
      if (packet.t !== 'INTERACTION_CREATE' || !packet.d) return;
      client.off(Events.Raw, listen);
      resolve(packet.d);
    };
    client.on(Events.Raw, listen);
  });
const callbackOf = async (id: string) =>
  (await fake.waitFor((call) => call.path.startsWith(`/interactions/${id}/`)))[0];

/** An ephemeral reply with a user select, as the bot sends one; the id of the interaction it answered. */
async function ephemeralMenu(): Promise<string> {
  const replied = onNextInteraction(async (interaction) => {
    if (!interaction.isButton()) throw new Error('expected a button');
    const menu = new UserSelectMenuBuilder().setCustomId('who');
    await interaction.reply({
      content: 'Who?',
      flags: MessageFlags.Ephemeral,
      components: [{ type: 1, components: [menu.toJSON()] }],
    });
  });
  const { id } = fake.sendButton({ customId: 'ask' });
  await replied;
  return id;
}

describe('user select menus', () => {
  it('sends the users chosen with their members, as Discord resolves them', async () => {
    const asked = await ephemeralMenu();
    const raw = nextRaw();
    const seen = onNextInteraction(async (interaction) => {
      if (!interaction.isUserSelectMenu()) throw new Error('expected a user select');
      const sam = interaction.members.get(SAM);
      await interaction.update({ content: 'Handed to Sam.', components: [] });
      return {
        values: interaction.values,
        users: [...interaction.users.keys()],
        member: sam instanceof GuildMember,
        roles: sam instanceof GuildMember ? [...sam.roles.cache.keys()] : [],
        name: sam instanceof GuildMember ? sam.displayName : '',
        staff: sam instanceof GuildMember && sam.permissionsIn(DEFAULT_CHANNEL_ID).has(MANAGE_GUILD),
        ephemeral: interaction.message.flags.has(MessageFlags.Ephemeral),
      };
    });
    const sent = fake.sendUserSelect({ customId: 'who', values: [SAM], onResponseOf: asked });
    expect(await seen).toEqual({
      values: [SAM],
      users: [SAM],
      member: true,
      roles: expect.arrayContaining([DEFAULT_STAFF_ROLE_ID]),
      name: 'Sam (support)',
      staff: true,
      ephemeral: true,
    });
    // On the wire: the partial member has no user, deaf or mute, and carries its permissions in the channel.
    const data = (await raw).data as {
      component_type: number;
      resolved: { users: Record<string, object>; members: Record<string, Record<string, unknown>> };
    };
    expect(data.component_type).toBe(5);
    expect(data.resolved.users[SAM]).toMatchObject({ id: SAM, username: 'sam', global_name: 'Sam' });
    const member = data.resolved.members[SAM] ?? {};
    expect(member).toMatchObject({ nick: 'Sam (support)', roles: [DEFAULT_STAFF_ROLE_ID] });
    expect(['user', 'deaf', 'mute'].filter((key) => key in member)).toEqual([]);
    expect(BigInt(String(member.permissions)) & MANAGE_GUILD).toBe(MANAGE_GUILD);
    const callback = await callbackOf(sent.id);
    expect(callback?.body).toMatchObject({ type: 7, data: { content: 'Handed to Sam.', components: [] } });
  });

  it('works out each member’s permissions: @everyone’s alone, the owner’s all, an overwrite’s denial', async () => {
    const permissionsOf = async (id: string, channelId = DEFAULT_CHANNEL_ID) => {
      const raw = nextRaw();
      const handled = onNextInteraction(async (interaction) => {
        if (interaction.isUserSelectMenu()) await interaction.deferUpdate();
      });
      fake.addMember(DEFAULT_USER_ID, { username: 'owner' });
      fake.sendUserSelect({ customId: 'who', values: [id], channelId });
      await handled;
      const data = (await raw).data as { resolved: { members: Record<string, { permissions: string }> } };
      return BigInt(data.resolved.members[id]?.permissions ?? '0');
    };
    expect((await permissionsOf(PAT)) & MANAGE_GUILD).toBe(0n);
    expect((await permissionsOf(DEFAULT_USER_ID)) & PermissionFlagsBits.Administrator).toBe(
      PermissionFlagsBits.Administrator,
    );
    expect((await permissionsOf(BOT)) & MANAGE_GUILD).toBe(MANAGE_GUILD);
    fake.setOverwrites(DEFAULT_CHANNEL_ID, [
      { id: DEFAULT_STAFF_ROLE_ID, type: 0, allow: '0', deny: String(MANAGE_GUILD) },
    ]);
    expect((await permissionsOf(SAM)) & MANAGE_GUILD).toBe(0n);
    fake.setOverwrites(DEFAULT_CHANNEL_ID, []);
  });

  it('offers only members of the server, and a menu on a response only where there is one', () => {
    expect(() => fake.sendUserSelect({ customId: 'who', values: ['400000000000000099'] })).toThrow(
      /not a member/,
    );
    expect(() => fake.sendUserSelect({ customId: 'who', values: [SAM], onResponseOf: '1' })).toThrow(
      /no message/,
    );
  });
});

describe('autocomplete', () => {
  it('sends the option being typed, focused, and takes up to 25 choices back', async () => {
    const raw = nextRaw();
    const answered = onNextInteraction(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected an autocomplete');
      const focused = interaction.options.getFocused(true);
      await interaction.respond([{ name: 'imap-ports: Your IMAP server…', value: 'imap-ports' }]);
      return { command: interaction.commandName, sub: interaction.options.getSubcommand(), focused };
    });
    const sent = fake.sendAutocomplete({
      name: 'snippet',
      options: [{ name: 'edit', type: 1, options: [{ name: 'name', type: 3, value: 'ima', focused: true }] }],
    });
    expect(await answered).toEqual({
      command: 'snippet',
      sub: 'edit',
      focused: { name: 'name', type: 3, value: 'ima', focused: true },
    });
    expect((await raw).type).toBe(4);
    expect((await callbackOf(sent.id))?.body).toEqual({
      type: 8,
      data: { choices: [{ name: 'imap-ports: Your IMAP server…', value: 'imap-ports' }] },
    });
  });

  it('refuses more than 25 choices, and an autocomplete with nothing focused', async () => {
    const refused = onNextInteraction(async (interaction) => {
      if (!interaction.isAutocomplete()) throw new Error('expected an autocomplete');
      const many = Array.from({ length: 26 }, (_, n) => ({ name: `s${n}`, value: `s${n}` }));
      return interaction.respond(many).then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    fake.sendAutocomplete({
      name: 'reply',
      options: [{ name: 'snippet', type: 3, value: '', focused: true }],
    });
    expect(await refused).toBeInstanceOf(DiscordAPIError);
    expect(await refused).toMatchObject({ code: 50035 });
    expect(() =>
      fake.sendAutocomplete({ name: 'reply', options: [{ name: 'snippet', type: 3, value: 'x' }] }),
    ).toThrow(/focused/);
  });

  it('lets a command be answered with a message only, never with choices', async () => {
    const refused = onNextInteraction(async (interaction) => {
      const command = interaction as ChatInputCommandInteraction;
      return client.rest
        .post(`/interactions/${command.id}/${command.token}/callback`, {
          body: { type: 8, data: { choices: [] } },
          auth: false,
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        );
    });
    fake.sendCommand({ name: 'reply', options: [{ name: 'text', type: 3, value: 'hi' }] });
    expect(await refused).toMatchObject({ code: 50035 });
  });
});

describe('modals with labels', () => {
  /** Opens `modal` from a button press; resolves once Discord took it. */
  async function open(modal: ModalBuilder | Record<string, unknown>) {
    const shown = onNextInteraction(async (interaction) => {
      if (!interaction.isButton()) throw new Error('expected a button');
      return interaction.showModal(modal as ModalBuilder).then(
        () => undefined,
        (error: unknown) => error,
      );
    });
    fake.sendButton({ customId: 'open' });
    return shown;
  }
  const menu = (options: number) =>
    new StringSelectMenuBuilder()
      .setCustomId('pick')
      .setRequired(false)
      .addOptions(Array.from({ length: options }, (_, n) => ({ label: `s${n}`, value: `s${n}` })));
  const words = (value?: string) => {
    const input = new TextInputBuilder()
      .setCustomId('words')
      .setStyle(TextInputStyle.Paragraph)
      .setRequired(false);
    return value ? input.setValue(value) : input;
  };

  it('submits an optional string select (chosen or not) and keeps a prefilled text as it was', async () => {
    expect(
      await open(
        new ModalBuilder()
          .setCustomId('reply')
          .setTitle('Reply')
          .addLabelComponents(
            new LabelBuilder().setLabel('Saved reply').setStringSelectMenuComponent(menu(3)),
            new LabelBuilder().setLabel('Words').setTextInputComponent(words('Hello {customer}')),
          ),
      ),
    ).toBeUndefined();
    const submitted = onNextInteraction(async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      await interaction.deferUpdate();
      return {
        picked: interaction.fields.getStringSelectValues('pick'),
        words: interaction.fields.getTextInputValue('words'),
      };
    });
    expect(() => fake.sendModalSubmit({ customId: 'reply', fields: { pick: ['s9'] } })).toThrow(
      /no such option/,
    );
    fake.sendModalSubmit({ customId: 'reply', fields: { pick: ['s1'] } });
    expect(await submitted).toEqual({ picked: ['s1'], words: 'Hello {customer}' });

    await open(
      new ModalBuilder()
        .setCustomId('reply')
        .setTitle('Reply')
        .addLabelComponents(new LabelBuilder().setLabel('Saved reply').setStringSelectMenuComponent(menu(2))),
    );
    const none = onNextInteraction(async (interaction) => {
      if (!interaction.isModalSubmit()) throw new Error('expected a modal submit');
      await interaction.deferUpdate();
      return interaction.fields.getStringSelectValues('pick');
    });
    fake.sendModalSubmit({ customId: 'reply', fields: {} });
    expect(await none).toEqual([]);
  });

  it('refuses a required select left empty, as the client would not submit it', async () => {
    await open(
      new ModalBuilder()
        .setCustomId('must')
        .setTitle('Pick')
        .addLabelComponents(
          new LabelBuilder().setLabel('Pick').setStringSelectMenuComponent(menu(2).setRequired(true)),
        ),
    );
    expect(() => fake.sendModalSubmit({ customId: 'must', fields: {} })).toThrow(/required/);
  });

  it('refuses what Discord refuses: 26 options, a long label, a prefilled text over its length', async () => {
    const raw = (component: Record<string, unknown>) => ({
      custom_id: 'bad',
      title: 'Bad',
      components: [{ type: 18, label: 'Saved reply', component }],
    });
    const options = Array.from({ length: 26 }, (_, n) => ({ label: `s${n}`, value: `s${n}` }));
    expect(await open(raw({ type: 3, custom_id: 'pick', options }))).toMatchObject({ code: 50035 });
    expect(
      await open({
        ...raw({ type: 4, custom_id: 'w', style: 2 }),
        components: [{ type: 18, label: 'x'.repeat(46), component: { type: 4, custom_id: 'w', style: 2 } }],
      }),
    ).toMatchObject({ code: 50035 });
    expect(
      await open(raw({ type: 4, custom_id: 'w', style: 2, max_length: 5, value: 'too long' })),
    ).toMatchObject({ code: 50035 });
    expect(fake.modals.filter((modal) => modal.customId === 'bad')).toEqual([]);
  });
});

it('serves a member of the server as Get Guild Member does', async () => {
  const member = await client.guilds.cache.get(DEFAULT_GUILD_ID)?.members.fetch({ user: SAM, force: true });
  expect(member?.displayName).toBe('Sam (support)');
  expect(fake.calls.at(-1)).toMatchObject({
    path: `/guilds/${DEFAULT_GUILD_ID}/members/${SAM}`,
    status: 200,
  });
});
