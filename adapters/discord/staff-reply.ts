// What a staff reply sends, and the Reply modal that writes one: the staff member's words, or a saved reply
// filled in for the case with their words after it. Discord takes a string select inside a Label in modals
// (components reference, "String Select"; discord.js 14's LabelBuilder and fields.getStringSelectValues), so
// the modal offers the saved replies there, up to a menu's 25 options; /reply snippet:… (with the names
// offered as they are typed) reaches every one. A saved reply that cannot be filled is refused privately,
// before anything is sent.
import {
  type ChatInputCommandInteraction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  StringSelectMenuBuilder,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import {
  type Cases,
  clip,
  deskWords,
  MAX_SNIPPET,
  neutralizeText,
  PLACEHOLDERS,
  type Snippet,
  type SnippetReplyProblem,
  type Staff,
} from '../../src/index.js';
import { CASE_IDS, MAX_STAFF_REPLY } from './command.js';
import { DESK_IDS } from './desk-command.js';
import { escapeDiscordText } from './escape.js';
import { postRef } from './refs.js';

const NO_MENTIONS = { parse: [] as [] };
/** A select menu's options, and an option's description (components reference). */
const MAX_OPTIONS = 25;
const MAX_DESCRIPTION = 100;

export const NOT_A_CASE = 'This is not a case post: use it inside a post of the cases channel.';

/** A private line for whoever acted, mentioning nobody. */
export const privately = (content: string) => ({
  content,
  flags: MessageFlags.Ephemeral as const,
  allowedMentions: NO_MENTIONS,
});

/** The first line of a saved reply, as a menu or a list shows it. */
export const firstLine = (text: string, max: number) =>
  clip(neutralizeText(text.trim().split('\n')[0] ?? ''), max);

/** The Reply modal: the saved replies to choose from (when there are any) and the staff member's own words. */
export function replyModal(snippets: Snippet[]): ModalBuilder {
  const text = new TextInputBuilder()
    .setCustomId(CASE_IDS.replyText)
    .setStyle(TextInputStyle.Paragraph)
    .setMaxLength(MAX_STAFF_REPLY)
    .setRequired(snippets.length === 0);
  const modal = new ModalBuilder().setCustomId(CASE_IDS.replyModal).setTitle('Reply to the customer');
  if (snippets.length > 0) {
    const shown = snippets.slice(0, MAX_OPTIONS);
    const menu = new StringSelectMenuBuilder()
      .setCustomId(DESK_IDS.replySnippet)
      .setPlaceholder('None: only your words below')
      .setRequired(false)
      .addOptions(
        shown.map((snippet) => ({
          label: snippet.name,
          value: snippet.name,
          description: firstLine(snippet.text, MAX_DESCRIPTION) || '(empty first line)',
        })),
      );
    const more = snippets.length > shown.length;
    modal.addLabelComponents(
      new LabelBuilder()
        .setLabel('Saved reply')
        .setDescription(
          more
            ? `The first ${shown.length} of ${snippets.length}; /reply snippet: reaches every one.`
            : 'Filled in for this case; your words below come after it.',
        )
        .setStringSelectMenuComponent(menu),
    );
  }
  return modal.addLabelComponents(
    new LabelBuilder()
      .setLabel(
        snippets.length > 0 ? 'Your words (optional with a saved reply)' : 'Your reply to the customer',
      )
      .setTextInputComponent(text),
  );
}

/** What the Reply modal asks to send: the saved reply chosen (if the modal offered any), and the words. */
export function modalReply(interaction: ModalSubmitInteraction): { text: string; snippet?: string } {
  const text = interaction.fields.getTextInputValue(CASE_IDS.replyText);
  const offered = interaction.fields.fields.has(DESK_IDS.replySnippet);
  const [snippet] = offered ? interaction.fields.getStringSelectValues(DESK_IDS.replySnippet) : [];
  return snippet ? { text, snippet } : { text };
}

/**
 * The text to send for this reply: the words alone, or the saved reply filled in for the case and the words
 * after it. Undefined when nothing may be sent; the staff member has been told why, privately.
 */
export async function composeReply(
  interaction: ModalSubmitInteraction | ChatInputCommandInteraction,
  asked: { text: string; snippet?: string },
  cases: Cases,
  staff: Staff,
): Promise<string | undefined> {
  if (!asked.snippet) {
    if (asked.text.trim() !== '') return asked.text;
    await interaction.reply(privately(deskWords.NOTHING_TO_SEND));
    return undefined;
  }
  const filled = await cases.fillSnippet({
    staffThread: postRef(interaction.channelId ?? ''),
    staff,
    name: asked.snippet,
    text: asked.text,
  });
  if (filled.ok) return filled.value;
  await interaction.reply(privately(escapeDiscordText(problemOf(filled.error))));
  return undefined;
}

function problemOf(problem: SnippetReplyProblem): string {
  switch (problem.problem) {
    case 'not-a-case':
      return NOT_A_CASE;
    case 'no-snippet':
      return deskWords.noSnippet(clip(problem.name, 40));
    case 'placeholders':
      return deskWords.placeholderProblem(problem.unknown, problem.unfilled, PLACEHOLDERS);
    case 'too-long':
      return deskWords.replyTooLong(problem.length, MAX_SNIPPET);
  }
}
