// The Apple profile's PayloadIdentifier (src/setup/mobileconfig.ts, identifierPart). Apple: "A reverse-DNS style
// identifier … This string is used to determine whether a new profile should replace an existing one or should
// be added." Two different addresses never share one.
import { parse as parsePlist } from 'plist';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsToMobileconfig } from '../../src/index.js';
import { OPERATOR, type SetupWorld, startSetupWorld } from '../support/setup-world.js';

let setup: SetupWorld;
beforeAll(async () => {
  // at-hosted.test is hosted here too, beside hosted.test.
  setup = await startSetupWorld([{ name: 'at-hosted.test', type: 'MX', priority: 10, exchange: OPERATOR }]);
});
afterAll(() => setup?.close());

async function identifiers(question: string): Promise<string[]> {
  const profile = await settingsToMobileconfig(await setup.answer(question));
  if (!profile.ok) throw new Error(profile.error);
  const parsed = parsePlist(profile.value) as {
    PayloadIdentifier: string;
    PayloadContent: { PayloadIdentifier: string }[];
  };
  return [parsed.PayloadIdentifier, ...parsed.PayloadContent.map((payload) => payload.PayloadIdentifier)];
}

describe('profiles for different addresses', () => {
  it.each([
    ['john_doe@hosted.test', 'john-doe@hosted.test'],
    ['alice+shop@hosted.test', 'alice-shop@hosted.test'],
    ['x-at@hosted.test', 'x@at-hosted.test'],
  ])('%s and %s get different identifiers, so installing one never replaces the other', async (a, b) => {
    const [first, second] = await Promise.all([identifiers(a), identifiers(b)]);
    expect(first[0]).not.toBe(second[0]);
    for (const id of first) expect(second).not.toContain(id);
  });
});
