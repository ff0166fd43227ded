// The loopback world for the set-up tests: hosted.test's MX is the operator's server (a `profile` answer),
// elsewhere.test's mail is somewhere else, gmail.com and friends come from the ISP database fixtures, and
// any other name gets the hosting template.
import type { MailSettings, Resolver } from '../../src/index.js';
import { parseQuery } from '../../src/testing.js';
import type { DnsRecord } from './dns-server.js';
import { resolverIn, startWorld, TEST_PROFILE, type World } from './world.js';

export const OPERATOR = 'server1.web-hosting.test';

/** The POX Autodiscover request Outlook POSTs for `address`. */
export const autodiscoverRequest = (address: string) => `<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>${address}</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>`;

export interface SetupWorld {
  world: World;
  /** The bot's resolver, knowing the operator's servers. */
  resolver: Resolver;
  /** The settings the bot answers for a question typed as in chat ("alice@hosted.test imap"). */
  answer(question: string): Promise<MailSettings>;
  close(): Promise<void>;
}

export async function startSetupWorld(extra: DnsRecord[] = []): Promise<SetupWorld> {
  const world = await startWorld({
    records: [
      { name: OPERATOR, type: 'A', address: '203.0.113.10' },
      { name: 'hosted.test', type: 'MX', priority: 10, exchange: OPERATOR },
      { name: 'second.test', type: 'MX', priority: 10, exchange: OPERATOR },
      { name: 'elsewhere.test', type: 'MX', priority: 10, exchange: 'mx.elsewhere.test' },
      { name: 'mx.elsewhere.test', type: 'A', address: '198.51.100.7' },
      ...extra,
    ],
  });
  const resolver = resolverIn(world, { profile: TEST_PROFILE });
  return {
    world,
    resolver,
    async answer(question) {
      const parsed = parseQuery(question);
      if (!parsed.ok) throw new Error(`test question ${question}: ${parsed.error.message}`);
      return (await resolver.answer(parsed.value.query)).settings;
    },
    close: () => world.close(),
  };
}
