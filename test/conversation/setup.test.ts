// What the one conversation offers for setting up the customer's mail program, the same for every chat front
// end: a program named at the end of the question becomes steps, an unknown one a line listing the known
// ones, no program the choice of all of them, Apple's steps the profile, and every answer a signed link.
// Driven through an in-memory Responder, with the real resolver against the loopback set-up world.
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Asked,
  createLogger,
  PROGRAMS,
  type Responder,
  type Said,
  type Saying,
} from '../../src/index.js';
import {
  createConversation,
  createRateLimiter,
  LINK_LIFETIME_MS,
  verifySetupLink,
} from '../../src/testing.js';
import { OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

const SECRET = 'conversation-test-secret-0123456789abcdef';
const BASE = 'https://bot.example.test/';
const NOW = Date.parse('2030-06-01T08:00:00Z');

let setup: SetupWorld;
beforeAll(async () => {
  setup = await startSetupWorld();
});
afterAll(() => setup?.close());

function conversation(links = true) {
  return createConversation({
    resolver: setup.resolver,
    limiter: createRateLimiter(),
    log: createLogger(() => {}),
    ...(links
      ? {
          setup: {
            links: { secret: SECRET, baseUrl: BASE },
            organization: 'Example Web Hosting',
            now: () => NOW,
          },
        }
      : {}),
  });
}

/** Asks privately, as the Slack command does, and returns everything said (there is no acknowledgement). */
async function ask(text: string, options: { links?: boolean; extra?: Partial<Asked> } = {}) {
  const said: Saying[] = [];
  const responder: Responder = {
    answer: async (saying) => void said.push(saying),
    replace: async (saying) => void said.push(saying),
  };
  await conversation(options.links).ask(
    { text, user: 'U1', audience: 'customer', private: true, via: 'test', ...options.extra },
    responder,
  );
  expect(said).toHaveLength(1);
  return said[0] as Saying;
}

function answerOf(saying: Saying): Extract<Said, { kind: 'answer' }> {
  if (saying.said.kind !== 'answer')
    throw new Error(`expected an answer, got ${JSON.stringify(saying.said)}`);
  return saying.said;
}

describe('the conversation with a program at the end of the question', () => {
  it('answers with the settings and the steps for that program, named as the question had it', async () => {
    const saying = await ask('alice@hosted.test imap outlook');
    const said = answerOf(saying);
    expect(said.answer.settings.query).toMatchObject({ email: 'alice@hosted.test', protocol: 'imap' });
    const guide = said.setup.guide;
    if (!guide?.ok) throw new Error('no steps');
    expect(guide.value.program).toBe('outlook');
    const values = guide.value.steps.flatMap((step) => step.values.map((value) => value.value));
    expect(values).toContain(OPERATOR);
    expect(values).toContain('alice@hosted.test');
    // Sharing it posts the same steps; a case opened from it asks the question without the program.
    expect(said.shareAs).toBe('alice@hosted.test imap outlook');
    expect(saying.asked).toBe('alice@hosted.test imap');
    expect(said.setup.programs).toEqual([]);
    expect(said.setup.profile).toBeUndefined();
  });

  it('adds the Apple profile to Apple’s steps, and says why there is none for modern sign-in', async () => {
    const apple = answerOf(await ask('alice@hosted.test imap iphone')).setup.profile;
    if (!apple?.ok) throw new Error('no profile');
    expect(apple.value).toMatchObject({
      name: 'hosted.test.mobileconfig',
      type: 'application/x-apple-aspen-config',
    });
    const plist = parsePlist(apple.value.content) as {
      PayloadOrganization: string;
      PayloadContent: Record<string, unknown>[];
    };
    expect(plist.PayloadOrganization).toBe('Example Web Hosting');
    expect(plist.PayloadContent[0]).toMatchObject({
      EmailAddress: 'alice@hosted.test',
      IncomingMailServerHostName: OPERATOR,
      IncomingMailServerUsername: 'alice@hosted.test',
    });
    const modern = answerOf(await ask('dan@office365.com imap iphone')).setup;
    expect(modern.guide?.ok).toBe(true);
    expect(modern.profile).toEqual({ ok: false, error: expect.stringMatching(/needs modern sign-in/) });
  });

  it('says which programs it knows when the one named is not, before looking anything up', async () => {
    const saying = await ask('alice@hosted.test imap notepad');
    expect(saying.said).toEqual({
      kind: 'line',
      text: `I have no steps for “notepad”. Choose one of: ${PROGRAMS.join(', ')}.`,
    });
  });

  it('answers an SMTP-only question with the line saying why there are no steps, and still the settings', async () => {
    const said = answerOf(await ask('alice@hosted.test smtp thunderbird'));
    expect(said.answer.settings.outgoing[0]?.hostname).toBe(OPERATOR);
    expect(said.setup.guide).toEqual({
      ok: false,
      error: expect.stringMatching(/^Set-up steps need the incoming server too/),
    });
  });
});

describe('the conversation without a program', () => {
  it('offers every program, with the question a choice is added to', async () => {
    const said = answerOf(await ask('alice@hosted.test pop'));
    expect(said.setup.guide).toBeUndefined();
    expect(said.setup.programs).toEqual(PROGRAMS);
    expect(said.setup.question).toBe('alice@hosted.test pop');
  });

  it('offers no program for an answer without an incoming server', async () => {
    expect(answerOf(await ask('hosted.test smtp')).setup.programs).toEqual([]);
  });
});

describe('the set-up page link', () => {
  it('comes with every answer, signed for the question and valid for a day', async () => {
    const { link } = answerOf(await ask('Alice@Hosted.test pop')).setup;
    expect(link).toMatch(/^https:\/\/bot\.example\.test\/setup\/[\w-]+\.[\w-]+$/);
    const token = link?.split('/').at(-1) ?? '';
    const verified = verifySetupLink(token, SECRET, NOW);
    expect(verified).toEqual({
      ok: true,
      value: {
        question: { domain: 'hosted.test', email: 'alice@hosted.test', protocol: 'pop' },
        expiresAt: NOW + LINK_LIFETIME_MS,
      },
    });
    expect(verifySetupLink(token, SECRET, NOW + LINK_LIFETIME_MS)).toEqual({ ok: false, error: 'expired' });
    expect(verifySetupLink(token, `${SECRET}x`, NOW)).toEqual({ ok: false, error: 'tampered' });
  });

  it('is the same link for everyone who asks while the answer is cached, and a fresh one after an hour', async () => {
    let clock = NOW;
    const talk = createConversation({
      resolver: setup.resolver,
      limiter: createRateLimiter(),
      log: createLogger(() => {}),
      setup: { links: { secret: SECRET, baseUrl: BASE }, now: () => clock },
    });
    const offer = async (user: string) => {
      const said: Saying[] = [];
      const keep = async (saying: Saying) => void said.push(saying);
      await talk.ask(
        { text: 'alice@hosted.test pop', user, audience: 'customer', private: true, via: 'test' },
        { answer: keep, replace: keep },
      );
      return answerOf(said[0] as Saying).setup;
    };
    const first = await offer('U1');
    clock += 59 * 60_000;
    expect(await offer('U2')).toBe(first);
    clock += 2 * 60_000;
    const renewed = await offer('U3');
    expect(renewed).not.toBe(first);
    const token = renewed.link?.split('/').at(-1) ?? '';
    expect(verifySetupLink(token, SECRET, clock)).toMatchObject({
      ok: true,
      value: { expiresAt: clock + LINK_LIFETIME_MS },
    });
  });

  it('is left out when links are not configured', async () => {
    expect(answerOf(await ask('alice@hosted.test pop', { links: false })).setup.link).toBeUndefined();
  });
});
