import { describe, expect, it } from 'vitest';
import {
  escapeMrkdwn,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_FIELD_TEXT,
  MAX_FIELDS,
  MAX_HEADER,
  MAX_SECTION_TEXT,
  replyToBlockKit,
  type SlackMessage,
} from '../../adapters/slack/render.js';
import { clip, type Reply, replyHead, replyToText } from '../../src/index.js';
import { HOSTILE, hugeReply, realReplies } from '../support/replies.js';

type AnyBlock = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: { text?: unknown; value?: string }[];
};

/** Block Kit's documented limits, checked on the rendered message. */
function expectWithinLimits(message: SlackMessage) {
  const blocks = message.blocks as AnyBlock[];
  expect(blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  expect(message.text.length).toBeLessThanOrEqual(MAX_FALLBACK_TEXT);
  for (const block of blocks) {
    if (block.type === 'header') expect(block.text?.text.length).toBeLessThanOrEqual(MAX_HEADER);
    if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect((block.fields ?? []).length).toBeLessThanOrEqual(MAX_FIELDS);
    for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(MAX_FIELD_TEXT);
    for (const element of block.elements ?? []) {
      const text =
        typeof element.text === 'string'
          ? element.text
          : (element.text as { text: string } | undefined)?.text;
      expect((text ?? '').length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    }
  }
}

/** Nothing a user typed may reach Slack as markup: no <!…>, <@…> or <http…> outside escaped form. */
function expectNoLiveMarkup(message: SlackMessage) {
  // Everything Slack shows, context lines included; a button's value is data, never shown.
  const hidden = (block: object) =>
    'elements' in block && Array.isArray(block.elements)
      ? { ...block, elements: block.elements.map(({ value: _value, ...shown }: { value?: string }) => shown) }
      : block;
  const shown = JSON.stringify(message.blocks.map(hidden)) + message.text;
  expect(shown).not.toMatch(/<[!@#]|<https?:/);
}

describe('Block Kit rendering', () => {
  it.each(realReplies())('$name stays within every Block Kit limit and escapes user text', ({ reply }) => {
    const message = replyToBlockKit(reply, { share: 'example.com all' });
    expectWithinLimits(message);
    expectNoLiveMarkup(message);
  });

  it('clips a hostile reply far past every limit instead of letting Slack reject it', () => {
    const message = replyToBlockKit(hugeReply(), { share: HOSTILE.repeat(100), footer: HOSTILE.repeat(100) });
    expectWithinLimits(message);
    expectNoLiveMarkup(message);
    expect((message.blocks[0] as AnyBlock).text?.text.endsWith('…')).toBe(true);
  });

  it('escapes only what it shows: the same message as escaping the whole reply, in a fraction of the work', () => {
    const long = HOSTILE.repeat(30);
    const large: Reply = {
      title: `Mail settings ${long}`,
      sections: Array.from({ length: 60 }, (_, i) => ({
        title: `${i} ${long}`,
        fields: Array.from({ length: 12 }, () => ({ label: long, value: long })),
      })),
      notes: Array.from({ length: 8 }, () => long),
      source: long,
    };
    const message = replyToBlockKit(large);
    expect(message.text).toBe(clip(escapeMrkdwn(replyToText(large)), MAX_FALLBACK_TEXT));
    const field = (message.blocks[1] as AnyBlock).fields?.[0]?.text;
    expect(field).toBe(clip(`*${escapeMrkdwn(long)}*\n${escapeMrkdwn(long)}`, MAX_FIELD_TEXT));
    expect(replyToText(replyHead(large, 500)).slice(0, 501)).toBe(replyToText(large).slice(0, 501));
  });

  it('escapes the source line and the "Shared by" name in the context block, & included', () => {
    const reply = { title: 't', sections: [], notes: [], source: 'Source: <!channel> &lt;!here&gt;' };
    const context = replyToBlockKit(reply, { footer: 'Shared by <@U1>' }).blocks.at(-1) as AnyBlock;
    expect(context.type).toBe('context');
    expect(JSON.stringify(context)).toContain(
      'Source: &lt;!channel&gt; &amp;lt;!here&amp;gt; · Shared by &lt;@U1&gt;',
    );
  });
});
