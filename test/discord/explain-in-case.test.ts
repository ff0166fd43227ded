// An error explained inside a case post stays private even with share:true, as answers there do (end to end:
// real discord.js on the fake Discord, real Bolt on the fake Slack, the relay on SQLite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bot, caseOf, type RelayWorld, STAFF, startRelayWorld } from '../support/relay-world.js';

let rw: RelayWorld;
let bot: Bot;
let customers = 0;

beforeAll(async () => {
  rw = await startRelayWorld();
  bot = await rw.startOnFreshSqlite();
});
afterAll(async () => {
  await rw?.close();
});

const EPHEMERAL = 64;
type Callback = { type: number; data?: { content?: string; flags?: number; embeds?: unknown[] } };

async function aCase(question = 'direct.test imap') {
  const user = { id: `UR${++customers}`, name: `review${customers}` };
  return caseOf(rw, bot, question, user, `CR${customers}`);
}

/** The first response to an interaction: its callback (a reply, or a deferral and its flags). */
const callbackOf = async (id: string) =>
  (await rw.discord.waitFor((call) => call.path.startsWith(`/interactions/${id}/`), 1, 10_000))[0]
    ?.body as Callback;

describe('/mailsettings error: in a case post', () => {
  it('answers privately even with share:true, as /mailsettings does in a case post', async () => {
    const { post } = await aCase();
    const sent = rw.discord.sendCommand({
      options: [
        { name: 'domain', type: 3, value: 'direct.test' },
        { name: 'protocol', type: 3, value: 'imap' },
        { name: 'error', type: 3, value: '535 5.7.8 Error: authentication failed' },
        { name: 'share', type: 5, value: true },
      ],
      channelId: post,
      member: STAFF,
    });
    const callback = await callbackOf(sent.id);
    // docs/cases.md: "In a case post, `/mailsettings` answers privately (even with `share:true`…)".
    expect((callback.data?.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
  });
});
