import type { APIEmbed } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  DIAGNOSTICS_SHARE,
  embedLength,
  MAX_DESCRIPTION,
  MAX_FIELD_NAME,
  MAX_FIELD_VALUE,
  MAX_FIELDS,
  MAX_FOOTER,
  MAX_TITLE,
  MAX_TOTAL,
  replyToEmbed,
  reportsToEmbed,
} from '../../adapters/discord/embeds.js';
import { escapeDiscordText } from '../../adapters/discord/escape.js';
import type { Answer } from '../../src/index.js';
import { HOSTILE, hugeReply, realReplies } from '../support/replies.js';

function expectWithinLimits(embeds: APIEmbed[]) {
  expect(embeds.reduce((sum, embed) => sum + embedLength(embed), 0)).toBeLessThanOrEqual(MAX_TOTAL);
  for (const embed of embeds) {
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(MAX_TITLE);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(MAX_FOOTER);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(MAX_FIELDS);
    for (const field of embed.fields ?? []) {
      expect(field.name.length).toBeLessThanOrEqual(MAX_FIELD_NAME);
      expect(field.value.length).toBeLessThanOrEqual(MAX_FIELD_VALUE);
      expect(field.value.length).toBeGreaterThan(0);
    }
  }
}

const hostileAnswer = (): Answer => ({
  settings: {
    query: { input: HOSTILE, domain: 'example.com', protocol: 'all' },
    incoming: [],
    outgoing: [],
    source: { kind: 'mx', detail: HOSTILE.repeat(200) },
    notes: [],
  },
  reports: (['profile', 'autoconfig', 'srv', 'ispdb', 'mx'] as const).map((source) => ({
    source,
    status: 'failed',
    detail: HOSTILE.repeat(300),
    ms: 2000,
  })),
});

describe('Discord embeds', () => {
  it.each(realReplies())('$name fits every embed limit, with diagnostics beside it', ({ reply }) => {
    const settings = replyToEmbed(reply, MAX_TOTAL - DIAGNOSTICS_SHARE);
    expectWithinLimits([settings, reportsToEmbed(hostileAnswer())]);
    expect(settings.fields?.length).toBe(reply.sections.length);
  });

  it('shortens a reply far past every limit instead of letting Discord reject it', () => {
    const embed = replyToEmbed(hugeReply());
    expectWithinLimits([embed]);
    expect(embed.title?.endsWith('…')).toBe(true);
    expectWithinLimits([
      replyToEmbed(hugeReply(), MAX_TOTAL - DIAGNOSTICS_SHARE),
      reportsToEmbed(hostileAnswer()),
    ]);
  });

  it('names the sources stopped after a better one answered as not needed, not as late', () => {
    const answer: Answer = {
      ...hostileAnswer(),
      settings: { ...hostileAnswer().settings, source: { kind: 'profile', detail: 'Hosted by us' } },
      reports: [
        { source: 'profile', status: 'found', detail: 'Hosted by us', ms: 20 },
        { source: 'autoconfig', status: 'pending', detail: '', ms: 0 },
      ],
    };
    expect(reportsToEmbed(answer).fields?.map((field) => field.name)).toEqual([
      'profile: found (20 ms)',
      "autoconfig: not needed: the company's own server answered",
    ]);
  });

  it('escapes markdown in user text', () => {
    const embed = replyToEmbed({
      title: 't',
      sections: [{ title: 's', fields: [{ label: 'Username', value: '*bold* `x`' }] }],
      notes: ['_a_'],
      source: 's',
    });
    expect(embed.fields?.[0]?.value).toBe('**Username:** \\*bold\\* \\`x\\`');
    expect(embed.description).toBe('• \\_a\\_');
  });

  it.each([
    [
      '[Verify it at help.web-hosting.com](https://evil.test)',
      '\\[Verify it at help.web-hosting.com\\](https://evil.test)',
    ],
    ['See https://help.example.com/email_settings*new*', 'See https://help.example.com/email_settings*new*'],
    ['[x](<https://evil.test>)', '\\[x\\](\\<https://evil.test>)'],
    ['<@123> <#456> <t:1:R> @everyone', '\\<@123\\> \\<\\#456\\> \\<t:1:R\\> @everyone'],
    ['# Heading\n- item\n  12. item\n> quote', '\\# Heading\n\\- item\n  12\\. item\n\\> quote'],
    [
      '||spoiler|| ~~gone~~ __under__ `code` \\',
      '\\|\\|spoiler\\|\\| \\~\\~gone\\~\\~ \\_\\_under\\_\\_ \\`code\\` \\\\',
    ],
    [
      'server1.web-hosting.com port 993 (SSL/TLS) - 2-3 ms',
      'server1.web-hosting.com port 993 (SSL/TLS) - 2-3 ms',
    ],
  ])('escapes %j so it shows as typed', (text, escaped) => {
    expect(escapeDiscordText(text)).toBe(escaped);
  });

  // A quadratic escape would not finish within the test's timeout; no timing is asserted.
  it('escapes 4 MB of markup in one linear pass', () => {
    for (const piece of ['[a](', '*_', 'https://a.test/', '\n- ', '\n   1']) {
      const text = piece.repeat(4_000_000 / piece.length);
      expect(escapeDiscordText(text).length).toBeGreaterThanOrEqual(text.length);
    }
  });
});
