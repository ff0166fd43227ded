// Set-up in the customer's own mail program through Discord, end to end: the real discord.js client against
// the loopback fake of Discord (gateway interactions, callbacks with multipart attachments) and the real
// resolver in the set-up world where hosted.test's mail is on the operator's server. The attached profile
// is read back with a property-list parser.
import type { Client } from 'discord.js';
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { embedLength, MAX_TOTAL } from '../../adapters/discord/embeds.js';
import { PROGRAM_NAMES, PROGRAMS } from '../../src/index.js';
import { verifySetupLink } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../support/fake-discord.js';
import { OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const LINK_SECRET = 'discord-setup-link-secret-0123456789abcdef';
const EPHEMERAL = 64;

type Embed = {
  title: string;
  description?: string;
  fields: { name: string; value: string }[];
  footer?: { text: string };
};
type Component = {
  type: number;
  style?: number;
  url?: string;
  label?: string;
  custom_id?: string;
  options?: { label: string; value: string }[];
};
type Data = {
  flags?: number;
  content?: string;
  embeds?: Embed[];
  components?: { type: number; components: Component[] }[];
  allowed_mentions?: unknown;
};

let setup: SetupWorld;
let discord: FakeDiscord;
let client: Client;

beforeAll(async () => {
  [setup, discord] = await Promise.all([startSetupWorld(), startFakeDiscord()]);
  client = createDiscordClient(
    {
      DISCORD_TOKEN: 'test-token',
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
    },
    chatDeps({
      resolver: setup.resolver,
      setup: {
        links: { secret: LINK_SECRET, baseUrl: 'https://bot.web-hosting.test' },
        organization: 'Example Web Hosting',
      },
    }),
  );
  await startDiscord(client, 'test-token');
});
afterAll(async () => {
  await client?.destroy();
  await Promise.all([setup?.close(), discord?.close()]);
});

function ask(domain: string, options: { protocol?: string; client?: string; share?: boolean } = {}) {
  return discord.sendCommand({
    options: [
      { name: 'domain', type: 3, value: domain },
      ...(options.protocol ? [{ name: 'protocol', type: 3, value: options.protocol }] : []),
      ...(options.client ? [{ name: 'client', type: 3, value: options.client }] : []),
      ...(options.share !== undefined ? [{ name: 'share', type: 5, value: options.share }] : []),
    ],
  });
}

async function callbackOf({
  id,
  token,
}: {
  id: string;
  token: string;
}): Promise<RestCall & { data: Data; type: number }> {
  const [call] = await discord.waitFor((c) => c.path === `/interactions/${id}/${token}/callback`);
  const body = (call as RestCall).body as { type: number; data?: Data };
  return { ...(call as RestCall), type: body.type, data: body.data ?? {} };
}

const linesOf = (embed?: Embed) => (embed?.fields ?? []).flatMap((field) => field.value.split('\n'));
const components = (data: Data) => (data.components ?? []).flatMap((row) => row.components);

describe('Discord: steps for the client option', () => {
  it('adds the steps as an embed with the values filled in, within the 6000 characters, and links the set-up page', async () => {
    const { data } = await callbackOf(ask('alice@hosted.test', { protocol: 'imap', client: 'outlook' }));
    expect((data.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    const [settings, guide, diagnostics] = data.embeds ?? [];
    expect(settings?.title).toBe('Mail settings for hosted.test (IMAP)');
    expect(guide?.title).toBe('Outlook for Windows: set up alice@hosted.test (IMAP)');
    expect(diagnostics?.title).toBe('Diagnostics');
    const steps = guide?.fields.map((field) => field.name) ?? [];
    expect(steps).toEqual(steps.map((_, i) => `Step ${i + 1} of 8`));
    const incoming = guide?.fields.find((field) => field.value.includes('Under Incoming mail'));
    expect(incoming?.value.split('\n')).toEqual([
      '**Do this:** Under Incoming mail, fill in:',
      `**Server:** ${OPERATOR}`,
      '**Port:** 993',
      '**Encryption method:** SSL/TLS',
      '**Require logon using Secure Password Authentication (SPA):** Unchecked',
    ]);
    expect(linesOf(guide)).toContain('**My outgoing server (SMTP) requires authentication:** Ticked');
    expect((data.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(
      MAX_TOTAL,
    );
    // "Post for customer" keeps the program, so the posted view has the steps too; no menu: a program was named.
    const buttons = components(data);
    expect(buttons[0]).toMatchObject({ custom_id: 'mailsettings:post:alice@hosted.test imap outlook' });
    const link = buttons.find((button) => button.style === 5);
    expect(link?.label).toBe('Set-up page for phones');
    const verified = verifySetupLink(link?.url?.split('/').at(-1) ?? '', LINK_SECRET);
    expect(verified.ok && verified.value.question).toEqual({
      domain: 'hosted.test',
      email: 'alice@hosted.test',
      protocol: 'imap',
    });
    expect(buttons.some((component) => component.type === 3)).toBe(false);
  });

  it('attaches the Apple profile to Apple’s steps, and it reads back field by field', async () => {
    const call = await callbackOf(ask('carol@hosted.test', { protocol: 'pop', client: 'iphone' }));
    expect(call.files?.map((file) => file.name)).toEqual(['hosted.test.mobileconfig']);
    const profile = parsePlist(String(call.files?.[0]?.data)) as {
      PayloadOrganization: string;
      PayloadContent: Record<string, unknown>[];
    };
    expect(profile.PayloadOrganization).toBe('Example Web Hosting');
    expect(profile.PayloadContent[0]).toMatchObject({
      EmailAccountType: 'EmailTypePOP',
      EmailAddress: 'carol@hosted.test',
      IncomingMailServerHostName: OPERATOR,
      IncomingMailServerPortNumber: 995,
      OutgoingMailServerHostName: OPERATOR,
      OutgoingMailServerUsername: 'carol@hosted.test',
    });
    const guide = call.data.embeds?.[1];
    expect(guide?.title).toBe('iPhone and iPad: set up carol@hosted.test (POP)');
    expect(guide?.description).toContain('The attached hosted.test.mobileconfig is the Apple profile');
  });

  it('attaches no profile for a provider that needs modern sign-in, and the steps say why', async () => {
    const call = await callbackOf(ask('dan@office365.com', { protocol: 'imap', client: 'apple-mail' }));
    expect(call.files ?? []).toEqual([]);
    expect(call.data.embeds?.[1]?.description).toMatch(
      /This provider needs modern sign-in, which a profile cannot set up/,
    );
  });

  it('says why there are no steps for an SMTP-only question, above the settings', async () => {
    const { data } = await callbackOf(ask('alice@hosted.test', { protocol: 'smtp', client: 'thunderbird' }));
    expect(data.content).toMatch(/^Set-up steps need the incoming server too: ask for imap or pop/);
    expect(data.embeds?.[0]?.title).toBe('Mail settings for hosted.test (SMTP)');
  });
});

describe('Discord: choosing the program from the menu', () => {
  it('offers the programs in a menu, and a choice puts that program’s steps in place of the private answer', async () => {
    const { data } = await callbackOf(ask('alice@hosted.test', { protocol: 'imap' }));
    const menu = components(data).find((component) => component.type === 3);
    expect(menu?.custom_id).toBe('mailsettings:program:alice@hosted.test imap');
    expect(menu?.options).toEqual(
      PROGRAMS.map((program) => ({ label: PROGRAM_NAMES[program], value: program })),
    );
    const chosen = discord.sendSelect({
      customId: menu?.custom_id ?? '',
      values: ['samsung'],
      message: { embeds: data.embeds, components: data.components, flags: EPHEMERAL },
    });
    const update = await callbackOf(chosen);
    expect(update.type).toBe(7);
    const [settings, guide] = update.data.embeds ?? [];
    expect(settings?.title).toBe('Mail settings for hosted.test (IMAP)');
    expect(guide?.title).toBe('Samsung Email: set up alice@hosted.test (IMAP)');
    expect(linesOf(guide).some((line) => line.includes(OPERATOR))).toBe(true);
    expect(components(update.data).some((component) => component.type === 3)).toBe(false);
  });

  it('posts the steps for the customer with "Post for customer", without the menu or a file', async () => {
    const { data } = await callbackOf(ask('erin@hosted.test', { protocol: 'imap', client: 'iphone' }));
    const press = discord.sendButton({
      customId: components(data)[0]?.custom_id ?? '',
      message: { embeds: data.embeds, components: data.components, flags: EPHEMERAL },
    });
    const [posted] = await discord.waitFor(
      (call) => call.method === 'POST' && call.path === `/webhooks/${discord.applicationId}/${press.token}`,
    );
    const body = posted?.body as Data;
    expect((body.flags ?? 0) & EPHEMERAL).toBe(0);
    expect(body.embeds?.map((embed) => embed.title)).toEqual([
      'Mail settings for hosted.test (IMAP)',
      'iPhone and iPad: set up erin@hosted.test (IMAP)',
    ]);
    expect(posted?.files ?? []).toEqual([]);
    expect(components(body).map((component) => component.style)).toEqual([5]);
  });
});
