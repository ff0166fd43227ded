// The case post's messages are made once however often they are sent: the words that follow a new case's card
// carry the delivery's key as Discord's enforced nonce, like every other message the outbox makes in a post.
// discord.js sends a call again at once after a 5xx, so a 502 that Discord's edge answers after Discord made the
// message would otherwise leave two copies of the customer's words.
import { REST } from 'discord.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discordStaffSide } from '../../adapters/discord/staff-side.js';
import { type CaseView, createLogger } from '../../src/index.js';
import { NEW_VIEW } from '../support/case-state.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';

let discord: FakeDiscord;
beforeAll(async () => {
  discord = await startFakeDiscord();
});
afterAll(async () => {
  await discord?.close();
});

it('makes the words after a new case card once when Discord made them but its answer was lost on the way', async () => {
  const rest = new REST({ api: discord.apiUrl }).setToken('once-bot-token-0123456789');
  const staff = await discordStaffSide(rest, { forumId: discord.forumId, log: createLogger(() => {}) });
  // At most 1,000 characters typed, but the markup doubles when escaped: more than a card field holds, so the
  // words follow the card in a message of their own.
  const words = 'My *mail* _fails_ on port 465. '.repeat(30);
  const view: CaseView = {
    ...NEW_VIEW,
    id: 7,
    customerThread: 'slack:C1:1.2',
    question: 'alice@example.org pop',
    customerWords: words,
  };
  const sends = (method: string, path: string) =>
    method === 'POST' && /^\/channels\/\d+\/messages$/.test(path) && !path.includes(discord.forumId);
  // Discord's edge answers 502 after Discord made the message: discord.js sends it again at once.
  discord.failRest(sends, { status: 502, carriedOut: true });
  const post = (await staff.createPost(view, '7.mj2k4x0')).split(':').at(-1) as string;
  const after = discord.messages(post).slice(1) as { content?: string }[];
  expect(after.length).toBeGreaterThan(0);
  const sent = discord.calls.filter((call) => sends(call.method, call.path));
  expect(sent.map((call) => call.status)).toEqual([502, 200]);
  // Once, as every other message the outbox makes in the post.
  expect(after.map((message) => message.content)).toEqual([...new Set(after.map((m) => m.content))]);
});
