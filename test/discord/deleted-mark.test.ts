// A long customer message deleted in Slack is still struck through and marked "(deleted in Slack)": the copy
// gives way to the mark, never the mark to the copy.
import { REST } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discordStaffSide } from '../../adapters/discord/staff-side.js';
import { type CaseView, createLogger, type StaffSide } from '../../src/index.js';
import { NEW_VIEW } from '../support/case-state.js';
import { type FakeDiscord, startFakeDiscord } from '../support/fake-discord.js';

let discord: FakeDiscord;
let staff: StaffSide;

const view = (id: number): CaseView => ({ ...NEW_VIEW, id, domain: 'example.com' });

beforeAll(async () => {
  discord = await startFakeDiscord();
  const rest = new REST({ api: discord.apiUrl }).setToken('review-bot-token-0123456789');
  staff = await discordStaffSide(rest, { forumId: discord.forumId, log: createLogger(() => {}) });
});
afterAll(async () => {
  await discord?.close();
});

describe('a deleted Slack message in the post', () => {
  it('keeps the strike-through and the "(deleted in Slack)" mark on a message that filled its Discord message', async () => {
    const v = view(1);
    const post = await staff.createPost(v, 'k-post');
    const withPost = { ...v, staffThread: post };
    // Words long enough that the copy fills a Discord message (1800 characters of body after the name).
    const words = `https://example.com/${'x'.repeat(2500)}`; // a pasted log line or link: no space to split at
    const copy = await staff.postCustomerMessage(
      withPost,
      // A Slack display name may be 80 characters; written with underscores, escaping doubles it.
      { author: '_'.repeat(80), text: words },
      { done: [], key: 'k-msg', record: async () => {} },
    );
    const thread = post.slice('discord:'.length);
    const [first] = copy.split(',');
    await staff.markDeleted(withPost, copy);
    const marked = discord.messages(thread).find((m) => m.id === first) as { content: string };
    expect(marked.content.length).toBeLessThanOrEqual(2000);
    expect(marked.content).toContain('(deleted in Slack)');
    // The strike-through is closed, so Discord shows the words struck through.
    expect(marked.content.match(/~~/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
  });
});
