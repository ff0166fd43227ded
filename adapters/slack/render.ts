// Renders the neutral reply as a Slack Block Kit message (https://docs.slack.dev/reference/block-kit),
// within Block Kit's limits, with every piece of text escaped for mrkdwn so nothing a user typed can
// ping (<!channel>) or become a link, and with the plain-text fallback Slack shows in notifications.
import type { types } from '@slack/bolt';
import {
  checkToReply,
  clip,
  neutralizeText,
  type Reply,
  replyHead,
  replyToText,
  type Saying,
  settingsToReply,
  sharedBy,
  YOU_SHARED,
} from '../../src/index.js';

export const MAX_BLOCKS = 50;
export const MAX_HEADER = 150;
export const MAX_SECTION_TEXT = 3000;
export const MAX_FIELDS = 10;
export const MAX_FIELD_TEXT = 2000;
export const MAX_FALLBACK_TEXT = 4000;
export const SHARE_ACTION = 'mailsettings_share';
export const ASK_PERSON_ACTION = 'mailsettings_ask_person';
/** The two buttons under "Resolved by …"; their value is the case id. */
export const RATE_ACTIONS = [
  { actionId: 'mailsettings_rate_helpful', label: 'Helpful', helpful: true },
  { actionId: 'mailsettings_rate_not_helpful', label: 'Not helpful', helpful: false },
] as const;

export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * Escapes the three characters mrkdwn treats as control characters (Slack's "Formatting text" guide), after
 * removing what could make text read otherwise than it is (bidi overrides, control characters).
 */
export function escapeMrkdwn(text: string): string {
  return neutralizeText(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * `clip(escapeMrkdwn(text), max)`, escaping no more than can be shown: escaping treats each character on its
 * own (and may drop some), so the escape of a text's head is the head of its escape.
 */
function escapeClipped(text: string, max: number): string {
  const head = escapeMrkdwn(text.slice(0, max + 1));
  return clip(text.length > max + 1 && head.length <= max ? `${head}…` : head, max);
}

/** `share` is the question to post again when the asker presses "Share in channel". */
export function replyToBlockKit(
  reply: Reply,
  options: { share?: string; footer?: string } = {},
): SlackMessage {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(reply.title, MAX_HEADER) } },
  ];
  // Header, notes, context and actions always fit: sections give way first.
  for (const section of reply.sections.slice(0, MAX_BLOCKS - 4)) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(`*${escapeClipped(section.title, MAX_SECTION_TEXT)}*`, MAX_SECTION_TEXT),
      },
      fields: section.fields.slice(0, MAX_FIELDS).map((field) => ({
        type: 'mrkdwn',
        text: clip(
          `*${escapeClipped(field.label, MAX_FIELD_TEXT)}*\n${escapeClipped(field.value, MAX_FIELD_TEXT)}`,
          MAX_FIELD_TEXT,
        ),
      })),
    });
  }
  if (reply.notes.length > 0) {
    const notes = reply.notes
      .slice(0, MAX_SECTION_TEXT)
      .map((note) => `• ${escapeClipped(note, MAX_SECTION_TEXT)}`)
      .join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(notes, MAX_SECTION_TEXT) } });
  }
  const context = [reply.source, options.footer].filter((line): line is string => Boolean(line));
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: escapeClipped(context.join(' · '), MAX_SECTION_TEXT) }],
  });
  if (options.share) {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: SHARE_ACTION,
          text: { type: 'plain_text', text: 'Share in channel' },
          value: clip(options.share, MAX_FIELD_TEXT),
        },
      ],
    });
  }
  return {
    text: escapeClipped(replyToText(replyHead(reply, MAX_FALLBACK_TEXT)), MAX_FALLBACK_TEXT),
    blocks: blocks.slice(0, MAX_BLOCKS),
  };
}

/** A one-line message (usage, slow down, apology), escaped. */
export function lineToBlockKit(line: string): SlackMessage {
  const text = clip(escapeMrkdwn(line), MAX_SECTION_TEXT);
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] };
}

/**
 * What the conversation says, as one Slack message. With `askPerson` (support cases are on) everything said to
 * the asker carries an "Ask a person" button that turns the question into a case.
 */
export function sayingToBlockKit(saying: Saying, options: { askPerson?: boolean } = {}): SlackMessage {
  const message = sayingMessage(saying);
  const toAsker = saying.said.kind !== 'shared';
  // The button keeps the program the question named, to preset it in the modal.
  const asked = [saying.asked, saying.program].filter(Boolean).join(' ');
  return options.askPerson && toAsker ? withAskPerson(message, asked) : message;
}

function sayingMessage({ said }: Saying): SlackMessage {
  switch (said.kind) {
    case 'line':
      return lineToBlockKit(said.usage ? `${said.text} ${said.usage}` : said.text);
    case 'answer':
      return replyToBlockKit(
        settingsToReply(said.answer.settings),
        said.shareAs ? { share: said.shareAs } : {},
      );
    case 'checked':
      return repliesToBlockKit([settingsToReply(said.answer.settings), checkToReply(said.report)]);
    case 'shared':
      return replyToBlockKit(settingsToReply(said.answer.settings), { footer: sharedBy(said.by) });
    case 'was-shared':
      return replyToBlockKit(settingsToReply(said.answer.settings), { footer: YOU_SHARED });
  }
}

/** Adds "Ask a person" beside the message's buttons (or as its own row), within the block limit. */
function withAskPerson(message: SlackMessage, asked: string): SlackMessage {
  const button: types.Button = {
    type: 'button',
    action_id: ASK_PERSON_ACTION,
    text: { type: 'plain_text', text: 'Ask a person' },
    value: clip(asked, MAX_FIELD_TEXT),
  };
  return withButton(message, button);
}

/**
 * Adds a button beside the message's last row of buttons (unless that row is `notBeside`), or as a row of its
 * own within the block limit.
 */
export function withButton(message: SlackMessage, button: types.Button, notBeside?: string): SlackMessage {
  const last = message.blocks.at(-1);
  if (last?.type === 'actions' && (notBeside === undefined || last.block_id !== notBeside))
    return {
      ...message,
      blocks: [...message.blocks.slice(0, -1), { ...last, elements: [...last.elements, button] }],
    };
  return {
    ...message,
    blocks: [...message.blocks.slice(0, MAX_BLOCKS - 1), { type: 'actions', elements: [button] }],
  };
}

/** Several replies in one message (the settings and their live check), still within Block Kit's limits. */
function repliesToBlockKit(replies: Reply[]): SlackMessage {
  const messages = replies.map((reply) => replyToBlockKit(reply));
  return {
    text: clip(messages.map((message) => message.text).join('\n\n'), MAX_FALLBACK_TEXT),
    blocks: messages.flatMap((message) => message.blocks).slice(0, MAX_BLOCKS),
  };
}
