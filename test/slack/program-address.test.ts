// A program button under someone else's public answer answers the presser for the domain only: the address the
// asker named never reaches the presser's private answer, nor a case the presser opens from it ("Ask a person"),
// as openAskPerson refuses for an answer seen by others (test/cases/trust.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, eventCallback, signedPost, typedMessage } from '../support/fake-slack.js';
import {
  askPersonButton,
  type Bot,
  pressAskPerson,
  type RelayWorld,
  SECRET,
  startRelayWorld,
} from '../support/relay-world.js';

let rw: RelayWorld;
let bot: Bot;

beforeAll(async () => {
  rw = await startRelayWorld();
  bot = await rw.startOnFreshSqlite();
});
afterAll(async () => {
  await rw?.close();
});

type Element = { action_id?: string; value?: string };
type Block = { block_id?: string; elements?: Element[] };

describe('program buttons under a public answer', () => {
  it('never opens a case for the presser with the address someone else named', async () => {
    const mention = typedMessage(
      'alice.private@direct.test pop',
      { type: 'app_mention', user: 'U1', ts: '920.1', channel: 'CPROG' },
      'UBOT',
    );
    await signedPost(bot.events, SECRET, eventCallback(mention), { json: true });
    const [answer] = await rw.slack.waitForMessages('CPROG', 1, (message) =>
      JSON.stringify(message.blocks).includes('mailsettings_program:thunderbird'),
    );
    const thunderbird = ((answer?.blocks ?? []) as Block[])
      .flatMap((block) => block.elements ?? [])
      .find((element) => element.action_id === 'mailsettings_program:thunderbird');
    expect(thunderbird?.value).toContain('alice.private');

    // Bob, who asked nothing, picks his program under Alice's public answer.
    const bob = { id: 'UPROGBOB', name: 'bob' };
    await signedPost(
      bot.events,
      SECRET,
      blockActionsBody({
        actionId: 'mailsettings_program:thunderbird',
        value: thunderbird?.value ?? '',
        text: 'Thunderbird',
        user: bob,
        channel: 'CPROG',
        messageTs: String(answer?.ts),
        threadTs: '920.1',
        responseUrl: rw.slack.responseUrl('bob-program'),
      }),
    );
    const [steps] = await rw.slack.waitFor((post) => post.path === '/response/bob-program', 1, 10_000);
    const button = askPersonButton(steps?.body ?? {});
    expect(button).toBeDefined();

    // His private answer's "Ask a person" (an ephemeral message, as Slack sends its container).
    const modal = await pressAskPerson(rw, bot, button?.value ?? '', {
      user: bob,
      channel: 'CPROG',
      messageTs: '920.9',
      ephemeral: true,
      responseUrl: rw.slack.responseUrl('bob-ask'),
    });
    await rw.slack.submitView(bot.events, SECRET, modal.id, { words: 'mine fails too' });
    const post = () => rw.discord.threads().find((thread) => String(thread.name).endsWith('· bob'));
    await expect.poll(() => post()?.id, { timeout: 10_000 }).toBeDefined();
    expect(JSON.stringify(rw.discord.messages(String(post()?.id)))).not.toContain('alice.private');
    expect(post()?.name).toBe('direct.test (POP) · bob');
  });
});
