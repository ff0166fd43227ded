// A new asker about a domain already known: the conversation hands the front end a stand-in (the same answer
// for an address of the same length), and the kept renderers fill each asker's own strings into the stand-in's
// message instead of rendering the answer again. Whatever the address, the message must be exactly the one
// rendering it whole gives: checked with Slack's and Discord's real renderers, through the real conversation
// and resolver against the loopback set-up world, for generated addresses full of markup.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeDiscordText } from '../../adapters/discord/escape.js';
import { sayingToDiscord } from '../../adapters/discord/render.js';
import { escapeMrkdwn, sayingToBlockKit } from '../../adapters/slack/render.js';
import { withSetup } from '../../adapters/slack/setup-render.js';
import { type Conversation, createLogger, keepRendered, type Saying } from '../../src/index.js';
import { createConversation, createRateLimiter } from '../../src/testing.js';
import { type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const LINKS = { secret: 'stand-in-test-secret-0123456789abcdef', baseUrl: 'https://bot.example.test/' };

let setup: SetupWorld;
beforeAll(async () => {
  setup = await startSetupWorld();
});
afterAll(() => setup?.close());

function conversation(links: boolean): Conversation {
  return createConversation({
    resolver: setup.resolver,
    limiter: createRateLimiter({ limit: 1e9 }),
    log: createLogger(() => {}),
    ...(links ? { setup: { links: LINKS } } : {}),
  });
}

/** What the conversation says to `text` (one saying: an answer, or a line). */
async function sayingFor(talk: Conversation, text: string, isPrivate = true): Promise<Saying> {
  const said: Saying[] = [];
  const keep = async (saying: Saying) => void said.push(saying);
  await talk.ask(
    { text, user: 'U1', audience: 'staff', private: isPrivate, via: 'test' },
    { answer: keep, replace: keep },
  );
  expect(said).toHaveLength(1);
  return said[0] as Saying;
}

/** The platforms' renderers as the front ends use them, whole and kept, counting whole renderings. */
function renderers() {
  let renders = 0;
  const slack = (saying: Saying, profileAs: 'text' | 'here') => {
    renders += 1;
    return withSetup(sayingToBlockKit(saying, { askPerson: true }), saying.said, profileAs);
  };
  const discord = (saying: Saying, where: 'case' | 'elsewhere') => {
    renders += 1;
    return sayingToDiscord(saying, { sendToCustomer: where === 'case' });
  };
  return {
    slack,
    discord,
    keptSlack: keepRendered(slack, (text) => escapeMrkdwn(text) === text),
    keptDiscord: keepRendered(discord, (text) => escapeDiscordText(text) === text),
    renders: () => renders,
  };
}

describe('a new asker about a domain already known', () => {
  it('gets a stand-in: the same question for an address of the same length, and the strings to swap', async () => {
    const talk = conversation(true);
    const saying = await sayingFor(talk, 'alice@hosted.test imap');
    const standIn = saying.standIn;
    if (standIn?.saying.said.kind !== 'answer' || saying.said.kind !== 'answer')
      throw new Error('no stand-in');
    const [local, link] = standIn.swaps;
    expect(local).toEqual(['\uE000'.repeat(5), 'alice']);
    expect(link?.[1]).toBe(saying.said.setup.link);
    expect(link?.[0]).toHaveLength(saying.said.setup.link?.length ?? 0);
    expect(standIn.saying.asked).toBe('\uE000\uE000\uE000\uE000\uE000@hosted.test imap');
    expect(standIn.saying.said.answer.settings.query.email).toBe(
      '\uE000\uE000\uE000\uE000\uE000@hosted.test',
    );
    // The next asker with an address as long gets the very same stand-in answer and offer.
    const next = (await sayingFor(talk, 'bobby@hosted.test imap')).standIn?.saying.said;
    expect(next?.kind === 'answer' && next.setup).toBe(standIn.saying.said.setup);
  });

  it('gets none without an address, with capitals typed, or with an Apple profile made for them alone', async () => {
    const talk = conversation(true);
    expect((await sayingFor(talk, 'hosted.test imap')).standIn).toBeUndefined();
    expect((await sayingFor(talk, 'Alice@hosted.test imap')).standIn).toBeUndefined();
    expect((await sayingFor(talk, 'alice@hosted.test imap iphone')).standIn).toBeUndefined();
    expect((await sayingFor(talk, 'alice@hosted.test imap outlook')).standIn).toBeDefined();
  });

  it('is rendered once per domain and address length, every message as rendering it whole gives', async () => {
    const talk = conversation(true);
    const { slack, keptSlack, discord, keptDiscord, renders } = renderers();
    const askers = Array.from({ length: 20 }, (_, i) => `u${String(i).padStart(3, '0')}@hosted.test imap`);
    const sayings = await Promise.all(askers.map((text) => sayingFor(talk, text)));
    const kept = sayings.map((saying) => [keptSlack(saying, 'text'), keptDiscord(saying, 'elsewhere')]);
    // Each platform: the stand-in's message, and the first asker's rendered whole to compare.
    expect(renders()).toBe(4);
    expect(kept).toEqual(sayings.map((saying) => [slack(saying, 'text'), discord(saying, 'elsewhere')]));
  });

  it('gets exactly the message rendering it whole gives, whatever the address (generated)', async () => {
    const talks = [conversation(true), conversation(false)];
    const { slack, keptSlack, discord, keptDiscord } = renderers();
    const localPart = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789._+-&<>*~|#`[]\\é\uE000\uE001'),
      minLength: 1,
      maxLength: 12,
    });
    await fc.assert(
      fc.asyncProperty(
        localPart,
        fc.constantFrom('hosted.test', 'elsewhere.test', 'gmail.com'),
        fc.constantFrom('', ' imap', ' pop', ' smtp', ' imap outlook', ' all thunderbird'),
        fc.boolean(),
        fc.boolean(),
        async (local, domain, rest, links, isPrivate) => {
          const saying = await sayingFor(
            talks[links ? 0 : 1] as Conversation,
            `${local}@${domain}${rest}`,
            isPrivate,
          );
          expect(keptSlack(saying, 'text')).toEqual(slack(saying, 'text'));
          expect(keptSlack(saying, 'here')).toEqual(slack(saying, 'here'));
          expect(keptDiscord(saying, 'case')).toEqual(discord(saying, 'case'));
        },
      ),
      { numRuns: 300 },
    );
  });
});
