import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shippedProviders } from '../../src/resolve/providers/dataset.js';
import type { Query } from '../../src/testing.js';
import { parseQuery } from '../../src/testing.js';
import { indexIspdb } from '../support/ispdb-index.js';
import { FIXTURES, resolverIn, startWorld, type World } from '../support/world.js';

// Agreement with the ISP database: every domain its files list, asked about on its own, is answered for that
// very domain from its entry (or from the dataset's entry that supersedes a stale one). Names like
// mail.gunmanet.jp or mail.am0.yahoodns.net are mail domains themselves, not servers of the domain below.
let world: World;
beforeAll(async () => {
  world = await startWorld({ records: [] });
});
afterAll(() => world?.close());

describe('agreement with the ISP database', () => {
  it('answers every domain the ISP database lists for itself, from its entry: 100 %', async () => {
    const index = await shippedProviders();
    const resolver = resolverIn(world, { deadlineMs: 10_000 });
    const domains = [...indexIspdb(FIXTURES).keys()].filter((name) => parseQuery(name).ok);
    const disagreeing: string[] = [];
    for (let at = 0; at < domains.length; at += 8) {
      await Promise.all(
        domains.slice(at, at + 8).map(async (domain) => {
          const parsed = parseQuery(domain);
          if (!parsed.ok) return;
          const { settings } = await resolver.answer(parsed.value.query as Query);
          const fromEntry =
            settings.source.kind === 'ispdb' ||
            (settings.source.kind === 'providers' && index.superseding(domain) !== undefined);
          if (settings.query.domain !== domain || !fromEntry) disagreeing.push(domain);
        }),
      );
    }
    const share = ((domains.length - disagreeing.length) / domains.length) * 100;
    console.info(`ISP database agreement: ${share.toFixed(1)} % of ${domains.length} domains`);
    expect(disagreeing).toEqual([]);
  }, 60_000);
});
