// With support cases on, staff are the staff members of the cases forum's server only (staff-access.ts):
// /mailsettings from another server the bot is in, or from a member of the staff's server who is not staff,
// answers as a customer would be answered, with no diagnostics and no live check unless customers may run one.
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { staffAccessOf } from '../../adapters/discord/staff-access.js';
import { createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { DEFAULT_GUILD_ID, type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
let discord: FakeDiscord;
let client: Client;
let checks = 0;

beforeAll(async () => {
  [world, discord] = await Promise.all([
    startWorld({
      records: [{ name: 'google-hosted.test', type: 'MX', priority: 1, exchange: 'aspmx.l.google.com' }],
    }),
    startFakeDiscord(),
  ]);
  const deps = chatDeps({
    resolver: resolverIn(world),
    limiter: createRateLimiter({ limit: 100 }),
    check: {
      run: async () => {
        checks += 1;
        throw new Error('the live check ran');
      },
      limiter: createRateLimiter({ limit: 100 }),
    },
    customersMayCheck: false, // as the bot runs by default (MAILSETTINGS_CHECK_AUDIENCE=staff)
  });
  // As adapters/main.ts with the relay: the staff's server is the forum's.
  client = createDiscordClient(
    { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl },
    { ...deps, staffServer: DEFAULT_GUILD_ID, staff: staffAccessOf({}, DEFAULT_GUILD_ID) },
  );
  await startDiscord(client, 'test-token');
});
afterAll(async () => {
  await client?.destroy();
  await Promise.all([world?.close(), discord?.close()]);
});

type Embed = { title?: string };
/** The embeds' titles of the answer to /mailsettings google-hosted.test (check:true) from `member` in `guildId`. */
async function titlesFor(
  guildId: string,
  member: Parameters<FakeDiscord['sendCommand']>[0]['member'],
  check = true,
) {
  const sent = discord.sendCommand({
    guildId,
    member,
    options: [
      { name: 'domain', type: 3, value: 'google-hosted.test' },
      ...(check ? [{ name: 'check', type: 5, value: true }] : []),
    ],
  });
  const answer = await discord.answerTo(sent);
  const body = answer.body as { data?: { embeds?: Embed[] }; embeds?: Embed[] };
  return ((body.data ?? body).embeds ?? []).map((embed) => embed.title);
}

describe('/mailsettings from another server the bot is in', () => {
  it('gives an admin of another server neither staff diagnostics nor a live check', async () => {
    const administrator = { username: 'mallory', globalName: 'Mallory', permissions: String(1n << 3n) };
    const titles = await titlesFor('299999999999999999', administrator);
    expect(checks).toBe(0);
    expect(titles).not.toContain('Diagnostics');
  });
});

describe('/mailsettings in the staff’s server', () => {
  it('answers a member who is not staff (an admin let everyone use the command) as a customer', async () => {
    const titles = await titlesFor(DEFAULT_GUILD_ID, { username: 'troll', globalName: 'Troll' }); // no role, no permission
    expect(checks).toBe(0);
    expect(titles).not.toContain('Diagnostics');
  });

  it('answers a staff member (Manage Server) as staff: diagnostics, and the live check they asked for', async () => {
    const dana = { username: 'dana', permissions: String(1n << 5n) };
    expect(await titlesFor(DEFAULT_GUILD_ID, dana, false)).toContain('Diagnostics');
    await titlesFor(DEFAULT_GUILD_ID, dana);
    expect(checks).toBe(1);
  });
});
