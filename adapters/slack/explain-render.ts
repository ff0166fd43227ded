// Renders the "My mail program shows an error" button under every answer to its asker, the modal it opens
// (https://docs.slack.dev/surfaces/modals: the error to paste, the address or domain filled in from the question,
// the protocol in private_metadata) and the modal's content once the error is explained: the core's reply in
// Block Kit, every text escaped for mrkdwn. Modal limits (title and buttons 24 characters, a text input 3000)
// are named here.
import type { types } from '@slack/bolt';
import { clip, type ExplainSaid, MAX_PASTE, type Saying } from '../../src/index.js';
import { lineToBlockKit, MAX_FIELD_TEXT, replyToBlockKit, type SlackMessage, withButton } from './render.js';
import { PROGRAMS_BLOCK } from './setup-render.js';

export const EXPLAIN_ACTION = 'mailsettings_explain';
export const EXPLAIN_VIEW = 'mailsettings_explain';
/** The modal's two inputs: block ids, and the one action id both text inputs have. */
export const EXPLAIN_INPUTS = { paste: 'error', question: 'address', text: 'text' } as const;
/** Slack's limit on a plain_text_input, and on a modal's title and buttons. */
export const MAX_INPUT = 3000;
const MAX_MODAL_LABEL = 24;
const MAX_MODAL_BLOCKS = 100;
const EXPLAIN_LABEL = 'My mail program shows an error';

const plain = (text: string, max = MAX_MODAL_LABEL) => ({
  type: 'plain_text' as const,
  text: clip(text, max),
});

/** Adds the button to an answer for its asker, beside the message's own buttons (never in the programs row). */
export function withExplainButton(message: SlackMessage, { said }: Saying): SlackMessage {
  if (said.kind !== 'answer' && said.kind !== 'checked') return message;
  const { query } = said.answer.settings;
  const button: types.Button = {
    type: 'button',
    action_id: EXPLAIN_ACTION,
    text: plain(EXPLAIN_LABEL, 75),
    value: clip(`${query.email ?? query.domain} ${query.protocol}`, MAX_FIELD_TEXT),
  };
  return withButton(message, button, PROGRAMS_BLOCK);
}

/** The modal to paste the error into; `question` is the button's value ("alice@example.com imap"). */
export function explainModal(question: string): types.ModalView {
  const [address = '', protocol = 'all'] = question.split(' ');
  return {
    type: 'modal',
    callback_id: EXPLAIN_VIEW,
    private_metadata: protocol,
    title: plain('Explain an error'),
    submit: plain('Explain'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: EXPLAIN_INPUTS.paste,
        label: plain('The error, exactly as your mail program shows it', 2000),
        hint: plain(
          'Copy it or type its words and codes, like 0x800CCC0E or 535 5.7.8. Leave out passwords.',
          2000,
        ),
        element: {
          type: 'plain_text_input',
          action_id: EXPLAIN_INPUTS.text,
          multiline: true,
          max_length: Math.min(MAX_PASTE, MAX_INPUT),
        },
      },
      {
        type: 'input',
        block_id: EXPLAIN_INPUTS.question,
        label: plain('Your email address or domain', 2000),
        element: {
          type: 'plain_text_input',
          action_id: EXPLAIN_INPUTS.text,
          max_length: 300,
          ...(address ? { initial_value: clip(address, 300) } : {}),
        },
      },
    ],
  };
}

/** The modal once the error is explained (or a line: still looking, slow down, sorry). */
export function explainedView(said: ExplainSaid): types.ModalView {
  const message = said.kind === 'line' ? lineToBlockKit(said.text) : replyToBlockKit(said.reply);
  return {
    type: 'modal',
    callback_id: EXPLAIN_VIEW,
    title: plain('The error explained'),
    close: plain('Done'),
    blocks: message.blocks.slice(0, MAX_MODAL_BLOCKS),
  };
}
