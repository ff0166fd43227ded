// The staff view's embeds stay within Discord's 6000 characters even when a provider's autoconfig file (fetched
// from a host the customer's MX points at) carries a very long display name, which becomes the answer's source
// line (the embed footer): the footer gets a share of the room, and a description with no room left is none.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedLength, MAX_TOTAL } from '../../adapters/discord/embeds.js';
import { sayingToDiscord } from '../../adapters/discord/render.js';
import type { Answer, Saying } from '../../src/index.js';
import { buildSettings } from '../../src/resolve/build-settings.js';
import { setupOffer } from '../../src/setup/setup-offer.js';
import { parseConfigXml } from '../../src/testing.js';
import { FIXTURES } from '../support/world.js';

const NAME = 'Evil Mail '.repeat(400); // a displayName from autoconfig.evil.test, as long as the file likes

async function hostileSaying(): Promise<Saying> {
  const parsed = parseConfigXml(readFileSync(join(FIXTURES, 'googlemail.com.xml'), 'utf8'));
  if (!parsed.ok) throw new Error(parsed.error);
  const detail = `Mail for example.com goes to mx.evil.test: settings for evil.test from autoconfig.evil.test (${NAME})`;
  const settings = buildSettings(
    { input: 'alice@example.com', domain: 'example.com', email: 'alice@example.com', protocol: 'all' },
    { ...parsed.value, name: NAME },
    { kind: 'mx', detail },
  );
  const answer: Answer = {
    settings,
    reports: (['profile', 'autoconfig', 'srv', 'ispdb', 'mx'] as const).map((source) => ({
      source,
      status: source === 'mx' ? 'found' : 'none',
      detail: source === 'mx' ? detail : `nothing published for example.com by ${source} (looked everywhere)`,
      ms: 20,
    })),
  };
  const setup = await setupOffer(settings, { question: 'alice@example.com all', program: 'thunderbird' });
  expect(setup.guide?.ok).toBe(true);
  return {
    said: { kind: 'answer', answer, private: true, shareAs: 'alice@example.com all thunderbird', setup },
    asked: 'alice@example.com all thunderbird',
    program: 'thunderbird',
  };
}

describe('embed budget with a long source line', () => {
  it('keeps the private staff answer with steps within 6000 characters', async () => {
    const message = sayingToDiscord(await hostileSaying());
    const total = (message.embeds ?? []).reduce((sum, embed) => sum + embedLength(embed), 0);
    expect(total).toBeLessThanOrEqual(MAX_TOTAL);
  });
});

describe('replyToEmbed when the title and footer already fill the budget', () => {
  it('adds no description beyond the budget (clip to 0 characters must give nothing)', async () => {
    const { replyToEmbed } = await import('../../adapters/discord/embeds.js');
    const embed = replyToEmbed(
      {
        title: 'Mail settings for example.com (IMAP)',
        sections: [],
        notes: ['n'.repeat(3000), 'm'.repeat(3000)],
        source: 's'.repeat(2000),
      },
      2000,
    );
    expect(embedLength(embed)).toBeLessThanOrEqual(2000 + 256);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
  });
});
