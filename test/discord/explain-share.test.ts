// Discord `/mailsettings domain: error: share:true` when something breaks after the reply was deferred (a slow
// lookup that then fails). docs/chat.md: "Problems, refusals and apologies stay private even with share:true":
// the public deferral is deleted and the apology follows for the asker alone.
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordClient, startDiscord } from '../../adapters/discord/client.js';
import { ERROR_OPTION } from '../../adapters/discord/command.js';
import type { Resolver } from '../../src/index.js';
import { createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { type FakeDiscord, type RestCall, startFakeDiscord } from '../support/fake-discord.js';

const EPHEMERAL = 64;
let discord: FakeDiscord;
let client: Client;

beforeAll(async () => {
  discord = await startFakeDiscord();
  // A lookup slower than the inline wait that then fails: the conversation acknowledges, then apologises.
  const broken = {
    answer: () =>
      new Promise((_resolve, reject) => setTimeout(() => reject(new Error('resolver down')), 300)),
    isCached: () => false,
  } as unknown as Resolver;
  client = createDiscordClient(
    { DISCORD_TOKEN: 'test-token', DISCORD_API_URL: discord.apiUrl },
    chatDeps({ resolver: broken, limiter: createRateLimiter({ limit: 100 }), inlineWaitMs: 50 }),
  );
  await startDiscord(client, 'test-token');
});
afterAll(async () => {
  await client?.destroy();
  await discord?.close();
});

describe('Discord explain with share:true', () => {
  it('keeps the apology private even after a public deferral', async () => {
    const sent = discord.sendCommand({
      options: [
        { name: 'domain', type: 3, value: 'alice@example.com' },
        { name: ERROR_OPTION, type: 3, value: '0x800CCC0E' },
        { name: 'share', type: 5, value: true },
      ],
    });
    const [callback] = await discord.waitFor(
      (call) => call.path === `/interactions/${sent.id}/${sent.token}/callback`,
    );
    const deferral = (callback as RestCall).body as { type: number; data?: { flags?: number } };
    const deferredInPublic = deferral.type === 5 && ((deferral.data?.flags ?? 0) & EPHEMERAL) === 0;
    // Wait for the apology, wherever it is said (an edit of the deferral, or a follow-up).
    const [apology] = await discord.waitFor(
      (call) =>
        call.path.includes(sent.token) &&
        call.method !== 'GET' &&
        JSON.stringify(call.body ?? null).includes('Sorry, something went wrong'),
      1,
      5000,
    );
    const calls = discord.calls.filter((call) => call.path.includes(sent.token));
    // Either the apology is an ephemeral follow-up (and the public deferral is deleted), or nothing public
    // carries it: an edit of the public deferral (PATCH …/messages/@original) shows it to the whole channel.
    const body = (apology as RestCall).body as { flags?: number };
    const editsOriginal = (apology as RestCall).path.endsWith('/messages/@original');
    const ephemeralFollowUp =
      (apology as RestCall).method === 'POST' && ((body.flags ?? 0) & EPHEMERAL) === EPHEMERAL;
    expect(
      ephemeralFollowUp || (editsOriginal && !deferredInPublic),
      `apology sent as ${(apology as RestCall).method} ${(apology as RestCall).path}; calls: ${calls
        .map((call) => `${call.method} ${call.path}`)
        .join(', ')}`,
    ).toBe(true);
    // Nothing is left in public: the "thinking…" deferral everyone saw is gone.
    if (deferredInPublic)
      expect(
        calls.some((call) => call.method === 'DELETE' && call.path.endsWith('/messages/@original')),
      ).toBe(true);
  });

  it('keeps the apology private after a public deferral of an ordinary question too', async () => {
    const sent = discord.sendCommand({
      options: [
        { name: 'domain', type: 3, value: 'alice@example.com' },
        { name: 'share', type: 5, value: true },
      ],
    });
    const onToken = (call: RestCall) => call.path.includes(sent.token) && call.method !== 'GET';
    const [apology] = await discord.waitFor(
      (call) => onToken(call) && JSON.stringify(call.body ?? null).includes('Sorry, something went wrong'),
      1,
      5000,
    );
    const calls = discord.calls.filter(onToken).map((call) => `${call.method} ${call.path.split('/').pop()}`);
    expect(calls).toEqual(['POST callback', 'DELETE @original', `POST ${sent.token}`]);
    expect(((apology as RestCall).body as { flags?: number }).flags).toBe(EPHEMERAL);
  });
});
