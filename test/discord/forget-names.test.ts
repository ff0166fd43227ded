// /cases forget names a few of the names the customer had on their cases, each clipped: a customer who used a
// dozen display names (markup doubles when escaped) still gets a question within Discord's 2000 characters,
// with the Forget button.
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { staffAccessOf } from '../../adapters/discord/staff-access.js';
import type { LeadDesk } from '../../src/index.js';
import { createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import {
  DEFAULT_GUILD_ID,
  type FakeDiscord,
  type RestCall,
  startFakeDiscord,
} from '../support/fake-discord.js';
import { resolverIn, startWorld, type World } from '../support/world.js';

let world: World;
let discord: FakeDiscord;
let client: Client;

const NAMES = Array.from({ length: 14 }, (_, index) => `${'_*'.repeat(39)}${String(index).padStart(2, '0')}`);

beforeAll(async () => {
  [world, discord] = await Promise.all([startWorld({ records: [] }), startFakeDiscord()]);
  const lead = {
    kept: async () => ({ cases: 14, messages: 30, names: NAMES }),
    forget: async () => ({ cases: 14, messages: 30 }),
  } as unknown as LeadDesk;
  const deps = chatDeps({ resolver: resolverIn(world), limiter: createRateLimiter({ limit: 100 }) });
  client = createDiscordClient(
    { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl },
    { ...deps, lead, staffServer: DEFAULT_GUILD_ID, staff: staffAccessOf({}, DEFAULT_GUILD_ID) },
  );
  await startDiscord(client, 'test-token');
});
afterAll(async () => {
  await client?.destroy();
  await Promise.all([world?.close(), discord?.close()]);
});

describe('/cases forget for a customer of many names', () => {
  it('asks within Discord’s 2000 characters, with the Forget button', async () => {
    expect(NAMES.every((name) => name.length <= 80)).toBe(true);
    const sent = discord.sendCommand({
      name: 'cases',
      member: { username: 'lead', globalName: 'Lead', permissions: String(1n << 5n) }, // Manage Server
      options: [
        { name: 'forget', type: 1, options: [{ name: 'customer', type: 3, value: 'U0123ABCD' }] },
      ] as never,
    });
    const [callback] = await discord.waitFor(
      (call) => call.path === `/interactions/${sent.id}/${sent.token}/callback`,
    );
    const { status, body } = callback as RestCall;
    const content = String((body as { data?: { content?: string } }).data?.content ?? '');
    expect(content.length).toBeLessThanOrEqual(2000);
    expect(status).toBe(204);
  });
});
