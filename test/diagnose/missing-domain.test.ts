// A pasted error for a domain that does not exist (a typo such as gmial.com): the explanation says so under the
// question, as the ordinary answer does, instead of advice about settings there are none of.
import { afterAll, describe, expect, it } from 'vitest';
import type { ExplainResponder, ExplainSaid } from '../../src/index.js';
import { createLogger } from '../../src/index.js';
import { checkSettings, createRateLimiter } from '../../src/testing.js';
import { chatDeps } from '../support/chat.js';
import { resolverIn, startWorld } from '../support/world.js';

const world = await startWorld({ records: [] });
afterAll(() => world.close());

function explainer() {
  const lookup = world.resolverOptions().dns.addresses;
  const deps = chatDeps({
    resolver: resolverIn(world),
    limiter: createRateLimiter({ limit: 100 }),
    log: createLogger(() => {}),
    check: {
      run: (settings) => checkSettings(settings, { lookup, allowPrivate: true, deadlineMs: 1000 }),
      limiter: createRateLimiter({ limit: 100 }),
    },
    customersMayCheck: true,
  });
  return deps.conversation.explain;
}

async function explain(paste: string, question: string): Promise<ExplainSaid> {
  const said: ExplainSaid[] = [];
  const responder: ExplainResponder = {
    answer: async (what) => void said.push(what),
    acknowledge: async () => {},
    replace: async (what) => void said.push(what),
  };
  await explainer()({ text: question, user: 'U1', audience: 'staff', via: 'test' }, paste, responder);
  return said.at(-1) as ExplainSaid;
}

describe('an error pasted for a domain that does not exist', () => {
  it.each([
    ['0x800CCC1A', 'encryption-mismatch'],
    ['Error: getaddrinfo ENOTFOUND mail.no-such-domain.test', 'host-not-found'],
  ])('%s: says the domain does not exist, never “use exactly these settings: .”', async (paste) => {
    const said = await explain(paste, 'alice@no-such-domain.test');
    const text = said.kind === 'line' ? said.text : JSON.stringify(said.reply.notes);
    // What the ordinary answer says for this domain (resolver's noSuchDomain sentence).
    expect(text).toContain('does not exist');
    expect(text).not.toMatch(/: \.|settings: \./);
  });
});
