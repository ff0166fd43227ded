// Renders what an answer offers for setting up the customer's mail program as Block Kit, after the settings
// and before the message's own buttons: the program's steps (the core's guide Reply, rendered like the
// settings), the Apple profile as a note about the file or, without the scopes to upload it, as its text in
// code blocks, the set-up page link, and one button per program when the question named none. Every text is
// escaped for mrkdwn, and the message stays within Block Kit's 50 blocks.
import type { types } from '@slack/bolt';
import {
  clip,
  guideToReply,
  guideToText,
  PROGRAM_NAMES,
  type Said,
  type SetupFile,
  type SetupOffer,
} from '../../src/index.js';
import {
  escapeMrkdwn,
  lineToBlockKit,
  MAX_BLOCKS,
  MAX_FALLBACK_TEXT,
  MAX_FIELD_TEXT,
  MAX_SECTION_TEXT,
  replyToBlockKit,
  type SlackMessage,
} from './render.js';

/** Each program button's action id is this, a colon and the program; its value the question to ask. */
export const PROGRAM_ACTION = 'mailsettings_program';
export const PROGRAMS_BLOCK = 'mailsettings_programs';

/**
 * How the Apple profile travels: uploaded into this conversation, uploaded into the asker's direct messages
 * (a private answer), as text in the message (no files:write), or not at all (a shared copy of an answer).
 */
export type ProfileAs = 'here' | 'direct-message' | 'text' | 'none';

/**
 * The message (sayingToBlockKit's) with the set-up offer of what was said: all of it with an answer to the
 * asker; the steps and the link alone on a copy shared for everyone and on the answer it came from.
 */
export function withSetup(message: SlackMessage, said: Said, profileAs: ProfileAs): SlackMessage {
  if (said.kind === 'line') return message;
  const toAsker = said.kind === 'answer' || said.kind === 'checked';
  const setup = setupToBlockKit(said.setup, {
    profileAs: toAsker ? profileAs : 'none',
    programs: toAsker,
  });
  if (setup.blocks.length === 0) return message;
  // The message's own buttons (Share, Ask a person) stay last; the settings before them are never cut.
  const last = message.blocks.at(-1);
  const tail = last?.type === 'actions' ? [last] : [];
  const head = message.blocks.slice(0, message.blocks.length - tail.length);
  const room = Math.max(MAX_BLOCKS - head.length - tail.length, 0);
  return {
    text: clip(`${message.text}\n\n${setup.text}`, MAX_FALLBACK_TEXT),
    blocks: [...head, ...setup.blocks.slice(0, room), ...tail],
  };
}

interface SetupRenderOptions {
  profileAs: ProfileAs;
  /** Offer the program buttons. */
  programs: boolean;
}

function setupToBlockKit(setup: SetupOffer, options: SetupRenderOptions): SlackMessage {
  const parts: SlackMessage[] = [];
  const { guide, profile } = setup;
  if (guide?.ok) {
    const reply = guideToReply(guide.value);
    // Why there is no profile belongs with the steps it would have replaced.
    const notes = profile && !profile.ok ? [...reply.notes, profile.error] : reply.notes;
    parts.push({ ...replyToBlockKit({ ...reply, notes }), text: escapeMrkdwn(guideToText(guide.value)) });
  } else if (guide) parts.push(lineToBlockKit(guide.error));
  if (profile?.ok && options.profileAs !== 'none')
    parts.push(profileMessage(profile.value, options.profileAs, setup.link));
  if (setup.link) parts.push(linkMessage(setup.link));
  if (options.programs && setup.programs.length > 0) parts.push(programsMessage(setup));
  return {
    text: parts.map((part) => part.text).join('\n\n'),
    blocks: parts.flatMap((part) => part.blocks),
  };
}

/** What to do with the profile on a phone, where a file from a chat app cannot be installed. */
export const onPhones = (link: string | undefined) =>
  link
    ? 'On an iPhone or iPad, open the set-up page in Safari instead.'
    : 'On an iPhone or iPad, follow the steps instead: they install profiles only from Safari.';

function profileMessage(file: SetupFile, as: Exclude<ProfileAs, 'none'>, link?: string): SlackMessage {
  if (as === 'text') return profileAsText(file);
  const where = as === 'here' ? 'follows as a file' : 'comes as a file in your direct messages with me';
  const text = `The Apple profile, ${escapeMrkdwn(file.name)}, ${where}: open it on the Mac to install it. ${onPhones(link)}`;
  return { text, blocks: [{ type: 'context', elements: [{ type: 'mrkdwn', text }] }] };
}

/** The file's text in code blocks, split at line ends so each section stays within Slack's limit. */
function profileAsText(file: SetupFile): SlackMessage {
  const intro = `*Apple profile:* save the text below as a file named ${escapeMrkdwn(file.name)} and open it on the Mac.`;
  const fence = '```';
  const room = MAX_SECTION_TEXT - 2 * fence.length - 2;
  const chunks: string[] = [];
  let chunk = '';
  for (const line of escapeMrkdwn(file.content).split('\n')) {
    if (chunk && chunk.length + line.length + 1 > room) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk = chunk ? `${chunk}\n${clip(line, room)}` : clip(line, room);
  }
  if (chunk) chunks.push(chunk);
  const sections = chunks.map((text) => `${fence}\n${text}\n${fence}`);
  return {
    text: intro,
    blocks: [intro, ...sections].map(
      (text): types.KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } }),
    ),
  };
}

function linkMessage(link: string): SlackMessage {
  const text = `*Set-up page for phones:* <${escapeMrkdwn(link)}|open it in Safari on the iPhone or iPad> to install the profile; it has the steps for every program too and works for a day.`;
  return {
    text: `Set-up page for phones: ${escapeMrkdwn(link)}`,
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}

function programsMessage(setup: SetupOffer): SlackMessage {
  const text = 'Steps for your mail program: choose it.';
  return {
    text,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${text}*` } },
      {
        type: 'actions',
        block_id: PROGRAMS_BLOCK,
        elements: setup.programs.map((program) => ({
          type: 'button',
          action_id: `${PROGRAM_ACTION}:${program}`,
          text: { type: 'plain_text', text: PROGRAM_NAMES[program] },
          value: clip(`${setup.question} ${program}`, MAX_FIELD_TEXT),
        })),
      },
    ],
  };
}
