import { describe, expect, it } from 'vitest';
import { unwrapSlackText } from '../../adapters/slack/unwrap.js';
import { slackMarkup } from '../support/fake-slack.js';

describe('unwrapSlackText', () => {
  it.each([
    ['<mailto:alice@example.org|alice@example.org> pop', 'alice@example.org pop'],
    ['<http://example.com|example.com>', 'example.com'],
    ['<http://Example.COM|Example.COM> imap', 'Example.COM imap'],
    ['<https://www.example.com/path>', 'https://www.example.com/path'],
    ['<http://direct.test|google-hosted.test>', 'http://direct.test'],
    ['<https://evil.test|help.web-hosting.com>', 'https://evil.test'],
    ['<mailto:bob@example.org|alice@example.org>', 'mailto:bob@example.org'],
    ['<@U123> example.com', '  example.com'],
    ['<@U123|bot> <http://direct.test|direct.test> imap', '  direct.test imap'],
    ['<#C123|support> example.com', '#support example.com'],
    ['<!here> example.com', '@here example.com'],
    ['<!subteam^S123|@support> x', '@support x'],
    ['&lt;!channel&gt;', '<!channel>'],
    ['a&amp;lt;b', 'a&lt;b'],
    ['<http://a.test/?x=1&amp;y=2|a.test/?x=1&amp;y=2>', 'a.test/?x=1&y=2'],
    ['unclosed <@U1 example.com', 'unclosed <@U1 example.com'],
  ])('%s → %s', (sent, typed) => {
    expect(unwrapSlackText(sent)).toBe(typed);
  });

  it('gives back what was typed for everything the fake sends', () => {
    for (const typed of [
      'alice@example.org pop',
      'example.com imap',
      'a&b <c> d',
      'https://x.test/a?b=1&c=2',
    ]) {
      expect(unwrapSlackText(slackMarkup(typed).text)).toBe(typed);
    }
  });

  // The old mention pattern took seconds on 100 KB of this; a linear pass takes milliseconds on 4 MB. No timing
  // is asserted: a quadratic pass would not finish within the test's timeout.
  it('reads 4 MB of hostile markup in one linear pass', () => {
    for (const piece of ['<@A|', '<', '<http://a|', '&amp', '<!a^']) {
      const hostile = piece.repeat(4_000_000 / piece.length);
      expect(unwrapSlackText(hostile).length).toBeGreaterThan(0);
    }
  });
});
