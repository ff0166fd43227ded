// The one conversation every chat front end has, driven through an in-memory Responder that records what
// the platform was asked to do; the resolver is the real one against the loopback DNS and ISP database.
// The Slack and Discord adapters are tested end to end over their wire protocols in test/slack/ and
// test/discord/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Asked,
  type Checker,
  createDns,
  createLogger,
  type Resolver,
  type Responder,
  type Saying,
} from '../../src/index.js';
import { type ConversationOptions, createConversation, createRateLimiter } from '../../src/testing.js';
import { type DnsServer, startDnsServer } from '../support/dns-server.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from '../support/world.js';

let world: World;
let slowDns: DnsServer;
beforeAll(async () => {
  [world, slowDns] = await Promise.all([
    startWorld({
      records: [{ name: 'direct.test', type: 'MX', priority: 10, exchange: 'server1.web-hosting.test' }],
    }),
    startDnsServer({ delayMs: 600, records: [{ name: 'slow.test', type: 'A', address: '198.51.100.80' }] }),
  ]);
});
afterAll(() => Promise.all([world?.close(), slowDns?.close()]));

/** A real resolver whose DNS answers only after 600 ms: slower than the inline wait. */
const slowResolver = () =>
  resolverIn(world, { dns: createDns({ servers: [slowDns.address], timeoutMs: 2000, tries: 1 }) });

/** What the platform was asked to do, in order: "answer line …", "acknowledge …", "replace answer …". */
function recorder(options: { acknowledges?: boolean } = {}) {
  const calls: string[] = [];
  const describe = ({ said }: Saying) => {
    switch (said.kind) {
      case 'line':
        return `line ${said.text}${said.usage ? ` | ${said.usage}` : ''}`;
      case 'answer':
        return `answer ${said.answer.settings.source.kind} private=${said.private} share=${said.shareAs ?? '-'}`;
      case 'checked':
        return `checked ${said.report.advice.join(' ')}`;
      case 'shared':
        return `shared by ${said.by}`;
      case 'was-shared':
        return 'was-shared';
    }
  };
  const responder: Responder = {
    answer: async (saying) => void calls.push(`answer ${describe(saying)}`),
    replace: async (saying) => void calls.push(`replace ${describe(saying)}`),
    post: async (saying) => void calls.push(`post ${describe(saying)}`),
    ...(options.acknowledges === false
      ? {}
      : { acknowledge: async (saying: Saying) => void calls.push(`acknowledge ${describe(saying)}`) }),
  };
  return { calls, responder };
}

const logs: string[] = [];
function conversation(overrides: Partial<ConversationOptions> = {}) {
  return createConversation({
    resolver: resolverIn(world, { profile: TEST_PROFILE }),
    limiter: createRateLimiter(),
    log: createLogger((line) => logs.push(line)),
    ...overrides,
  });
}

const customer = (text: string, extra: Partial<Asked> = {}): Asked => ({
  text,
  user: 'U1',
  audience: 'customer',
  private: true,
  via: 'test',
  ...extra,
});
const checker: Checker = async (settings) => ({ settings, results: [], advice: ['all good'], ms: 1 });

describe('the conversation', () => {
  it('answers help and an empty question with the usage, offering checks only to who may run them', async () => {
    const { calls, responder } = recorder();
    const talk = conversation({ check: { run: checker, limiter: createRateLimiter(), customersMay: false } });
    await talk.ask(customer('help'), responder);
    await talk.ask(customer('  ', { audience: 'staff' }), responder);
    expect(calls).toEqual([
      expect.stringMatching(
        /^answer line Usage: \/mailsettings <domain or email address> \[imap \| pop \| smtp \| all\]\. For example/,
      ),
      expect.stringMatching(/^answer line Usage: \/mailsettings .* \[check\]\. For example/),
    ]);
  });

  it('says what was wrong with a question, with the usage line to show after it', async () => {
    const { calls, responder } = recorder();
    await conversation().ask(customer('exa mple.com'), responder);
    expect(calls).toEqual([
      'answer line “exa mple.com” has a space in it. A domain is one word, like example.com. | Usage: /mailsettings <domain or email address> [imap | pop | smtp | all]',
    ]);
  });

  it('refuses a hostile paste by its length alone', async () => {
    const { calls, responder } = recorder();
    await conversation().ask(customer('<@A|'.repeat(25_000)), responder);
    expect(calls).toEqual([expect.stringMatching(/^answer line That is too long for a domain/)]);
  });

  it('asks a user to slow down past the limit, before any lookup', async () => {
    const { calls, responder } = recorder();
    const talk = conversation({ limiter: createRateLimiter({ limit: 1 }) });
    await talk.ask(customer('direct.test'), responder);
    await talk.ask(customer('direct.test'), responder);
    expect(calls[1]).toMatch(/^answer line You are asking faster than I can look things up/);
  });

  it('answers at once when the answer is quick, privately with the question to share', async () => {
    const { calls, responder } = recorder();
    await conversation().ask(customer('alice@direct.test pop'), responder);
    expect(calls).toEqual(['answer answer profile private=true share=alice@direct.test pop']);
  });

  it('says a mistyped domain does not exist and suggests the right one, with nothing to share', async () => {
    const { calls, responder } = recorder();
    await conversation().ask(customer('alice@gmial.com'), responder);
    expect(calls).toEqual([
      'answer line gmial.com does not exist on the internet (it has no mail server and no address), so there are no mail settings for it. Did you mean gmail.com? Ask again with the right spelling.',
    ]);
  });

  it('acknowledges at once when the answer is slow, then replaces the acknowledgement', async () => {
    const { calls, responder } = recorder();
    const talk = conversation({ resolver: slowResolver(), inlineWaitMs: 50 });
    await talk.ask(customer('slow.test', { private: false }), responder);
    expect(calls).toEqual([
      'acknowledge line Looking up slow.test…',
      'replace answer default private=false share=-',
    ]);
  });

  it('waits for the answer where nothing needs acknowledging (a message)', async () => {
    const { calls, responder } = recorder({ acknowledges: false });
    await conversation({ resolver: slowResolver(), inlineWaitMs: 50 }).ask(customer('slow.test'), responder);
    expect(calls).toEqual(['answer answer default private=true share=slow.test all']);
  });

  it('keeps live checks to staff unless customers may, and says when checks are off', async () => {
    const { calls, responder } = recorder();
    await conversation({ check: { run: checker, limiter: createRateLimiter(), customersMay: false } }).ask(
      customer('direct.test check'),
      responder,
    );
    await conversation().ask(customer('direct.test', { audience: 'staff', check: true }), responder);
    expect(calls).toEqual([
      'answer line Live checks are run by our support staff: ask here and we will check the servers for you.',
      'answer line Live checks are not enabled here.',
    ]);
  });

  it('acknowledges a check, then replaces it with the settings and what the check saw', async () => {
    const { calls, responder } = recorder();
    const talk = conversation({
      check: { run: checker, limiter: createRateLimiter({ limit: 1 }), customersMay: false },
    });
    await talk.ask(customer('direct.test', { audience: 'staff', check: true }), responder);
    await talk.ask(customer('direct.test check', { audience: 'staff' }), responder);
    expect(calls).toEqual([
      'acknowledge line Checking the mail servers for direct.test…',
      'replace checked all good',
      expect.stringMatching(/^answer line You are asking faster than I can look things up/),
    ]);
  });

  it('apologises with a reference, in place of the acknowledgement, and logs the failure with it', async () => {
    const { calls, responder } = recorder();
    const late = {
      answer: () => new Promise((_, reject) => setTimeout(() => reject(new Error('late failure')), 100)),
      isCached: () => false,
    } as unknown as Resolver;
    await conversation({ resolver: late, inlineWaitMs: 10 }).ask(
      customer('direct.test', { user: 'U9' }),
      responder,
    );
    expect(calls[0]).toBe('acknowledge line Looking up direct.test…');
    const reference = /reference ([0-9a-f]{8})\)$/.exec(calls[1] ?? '')?.[1];
    expect(calls[1]).toMatch(/^replace line Sorry, something went wrong/);
    expect(logs.find((line) => line.includes(`reference="${reference}"`))).toMatch(
      /user="U9".*late failure/s,
    );
  });

  it('shares: posts for everyone, then marks the private answer as shared', async () => {
    const { calls, responder } = recorder();
    const talk = conversation();
    const share = (question: string, key: string) =>
      talk.share({ question, by: 'Alice', user: 'U1', via: 'test', key }, responder);
    await share('alice@direct.test pop', 'm1');
    await share('alice@direct.test pop', 'm1'); // pressed again (or on another replica): not posted twice
    await share('not a question', 'm2');
    expect(calls).toEqual([
      'post shared by Alice',
      'replace was-shared',
      'replace was-shared',
      expect.stringMatching(/^answer line Sorry, something went wrong/),
    ]);
  });
});
