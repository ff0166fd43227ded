// The conversation around a pasted error, as every chat front end gets it: the asker's rate limit, the live
// check only for those who may run it (and under its own limit), and an apology with a reference when
// something breaks, logged without the paste.
import { afterAll, describe, expect, it } from 'vitest';
import type { ExplainResponder, ExplainSaid, Resolver } from '../../src/index.js';
import { createLogger } from '../../src/index.js';
import { checkSettings, createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { resolverIn, startWorld } from '../support/world.js';

// example.test exists (an address): answered with the hosting template, as a domain nobody publishes for.
const world = await startWorld({ records: [{ name: 'example.test', type: 'A', address: '192.0.2.1' }] });
afterAll(() => world.close());

/** Everything said, in order; acknowledgements as lines marked `progress`. */
function recorder() {
  const said: (ExplainSaid | { kind: 'progress'; text: string })[] = [];
  const responder: ExplainResponder = {
    answer: async (what) => void said.push(what),
    acknowledge: async (text) => void said.push({ kind: 'progress', text }),
    replace: async (what) => void said.push(what),
  };
  return { said, responder };
}

const asked = (audience: 'customer' | 'staff', user = 'U1') => ({
  text: 'alice@example.test imap',
  user,
  audience,
  private: true,
  via: 'test',
});

function conversation(options: { customersMayCheck: boolean; resolver?: Resolver; questions?: number }) {
  const logs: string[] = [];
  const checks: string[] = [];
  const lookup = world.resolverOptions().dns.addresses;
  const deps = chatDeps({
    resolver: options.resolver ?? resolverIn(world),
    limiter: createRateLimiter({ limit: options.questions ?? 100 }),
    log: createLogger((line) => logs.push(line)),
    check: {
      run: (settings) => {
        checks.push(settings.query.domain);
        return checkSettings(settings, { lookup, allowPrivate: true, deadlineMs: 1000 });
      },
      limiter: createRateLimiter({ limit: 1 }),
    },
    customersMayCheck: options.customersMayCheck,
  });
  return { explain: deps.conversation.explain, logs, checks };
}

const CERTIFICATE = 'Cannot Verify Server Identity.';

describe('the conversation explains a pasted error', () => {
  it('runs the live check for staff, and for customers only when the operator allows it', async () => {
    const closed = conversation({ customersMayCheck: false });
    const customer = recorder();
    await closed.explain(asked('customer'), CERTIFICATE, customer.responder);
    expect(closed.checks).toEqual([]);
    expect(customer.said.at(-1)).toMatchObject({
      kind: 'explained',
      explained: { checkForStaff: true, explanation: { confirmed: null } },
    });
    const staff = recorder();
    await closed.explain(asked('staff'), CERTIFICATE, staff.responder);
    expect(closed.checks).toEqual(['example.test']);
    expect(staff.said[0]).toEqual({ kind: 'progress', text: 'Checking the mail servers for example.test…' });
    expect(staff.said.at(-1)).toMatchObject({
      kind: 'explained',
      explained: { explanation: { confirmed: false } },
    });
  });

  it('keeps the checks’ own limit: past it, the diagnosis comes without a check', async () => {
    const open = conversation({ customersMayCheck: true });
    await open.explain(asked('customer', 'U2'), CERTIFICATE, recorder().responder);
    const second = recorder();
    await open.explain(asked('customer', 'U2'), CERTIFICATE, second.responder);
    expect(open.checks).toEqual(['example.test']);
    expect(second.said.at(-1)).toMatchObject({ explained: { explanation: { confirmed: null } } });
  });

  it('says to slow down past the asker’s limit, before any lookup', async () => {
    const limited = conversation({ customersMayCheck: false, questions: 1 });
    await limited.explain(asked('customer', 'U3'), '0x800CCC0E', recorder().responder);
    const again = recorder();
    await limited.explain(asked('customer', 'U3'), '0x800CCC0E', again.responder);
    expect(again.said).toEqual([
      { kind: 'line', text: expect.stringMatching(/^You are asking faster than I can look things up/) },
    ]);
  });

  it('apologises with a reference when the lookup breaks, and logs it without the paste', async () => {
    const broken = { answer: () => Promise.reject(new Error('resolver down')), isCached: () => false };
    const failing = conversation({ customersMayCheck: false, resolver: broken as unknown as Resolver });
    const { said, responder } = recorder();
    await failing.explain(
      asked('customer', 'U4'),
      'password: hunter2 535 5.7.8 Error: authentication failed',
      responder,
    );
    const [apology] = said;
    expect(apology).toEqual({
      kind: 'line',
      text: expect.stringMatching(/^Sorry, something went wrong.*\(reference [0-9a-f]{8}\)$/),
    });
    const reference = /reference ([0-9a-f]{8})/.exec((apology as { text: string }).text)?.[1];
    const logged = failing.logs.join('\n');
    expect(logged).toContain(reference);
    expect(logged).toContain('resolver down');
    expect(logged).not.toContain('hunter2');
    expect(logged).not.toContain('5.7.8');
  });
});
