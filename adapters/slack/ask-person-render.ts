// The "Ask a person" modal (https://docs.slack.dev/surfaces/modals): what happens, in the customer's own words
// (optional, a few lines), and their mail program, preset from the question; the question, the channel and who
// opened it travel in private_metadata. Then the same modal says what became of their question: only they see
// it, wherever they asked. Every text is escaped for mrkdwn; Slack's modal limits are named here.
import type { types } from '@slack/bolt';
import {
  clip,
  describeQuestion,
  MAX_CUSTOMER_WORDS,
  PROGRAM_NAMES,
  PROGRAMS,
  type Program,
} from '../../src/index.js';
import { escapeMrkdwn, MAX_SECTION_TEXT } from './render.js';

export const ASK_PERSON_VIEW = 'mailsettings_ask_person';
/** The modal's inputs: block ids and action ids. */
export const ASK_INPUTS = { words: 'words', program: 'program', text: 'text', choice: 'choice' } as const;
/** The select's value for a program the bot has no steps for. */
export const OTHER_PROGRAM = 'other';
/** Slack's limits: a modal's title and buttons, private_metadata, an option's text. */
const MAX_MODAL_LABEL = 24;
const MAX_METADATA = 3000;
const MAX_OPTION_TEXT = 75;
/** The question as it rides in private_metadata (questions are short; this keeps the JSON within the limit). */
const MAX_QUESTION_METADATA = 400;

const plain = (text: string, max = MAX_MODAL_LABEL) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
});

/** What the submission needs to open the case as the press would have: the question, where, and for whom. */
export interface AskMetadata {
  question: string;
  channel: string;
  user: string;
}

export function readAskMetadata(text: string): AskMetadata | undefined {
  try {
    const { q, c, u } = JSON.parse(text) as { q?: unknown; c?: unknown; u?: unknown };
    return typeof q === 'string' && typeof c === 'string' && typeof u === 'string'
      ? { question: q, channel: c, user: u }
      : undefined;
  } catch {
    return undefined;
  }
}

const option = (value: string, text: string): types.PlainTextOption => ({
  text: plain(text, MAX_OPTION_TEXT),
  value,
});

/** The modal for the question `asked` ("alice@example.com pop"), with the program it named selected. */
export function askPersonModal(asked: AskMetadata, program?: Program): types.ModalView {
  const question = clip(asked.question, MAX_QUESTION_METADATA);
  const metadata = JSON.stringify({ q: question, c: asked.channel, u: asked.user });
  const options = [
    ...PROGRAMS.map((each) => option(each, PROGRAM_NAMES[each])),
    option(OTHER_PROGRAM, 'Another program, or not sure'),
  ];
  const intro = `Our support team will read this and reply where you asked. Your question: *${escapeMrkdwn(describeQuestion(question))}*`;
  return {
    type: 'modal',
    callback_id: ASK_PERSON_VIEW,
    private_metadata:
      metadata.length <= MAX_METADATA ? metadata : JSON.stringify({ q: '', c: asked.channel, u: asked.user }),
    title: plain('Ask a person'),
    submit: plain('Send to support'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(intro, MAX_SECTION_TEXT) } },
      {
        type: 'input',
        block_id: ASK_INPUTS.words,
        optional: true,
        label: plain('What happens?', 2000),
        hint: plain(
          'What you tried, and what your mail program says, in your own words. Leave out passwords.',
          2000,
        ),
        element: {
          type: 'plain_text_input',
          action_id: ASK_INPUTS.text,
          multiline: true,
          max_length: MAX_CUSTOMER_WORDS,
        },
      },
      {
        type: 'input',
        block_id: ASK_INPUTS.program,
        optional: true,
        label: plain('Your mail program', 2000),
        element: {
          type: 'static_select',
          action_id: ASK_INPUTS.choice,
          placeholder: plain('Choose your mail program', 150),
          options,
          ...(program ? { initial_option: option(program, PROGRAM_NAMES[program]) } : {}),
        },
      },
    ],
  };
}

/** The modal once submitted: what became of the question (or why it could not be sent). */
export function askedView(line: string): types.ModalView {
  return {
    type: 'modal',
    callback_id: ASK_PERSON_VIEW,
    title: plain('Ask a person'),
    close: plain('Done'),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: clip(escapeMrkdwn(line), MAX_SECTION_TEXT) } }],
  };
}
