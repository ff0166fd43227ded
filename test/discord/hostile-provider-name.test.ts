// A customer's domain whose MX points at a host the attacker controls, whose autoconfig file has a long
// <displayName>. Staff ask /mailsettings for it with a mail program (steps), as they do for customers: the
// answer Discord gets keeps its limits (description 4096, 6000 in all), so it is never refused (50035).
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { embedLength, MAX_DESCRIPTION, MAX_TOTAL } from '../../adapters/discord/embeds.js';
import { createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

const NAME = 'Evil Mail '.repeat(300);
const XML = `<?xml version="1.0"?>
<clientConfig version="1.1"><emailProvider id="evil-provider.test">
  <domain>evil-provider.test</domain>
  <displayName>${NAME}</displayName>
  <incomingServer type="imap"><hostname>imap.evil-provider.test</hostname><port>993</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></incomingServer>
  <outgoingServer type="smtp"><hostname>smtp.evil-provider.test</hostname><port>465</port><socketType>SSL</socketType>
    <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication></outgoingServer>
</emailProvider></clientConfig>`;

let world: World;
let discord: FakeDiscord;
let client: Client;

beforeAll(async () => {
  [world, discord] = await Promise.all([
    startWorld({
      records: [
        { name: 'victim.test', type: 'MX', priority: 1, exchange: 'mx.evil-provider.test' },
        { name: 'autoconfig.evil-provider.test', type: 'A', address: '127.0.0.1' },
      ],
      tlsNames: ['autoconfig.evil-provider.test'],
    }),
    startFakeDiscord(),
  ]);
  world.httpsFiles.set('autoconfig.evil-provider.test', XML);
  client = createDiscordClient(
    { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl },
    chatDeps({ resolver: resolverIn(world), limiter: createRateLimiter({ limit: 100 }) }),
  );
  await startDiscord(client, 'test-token');
});
afterAll(async () => {
  await client?.destroy();
  await Promise.all([world?.close(), discord?.close()]);
});

type Embed = {
  title?: string;
  description?: string;
  footer?: { text: string };
  fields?: { name: string; value: string }[];
};

describe('a provider display name as long as its file likes', () => {
  it('/mailsettings with a mail program stays within the embed limits', async () => {
    const sent = discord.sendCommand({
      options: [
        { name: 'domain', type: 3, value: 'alice@victim.test' },
        { name: 'client', type: 3, value: 'thunderbird' },
      ],
    });
    const answer = await discord.answerTo(sent);
    const body = answer.body as { data?: { embeds?: Embed[] }; embeds?: Embed[] };
    const embeds = (body.data ?? body).embeds ?? [];
    expect(embeds[0]?.footer?.text).toContain('Evil Mail');
    for (const embed of embeds) expect(embed.description?.length ?? 0).toBeLessThanOrEqual(MAX_DESCRIPTION);
    const total = embeds.reduce((sum, embed) => sum + embedLength(embed as never), 0);
    expect(total).toBeLessThanOrEqual(MAX_TOTAL);
  });
});
